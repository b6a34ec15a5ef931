// Package mock pairs a cohort's members for mock interviews, round after
// round: nobody meets the same person again until they have met everyone
// (then the pair that met longest ago comes first), an odd count makes one
// trio, and the roles alternate. Pair is a pure function of the members
// and the history, so a restart or a retry computes the same round: the
// caller stores the round before it announces it.
package mock

import (
	"cmp"
	"slices"
)

// Group is one interview group of a round: two people, or three when the
// count is odd. Interviewer asks first; the others are candidates (in a
// trio they take turns).
type Group struct {
	Interviewer string
	Candidates  []string
}

// Members lists everyone in the group, interviewer first.
func (g Group) Members() []string { return append([]string{g.Interviewer}, g.Candidates...) }

// Round is one past round's groups, numbered from 1.
type Round struct {
	N      int
	Groups []Group
}

// history is who met whom last, and who interviewed when.
type history struct {
	met         map[[2]string]int // pair (sorted) -> the last round they were in a group
	interviewed map[string]int    // person -> the last round they interviewed
}

func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

func newHistory(rounds []Round) history {
	h := history{met: map[[2]string]int{}, interviewed: map[string]int{}}
	for _, r := range rounds {
		for _, g := range r.Groups {
			ms := g.Members()
			for i := range ms {
				for j := i + 1; j < len(ms); j++ {
					h.met[pairKey(ms[i], ms[j])] = max(h.met[pairKey(ms[i], ms[j])], r.N)
				}
			}
			h.interviewed[g.Interviewer] = max(h.interviewed[g.Interviewer], r.N)
		}
	}
	return h
}

// cost of putting a and b together: 0 if they never met; otherwise the
// more recent their last meeting, the higher. Every unmet pair is cheaper
// than any met one, so a round repeats a pair only when it must.
func (h history) cost(a, b string) int {
	last, ok := h.met[pairKey(a, b)]
	if !ok {
		return 0
	}
	return 1_000_000 + last
}

// Pair makes the next round from members (the opted-in people who are not
// skipping it) and the rounds so far. The result is the same for the same
// input, whatever its order. Fewer than two members make no group.
//
// While the members stay the same, the rounds follow the circle method (a
// round-robin schedule): n-1 rounds in which every pair meets exactly once,
// then the same again, oldest pairs first. When people join, leave or skip,
// the circle's round may repeat a pair that need not be repeated; then the
// cheapest pairing found (unmet pairs first, then those that met longest
// ago) wins if it is cheaper.
func Pair(members []string, rounds []Round) []Group {
	ms := slices.Clone(members)
	slices.Sort(ms)
	ms = slices.Compact(ms)
	if len(ms) < 2 {
		return nil
	}
	h := newHistory(rounds)
	pairs, extra := circle(ms, len(rounds))
	if alt, altExtra := cheapest(ms, len(rounds), h); total(h, alt, altExtra) < total(h, pairs, extra) {
		pairs, extra = alt, altExtra
	}
	groups := make([]Group, 0, len(pairs))
	for _, p := range pairs {
		groups = append(groups, roles(h, p[:]))
	}
	if extra != "" {
		i := bestGroupFor(h, groups, extra)
		groups[i] = roles(h, append(groups[i].Members(), extra))
	}
	slices.SortFunc(groups, func(a, b Group) int { return cmp.Compare(a.Interviewer, b.Interviewer) })
	return groups
}

// circle is round k of the circle method over ms: the first member stays,
// the others rotate. With an odd count a stand-in joins, and whoever meets
// it is the extra, who joins a pair as the third.
func circle(ms []string, k int) (pairs [][2]string, extra string) {
	seats := slices.Clone(ms)
	if len(seats)%2 == 1 {
		seats = append(seats, "")
	}
	n := len(seats)
	rot := make([]string, n)
	rot[0] = seats[0]
	for i := 1; i < n; i++ {
		rot[i] = seats[1+(i-1+k)%(n-1)]
	}
	for i := range n / 2 {
		a, b := rot[i], rot[n-1-i]
		switch {
		case a == "":
			extra = b
		case b == "":
			extra = a
		default:
			pairs = append(pairs, [2]string{a, b})
		}
	}
	return pairs, extra
}

