package mock

import (
	"fmt"
	"slices"
	"testing"
)

func people(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("U%02d", i)
	}
	return out
}

// run plays rounds rounds of n members and returns them.
func run(n, rounds int) []Round {
	var hist []Round
	for r := 1; r <= rounds; r++ {
		hist = append(hist, Round{N: r, Groups: Pair(people(n), hist)})
	}
	return hist
}

func TestEveryoneOnceInARound(t *testing.T) {
	for _, n := range []int{2, 3, 7, 30} {
		for _, r := range run(n, 4) {
			seen := map[string]int{}
			trios := 0
			for _, g := range r.Groups {
				if len(g.Members()) == 3 {
					trios++
				} else if len(g.Members()) != 2 {
					t.Errorf("n=%d round %d: a group of %d", n, r.N, len(g.Members()))
				}
				for _, m := range g.Members() {
					seen[m]++
				}
			}
			for _, m := range people(n) {
				if seen[m] != 1 {
					t.Errorf("n=%d round %d: %s is in %d groups", n, r.N, m, seen[m])
				}
			}
			if want := n % 2; trios != want {
				t.Errorf("n=%d round %d: %d trios; want %d", n, r.N, trios, want)
			}
		}
	}
}

// No pair meets twice until everyone has met everyone: with an even count
// that takes n-1 rounds, and those rounds hold every pair exactly once.
func TestNoRepeatUntilAllHaveMet(t *testing.T) {
	for _, n := range []int{4, 6, 8, 10, 12, 30} {
		met := map[[2]string]int{}
		for _, r := range run(n, n-1) {
			for _, g := range r.Groups {
				k := pairKey(g.Members()[0], g.Members()[1])
				if met[k] > 0 {
					t.Errorf("n=%d: %v met again in round %d (first in %d) before everyone had met", n, k, r.N, met[k])
				}
				met[k] = r.N
			}
		}
		if want := n * (n - 1) / 2; len(met) != want {
			t.Errorf("n=%d: %d distinct pairs in %d rounds; want all %d", n, len(met), n-1, want)
		}
	}
}

// After everyone has met, the pair that met longest ago comes first.
func TestThenTheOldestPairFirst(t *testing.T) {
	hist := run(4, 3) // all six pairs have met
	next := Pair(people(4), hist)
	for _, g := range next {
		k := pairKey(g.Members()[0], g.Members()[1])
		var last int
		for _, r := range hist {
			for _, h := range r.Groups {
				if pairKey(h.Members()[0], h.Members()[1]) == k {
					last = r.N
				}
			}
		}
		if last != 1 {
			t.Errorf("round 4 pairs %v, who last met in round %d; want the round-1 pairs again", k, last)
		}
	}
}

func TestDeterministicAndRolesAlternate(t *testing.T) {
	a := Pair([]string{"U03", "U01", "U02", "U00", "U01"}, nil)
	b := Pair(people(4), nil)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("Pair depends on input order or duplicates: %v vs %v", a, b)
	}
	hist := []Round{{N: 1, Groups: []Group{{Interviewer: "U00", Candidates: []string{"U01"}}}}}
	g := Pair([]string{"U00", "U01"}, hist)
	if len(g) != 1 || g[0].Interviewer != "U01" || !slices.Equal(g[0].Candidates, []string{"U00"}) {
		t.Errorf("the same pair again = %+v; want the roles swapped", g)
	}
	if g := Pair([]string{"U00"}, nil); g != nil {
		t.Errorf("one member = %v; want no group", g)
	}
}

// Skipping a round (not among members) keeps the others paired.
func TestSkipperLeftOut(t *testing.T) {
	ms := people(5)
	g := Pair(slices.Delete(slices.Clone(ms), 2, 3), nil)
	for _, gr := range g {
		if slices.Contains(gr.Members(), "U02") {
			t.Errorf("U02 skipped the round but is in %v", gr)
		}
	}
	if len(g) != 2 {
		t.Errorf("4 members make %d groups; want 2", len(g))
	}
}

// Someone leaving mid-way: the next rounds still avoid repeats while an
// unmet pairing exists.
func TestMemberLeavesMidway(t *testing.T) {
	hist := run(8, 3)
	ms := slices.Delete(people(8), 5, 6) // U05 leaves; 7 remain
	met := map[[2]string]bool{}
	for _, r := range hist {
		for _, g := range r.Groups {
			met[pairKey(g.Members()[0], g.Members()[1])] = true
		}
	}
	g := Pair(ms, hist)
	repeats := 0
	for _, gr := range g {
		m := gr.Members()
		for i := range m {
			for j := i + 1; j < len(m); j++ {
				if met[pairKey(m[i], m[j])] {
					repeats++
				}
			}
		}
	}
	if repeats != 0 {
		t.Errorf("after a member left, round 4 = %v repeats %d pair(s); an unmet pairing exists", g, repeats)
	}
}

// A 2,001-person channel (odd: one trio) pairs everyone once, with a
// history where some have left and some joined.
func TestPairsABigChannel(t *testing.T) {
	ms := people(2001)
	hist := []Round{{N: 1, Groups: Pair(ms[:1990], nil)}}
	hist = append(hist, Round{N: 2, Groups: Pair(ms[5:], hist)})
	groups := Pair(ms, hist)
	seen := map[string]int{}
	for _, g := range groups {
		for _, m := range g.Members() {
			seen[m]++
		}
	}
	if len(seen) != len(ms) || len(groups) != 1000 {
		t.Fatalf("%d people in %d groups; want all 2001 in 1000", len(seen), len(groups))
	}
	for m, n := range seen {
		if n != 1 {
			t.Fatalf("%s in %d groups", m, n)
		}
	}
	h := newHistory(hist)
	repeats := 0
	for _, g := range groups {
		if h.cost(g.Interviewer, g.Candidates[0]) > 0 {
			repeats++
		}
	}
	if repeats != 0 {
		t.Errorf("%d repeated pairs in round 3 of a 2,001-person channel; with so many unmet pairs there need be none", repeats)
	}
}

// go test -run X -bench Pair ./bot/mock/
func BenchmarkPair2001(b *testing.B) {
	ms := people(2001)
	var hist []Round
	for r := 1; r <= 3; r++ {
		hist = append(hist, Round{N: r, Groups: Pair(ms, hist)})
	}
	b.ReportAllocs()
	for b.Loop() {
		Pair(ms, hist)
	}
}
