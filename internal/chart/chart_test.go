package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// sampleWeekly is half a year of weeks with three series.
func sampleWeekly() (string, []string, []Series) {
	start := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	var labels []string
	answers := Series{Name: "answers"}
	strong := Series{Name: "strong answers"}
	people := Series{Name: "active students"}
	for i := range 26 {
		labels = append(labels, start.AddDate(0, 0, 7*i).Format("2 Jan"))
		answers.Values = append(answers.Values, float64(20+(i*37)%45))
		strong.Values = append(strong.Values, float64(5+(i*23)%25))
		people.Values = append(people.Values, float64(3+(i*7)%9))
	}
	return "Answers per week", labels, []Series{answers, strong, people}
}

// sampleStrength is a dozen topics, one with a very long slug.
func sampleStrength() (string, []string, []float64) {
	labels := []string{"arrays", "hash-maps", "two-pointers", "sliding-window", "binary-search",
		"graphs-bfs-dfs", "dynamic-programming", "system-design-caching-and-consistency-in-distributed-systems",
		"behavioural", "sql", "concurrency", "trees"}
	shares := make([]float64, len(labels))
	for i := range shares {
		shares[i] = float64((i*29)%101) / 100
	}
	shares[0] = 1
	return fmt.Sprintf("Strong answers by topic (%d topics)", len(labels)), labels, shares
}

func decode(t testing.TB, b []byte) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		rgba = image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	}
	return rgba
}

func testFaces(t testing.TB) *faces {
	t.Helper()
	f, err := newFaces()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustWeekly(t testing.TB, title string, labels []string, series []Series) *image.RGBA {
	t.Helper()
	b, err := Weekly(title, labels, series)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, b)
}

func mustStrength(t testing.TB, title string, labels []string, shares []float64) *image.RGBA {
	t.Helper()
	b, err := Strength(title, labels, shares)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, b)
}

// count is how many pixels of img within r have exactly colour c.
func count(img *image.RGBA, r image.Rectangle, c color.RGBA) int {
	n := 0
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) == c {
				n++
			}
		}
	}
	return n
}

// isInk reports whether c is text: dark and grey (bars are coloured).
func isInk(c color.RGBA) bool {
	hi := max(c.R, c.G, c.B)
	lo := min(c.R, c.G, c.B)
	return hi < 160 && hi-lo < 40
}

// ink is how many pixels of img within r are text.
func ink(img *image.RGBA, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if isInk(img.RGBAAt(x, y)) {
				n++
			}
		}
	}
	return n
}

func labels(n int, format string) []string {
	ls := make([]string, n)
	for i := range ls {
		ls[i] = fmt.Sprintf(format, i)
	}
	return ls
}

func TestWeeklySize(t *testing.T) {
	_, _, ss := sampleWeekly()
	for _, n := range []int{0, 26, 1000} {
		img := mustWeekly(t, "t", labels(n, "w%d"), ss)
		if got := img.Bounds().Size(); got != image.Pt(width, weeklyHeight) {
			t.Errorf("%d labels: size %v, want %dx%d", n, got, width, weeklyHeight)
		}
	}
}

func TestStrengthHeightGrows(t *testing.T) {
	f := testFaces(t)
	shares := make([]float64, 1000)
	for i := range shares {
		shares[i] = 0.5
	}
	ls := labels(1000, "topic-%d")
	height := func(n int) int { return layoutStrength(f, "t", ls[:n], shares).h }
	one := height(1)
	for n := 1; n <= maxBars+3; n++ {
		want := one + (min(n, maxBars)-1)*rowHeight
		if h := height(n); h != want {
			t.Fatalf("%d bars: height %d, want %d (%d for one bar, %d more per bar up to %d)", n, h, want, one, rowHeight, maxBars)
		}
	}
	// And the PNGs have those sizes.
	for _, n := range []int{1, 12, 1000} {
		if got, want := mustStrength(t, "t", ls[:n], shares).Bounds().Size(), image.Pt(width, height(n)); got != want {
			t.Errorf("%d bars: size %v, want %v", n, got, want)
		}
	}
}

