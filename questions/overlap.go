package questions

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// OverlapThreshold is the score from which Overlaps calls two answers near
// duplicates.
//
// How it was chosen (issue 14): over the 232 questions of the first edition
// (26,796 pairs) the score's median was 0.03, its 99th percentile 0.15 and
// its 99.9th 0.28. Above a continuum that thins out at about 0.35 stood four
// pairs alone: the two closure answers (0.62), the two CORS answers (0.55),
// the critical rendering path and render-blocking answers (0.47) and the two
// pagination answers (0.43), each the same explanation told twice. 0.40
// sits in the widest gap of the tail, between 0.43 and 0.35: it catches a
// second telling of one answer, while two questions of one subject that
// each stand on their own (replication and eventual consistency, 0.35)
// pass. The cleaned bank stays below it; TestEmbeddedBankHasNoNearDuplicates
// keeps it there.
const OverlapThreshold = 0.40

// Overlap is a pair of questions whose reference answers cover much the
// same ground.
type Overlap struct {
	// A and B are the two questions, A's ID sorting first.
	A, B Question
	// Score is the cosine similarity of the answers' term weights: 0 when
	// they share no word, 1 when they use the same words equally.
	Score float64
}

// Overlaps returns the pairs of b's questions whose answers score at least
// threshold (see OverlapThreshold), highest score first.
//
// An answer is its text (code included: a shared example is overlap too)
// and its key points, reduced to lowercase words without stop words. Each
// word weighs (1 + ln count) × idf, with idf = ln((1+n)/(1+df)) + 1 over
// the n answers of b, df of which use the word: words every answer uses
// weigh little, a subject's own vocabulary a lot. The score is the cosine of
// two answers' weight vectors. It takes time proportional to the square of
// the bank's size: about 60,000 pairs of short vectors for 350 questions.
func (b *Bank) Overlaps(threshold float64) []Overlap {
	vecs := termVectors(b.qs)
	var out []Overlap
	for i := range vecs {
		for j := i + 1; j < len(vecs); j++ {
			if s := vecs[i].dot(vecs[j]); s >= threshold {
				out = append(out, Overlap{A: b.qs[i], B: b.qs[j], Score: s})
			}
		}
	}
	slices.SortStableFunc(out, func(x, y Overlap) int { return cmp.Compare(y.Score, x.Score) })
	return out
}

// Warnings returns what "questions lint" reports without rejecting the
// bank: each pair of near-duplicate answers (Overlaps at OverlapThreshold),
// located at the question that comes later in the files, sorted by file and
// line. A bank with warnings still loads and serves.
func (b *Bank) Warnings() Errors {
	var ws Errors
	for _, o := range b.Overlaps(OverlapThreshold) {
		first, second := o.A, o.B
		if byOrigin(first, second) > 0 {
			first, second = second, first
		}
		file, line := splitOrigin(second.Origin)
		if file == "" {
			file = second.ID
		}
		ws.add(file, line, "warning: answer overlaps %s (%s) by %.2f (near-duplicate from %.2f); merge them or make them distinct",
			first.ID, first.Origin, o.Score, OverlapThreshold)
	}
	ws.sort()
	return ws
}

// termVector is an answer's word weights, L2-normalised, sorted by term.
type termVector struct {
	terms   []int32
	weights []float64
}

// dot returns the dot product of two vectors: their cosine, as both have
// length 1.
func (v termVector) dot(w termVector) float64 {
	var s float64
	i, j := 0, 0
	for i < len(v.terms) && j < len(w.terms) {
		switch {
		case v.terms[i] < w.terms[j]:
			i++
		case v.terms[i] > w.terms[j]:
			j++
		default:
			s += v.weights[i] * w.weights[j]
			i++
			j++
		}
	}
	return s
}

// termVectors returns the weight vector of each question's answer.
func termVectors(qs []Question) []termVector {
	ids := make(map[string]int32)
	counts := make([]map[int32]int, len(qs))
	var df []int
	for i, q := range qs {
		c := make(map[int32]int)
		for _, w := range answerTerms(q) {
			id, ok := ids[w]
			if !ok {
				id = int32(len(ids))
				ids[w] = id
				df = append(df, 0)
			}
			if c[id] == 0 {
				df[id]++
			}
			c[id]++
		}
		counts[i] = c
	}
	n := float64(len(qs))
	vecs := make([]termVector, len(qs))
	for i, c := range counts {
		v := termVector{terms: make([]int32, 0, len(c))}
		for id := range c {
			v.terms = append(v.terms, id)
		}
		slices.Sort(v.terms)
		v.weights = make([]float64, len(v.terms))
		var norm float64
		for k, id := range v.terms {
			idf := math.Log((1+n)/(1+float64(df[id]))) + 1
			x := (1 + math.Log(float64(c[id]))) * idf
			v.weights[k] = x
			norm += x * x
		}
		norm = math.Sqrt(norm)
		for k := range v.weights {
			v.weights[k] /= norm
		}
		vecs[i] = v
	}
	return vecs
}

// answerTerms returns the words of q's answer and key points, lowercased,
// without stop words and one-character words.
func answerTerms(q Question) []string {
	text := strings.ToLower(q.Answer + "\n" + strings.Join(q.KeyPoints, "\n"))
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !isAlnum(r) }) {
		if len(w) > 1 && !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// stopWords are English words too common to say what an answer is about.
var stopWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`a an the and or but if then else of to in on at by for
		with from as is are was were be been being it its this that these those there
		their they them you your we our us me my he she his her not no do does did can
		could would should will shall may might must so such than too very just also
		only into onto over under out up down about after before while when where which
		who whom what why how all any each every both few more most other some own same
		one two`) {
		m[w] = true
	}
	return m
}()
