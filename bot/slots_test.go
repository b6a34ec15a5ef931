package bot

import (
	"testing"
	"time"
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
			s, err := parseSlots(tt.spec, ny, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			at := tt.from
			for i, want := range tt.want {
				at = s.next(at)
				if got := at.In(ny).Format(time.RFC3339); got != want {
					t.Errorf("slot %d of %q = %s; want %s", i+1, tt.spec, got, want)
				}
			}
		})
	}
}

func TestEveryCountsFromAnchor(t *testing.T) {
	anchor := time.Date(2026, 11, 24, 9, 17, 30, 0, time.UTC)
	s, err := parseSlots("@every 2h", time.UTC, anchor)
	if err != nil {
		t.Fatal(err)
	}
	// A restart at any moment finds the same grid.
	for _, from := range []time.Time{anchor, anchor.Add(time.Minute), anchor.Add(2*time.Hour - time.Second)} {
		if got, want := s.next(from), anchor.Add(2*time.Hour); !got.Equal(want) {
			t.Errorf("next(%v) = %v; want %v", from, got, want)
		}
	}
	if got, ok := s.latest(anchor.Add(5*time.Hour), 6*time.Hour); !ok || !got.Equal(anchor.Add(4*time.Hour)) {
		t.Errorf("latest = %v, %v; want anchor+4h", got, ok)
	}
}

func TestParseSlotsRejects(t *testing.T) {
	for _, spec := range []string{"", "every day", "0 9 * *", "0 0 9 * * *", "@every 5m", "0 9 30 2 *", "TZ=UTC 0 9 * * *", "@yearlyish", "61 9 * * *"} {
		if _, err := parseSlots(spec, time.UTC, time.Now()); err == nil {
			t.Errorf("parseSlots(%q) succeeded; want an error", spec)
		}
	}
}

func FuzzParseSlots(f *testing.F) {
	for _, s := range []string{"0 9 * * 1-5", "@daily", "@every 2h", "*/5 * * * *", "0 0 29 2 *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := parseSlots(spec, time.UTC, time.Unix(1700000000, 0))
		if err != nil {
			return
		}
		from := time.Unix(1700000000, 0)
		if n := s.next(from); !n.IsZero() && !n.After(from) {
			t.Errorf("next(%v) = %v is not after it", from, n)
		}
	})
}