// TestWeeklySeriesColours checks that each series' colour appears exactly
// where its bars are and nowhere else, and not at all for an all-zero
// series: Palette's promise to tests elsewhere.
func TestWeeklySeriesColours(t *testing.T) {
	ls := labels(8, "w%d")
	ss := []Series{
		{Name: "answers", Values: []float64{1, 4, 9, 16, 25, 36, 49, 64}},
		{Name: "never", Values: []float64{0, 0, 0, 0, 0, 0, 0, 0}},
		{Name: "some", Values: []float64{0, 3, math.NaN(), -2, 5, math.Inf(1), 0, 1}},
	}
	img := mustWeekly(t, "t", ls, ss)
	l := layoutWeekly(testFaces(t), "t", ls, ss)
	area := make([]int, len(Palette))
	bars := make([]int, len(Palette))
	for _, r := range l.rects {
		if r.kind == rectBar {
			area[r.series] += r.r.Dx() * r.r.Dy()
			bars[r.series]++
		}
	}
	for s, c := range Palette {
		if got := count(img, img.Rect, c); got != area[s] {
			t.Errorf("series %d: %d pixels of %v, want %d (the area of its bars)", s, got, c, area[s])
		}
	}
	if area[0] == 0 || area[2] == 0 || area[1] != 0 || area[3] != 0 {
		t.Errorf("bar areas per series %v; want some for series 0 and 2 only", area)
	}
	if bars[0] != 8 || bars[2] != 3 { // NaN, negative and +Inf draw as 0
		t.Errorf("bars per series %v, want 8 for series 0 and 3 for series 2", bars)
	}
}

// column is the height of the run of colour c in column x.
func column(img *image.RGBA, x int, c color.RGBA) int {
	return count(img, image.Rect(x, 0, x+1, img.Rect.Dy()), c)
}

// firstColumn is the leftmost x with colour c, or -1.
func firstColumn(img *image.RGBA, c color.RGBA) int {
	for x := range img.Rect.Dx() {
		if column(img, x, c) > 0 {
			return x
		}
	}
	return -1
}

func TestWeeklyBarHeights(t *testing.T) {
	f := testFaces(t)
	for _, n := range []int{1, 2, 26} {
		ls := labels(n, "w%d")
		a := make([]float64, n)
		b := make([]float64, n)
		a[n-1], b[n-1] = 10, 5
		img := layoutWeekly(f, "t", ls, []Series{{"a", a}, {"b", b}}).render()
		ha := column(img, firstColumn(img, Palette[0]), Palette[0])
		hb := column(img, firstColumn(img, Palette[1]), Palette[1])
		if ha < 100 || abs(ha-2*hb) > 2 {
			t.Errorf("%d groups: bars for 10 and 5 are %d and %d px high; want a tall one twice the other", n, ha, hb)
		}
	}
}

func abs(x int) int { return max(x, -x) }

// rowRuns returns the lengths of the bars of colour c in a horizontal chart,
// top to bottom, measured along each bar's middle row.
func rowRuns(img *image.RGBA, c color.RGBA) []int {
	var runs []int
	in := false
	for y := range img.Rect.Dy() {
		n := count(img, image.Rect(0, y, img.Rect.Dx(), y+1), c)
		switch {
		case n > 0 && !in:
			in = true
			runs = append(runs, count(img, image.Rect(0, y+barHeight/2, img.Rect.Dx(), y+barHeight/2+1), c))
		case n == 0:
			in = false
		}
	}
	return runs
}

