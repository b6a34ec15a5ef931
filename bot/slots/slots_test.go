package slots

import (
	"testing"
	"time"

	"github.com/prepbot/prepbot/store"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestSlotsAcrossDST(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		name string
		spec string
		from time.Time
		want []string // successive slots, local RFC 3339
	}{
		{"daily 9:00 across spring forward", "0 9 * * *", time.Date(2026, 3, 7, 10, 0, 0, 0, ny),
			[]string{"2026-03-08T09:00:00-04:00", "2026-03-09T09:00:00-04:00"}},
		{"1:30 in the repeated hour posts once", "30 1 * * *", time.Date(2026, 10, 31, 12, 0, 0, 0, ny),
			[]string{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
		{"2:30 in the skipped hour posts at the end of the gap", "30 2 * * *", time.Date(2026, 3, 7, 12, 0, 0, 0, ny),
			[]string{"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"weekdays only", "0 9 * * 1-5", time.Date(2026, 11, 27, 10, 0, 0, 0, ny), // a Friday
			[]string{"2026-11-30T09:00:00-05:00", "2026-12-01T09:00:00-05:00"}},
		{"@daily is local midnight", "@daily", time.Date(2026, 11, 24, 10, 0, 0, 0, ny),
			[]string{"2026-11-25T00:00:00-05:00", "2026-11-26T00:00:00-05:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.spec, ny, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			at := tt.from
			for i, want := range tt.want {
				at = s.Next(at)
				if got := at.In(ny).Format(time.RFC3339); got != want {
					t.Errorf("slot %d of %q = %s; want %s", i+1, tt.spec, got, want)
				}
			}
		})
	}
}

func TestEveryCountsFromAnchor(t *testing.T) {
	anchor := time.Date(2026, 11, 24, 9, 17, 30, 0, time.UTC)
	s, err := Parse("@every 2h", time.UTC, anchor)
	if err != nil {
		t.Fatal(err)
	}
	// A restart at any moment finds the same grid.
	for _, from := range []time.Time{anchor, anchor.Add(time.Minute), anchor.Add(2*time.Hour - time.Second)} {
		if got, want := s.Next(from), anchor.Add(2*time.Hour); !got.Equal(want) {
			t.Errorf("next(%v) = %v; want %v", from, got, want)
		}
	}
	if got, ok := s.Latest(anchor.Add(5*time.Hour), 6*time.Hour); !ok || !got.Equal(anchor.Add(4*time.Hour)) {
		t.Errorf("latest = %v, %v; want anchor+4h", got, ok)
	}
}

func TestParseSlotsRejects(t *testing.T) {
	for _, spec := range []string{"", "every day", "0 9 * *", "0 0 9 * * *", "@every 5m", "0 9 30 2 *", "TZ=UTC 0 9 * * *", "@yearlyish", "61 9 * * *"} {
		if _, err := Parse(spec, time.UTC, time.Now()); err == nil {
			t.Errorf("Parse(%q) succeeded; want an error", spec)
		}
	}
}

func FuzzParseSlots(f *testing.F) {
	for _, s := range []string{"0 9 * * 1-5", "@daily", "@every 2h", "*/5 * * * *", "0 0 29 2 *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := Parse(spec, time.UTC, time.Unix(1700000000, 0))
		if err != nil {
			return
		}
		from := time.Unix(1700000000, 0)
		if n := s.Next(from); !n.IsZero() && !n.After(from) {
			t.Errorf("next(%v) = %v is not after it", from, n)
		}
	})
}

func TestPaused(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	sched, err := Parse("0 9 * * *", ny, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	s := store.Schedule{PausedUntil: "2027-01-05"}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2027, 1, 4, 9, 0, 0, 0, ny), true},
		{time.Date(2027, 1, 4, 23, 59, 0, 0, ny), true},
		{time.Date(2027, 1, 5, 0, 0, 0, 0, ny), false},       // the first slot on DATE posts
		{time.Date(2027, 1, 5, 4, 59, 0, 0, time.UTC), true}, // still the 4th in New York
	} {
		if got := Paused(s, tt.at, sched); got != tt.want {
			t.Errorf("Paused(until 2027-01-05, %v) = %v; want %v", tt.at, got, tt.want)
		}
	}
	if Paused(store.Schedule{}, time.Now(), sched) {
		t.Error("a schedule without a pause date is paused")
	}
}

// The moment an @every schedule is set is not one of its slots: a pass
// that ran in that same second used to post at once (a flaky test showed
// it, 1 run in 100 under -race).
func TestEveryDoesNotPostWhenSet(t *testing.T) {
	set := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	s, err := Parse("@every 2h", time.UTC, set)
	if err != nil {
		t.Fatal(err)
	}
	if at, ok := s.Latest(set, 6*time.Hour); ok {
		t.Errorf("Latest at the moment of setting = %s; want no slot yet", at)
	}
	if got, want := s.Next(set.Add(-time.Hour)), set.Add(2*time.Hour); !got.Equal(want) {
		t.Errorf("Next before the anchor = %s; want %s", got, want)
	}
	if got, want := s.Next(set), set.Add(2*time.Hour); !got.Equal(want) {
		t.Errorf("Next at the anchor = %s; want %s", got, want)
	}
}