// extraTries bounds how many people cheapest tries as the trio's third:
// each try is a full greedy pairing, quadratic in the members, and a
// 2,000-person channel must still pair in well under a second.
const extraTries = 8

// cheapest pairs ms greedily and improves by swaps. With an odd count it
// tries people as the third of a trio, in turn from one that rotates
// round by round, and keeps the cheapest.
func cheapest(ms []string, k int, h history) (pairs [][2]string, extra string) {
	if len(ms)%2 == 0 {
		pairs = greedy(ms, h)
		improve(pairs, h)
		return pairs, ""
	}
	best := -1
	for off := range min(len(ms), extraTries) {
		i := (k + off) % len(ms)
		rest := slices.Delete(slices.Clone(ms), i, i+1)
		p := greedy(rest, h)
		improve(p, h)
		if c := total(h, p, ms[i]); best < 0 || c < best {
			best, pairs, extra = c, p, ms[i]
		}
	}
	return pairs, extra
}

// total is a round's cost: its pairs, and the extra's cheapest group.
func total(h history, pairs [][2]string, extra string) int {
	t := 0
	for _, p := range pairs {
		t += h.cost(p[0], p[1])
	}
	if extra != "" && len(pairs) > 0 {
		best := -1
		for _, p := range pairs {
			if c := h.cost(extra, p[0]) + h.cost(extra, p[1]); best < 0 || c < best {
				best = c
			}
		}
		t += best
	}
	return t
}

// bestGroupFor is the group the extra person adds the least cost to.
func bestGroupFor(h history, groups []Group, extra string) int {
	best, bestCost := 0, -1
	for i, g := range groups {
		c := 0
		for _, m := range g.Members() {
			c += h.cost(extra, m)
		}
		if bestCost < 0 || c < bestCost {
			best, bestCost = i, c
		}
	}
	return best
}

// greedy pairs ms (an even count) cheapest first.
func greedy(ms []string, h history) [][2]string {
	free := slices.Clone(ms)
	var pairs [][2]string
	for len(free) > 0 {
		a := free[0]
		best, bestCost := 1, h.cost(a, free[1])
		// Nothing beats an unmet partner: stop at the first one (in a big
		// channel that is almost always the first looked at).
		for j := 2; j < len(free) && bestCost > 0; j++ {
			if c := h.cost(a, free[j]); c < bestCost {
				best, bestCost = j, c
			}
		}
		pairs = append(pairs, [2]string{a, free[best]})
		free = slices.Delete(free, best, best+1)
		free = free[1:]
	}
	return pairs
}

// improve swaps partners between two pairs while that lowers the total.
// Each pair's cost is kept, so two unmet pairs (most of them, in a big
// channel) are skipped without a lookup.
func improve(pairs [][2]string, h history) {
	costs := make([]int, len(pairs))
	for i, p := range pairs {
		costs[i] = h.cost(p[0], p[1])
	}
	for changed := true; changed; {
		changed = false
		for i := range pairs {
			for j := i + 1; j < len(pairs); j++ {
				now := costs[i] + costs[j]
				if now == 0 {
					continue // two unmet pairs: no swap can be cheaper
				}
				a, b := pairs[i], pairs[j]
				if x, y := h.cost(a[0], b[0]), h.cost(a[1], b[1]); x+y < now {
					pairs[i], pairs[j] = [2]string{a[0], b[0]}, [2]string{a[1], b[1]}
					costs[i], costs[j] = x, y
					changed = true
				} else if x, y := h.cost(a[0], b[1]), h.cost(a[1], b[0]); x+y < now {
					pairs[i], pairs[j] = [2]string{a[0], b[1]}, [2]string{a[1], b[0]}
					costs[i], costs[j] = x, y
					changed = true
				}
			}
		}
	}
}

// roles makes the group's interviewer the member who interviewed least
// recently (never first), ties by ID: roles alternate round by round.
func roles(h history, ms []string) Group {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, func(a, b string) int {
		ia, oka := h.interviewed[a]
		ib, okb := h.interviewed[b]
		switch {
		case !oka && okb:
			return -1
		case oka && !okb:
			return 1
		}
		return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(a, b))
	})
	return Group{Interviewer: ms[0], Candidates: ms[1:]}
}
