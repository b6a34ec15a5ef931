// Package fsrs schedules spaced-repetition reviews with FSRS-6, version 6 of
// the Free Spaced Repetition Scheduler published by the open-spaced-repetition
// project (github.com/open-spaced-repetition: the fsrs-rs crate that Anki
// runs, py-fsrs 6 and ts-fsrs 5, and the "The Algorithm" page of the
// fsrs4anki wiki). It uses only the standard library.
//
// # The memory model
//
// A card's memory has two numbers. Stability S is the number of days after
// which the chance of recalling the card has fallen to 90%. Difficulty D, from
// 1 to 10, says how hard it is to raise S. From these and the days t since the
// last review, FSRS-6 predicts the chance of recall, the retrievability R.
// Twenty-one weights w0..w20 shape the formulas; DefaultParams holds the
// published defaults.
//
// Forgetting is a power curve whose steepness is the weight w20:
//
//	R(t, S) = (1 + F·t/S)^C,  C = -w20,  F = 0.9^(1/C) - 1
//
// F is chosen so that R(S, S) = 0.9 whatever w20 is. Solving the curve for t
// gives the interval after which R has fallen to the desired retention r:
//
//	I(r, S) = S/F · (r^(1/C) - 1)
//
// which is S itself when r = 0.9.
//
// The first rating G of a card (Again=1, Hard=2, Good=3, Easy=4) sets its
// state: S0(G) = w[G-1], and D0(G) = w4 - e^(w5·(G-1)) + 1, kept within
// [1, 10].
//
// Every later rating moves the difficulty by ΔD = -w6·(G-3), damped so that
// it approaches 10 ever more slowly, D' = D + ΔD·(10-D)/9, and then pulls it
// a little (weight w7) towards D0(Easy) computed without the [1, 10] limit:
// the new difficulty is w7·D0(4) + (1-w7)·D', kept within [1, 10].
//
// A successful review (Hard, Good or Easy) multiplies the stability:
//
//	S' = S · (1 + e^w8 · (11-D) · S^(-w9) · (e^(w10·(1-R)) - 1) · h · b)
//
// where h = w15 for Hard (else 1) and b = w16 for Easy (else 1): harder
// cards, more stable memories and reviews at higher R gain less.
//
// A lapse (Again) starts the stability over:
//
//	S' = min(w11 · D^(-w12) · ((S+1)^w13 - 1) · e^(w14·(1-R)),  S / e^(w17·w18))
//
// so a lapse never leaves the card more stable than it was.
//
// A review on the same day as the previous one (t = 0) uses the short-term
// formula instead, for every rating:
//
//	S' = S · e^(w17·(G-3+w18)) · S^(-w19)
//
// where the factor is at least 1 for Hard, Good and Easy: on the day of a
// review only Again can lower the stability. prepbot never schedules
// same-day steps, so this only happens when a card is answered twice in one
// day. The difficulty is updated as usual.
//
// The floor for Hard is the current rule of the reference implementations:
// fsrs-rs since its issue 376 (the Anki scheduler), ts-fsrs since 5.3.0
// (its pull request 266, "non-decreasing SInc(Hard) in same-day reviews")
// and py-fsrs since 6.3.2. The fsrs4anki wiki, earlier ts-fsrs and py-fsrs
// up to 6.3.1 floor only Good and Easy, under which a well-learned card
// (S = 328.9 days) rated Hard a second time on the same day would fall to
// S = 137 days. The reference test (reference_test.go) checks this package
// step by step against ts-fsrs 5.4.2.
//
// Stabilities are kept within [0.001, 36500] days, as in fsrs-rs and
// ts-fsrs (py-fsrs has the floor only).
//
// # Scheduling
//
// Days are whole local calendar days in the learner's time zone. A review is
// due at the start of the local day that is the interval after the review
// day. Intervals are I(r, S) rounded to the nearest whole day (ties to even,
// as Python's round does in py-fsrs), and kept between 1 day and
// Params.MaxInterval. There are no learning or relearning steps: a new card
// goes to review with its initial stability, and a card rated Again,
// new or not, is due the next day. No fuzz is added.
//
// The Hard, Good and Easy intervals offered for one review are kept in order
// the way Anki keeps them: Easy is at least one day longer than Good; for a
// card that has been reviewed before, Good is at least one day longer than
// Hard; for a new card, Good is at least Hard. Every interval stays at or
// below MaxInterval, so at that limit they can be equal. With the default
// weights these rules never change the intervals of a new card.
//
// # Where prepbot deliberately differs from ts-fsrs and py-fsrs
//
// The memory model (S, D and R after every review) is the reference's. The
// scheduling around it differs in three ways, each on purpose:
//
//   - No learning or relearning steps: Again is due the next day, and a new
//     card goes straight to review. prepbot practises interview questions
//     in a Slack DM and reminds at most once a day in whole local days (the
//     product's rule, in README.md: whole days, no same-day steps, Again
//     due tomorrow), so a step of minutes would only re-ask the
//     question the learner has just seen answered. ts-fsrs and py-fsrs
//     default to 1- and 10-minute steps.
//   - The FSRS-6 short-term formula above for every review on the same
//     local day as the previous one (t = 0), whatever the card's state, as
//     fsrs-rs and ts-fsrs's next_state do. py-fsrs applies it only inside
//     its learning steps, which prepbot has none of; without it a second
//     review on one day would run the long-term formulas at R = 1, which
//     leave S unchanged for Hard, Good and Easy alike.
//   - Hard ≤ Good < Easy, with Hard < Good once reviewed, raising Good
//     rather than lowering Hard, and nothing past MaxInterval. This is
//     Anki's rule (rslib scheduler/states), the scheduler most FSRS users
//     know, so the buttons read as they do there; ts-fsrs's review
//     scheduler first lowers Hard to at most Good, and may step past its
//     maximum interval. On a second review the same day Hard and Good
//     often both keep S, so Good is then offered one day more than Hard.
//     Intervals round ties to even (py-fsrs) where ts-fsrs rounds them up;
//     with real stabilities a tie does not occur.
package fsrs

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Rating is how well the learner recalled a card. The zero Rating is not
// valid.
type Rating int

