package feedback

import (
	"strings"
	"testing"

	"github.com/prepbot/prepbot/questions"
)

func TestStem(t *testing.T) {
	groups := [][]string{
		{"deploy", "deploys", "deployed", "deploying"},
		{"cache", "caches", "cached", "caching"},
		{"reply", "replies", "replied"},
		{"rollback", "rollbacks"},
		{"index", "indexes"},
		{"queue", "queues", "queued", "queuing"},
		{"process", "processes", "processed", "processing"},
		{"serialize", "serialized", "serialization"},
		{"run", "running"},
		{"stop", "stopped", "stopping"},
		{"roll", "rolling", "rolled"},
		{"dependency", "dependencies"},
		{"add", "adding", "added", "adds"},
		{"staff", "staffing"},
	}
	for _, g := range groups {
		for _, w := range g[1:] {
			if stem(w) != stem(g[0]) {
				t.Errorf("stem(%q) = %q, stem(%q) = %q; want the same", w, stem(w), g[0], stem(g[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"stateless", "state"}, {"status", "stat"}, {"cache", "cash"}, {"pass", "pas"}} {
		if stem(pair[0]) == stem(pair[1]) {
			t.Errorf("stem(%q) = stem(%q) = %q; want them apart", pair[0], pair[1], stem(pair[0]))
		}
	}
}

func TestTokenize(t *testing.T) {
	var got []string
	for _, tk := range tokenize("It doesn't `ROLL_BACK` — see https://ex.com/Café?q=1, naïve!") {
		got = append(got, tk.raw)
	}
	want := "it doesnt roll back see https ex com cafe q 1 naive"
	if strings.Join(got, " ") != want {
		t.Errorf("tokenize = %q; want %q", strings.Join(got, " "), want)
	}
}

func question() questions.Question {
	return questions.Question{
		ID: "deployment/blue-green", Text: "What is blue/green deployment?",
		KeyPoints: []string{
			"Two identical environments; only one is live at a time.",
			"Cut-over and rollback are a routing change, not a redeploy.",
			"Database changes must stay backward compatible during the switch.",
		},
		Concepts: [][]string{
			{"two environments", "identical environments", "idle environment"},
			{"rollback", "switch traffic", "load balancer"},
			{"backward compatible", "expand and contract", "schema change"},
		},
	}
}

func TestAssess(t *testing.T) {
	q := question()
	for _, tt := range []struct {
		name    string
		answer  string
		covered []bool
		quote   []string
		rating  string
	}{
		{"all three, other word forms", "You keep two environments, identical ones, and the load balancer switches traffic to the new one. Rolling back is just switching traffic again. Schema changes have to be backward-compatible with both versions.",
			[]bool{true, true, true}, []string{"two environments", "switches traffic", "backward-compatible"}, "good"},
		{"compound spelled apart", "There is an idle environment with the new version, and a roll back means pointing the router at the old one, which is cheap compared with redeploying everything.",
			[]bool{true, true, false}, []string{"idle environment", "roll back", ""}, "hard"},
		{"negation", "You do not need two environments and there is no load balancer involved at all, you just redeploy the same servers in place one by one.",
			[]bool{false, false, false}, nil, "again"},
		{"code and urls are text", "Run `kubectl rollout undo` for a rollback, see https://example.com/expand-and-contract for how each schema change stays safe when deploying.",
			[]bool{false, true, true}, []string{"", "rollback", "expand-and-contract"}, "hard"},
	} {
		r := Assess(q, tt.answer)
		if r.TooShort {
			t.Errorf("%s: too short", tt.name)
			continue
		}
		for i, p := range r.Points {
			if p.Covered != tt.covered[i] {
				t.Errorf("%s: key point %d covered = %v (evidence %q); want %v", tt.name, i+1, p.Covered, p.Evidence, tt.covered[i])
			}
			if tt.quote != nil && p.Evidence != tt.quote[i] {
				t.Errorf("%s: key point %d evidence = %q; want %q", tt.name, i+1, p.Evidence, tt.quote[i])
			}
		}
		if r.Suggested != tt.rating {
			t.Errorf("%s: suggested %q; want %q (%s)", tt.name, r.Suggested, tt.rating, r.Verdict)
		}
	}
}

func TestTooShort(t *testing.T) {
	q := question()
	for _, a := range []string{"", "idk", "yes", "no idea, sorry", "What is blue/green deployment?", "blue green deployment is what?", "```\n\n```"} {
		if r := Assess(q, a); !r.TooShort || len(r.Points) != 0 || !strings.Contains(r.Verdict, "Too short") {
			t.Errorf("Assess(%q) = %+v; want too short to judge", a, r)
		}
	}
	if r := Assess(q, "Blue/green deployment keeps two environments so traffic can move between them quickly and safely."); r.TooShort {
		t.Errorf("a real sentence was judged too short")
	}
}

// Without concepts (a question added in Slack), a key point is matched on
// its own words.
func TestFallbackToKeyPointWords(t *testing.T) {
	q := question()
	q.Concepts = nil
	r := Assess(q, "Only one environment is live at a time while the other one is identical and idle; changes to the database must remain backward compatible.")
	if got := []bool{r.Points[0].Covered, r.Points[1].Covered, r.Points[2].Covered}; got[0] != true || got[1] != false || got[2] != true {
		t.Errorf("fallback coverage = %v; want [true false true]", got)
	}
}

func BenchmarkAssess(b *testing.B) {
	q := question()
	answer := strings.Repeat("You keep two environments, identical ones, and the load balancer switches traffic to the new one. Rolling back is just switching traffic again. ", 6)
	b.ReportAllocs()
	for b.Loop() {
		Assess(q, answer)
	}
}

func TestNegationAndSentences(t *testing.T) {
	q := questions.Question{
		ID: "containers/x", Text: "How do you build a safe image?",
		KeyPoints: []string{"Never bake secrets into the image.", "Kubernetes restarts a failing container.", "Order layers from the least to the most changing."},
		Concepts:  [][]string{{"bake secrets", "secrets in the image"}, {"restarts"}, {"layer order", "top layer"}},
	}
	for _, tt := range []struct {
		answer string
		want   []bool
	}{
		// A prohibition is named in the negative: "don't bake secrets".
		{"You should not bake secrets into images; mount them at runtime from the orchestrator instead.", []bool{true, false, false}},
		// A negation does not reach past a comma into the next clause.
		{"The probe checks the app and if not, Kubernetes restarts it after a few failures in a row.", []bool{false, true, false}},
		// Without the comma it does.
		{"The probe checks the app and it never restarts anything by itself, you need an operator for that.", []bool{false, false, false}},
		// A phrase does not match across a sentence break.
		{"Put the base image at the top. Layers that change often go last in the Dockerfile for caching.", []bool{false, false, false}},
	} {
		r := Assess(q, tt.answer)
		for i, p := range r.Points {
			if p.Covered != tt.want[i] {
				t.Errorf("Assess(%q): key point %d covered = %v (%q); want %v", tt.answer, i+1, p.Covered, p.Evidence, tt.want[i])
			}
		}
	}
}

// A dot inside code joins words; a full stop ends the sentence.
func TestDotsInCode(t *testing.T) {
	q := questions.Question{
		ID: "javascript/x", Text: "How do CommonJS and ES modules differ?",
		KeyPoints: []string{"CommonJS assigns module.exports.", "Promise.all waits for every promise."},
		Concepts:  [][]string{{"module.exports"}, {"promise all"}},
	}
	r := Assess(q, "In CommonJS you assign to module.exports, and Promise.all runs them concurrently until every one settles.")
	if !r.Points[0].Covered || !r.Points[1].Covered {
		t.Errorf("dots in code: %+v", r.Points)
	}
	r = Assess(q, "Modules are loaded once and cached by the runtime, then each returns a Promise. All of them are async anyway, of course.")
	if r.Points[1].Covered {
		t.Errorf("a full stop between 'promise' and 'all' matched: %q", r.Points[1].Evidence)
	}
}
