package fsrs

// The differential test against the reference TypeScript scheduler. It is
// an internal test because it feeds the reference's own rounded state into
// one step of the model (Params.step), which no exported function takes.

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
	"time"
)

// referenceTable is testdata/reference.json, written by
// testdata/gen-reference.mjs from ts-fsrs 5.4.2 (see that script for the
// command that regenerates it and for what each field means).
type referenceTable struct {
	Reference string              `json:"reference"`
	W         [21]float64         `json:"w"`
	Sequences []referenceSequence `json:"sequences"`
}

type referenceSequence struct {
	Name        string          `json:"name"`
	Retention   float64         `json:"retention"`
	MaxInterval int             `json:"max_interval"`
	Steps       []referenceStep `json:"steps"`
}

type referenceStep struct {
	Rating   string  `json:"rating"`
	Gap      int     `json:"gap"`      // whole days since the previous review
	R        float64 `json:"r"`        // retrievability at the review, 0 for the first
	S        float64 `json:"s"`        // stability after the review
	D        float64 `json:"d"`        // difficulty after the review
	Interval int     `json:"interval"` // round(S) at the retention, within [1, max_interval]
}

// The reference's own rounding, which bounds how far one step from the same
// inputs may be from this package's unrounded float64: ts-fsrs rounds to 8
// decimals, at most 5e-9 each time.
const (
	// S is rounded once; 1e-11 covers float64 at 36500 days.
	tolS = 5e-9 + 1e-11
	// D is rounded twice, after the linear damping and after the mean
	// reversion (whose D0(Easy) is rounded too, at weight w7).
	tolD = 1e-8 + 1e-12
	// R is rounded once, and so is the curve's factor F, which moves R by
	// at most about w20/F·5e-9, under 1e-9.
	tolR = 6e-9
)

func loadReference(t *testing.T) referenceTable {
	t.Helper()
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatalf("read reference table: %v", err)
	}
	var table referenceTable
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatalf("parse reference table: %v", err)
	}
	return table
}

func (q referenceSequence) params() Params {
	p := DefaultParams()
	p.DesiredRetention = q.Retention
	p.MaxInterval = q.MaxInterval
	return p
}

// TestReferenceTable checks that the table still covers what issue 15 asks
// of it, so that a regenerated table cannot silently drop a case.
func TestReferenceTable(t *testing.T) {
	table := loadReference(t)
	if table.W != defaultWeights {
		t.Errorf("reference weights %v; want defaultWeights %v", table.W, defaultWeights)
	}
	if table.Reference != "ts-fsrs v5.4.2 using FSRS-6.0" {
		t.Errorf("reference %q; want ts-fsrs v5.4.2", table.Reference)
	}
	var steps, sameDay, sameDayHard, lapses, floor, ceiling, atMax int
	for _, q := range table.Sequences {
		for i, st := range q.Steps {
			steps++
			switch {
			case i > 0 && st.Gap == 0:
				sameDay++
				if st.Rating == "hard" {
					sameDayHard++
				}
			case i > 0 && st.Rating == "again":
				lapses++
			}
			if st.S == stabilityMin {
				floor++
			}
			if st.S == stabilityMax {
				ceiling++
			}
			if st.Interval == q.MaxInterval {
				atMax++
			}
		}
	}
	t.Logf("%d sequences, %d steps: %d on the same day (%d Hard), %d lapses, %d at the 0.001-day floor, %d at the 36500-day ceiling, %d at the maximum interval",
		len(table.Sequences), steps, sameDay, sameDayHard, lapses, floor, ceiling, atMax)
	for _, c := range []struct {
		what     string
		got, min int
	}{
		{"sequences", len(table.Sequences), 30},
		{"same-day reviews", sameDay, 1},
		{"same-day Hard reviews", sameDayHard, 1},
		{"lapses", lapses, 1},
		{"steps at the stability floor", floor, 1},
		{"steps at the stability ceiling", ceiling, 1},
		{"steps at the maximum interval", atMax, 1},
	} {
		if c.got < c.min {
			t.Errorf("reference table has %d %s; want at least %d", c.got, c.what, c.min)
		}
	}
}