// The four ratings, numbered as in every FSRS implementation.
const (
	Again Rating = 1 // forgot the answer
	Hard  Rating = 2 // recalled it with serious difficulty
	Good  Rating = 3 // recalled it after some hesitation
	Easy  Rating = 4 // recalled it at once
)

var ratings = [4]Rating{Again, Hard, Good, Easy}

var ratingNames = [...]string{Again: "again", Hard: "hard", Good: "good", Easy: "easy"}

// ParseRating reads "again", "hard", "good" or "easy", ignoring case and
// surrounding spaces.
func ParseRating(s string) (Rating, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for _, r := range ratings {
		if ratingNames[r] == name {
			return r, nil
		}
	}
	return 0, fmt.Errorf("parse rating %q: want again, hard, good or easy", s)
}

// String returns the rating's lowercase name, which ParseRating reads back.
func (r Rating) String() string {
	if !r.valid() {
		return fmt.Sprintf("Rating(%d)", int(r))
	}
	return ratingNames[r]
}

func (r Rating) valid() bool { return r >= Again && r <= Easy }

// State says whether a card has been reviewed yet. The zero State is New.
type State int

// The card states. prepbot has no learning steps, so a card goes from New to
// Review at its first rating and stays there.
const (
	New    State = iota // never reviewed
	Review              // reviewed at least once; Stability and Difficulty are set
)

