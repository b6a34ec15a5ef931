package questions

import "strings"

// Track names. Every topic belongs to exactly one track.
const (
	TrackBackend    = "backend"
	TrackBehavioral = "behavioral"
	TrackFrontend   = "frontend"
)

// Tracks lists the track names in display order.
var Tracks = []string{TrackBackend, TrackBehavioral, TrackFrontend}

// Topic is one topic of the bank: its slug (the part of a question ID before
// the slash), the track it belongs to and a title for people.
type Topic struct {
	Slug  string `json:"slug"`
	Track string `json:"track"`
	Title string `json:"title"`
}

// Topics lists every known topic in display order: the backend topics, the
// behavioural topic, then the frontend topics. Callers must not modify it.
var Topics = []Topic{
	{"deployment", TrackBackend, "Deployment and DevOps"},
	{"availability", TrackBackend, "Availability and Scaling"},
	{"containers", TrackBackend, "Containers"},
	{"databases", TrackBackend, "Databases"},
	{"caching", TrackBackend, "Caching"},
	{"apis", TrackBackend, "APIs"},
	{"security", TrackBackend, "Security"},
	{"architecture", TrackBackend, "Architecture and Design Patterns"},
	{"messaging", TrackBackend, "Messaging"},
	{"testing", TrackBackend, "Testing"},
	{"languages", TrackBackend, "Programming Languages"},
	{"concurrency", TrackBackend, "Concurrency"},
	{"algorithms", TrackBackend, "Algorithms and Data Structures"},
	{"networking", TrackBackend, "Networking"},
	{"observability", TrackBackend, "Observability"},
	{"performance", TrackBackend, "Performance"},
	{"system-design", TrackBackend, "System Design"},
	{"git", TrackBackend, "Git"},
	{"linux", TrackBackend, "Linux and the Shell"},
	{"behavioral", TrackBehavioral, "Behavioural (STAR)"},
	{"html-css", TrackFrontend, "HTML and CSS"},
	{"javascript", TrackFrontend, "JavaScript"},
	{"browser", TrackFrontend, "The Browser"},
	{"react", TrackFrontend, "React"},
	{"accessibility", TrackFrontend, "Accessibility"},
	{"frontend-performance", TrackFrontend, "Frontend Performance"},
	{"typescript", TrackFrontend, "TypeScript"},
	{"frontend-testing", TrackFrontend, "Frontend Testing"},
}

// topicIndex maps a topic slug to its index in Topics.
var topicIndex = func() map[string]int {
	m := make(map[string]int, len(Topics))
	for i, t := range Topics {
		m[t.Slug] = i
	}
	return m
}()

// trackMasks maps a track name to the set of its topics, one bit per index
// in Topics. Topics has fewer than 64 entries, so a uint64 holds any set.
var trackMasks = func() map[string]uint64 {
	m := make(map[string]uint64, len(Tracks))
	for i, t := range Topics {
		m[t.Track] |= 1 << i
	}
	return m
}()

// LookupTopic returns the topic with the given slug, if it is known.
func LookupTopic(slug string) (Topic, bool) {
	i, ok := topicIndex[slug]
	if !ok {
		return Topic{}, false
	}
	return Topics[i], true
}

// IsTrack reports whether name is one of Tracks.
func IsTrack(name string) bool {
	_, ok := trackMasks[name]
	return ok
}

// TrackTopics returns the slugs of the topics in track, in display order, or
// nil if track is unknown.
func TrackTopics(track string) []string {
	return slugs(trackMasks[track])
}

// slugs returns the slugs of the topics in mask, in display order.
func slugs(mask uint64) []string {
	var out []string
	for i, t := range Topics {
		if mask&(1<<i) != 0 {
			out = append(out, t.Slug)
		}
	}
	return out
}

