package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prepbot/prepbot/store"
)

func TestMockRoundBeginsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db := open(t, path, nil)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	mk := func(groups ...store.MockGroup) store.MockRound { return store.MockRound{Groups: groups} }
	r, begun, err := db.BeginMockRound(ctx, "C1", at, mk(store.MockGroup{Interviewer: "UA", Candidates: []string{"UB"}}))
	if err != nil || !begun || r.N != 1 {
		t.Fatalf("first BeginMockRound = %+v, %v, %v; want round 1 begun", r, begun, err)
	}
	// A retry must get the stored groups, not a new pairing.
	r, begun, err = db.BeginMockRound(ctx, "C1", at, mk(store.MockGroup{Interviewer: "UB", Candidates: []string{"UA"}}))
	if err != nil || begun || r.Groups[0].Interviewer != "UA" {
		t.Fatalf("second BeginMockRound = %+v, %v, %v; want the first round unchanged", r, begun, err)
	}
	if c, _ := db.MockConfig("C1"); !c.Latest.Equal(at) || c.LatestDone {
		t.Errorf("config after the round began = %+v; want it to name the round as latest, not done", c)
	}
	next := at.AddDate(0, 0, 7)
	r, _, err = db.BeginMockRound(ctx, "C1", next, store.MockRound{})
	if err != nil || r.N != 2 {
		t.Fatalf("next week's round = N %d, %v; want N 2", r.N, err)
	}
	if _, err := db.UpdateMockRound(ctx, "C1", at, func(r *store.MockRound) bool {
		r.Sent["announce"] = "1.2"
		return true
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, path, nil)
	got, err := db.MockRound("C1", at)
	if err != nil || got.Sent["announce"] != "1.2" {
		t.Fatalf("after reopen: %+v, %v; want the announce ts kept", got, err)
	}
	if _, err := db.UpdateMockRound(ctx, "C1", at.Add(time.Hour), func(*store.MockRound) bool { return true }); err != store.ErrNotFound {
		t.Errorf("UpdateMockRound of a missing round = %v; want ErrNotFound", err)
	}
}

func TestForgetMeLeavesNoMockTrace(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "s.db"), nil)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	if _, err := db.UpdateMockConfig(ctx, "C1", func(c *store.MockConfig) bool {
		c.On, c.Members, c.Skips = true, []string{"UC", "UA", "UB"}, map[string]int64{"UA": at.Unix()}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	groups := []store.MockGroup{
		{Interviewer: "UA", Candidates: []string{"UB", "UC"}, Questions: map[string][]string{"UB": {"q1"}, "UC": {"q2"}}},
	}
	if _, _, err := db.BeginMockRound(ctx, "C1", at, store.MockRound{Groups: groups}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.BeginMockRound(ctx, "C1", at.AddDate(0, 0, 7), store.MockRound{Groups: []store.MockGroup{{Interviewer: "UB", Candidates: []string{"UA"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateMockRound(ctx, "C1", at, func(r *store.MockRound) bool {
		r.Forms["UA"] = store.MockForm{User: "UA", Happened: true, Ratings: map[string]map[string]string{"UB": {"q1": "good"}}, Note: "nice"}
		r.Forms["UB"] = store.MockForm{User: "UB", Happened: true, Ratings: map[string]map[string]string{"UB": {"q1": "hard"}}}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	d, err := db.ExportUser("UA")
	if err != nil || len(d.MockForms) != 1 || d.MockRounds != 2 {
		t.Fatalf("export of UA = %d forms, %d rounds, %v; want 1 and 2", len(d.MockForms), d.MockRounds, err)
	}

	f, err := db.ForgetUser(ctx, "UA")
	if err != nil || f.Mock != 3 {
		t.Fatalf("ForgetUser = %+v, %v; want 3 mock records changed (config and two rounds)", f, err)
	}
	c, _ := db.MockConfig("C1")
	if slices.Contains(c.Members, "UA") || c.Skips["UA"] != 0 {
		t.Errorf("config still has UA: %+v", c)
	}
	rounds, _ := db.MockRounds("C1")
	for _, r := range rounds {
		raw := strings.Join(append(r.Groups[0].Members(), keys(r.Forms)...), ",")
		if strings.Contains(raw, "UA") || r.GroupOf("UA") >= 0 {
			t.Errorf("round %d still names UA: %+v", r.N, r)
		}
	}
	if g := rounds[0].Groups[0]; g.Interviewer != "UB" || !slices.Equal(g.Candidates, []string{"UC"}) || g.Off {
		t.Errorf("round 1's trio without its interviewer = %+v; want UB interviewing UC", g)
	}
	if g := rounds[1].Groups[0]; !g.Off {
		t.Errorf("round 2's pair without UA = %+v; want it called off", g)
	}
	if d, _ := db.ExportUser("UA"); len(d.MockForms) != 0 || d.MockRounds != 0 {
		t.Errorf("after forget-me, export still has %d forms, %d rounds", len(d.MockForms), d.MockRounds)
	}
	if d, _ := db.ExportUser("UB"); len(d.MockForms) != 1 {
		t.Errorf("UB's own form went with UA's data: %+v", d.MockForms)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