// String returns "new" or "review".
func (s State) String() string {
	switch s {
	case New:
		return "new"
	case Review:
		return "review"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Card is the scheduling state of one card for one learner. The zero Card is
// a new card.
type Card struct {
	// Stability is the number of days after the last review at which the
	// chance of recall falls to 90%. Zero for a new card.
	Stability float64
	// Difficulty is from 1 (easy) to 10 (hard). Zero for a new card.
	Difficulty float64
	// Due is the start of the local day on which the card is next due.
	// Zero for a new card, which is due at once.
	Due time.Time
	// LastReview is when the card was last rated. Zero for a new card.
	LastReview time.Time
	// Reps counts the reviews so far.
	Reps int
	// Lapses counts the times a reviewed card was rated Again.
	Lapses int
	// State is New until the first review. A Review card whose Stability or
	// Difficulty is not a positive number is scheduled as new.
	State State
}

// Params are the weights and scheduling settings. A zero field takes its
// default (see DefaultParams): W of all zeros means the FSRS-6 default
// weights, a zero DesiredRetention means 0.9 and a zero MaxInterval means
// 36500 days. So the zero Params schedules exactly like DefaultParams().
type Params struct {
	// W holds the FSRS-6 weights w0..w20.
	W [21]float64
	// DesiredRetention is the chance of recall to schedule for, in (0, 1).
	DesiredRetention float64
	// MaxInterval is the longest interval, in days.
	MaxInterval int
}

// defaultWeights are the FSRS-6 default weights, as published in py-fsrs 6
// (fsrs/scheduler.py DEFAULT_PARAMETERS), ts-fsrs 5 (src/fsrs/constant.ts
// default_w) and fsrs-rs.
var defaultWeights = [21]float64{
	0.212, 1.2931, 2.3065, 8.2956, // w0..w3: initial stability for Again, Hard, Good, Easy
	6.4133, 0.8334, // w4, w5: initial difficulty
	3.0194, 0.001, // w6: difficulty step; w7: mean reversion
	1.8722, 0.1666, 0.796, // w8..w10: stability after success
	1.4835, 0.0614, 0.2629, 1.6483, // w11..w14: stability after a lapse
	0.6014, 1.8729, // w15: hard penalty; w16: easy bonus
	0.5425, 0.0912, 0.0658, // w17..w19: same-day reviews
	0.1542, // w20: decay of the forgetting curve
}

const (
	defaultRetention   = 0.9
	defaultMaxInterval = 36500
)

// DefaultParams returns the FSRS-6 default weights with prepbot's settings:
// 90% desired retention and a maximum interval of 36500 days.
func DefaultParams() Params {
	return Params{W: defaultWeights, DesiredRetention: defaultRetention, MaxInterval: defaultMaxInterval}
}

// withDefaults fills zero fields with their defaults.
func (p Params) withDefaults() Params {
	if p.W == ([21]float64{}) {
		p.W = defaultWeights
	}
	if p.DesiredRetention == 0 {
		p.DesiredRetention = defaultRetention
	}
	if p.MaxInterval == 0 {
		p.MaxInterval = defaultMaxInterval
	}
	return p
}

// weightBounds are the ranges py-fsrs 6 accepts for each weight
// (LOWER_BOUNDS_PARAMETERS and UPPER_BOUNDS_PARAMETERS in fsrs/scheduler.py).
var weightBounds = [21][2]float64{
	{stabilityMin, 100}, {stabilityMin, 100}, {stabilityMin, 100}, {stabilityMin, 100},
	{1, 10}, {0.001, 4}, {0.001, 4}, {0.001, 0.75},
	{0, 4.5}, {0, 0.8}, {0.001, 3.5},
	{0.001, 5}, {0.001, 0.25}, {0.001, 0.9}, {0, 4},
	{0, 1}, {1, 6},
	{0, 2}, {0, 2}, {0, 0.8},
	{0.1, 0.8},
}

// Validate reports whether p, after its zero fields take their defaults, is
// usable: every weight within the range py-fsrs accepts, DesiredRetention
// strictly between 0 and 1, and MaxInterval at least 1. Check Params read from
// configuration with it; Review and Preview assume valid Params.
func (p Params) Validate() error {
	p = p.withDefaults()
	var errs []error
	for i, w := range p.W {
		lo, hi := weightBounds[i][0], weightBounds[i][1]
		if !(w >= lo && w <= hi) { // also catches NaN
			errs = append(errs, fmt.Errorf("weight w%d = %v is outside [%v, %v]", i, w, lo, hi))
		}
	}
	if !(p.DesiredRetention > 0 && p.DesiredRetention < 1) {
		errs = append(errs, fmt.Errorf("desired retention %v is outside (0, 1)", p.DesiredRetention))
	}
	if p.MaxInterval < 1 {
		errs = append(errs, fmt.Errorf("maximum interval %d is less than 1 day", p.MaxInterval))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("invalid fsrs params: %w", err)
	}
	return nil
}

// ReviewLog records one review.
type ReviewLog struct {
	// Rating is the rating given.
	Rating Rating
	// At is when the review happened.
	At time.Time
	// ElapsedDays is the number of local days since the previous review,
	// 0 for a card's first review or a second review on the same day.
	ElapsedDays int
	// Interval is the number of days until the card is due again.
	Interval int
	// Stability and Difficulty are the card's memory state after the review.
	Stability, Difficulty float64
}

// memoryOK reports whether c holds a usable memory state. A card marked
// Review whose stability or difficulty is missing or not a number is
// scheduled as new rather than spreading NaN.
func (c Card) memoryOK() bool {
	return c.State == Review &&
		c.Stability > 0 && !math.IsInf(c.Stability, 0) &&
		c.Difficulty > 0 && !math.IsInf(c.Difficulty, 0)
}
