package fsrs_test

import (
	"math"
	"testing"
	"time"
	_ "time/tzdata" // the DST tests must not depend on the host's zoneinfo

	"github.com/prepbot/prepbot/fsrs"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// checkStartOfDay fails unless due is the first instant of local date
// y-m-d in loc; d may overflow the month.
func checkStartOfDay(t testing.TB, due time.Time, loc *time.Location, y int, m time.Month, d int) {
	t.Helper()
	y, m, d = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Date()
	gy, gm, gd := due.In(loc).Date()
	py, pm, pd := due.Add(-time.Nanosecond).In(loc).Date()
	if gy != y || gm != m || gd != d || (py == y && pm == m && pd == d) {
		t.Errorf("due %v is not the start of %04d-%02d-%02d in %v", due.In(loc), y, m, d, loc)
	}
}

// reviewedCard is a card with the given memory state, last reviewed
// `elapsed` local days before now.
func reviewedCard(s, d float64, elapsed int, now time.Time) fsrs.Card {
	return fsrs.Card{Stability: s, Difficulty: d, State: fsrs.Review, Reps: 3, LastReview: now.AddDate(0, 0, -elapsed)}
}

// (3) Again is always due at the start of the next local day.
func TestAgainIsDueNextDay(t *testing.T) {
	p := fsrs.DefaultParams()
	zones := []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Auckland", "Australia/Lord_Howe"}
	clocks := []time.Duration{0, time.Minute, 12 * time.Hour, 23*time.Hour + 59*time.Minute}
	cards := map[string]func(now time.Time) fsrs.Card{
		"new":          func(time.Time) fsrs.Card { return fsrs.Card{} },
		"young":        func(now time.Time) fsrs.Card { return reviewedCard(2.3, 2.1, 2, now) },
		"mature":       func(now time.Time) fsrs.Card { return reviewedCard(400, 5, 400, now) },
		"overdue":      func(now time.Time) fsrs.Card { return reviewedCard(20, 9.5, 3000, now) },
		"max interval": func(now time.Time) fsrs.Card { return reviewedCard(36500, 1, 36500, now) },
		"same day":     func(now time.Time) fsrs.Card { return reviewedCard(50, 3, 0, now) },
	}
	for _, zone := range zones {
		loc := mustLoad(t, zone)
		for name, card := range cards {
			for _, clock := range clocks {
				// Every day of 2025 at this clock time, so DST days are included.
				for day := 0; day < 365; day += 7 {
					now := time.Date(2025, 1, 1+day, 0, 0, 0, 0, loc).Add(clock)
					c := card(now)
					got, log := p.Review(c, fsrs.Again, now, loc)
					if log.Interval != 1 {
						t.Fatalf("%s %s card at %v: Again interval = %d; want 1", zone, name, now, log.Interval)
					}
					y, m, d := now.In(loc).Date()
					checkStartOfDay(t, got.Due, loc, y, m, d+1)
					wantLapses := c.Lapses
					if c.State == fsrs.Review {
						wantLapses++
					}
					if got.Lapses != wantLapses {
						t.Fatalf("%s card: Lapses = %d; want %d", name, got.Lapses, wantLapses)
					}
				}
			}
		}
	}
}

// (4) For any one review, Hard ≤ Good ≤ Easy; Good < Easy, and Hard < Good
// once the card has been reviewed, unless the maximum interval caps them;
// and Preview agrees with Review.
func TestIntervalsOrdered(t *testing.T) {
	now := time.Date(2025, time.June, 10, 8, 0, 0, 0, time.UTC)
	for _, maxIvl := range []int{36500, 30, 2, 1} {
		p := fsrs.DefaultParams()
		p.MaxInterval = maxIvl
		cards := []fsrs.Card{{}}
		for _, s := range []float64{0.001, 0.1, 0.5, 1, 2.3, 10, 100, 1000, 36500} {
			for _, d := range []float64{1, 3, 5.5, 8, 10} {
				for _, el := range []int{0, 1, 2, 5, 30, 365, 3650} {
					cards = append(cards, reviewedCard(s, d, el, now))
				}
			}
		}
		for _, c := range cards {
			pv := p.Preview(c, now, time.UTC)
			hard, good, easy := pv[fsrs.Hard], pv[fsrs.Good], pv[fsrs.Easy]
			if pv[fsrs.Again] != 1 || !(1 <= hard && hard <= good && good <= easy && easy <= maxIvl) {
				t.Errorf("max %d, card %+v: Preview = %v; want 1 = Again, 1 ≤ Hard ≤ Good ≤ Easy ≤ %d", maxIvl, c, pv, maxIvl)
			}
			if good < maxIvl && good >= easy {
				t.Errorf("max %d, card %+v: Good %d, Easy %d; want Good < Easy", maxIvl, c, good, easy)
			}
			if c.State == fsrs.Review && hard < maxIvl && hard >= good {
				t.Errorf("max %d, card %+v: Hard %d, Good %d; want Hard < Good", maxIvl, c, hard, good)
			}
			for _, g := range ratings {
				if _, log := p.Review(c, g, now, time.UTC); log.Interval != pv[g] {
					t.Errorf("max %d, card %+v: Review(%v) interval %d; Preview said %d", maxIvl, c, g, log.Interval, pv[g])
				}
			}
		}
	}
}

// With no hard penalty (w15 = 1) and no easy bonus (w16 = 1) the three
// passing ratings give the same stability, so the ordering rules show:
// Good is bumped a day past Hard once reviewed (not for a new card), and
// Easy a day past Good, as in Anki.
func TestOrderingRules(t *testing.T) {
	p := fsrs.DefaultParams()
	p.W[1], p.W[3] = p.W[2], p.W[2] // new card: S0 the same for Hard, Good, Easy
	p.W[15], p.W[16] = 1, 1
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	// A reviewed card with S = 10 seen after 10 days, at R = 0.9: all three
	// ratings give Good's S' from the published formula.
	sGood := 10 * (math.Exp(w[8])*(11-5.0)*math.Pow(10, -w[9])*(math.Exp(w[10]*(1-0.9))-1) + 1)
	i := int(math.RoundToEven(sGood))
	tests := []struct {
		name string
		card fsrs.Card
		want [3]int // Hard, Good, Easy
	}{
		{"new", fsrs.Card{}, [3]int{2, 2, 3}}, // round(2.3065) for all three
		{"reviewed", reviewedCard(10, 5, 10, day0), [3]int{i, i + 1, i + 2}},
	}
	for _, tt := range tests {
		pv := p.Preview(tt.card, day0, time.UTC)
		if got := [3]int{pv[fsrs.Hard], pv[fsrs.Good], pv[fsrs.Easy]}; got != tt.want {
			t.Errorf("%s: Hard, Good, Easy = %v; want %v", tt.name, got, tt.want)
		}
	}
}

// For a new card with the default weights the ordering rules change nothing:
// the intervals are round(w0..w3) = 1 (Again is 1 anyway), 1, 2, 8.
func TestPreviewNewCard(t *testing.T) {
	got := fsrs.DefaultParams().Preview(fsrs.Card{}, day0, time.UTC)
	want := map[fsrs.Rating]int{fsrs.Again: 1, fsrs.Hard: 1, fsrs.Good: 2, fsrs.Easy: 8}
	for _, g := range ratings {
		if got[g] != want[g] {
			t.Errorf("Preview(new)[%v] = %d; want %d", g, got[g], want[g])
		}
	}
}

// (6) Days are local calendar days: a review at 23:30 the evening before a
// DST change is due at the start of the local day N days later.
func TestDST(t *testing.T) {
	tests := []struct {
		name string
		zone string
		y    int
		m    time.Month
		d    int  // the evening before the change
		skip bool // the change skips midnight, so that day starts at 01:00
	}{
		{"spring forward", "America/New_York", 2025, time.March, 8, false},
		{"fall back", "America/New_York", 2025, time.November, 1, false},
		{"spring forward", "Europe/London", 2025, time.March, 29, false},
		{"fall back", "Europe/London", 2025, time.October, 25, false},
		{"half-hour shift", "Australia/Lord_Howe", 2025, time.April, 5, false},
		// Chile moves its clocks at midnight: 2025-09-07 starts at 01:00,
		// and time.Date's 00:00 for it falls on the evening before.
		{"midnight skipped", "America/Santiago", 2025, time.September, 6, true},
		{"midnight after fall back", "America/Santiago", 2025, time.April, 5, false},
		// Going back from 01:00 to 00:00 gives the date two midnights; the
		// day starts at the first. For Amman time.Date picks the second.
		{"midnight repeated", "America/Havana", 2025, time.November, 1, false},
		{"midnight repeated", "Asia/Amman", 2021, time.October, 28, false},
	}
	p := fsrs.DefaultParams()
	for _, tt := range tests {
		t.Run(tt.zone+"/"+tt.name, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			at := time.Date(tt.y, tt.m, tt.d, 23, 30, 0, 0, loc)
			for _, g := range ratings {
				c, log := p.Review(fsrs.Card{}, g, at, loc)
				checkStartOfDay(t, c.Due, loc, tt.y, tt.m, tt.d+log.Interval)
				wantHour := 0
				if tt.skip && log.Interval == 1 {
					wantHour = 1
				}
				if h, m, s := c.Due.In(loc).Clock(); h != wantHour || m != 0 || s != 0 {
					t.Errorf("%v: due %v; want %02d:00 local", g, c.Due.In(loc), wantHour)
				}
			}
			// Good on a new card: 2 days, so due at midnight the day after
			// the change.
			c, _ := p.Review(fsrs.Card{}, fsrs.Good, at, loc)
			if want := time.Date(tt.y, tt.m, tt.d+2, 0, 0, 0, 0, loc); !c.Due.Equal(want) {
				t.Errorf("Good: due %v; want %v", c.Due.In(loc), want)
			}
			// Reviewed early on the due date: two local days have passed
			// even though less than 48 hours have.
			next := c.Due.Add(10 * time.Minute)
			_, log := p.Review(c, fsrs.Good, next, loc)
			if log.ElapsedDays != 2 {
				t.Errorf("review at %v after %v: ElapsedDays = %d; want 2", next.In(loc), at, log.ElapsedDays)
			}
		})
	}
}