// TestReferenceSteps runs every step of every sequence from the reference's
// state before it, with the reference's R, and wants the reference's S, D
// and R within its rounding (tolS, tolD, tolR). Starting each step from the reference's state
// keeps its rounding from compounding, so the tolerance can be that
// rounding itself.
func TestReferenceSteps(t *testing.T) {
	var worstS, worstD, worstR float64
	for _, q := range loadReference(t).Sequences {
		t.Run(q.Name, func(t *testing.T) {
			p := q.params()
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			var prev memory
			for i, st := range q.Steps {
				g, err := ParseRating(st.Rating)
				if err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				var got memory
				where := fmt.Sprintf("step %d (%v after %d days)", i+1, g, st.Gap)
				if i == 0 {
					got = p.initial(g)
				} else {
					r := p.retrievability(float64(st.Gap), prev.s)
					worstR = max(worstR, math.Abs(r-st.R))
					if !within(r, st.R, tolR) {
						t.Errorf("%s: R = %.10f; reference %.8f", where, r, st.R)
					}
					got = p.step(prev, st.Gap, st.R, g)
				}
				worstS, worstD = max(worstS, math.Abs(got.s-st.S)), max(worstD, math.Abs(got.d-st.D))
				if !within(got.s, st.S, tolS) || !within(got.d, st.D, tolD) {
					t.Errorf("%s from S=%.8f, D=%.8f: S, D = %.10f, %.10f; reference %.8f, %.8f",
						where, prev.s, prev.d, got.s, got.d, st.S, st.D)
				}
				if ivl := p.intervalDays(st.S); ivl != st.Interval {
					t.Errorf("%s: interval of S=%.8f is %d days; reference %d", where, st.S, ivl, st.Interval)
				}
				prev = memory{s: st.S, d: st.D}
			}
		})
	}
	t.Logf("largest absolute differences from the reference in one step: S %.3g (tolerance %.3g), D %.3g (%.3g), R %.3g (%.3g)",
		worstS, tolS, worstD, tolD, worstR, tolR)
}

// TestReferenceReviews runs each sequence through Review and Retrievability
// on calendar days, the package's own state carried from step to step, as
// prepbot uses it. Here the reference's 8-decimal rounding compounds: an R
// rounded by 5e-9 moves the next S by up to about 1e-4 of a day on a card
// of a thousand days, so this test allows a relative 1e-6; the step test
// above holds the reference's rounding.
func TestReferenceReviews(t *testing.T) {
	const relTolerance = 1e-6
	rel := func(got, want float64) float64 { return math.Abs(got-want) / math.Max(1, math.Abs(want)) }
	var worst float64
	for _, q := range loadReference(t).Sequences {
		t.Run(q.Name, func(t *testing.T) {
			p := q.params()
			var c Card
			now := time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)
			for i, st := range q.Steps {
				g, err := ParseRating(st.Rating)
				if err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				where := fmt.Sprintf("step %d (%v after %d days)", i+1, g, st.Gap)
				now = now.AddDate(0, 0, st.Gap)
				r := p.Retrievability(c, now)
				var log ReviewLog
				c, log = p.Review(c, g, now, time.UTC)
				if i > 0 && log.ElapsedDays != st.Gap {
					t.Fatalf("%s: ElapsedDays = %d", where, log.ElapsedDays)
				}
				for _, v := range []struct {
					name      string
					got, want float64
				}{{"R", r, st.R}, {"S", c.Stability, st.S}, {"D", c.Difficulty, st.D}} {
					e := rel(v.got, v.want)
					worst = max(worst, e)
					if e > relTolerance {
						t.Errorf("%s: %s = %.10f; reference %.8f", where, v.name, v.got, v.want)
					}
				}
			}
		})
	}
	t.Logf("largest relative difference from the reference over all reviews: %.3g", worst)
}

func within(got, want, tol float64) bool { return math.Abs(got-want) <= tol }