func TestStrengthBarLengths(t *testing.T) {
	img := mustStrength(t, "t", []string{"full", "half", "over", "tiny", "none", "nan"},
		[]float64{1, 0.5, 1.7, 0.0001, -3, math.NaN()})
	runs := rowRuns(img, Palette[0])
	if len(runs) != 4 {
		t.Fatalf("bar lengths %v, want 4 bars", runs)
	}
	full, half, over, tiny := runs[0], runs[1], runs[2], runs[3]
	if full < 300 || abs(full-2*half) > 2 {
		t.Errorf("bars for 1.0 and 0.5 are %d and %d px long; want a long one twice the other", full, half)
	}
	if over != full {
		t.Errorf("bar for 1.7 is %d px, want %d as for 1.0", over, full)
	}
	if tiny != 1 {
		t.Errorf("bar for 0.0001 is %d px, want 1 so that it shows", tiny)
	}
	var values []string
	for _, x := range layoutStrength(testFaces(t), "t", []string{"a", "b", "c", "d", "e", "f"},
		[]float64{1, 0.5, 1.7, 0.0001, -3, math.NaN()}).texts {
		if x.kind == kindValue {
			values = append(values, x.s)
		}
	}
	if want := []string{"100%", "50%", "100%", "0%", "0%", "0%"}; !slices.Equal(values, want) {
		t.Errorf("values %q, want %q", values, want)
	}
}

// layoutCase is one input for the text checks.
type layoutCase struct {
	name string
	l    *layout
	png  func() ([]byte, error)
}

func layoutCases(t *testing.T) []layoutCase {
	f := testFaces(t)
	long := strings.Repeat("a very long label ", 20)
	wt, wl, ws := sampleWeekly()
	st, sl, sh := sampleStrength()
	var cases []layoutCase
	weekly := func(name, title string, labels []string, series []Series) {
		cases = append(cases, layoutCase{name, layoutWeekly(f, title, labels, series),
			func() ([]byte, error) { return Weekly(title, labels, series) }})
	}
	strength := func(name, title string, labels []string, shares []float64) {
		cases = append(cases, layoutCase{name, layoutStrength(f, title, labels, shares),
			func() ([]byte, error) { return Strength(title, labels, shares) }})
	}
	weekly("weekly", wt, wl, ws)
	weekly("weekly one week", "Answers", []string{"24 Nov"}, []Series{{"answers", []float64{3}}})
	weekly("weekly four series", wt, wl, append(ws, Series{"reviews", []float64{25: 80}}))
	weekly("weekly long", long, []string{long, long, long}, []Series{
		{long, []float64{1, 2, 3}}, {long, []float64{3, 2, 1}}, {long, []float64{1}}, {long, []float64{9}}, {long, []float64{9}}})
	weekly("weekly thousands", "k", labels(40, "week %d"), []Series{{"answers", []float64{39: 123456}}})
	weekly("weekly huge", "huge", []string{"a", "b"}, []Series{{"x", []float64{math.MaxFloat64, 1e300}}})
	weekly("weekly empty", "Nothing", nil, nil)
	strength("strength", st, sl, sh)
	strength("strength long", long, []string{long, "short", "\tcontrol\nchars\x00"}, []float64{0.3, 1, 0.999})
	strength("strength no labels", "", []string{"", ""}, []float64{0.5, 1})
	strength("strength empty", "Nothing", []string{"a", "b"}, []float64{0, math.NaN()})
	return cases
}

// TestPNGIsLayout checks that the PNGs show exactly their layouts, so that
// the other tests may look at a layout's rendering without encoding it.
func TestPNGIsLayout(t *testing.T) {
	for _, tc := range layoutCases(t) {
		if !strings.Contains(tc.name, "long") && !strings.Contains(tc.name, "empty") {
			continue // the PNG encoder is slow with -race; these cover both charts and the note
		}
		b, err := tc.png()
		if err != nil {
			t.Fatal(err)
		}
		img, want := decode(t, b), tc.l.render()
		if img.Rect != want.Rect {
			t.Errorf("%s: PNG is %v, layout %v", tc.name, img.Rect, want.Rect)
		} else if n := differing(img, want, img.Rect); n > 0 {
			t.Errorf("%s: %d pixels of the PNG differ from its layout", tc.name, n)
		}
	}
}