func TestNilLocationIsUTC(t *testing.T) {
	p := fsrs.DefaultParams()
	at := time.Date(2025, time.May, 5, 23, 0, 0, 0, mustLoad(t, "Asia/Tokyo"))
	c1, _ := p.Review(fsrs.Card{}, fsrs.Easy, at, nil)
	c2, _ := p.Review(fsrs.Card{}, fsrs.Easy, at, time.UTC)
	if !c1.Due.Equal(c2.Due) {
		t.Errorf("nil loc: due %v; UTC: due %v", c1.Due, c2.Due)
	}
}

// An inconsistent stored card (Review with no stability) is scheduled as new
// rather than producing NaN.
func TestBrokenCardIsNew(t *testing.T) {
	p := fsrs.DefaultParams()
	for _, c := range []fsrs.Card{
		{State: fsrs.Review},
		{State: fsrs.Review, Stability: math.NaN(), Difficulty: 5},
		{State: fsrs.Review, Stability: 3, Difficulty: math.Inf(1)},
	} {
		got, _ := p.Review(c, fsrs.Good, day0, time.UTC)
		if got.Stability != w[2] {
			t.Errorf("Review(%+v, Good): S = %v; want initial %v", c, got.Stability, w[2])
		}
	}
}

// (7) Random ratings at random times never give NaN or Inf, D stays in
// [1, 10], S > 0, and intervals stay in [1, MaxInterval].
func FuzzReview(f *testing.F) {
	f.Add([]byte{3, 3, 3, 1, 3}, []byte{0, 2, 11, 1, 4}, uint16(0), uint8(0), uint16(540))
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1}, []byte{1, 1, 1, 1, 255, 255, 255, 255}, uint16(99), uint8(1), uint16(1439))
	f.Add([]byte{4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, []byte{250, 251, 252, 253, 254, 255, 255, 255, 255, 255}, uint16(0), uint8(2), uint16(0))
	f.Add([]byte{2, 0, 3, 2, 0}, []byte{0, 0, 0, 3, 0}, uint16(7), uint8(3), uint16(1410))
	zones := []*time.Location{
		time.UTC,
		mustLoad(f, "America/New_York"),
		mustLoad(f, "America/Santiago"),
		mustLoad(f, "America/Havana"),
		mustLoad(f, "Australia/Lord_Howe"),
	}
	f.Fuzz(func(t *testing.T, grades, gaps []byte, maxIvl uint16, zone uint8, minute uint16) {
		p := fsrs.DefaultParams()
		if maxIvl != 0 {
			p.MaxInterval = int(maxIvl)%36500 + 1
		}
		loc := zones[int(zone)%len(zones)]
		now := time.Date(2020, time.January, 1, 0, int(minute%1440), 0, 0, loc)
		var c fsrs.Card
		for i, b := range grades {
			if i == 200 {
				break
			}
			g := ratings[int(b)%4]
			if i < len(gaps) {
				// Mostly small gaps, sometimes years, sometimes far overdue.
				gap := int(gaps[i])
				if gap > 200 {
					gap = (gap - 200) * 400
				}
				now = now.AddDate(0, 0, gap).Add(time.Duration(gaps[i]%60) * time.Minute)
			}
			pv := p.Preview(c, now, loc)
			var log fsrs.ReviewLog
			c, log = p.Review(c, g, now, loc)

			if math.IsNaN(c.Stability) || math.IsInf(c.Stability, 0) || !(c.Stability > 0) {
				t.Fatalf("review %d (%v at %v): Stability = %v", i, g, now, c.Stability)
			}
			if !(c.Difficulty >= 1 && c.Difficulty <= 10) {
				t.Fatalf("review %d (%v): Difficulty = %v; want [1, 10]", i, g, c.Difficulty)
			}
			if log.Interval < 1 || log.Interval > p.MaxInterval {
				t.Fatalf("review %d (%v): Interval = %d; want [1, %d]", i, g, log.Interval, p.MaxInterval)
			}
			if log.Interval != pv[g] {
				t.Fatalf("review %d (%v): Interval = %d; Preview said %d", i, g, log.Interval, pv[g])
			}
			if g == fsrs.Again && log.Interval != 1 {
				t.Fatalf("review %d: Again interval = %d; want 1", i, log.Interval)
			}
			if !(pv[fsrs.Hard] <= pv[fsrs.Good] && pv[fsrs.Good] <= pv[fsrs.Easy]) {
				t.Fatalf("review %d: Preview = %v; want Hard ≤ Good ≤ Easy", i, pv)
			}
			if log.ElapsedDays < 0 {
				t.Fatalf("review %d: ElapsedDays = %d", i, log.ElapsedDays)
			}
			y, m, d := now.In(loc).Date()
			checkStartOfDay(t, c.Due, loc, y, m, d+log.Interval)
			if r := p.Retrievability(c, now.In(loc)); r != 1 {
				t.Fatalf("review %d: Retrievability just after review = %v; want 1", i, r)
			}
			if r := p.Retrievability(c, c.Due.In(loc)); math.IsNaN(r) || r <= 0 || r > 1 {
				t.Fatalf("review %d: Retrievability at due = %v", i, r)
			}
		}
	})
}

func FuzzParseRating(f *testing.F) {
	for _, s := range []string{"again", "hard", "good", "easy", " Good ", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := fsrs.ParseRating(s)
		if err != nil {
			if r != 0 {
				t.Errorf("ParseRating(%q) = %v, %v; want 0 with the error", s, r, err)
			}
			return
		}
		if r < fsrs.Again || r > fsrs.Easy {
			t.Errorf("ParseRating(%q) = %v; want a valid rating", s, r)
		}
		if again, err := fsrs.ParseRating(r.String()); again != r || err != nil {
			t.Errorf("ParseRating(%q) = %v, %v; want %v", r.String(), again, err, r)
		}
	})
}