// topicAliases maps normalised words people type to the topics they mean.
// Topic slugs and track names need no entry: they are matched directly.
// A value is a topic slug, a track name, or "all" for every topic.
var topicAliases = map[string]string{
	"db": "databases", "sql": "databases", "nosql": "databases", "rdbms": "databases",
	"k8s": "containers", "kubernetes": "containers", "docker": "containers",
	"js": "javascript", "ecmascript": "javascript", "ts": "typescript",
	"fe": TrackFrontend, "front": TrackFrontend, "web": TrackFrontend,
	"be": TrackBackend, "back": TrackBackend,
	"a11y": "accessibility", "aria": "accessibility",
	"css": "html-css", "html": "html-css",
	"perf": "performance", "scalability": "availability", "scaling": "availability",
	"feperf": "frontend-performance", "webperf": "frontend-performance", "frontendperf": "frontend-performance",
	"behavioural": "behavioral", "behaviour": "behavioral", "behavior": "behavioral",
	"star": "behavioral", "softskills": "behavioral", "hr": "behavioral",
	"devops": "deployment", "cicd": "deployment", "ci": "deployment", "deploy": "deployment",
	"ha": "availability", "reliability": "availability", "uptime": "availability",
	"cache": "caching", "redis": "caching",
	"api": "apis", "rest": "apis", "graphql": "apis", "grpc": "apis",
	"sec": "security", "auth": "security", "authentication": "security",
	"arch": "architecture", "design": "architecture", "designpatterns": "architecture",
	"patterns": "architecture", "oop": "architecture", "solid": "architecture",
	"mq": "messaging", "queue": "messaging", "queues": "messaging", "kafka": "messaging",
	"pubsub": "messaging", "events": "messaging",
	"test": "testing", "tests": "testing", "qa": "testing", "tdd": "testing",
	"lang": "languages", "programming": "languages", "programminglanguages": "languages",
	"async": "concurrency", "threads": "concurrency", "threading": "concurrency", "parallelism": "concurrency",
	"algo": "algorithms", "algos": "algorithms", "dsa": "algorithms", "datastructures": "algorithms", "bigo": "algorithms",
	"network": "networking", "http": "networking", "tcp": "networking", "dns": "networking",
	"o11y": "observability", "monitoring": "observability", "logging": "observability",
	"metrics": "observability", "tracing": "observability",
	"dom": "browser", "browsers": "browser",
	"reactjs": "react", "hooks": "react",
	"sysdesign": "system-design", "sd": "system-design",
	"vcs": "git", "versioncontrol": "git", "github": "git",
	"shell": "linux", "bash": "linux", "unix": "linux", "cli": "linux",
	"jest": "frontend-testing", "vitest": "frontend-testing", "playwright": "frontend-testing", "cypress": "frontend-testing",
	"all": "all", "any": "all",
}

// matchKeys maps every normalised word MatchTopic knows (slugs, tracks,
// aliases) to the set of topics it stands for.
var matchKeys = func() map[string]uint64 {
	m := make(map[string]uint64)
	for i, t := range Topics {
		m[normalizeTopic(t.Slug)] |= 1 << i
	}
	for track, mask := range trackMasks {
		m[track] |= mask
	}
	all := uint64(1)<<len(Topics) - 1
	for alias, target := range topicAliases {
		switch {
		case target == "all":
			m[alias] = all
		case trackMasks[target] != 0:
			m[alias] |= trackMasks[target]
		default:
			m[alias] |= 1 << topicIndex[target]
		}
	}
	return m
}()

// normalizeTopic lowercases s and drops everything but letters and digits,
// so that "Data Bases", "data-bases" and "data_bases" all read "databases".
func normalizeTopic(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MatchTopic resolves a word a user typed to topic slugs, forgivingly: case,
// spaces, hyphens and underscores do not matter; common aliases ("db", "k8s",
// "js", "a11y", "perf", "star"), singulars and plurals, and a unique prefix of
// at least three letters are understood. A track name ("frontend", "fe")
// matches all of its topics. The slugs are returned in display order; ok is
// false when nothing matches or the word is ambiguous.
func MatchTopic(s string) (topics []string, ok bool) {
	mask := matchMask(normalizeTopic(s))
	if mask == 0 {
		return nil, false
	}
	return slugs(mask), true
}

// matchMask returns the topics the normalised word w stands for, or 0.
func matchMask(w string) uint64 {
	if w == "" {
		return 0
	}
	if m := matchKeys[w]; m != 0 {
		return m
	}
	if m := matchKeys[strings.TrimSuffix(w, "s")]; m != 0 {
		return m
	}
	if m := matchKeys[w+"s"]; m != 0 {
		return m
	}
	if len(w) < 3 {
		return 0
	}
	return prefixMask(w)
}

// prefixMask returns the topics of the known words that start with w, as
// long as one of them covers all the others (so "front" picks the frontend
// track even though "frontendperformance" also starts with it); otherwise 0.
func prefixMask(w string) uint64 {
	var union, widest uint64
	for key, m := range matchKeys {
		if !strings.HasPrefix(key, w) {
			continue
		}
		union |= m
		if m&widest == widest {
			widest = m
		}
	}
	if union != widest {
		return 0
	}
	return widest
}