// TestText checks every string a layout places: that it is in the image,
// inked, clear of every other string and bar, and that the chart's pixels
// there are exactly the string drawn alone, so it is the right text.
func TestText(t *testing.T) {
	for _, tc := range layoutCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			img := tc.l.render()
			for i, x := range tc.l.texts {
				if !x.box.In(img.Rect) {
					t.Errorf("%q at %v is not inside the image %v", x.s, x.box, img.Rect)
				}
				if n := ink(img, x.box); n < 2*utf8.RuneCountInString(x.s) {
					t.Errorf("%q: only %d dark pixels in %v; was it drawn?", x.s, n, x.box)
				}
				alone := image.NewRGBA(x.box.Inset(-x.f.ascent))
				draw.Draw(alone, alone.Rect, image.White, image.Point{}, draw.Src)
				d := font.Drawer{Dst: alone, Src: image.NewUniform(x.c), Face: x.f, Dot: fixed.P(x.dot.X, x.dot.Y)}
				d.DrawString(x.s)
				if n := ink(alone, alone.Rect) - ink(alone, x.box); n > 0 {
					t.Errorf("%q inks %d pixels outside its box %v", x.s, n, x.box)
				}
				if diff := differing(img, alone, x.box); diff > 0 {
					t.Errorf("%q: %d pixels of its box %v differ from the string drawn alone", x.s, diff, x.box)
				}
				for _, y := range tc.l.texts[i+1:] {
					if x.box.Overlaps(y.box) {
						t.Errorf("%q at %v overlaps %q at %v", x.s, x.box, y.s, y.box)
					}
				}
				for _, r := range tc.l.rects {
					if x.box.Overlaps(r.r) {
						t.Errorf("%q at %v overlaps a rectangle at %v", x.s, x.box, r.r)
					}
				}
			}
		})
	}
}

func differing(a, b *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				n++
			}
		}
	}
	return n
}

func texts(l *layout, kind textKind) []text {
	var ts []text
	for _, x := range l.texts {
		if x.kind == kind {
			ts = append(ts, x)
		}
	}
	return ts
}

func TestWeeklyLabels(t *testing.T) {
	f := testFaces(t)
	_, ls, ss := sampleWeekly()
	l := layoutWeekly(f, "Answers per week", ls, ss)
	got := texts(l, kindLabel)
	// 26 labels do not fit side by side: every other one is shown, ending
	// with the newest week.
	if len(got) != 13 {
		t.Errorf("%d labels drawn, want 13", len(got))
	}
	for i, x := range got {
		if want := len(ls) - 1 - 2*i; x.idx != want || x.s != ls[want] {
			t.Errorf("label %d is %q (#%d), want %q (#%d)", i, x.s, x.idx, ls[want], want)
		}
	}
	if l := texts(l, kindTitle); len(l) != 1 || l[0].s != "Answers per week" {
		t.Errorf("title %v", l)
	}
	var legend []string
	for _, x := range texts(l, kindLegend) {
		legend = append(legend, x.s)
	}
	if want := []string{"answers", "strong answers", "active students"}; !slices.Equal(legend, want) {
		t.Errorf("legend %q, want %q", legend, want)
	}
	// Few weeks have room for every label.
	l = layoutWeekly(f, "t", ls[:5], ss)
	if got := texts(l, kindLabel); len(got) != 5 {
		t.Errorf("5 weeks: %d labels drawn, want all", len(got))
	}
}

func TestWeeklyTicks(t *testing.T) {
	f := testFaces(t)
	for peak, want := range map[float64]string{
		0.3:   "0 1",
		1:     "0 1",
		3:     "0 1 2 3",
		7:     "0 2 4 6 8",
		10:    "0 2 4 6 8 10",
		64:    "0 20 40 60 80",
		101:   "0 50 100 150",
		9999:  "0 2k 4k 6k 8k 10k",
		12345: "0 5k 10k 15k",
		3.2e6: "0 1M 2M 3M 4M",
	} {
		l := layoutWeekly(f, "t", []string{"a", "b"}, []Series{{"x", []float64{peak / 2, peak}}})
		var got []string
		for _, x := range texts(l, kindTick) {
			got = append(got, x.s)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("peak %v: ticks %q, want %q", peak, got, want)
		}
	}
}

