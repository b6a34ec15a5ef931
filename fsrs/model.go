package fsrs

import "math"

// Limits on the memory state, as in py-fsrs (STABILITY_MIN, MIN_DIFFICULTY,
// MAX_DIFFICULTY) and fsrs-rs / ts-fsrs (the 36500-day stability ceiling).
const (
	stabilityMin  = 0.001
	stabilityMax  = 36500.0
	difficultyMin = 1.0
	difficultyMax = 10.0
)

// memory is a card's memory state.
type memory struct {
	s, d float64
}

// curve returns the decay C and factor F of the forgetting curve. F makes
// R(S, S) = 0.9 for any decay.
func (p Params) curve() (decay, factor float64) {
	decay = -p.W[20]
	return decay, math.Pow(0.9, 1/decay) - 1
}

// retrievability is R(t, S) = (1 + F·t/S)^C for t days.
func (p Params) retrievability(t, s float64) float64 {
	decay, factor := p.curve()
	return math.Pow(1+factor*t/s, decay)
}

// intervalDays is I(r, S) = S/F · (r^(1/C) - 1), rounded to whole days with
// ties to even (Python's round, used by py-fsrs) and kept within
// [1, MaxInterval].
func (p Params) intervalDays(s float64) int {
	decay, factor := p.curve()
	days := math.RoundToEven(s / factor * (math.Pow(p.DesiredRetention, 1/decay) - 1))
	return int(max(1, min(days, float64(p.MaxInterval))))
}

// initial is the memory state after a new card's first rating.
func (p Params) initial(g Rating) memory {
	return memory{
		s: clampStability(p.W[g-1]),
		d: clampDifficulty(p.initialDifficulty(g)),
	}
}

// initialDifficulty is D0(G) = w4 - e^(w5·(G-1)) + 1, not clamped: the mean
// reversion target D0(Easy) is used unclamped by fsrs-rs, py-fsrs and ts-fsrs
// (with the default weights it is about -4.77).
func (p Params) initialDifficulty(g Rating) float64 {
	return p.W[4] - math.Exp(p.W[5]*float64(g-1)) + 1
}

// nextDifficulty applies the linearly damped step ΔD = -w6·(G-3) and then
// mean reversion towards D0(Easy).
func (p Params) nextDifficulty(d float64, g Rating) float64 {
	delta := -p.W[6] * float64(g-3)
	damped := d + delta*(10-d)/9
	reverted := p.W[7]*p.initialDifficulty(Easy) + (1-p.W[7])*damped
	return clampDifficulty(reverted)
}

// recallStability is the stability after a Hard, Good or Easy review at
// retrievability r.
func (p Params) recallStability(d, s, r float64, g Rating) float64 {
	hardPenalty, easyBonus := 1.0, 1.0
	switch g {
	case Hard:
		hardPenalty = p.W[15]
	case Easy:
		easyBonus = p.W[16]
	}
	growth := math.Exp(p.W[8]) * (11 - d) * math.Pow(s, -p.W[9]) *
		(math.Exp(p.W[10]*(1-r)) - 1) * hardPenalty * easyBonus
	return s * (1 + growth)
}

// forgetStability is the stability after a lapse at retrievability r. It is
// capped at S / e^(w17·w18), as in fsrs-rs, py-fsrs 6 and ts-fsrs 5 with
// its short-term scheduler on (its default), so a lapse never raises the
// stability. (ts-fsrs caps at S instead when its short-term
// scheduler is turned off; with the default weights the two caps differ by
// about 5%.)
func (p Params) forgetStability(d, s, r float64) float64 {
	longTerm := p.W[11] * math.Pow(d, -p.W[12]) * (math.Pow(s+1, p.W[13]) - 1) *
		math.Exp(p.W[14]*(1-r))
	return min(longTerm, s/math.Exp(p.W[17]*p.W[18]))
}

// shortTermStability is the stability after a review on the same day as the
// previous one: S · e^(w17·(G-3+w18)) · S^(-w19), where the factor is at
// least 1 for Hard, Good and Easy, so that only Again can lower the
// stability on the day of a review. That floor for Hard is the rule of
// fsrs-rs since its issue 376, of ts-fsrs since 5.3.0 and of py-fsrs since
// 6.3.2; earlier ts-fsrs and py-fsrs, and the fsrs4anki wiki, floor only
// Good and Easy, which let a second Hard on the same day cut a 329-day
// stability to 137 days.
func (p Params) shortTermStability(s float64, g Rating) float64 {
	factor := math.Exp(p.W[17]*(float64(g)-3+p.W[18])) * math.Pow(s, -p.W[19])
	if g >= Hard {
		factor = max(factor, 1)
	}
	return s * factor
}

// next is the memory state after rating g, elapsed whole days after the
// previous review of a card whose state is m.
func (p Params) next(m memory, elapsed int, g Rating) memory {
	return p.step(m, elapsed, p.retrievability(float64(elapsed), m.s), g)
}

// step is next with the retrievability r at the review given rather than
// computed, so that the reference test can feed in the reference's own
// rounded R and compare one step at a time.
func (p Params) step(m memory, elapsed int, r float64, g Rating) memory {
	var s float64
	switch {
	case elapsed == 0:
		s = p.shortTermStability(m.s, g)
	case g == Again:
		s = p.forgetStability(m.d, m.s, r)
	default:
		s = p.recallStability(m.d, m.s, r, g)
	}
	return memory{s: clampStability(s), d: p.nextDifficulty(m.d, g)}
}

func clampStability(s float64) float64 {
	if math.IsNaN(s) {
		return stabilityMin
	}
	return max(stabilityMin, min(s, stabilityMax))
}

func clampDifficulty(d float64) float64 {
	if math.IsNaN(d) {
		return difficultyMax
	}
	return max(difficultyMin, min(d, difficultyMax))
}