func TestNoData(t *testing.T) {
	ls := labels(5, "w%d")
	nan := math.NaN()
	weekly := map[string][]Series{
		"no series": nil,
		"zeros and not numbers": {{"a", []float64{0, 0, 0, 0, 0}}, {"b", []float64{0}},
			{"c", []float64{nan, -1, math.Inf(1), math.Inf(-1)}}, {"d", nil}},
	}
	check := func(t *testing.T, img *image.RGBA) {
		t.Helper()
		for _, c := range Palette {
			if n := count(img, img.Rect, c); n > 0 {
				t.Errorf("%d pixels of bar colour %v", n, c)
			}
		}
		w, h := img.Rect.Dx(), img.Rect.Dy()
		top := rowsTop(testFaces(t))
		centre := image.Rect(w/2-80, (top+h)/2-40, w/2+80, (top+h)/2+40)
		if n := ink(img, centre); n < 50 {
			t.Errorf("only %d dark pixels in the centre %v; no \"No data yet\"?", n, centre)
		}
		if n := ink(img, image.Rect(0, 0, w, top)); n < 50 {
			t.Errorf("only %d dark pixels at the top; no title?", n)
		}
		if n := ink(img, img.Rect) - ink(img, centre) - ink(img, image.Rect(0, 0, w, top)); n > 0 {
			t.Errorf("%d dark pixels outside the title and the centre", n)
		}
	}
	for name, ss := range weekly {
		t.Run("weekly "+name, func(t *testing.T) {
			check(t, mustWeekly(t, "Answers per week", ls, ss))
		})
	}
	t.Run("weekly no labels", func(t *testing.T) {
		check(t, mustWeekly(t, "Answers per week", nil, []Series{{"a", []float64{1, 2}}}))
	})
	t.Run("strength no labels", func(t *testing.T) {
		check(t, mustStrength(t, "Strong answers", nil, []float64{1}))
	})
}

func TestMismatchedLengths(t *testing.T) {
	f := testFaces(t)
	bars := func(l *layout) (n int) {
		for _, r := range l.rects {
			if r.kind == rectBar {
				n++
			}
		}
		return n
	}
	ls := []string{"a", "b", "c"}
	if n := bars(layoutWeekly(f, "t", ls, []Series{{"short", []float64{5}}})); n != 1 {
		t.Errorf("weekly, 1 value for 3 labels: %d bars, want 1", n)
	}
	if n := bars(layoutWeekly(f, "t", ls, []Series{{"long", []float64{1, 2, 3, 4, 5}}})); n != 3 {
		t.Errorf("weekly, 5 values for 3 labels: %d bars, want 3", n)
	}
	if n := bars(layoutStrength(f, "t", ls, []float64{0.5})); n != 1 {
		t.Errorf("strength, 1 share for 3 labels: %d bars, want 1", n)
	}
	if n := bars(layoutStrength(f, "t", ls, []float64{0.1, 0.2, 0.3, 0.4})); n != 3 {
		t.Errorf("strength, 4 shares for 3 labels: %d bars, want 3", n)
	}
	// And the images really come out.
	mustWeekly(t, "t", ls, []Series{{"short", []float64{5}}, {"long", []float64{1, 2, 3, 4, 5}}})
	mustStrength(t, "t", ls, []float64{0.5})
}

func TestCaps(t *testing.T) {
	f := testFaces(t)
	ls := labels(1000, "w%d")
	vs := make([]float64, 1000)
	for i := range vs {
		vs[i] = float64(i + 1)
	}
	var ss []Series
	for range 6 {
		ss = append(ss, Series{Name: "s", Values: vs})
	}
	mustWeekly(t, "t", ls, ss)
	l := layoutWeekly(f, "t", ls, ss)
	bars := 0
	for _, r := range l.rects {
		if r.kind == rectBar {
			bars++
			if r.series >= maxSeries {
				t.Errorf("bar for series %d", r.series)
			}
		}
	}
	if bars != maxWeeks*maxSeries {
		t.Errorf("%d bars, want %d", bars, maxWeeks*maxSeries)
	}
	for _, x := range texts(l, kindLabel) {
		if x.idx < 1000-maxWeeks || x.s != ls[x.idx] {
			t.Errorf("label %q (#%d) drawn; want only the last %d", x.s, x.idx, maxWeeks)
		}
	}
	if x := texts(l, kindLabel); len(x) == 0 || x[0].s != "w999" {
		t.Errorf("newest label not drawn first: %v", x)
	}
	if peak := texts(l, kindTick); peak[len(peak)-1].s != "1000" {
		t.Errorf("top tick %q, want 1000: the scale should follow the shown weeks only", peak[len(peak)-1].s)
	}

	shares := make([]float64, 1000)
	for i := range shares {
		shares[i] = 1
	}
	img := mustStrength(t, "t", ls, shares)
	if h := img.Rect.Dy(); h != strengthHeight(f, maxBars) {
		t.Errorf("strength height %d, want %d for %d bars", h, strengthHeight(f, maxBars), maxBars)
	}
	if n := len(rowRuns(img, Palette[0])); n != maxBars {
		t.Errorf("%d bars, want %d", n, maxBars)
	}
	for _, x := range texts(layoutStrength(f, "t", ls, shares), kindLabel) {
		if x.idx >= maxBars || x.s != ls[x.idx] {
			t.Errorf("label %q (#%d) drawn; want only the first %d", x.s, x.idx, maxBars)
		}
	}
}

func TestFit(t *testing.T) {
	f := testFaces(t).body
	long := strings.Repeat("abcdefghij ", 1000)
	for _, w := range []int{5, 20, 100, 500} {
		got := f.fit(long, w)
		if f.width(got) > w {
			t.Errorf("fit to %d: %q is %d px wide", w, got, f.width(got))
		}
		if got != "" && !strings.HasSuffix(got, "…") {
			t.Errorf("fit to %d: %q has no ellipsis", w, got)
		}
	}
	if got := f.fit(long, 500); utf8.RuneCountInString(got) < 40 {
		t.Errorf("fit to 500 px kept only %q", got)
	}
	if got := f.fit("a\tb\nc\x00", 500); got != "a b c" {
		t.Errorf("fit of control characters: %q, want %q", got, "a b c")
	}
	if got := f.fit("short", 500); got != "short" {
		t.Errorf("fit(short) = %q", got)
	}
	if got := f.fit("anything", 1); got != "" {
		t.Errorf("fit to 1 px: %q, want empty", got)
	}
}

func TestDeterministic(t *testing.T) {
	wt, wl, ws := sampleWeekly()
	st, sl, sh := sampleStrength()
	want := make([][]byte, 2)
	var err error
	if want[0], err = Weekly(wt, wl, ws); err != nil {
		t.Fatal(err)
	}
	if want[1], err = Strength(st, sl, sh); err != nil {
		t.Fatal(err)
	}
	// Concurrently too: the fonts are shared, the faces must not be.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			w, err := Weekly(wt, wl, ws)
			if err != nil || !bytes.Equal(w, want[0]) {
				t.Errorf("Weekly gave different bytes (err %v)", err)
			}
			s, err := Strength(st, sl, sh)
			if err != nil || !bytes.Equal(s, want[1]) {
				t.Errorf("Strength gave different bytes (err %v)", err)
			}
		})
	}
	wg.Wait()
}

func BenchmarkWeekly(b *testing.B) {
	title, labels, series := sampleWeekly()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Weekly(title, labels, series); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStrength(b *testing.B) {
	title, labels, shares := sampleStrength()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Strength(title, labels, shares); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStrengthAtZeroIsData: topics the cohort gets nothing right in are
// the weakest, not missing: each keeps its row, with no bar and "0%".
func TestStrengthAtZeroIsData(t *testing.T) {
	f := testFaces(t)
	labels := []string{"databases", "caching", "security", "apis"}
	l := layoutStrength(f, "t", labels, []float64{0, math.NaN(), -1, math.Inf(-1)})
	if l.h != strengthHeight(f, len(labels)) {
		t.Errorf("height %d; want %d, a row per topic", l.h, strengthHeight(f, len(labels)))
	}
	var values []string
	for _, x := range l.texts {
		if x.kind == kindValue {
			values = append(values, x.s)
		}
	}
	if strings.Join(values, " ") != "0% 0% 0% 0%" {
		t.Errorf("values %q; want 0%% for each topic", values)
	}
	for _, r := range l.rects {
		if r.kind == rectBar {
			t.Errorf("a bar %v for a 0%% topic", r.r)
		}
	}
}
