package chart

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// Every chart is this wide: wide enough for 26 weeks of bars, narrow
// enough that Slack shows it without scaling it down much more than half.
const (
	width  = 900
	margin = 16 // around the whole chart
)

// layout is a chart worked out in pixels before anything is drawn, so that
// tests can ask where each bar and label went and check the image there.
type layout struct {
	w, h  int
	rects []rect // filled in order
	texts []text
}

// rect is a filled rectangle: a bar, gridline, axis or legend swatch.
type rect struct {
	r      image.Rectangle
	c      color.RGBA
	kind   rectKind
	series int // for bars and swatches
	group  int // for bars: which label
}

type rectKind int

const (
	rectGrid rectKind = iota
	rectAxis
	rectBar
	rectSwatch
)

func fill(img draw.Image, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// title places the chart's title at the top left and returns the y just
// below its line. The line is kept even for an empty title so that charts
// line up when shown one above the other.
func (l *layout) title(f *faces, s string) int {
	if s = f.title.fit(s, l.w-2*margin); s != "" {
		l.texts = append(l.texts, place(s, f.title, textColor, margin, margin+f.title.ascent, kindTitle, 0))
	}
	return margin + f.title.ascent + f.title.descent
}

// note centres "No data yet" between top and bottom.
func (l *layout) note(f *faces, top, bottom int) {
	const s = "No data yet"
	x := (l.w - f.note.width(s)) / 2
	y := (top+bottom)/2 + f.note.capHeight/2
	l.texts = append(l.texts, place(s, f.note, noteColor, x, y, kindNote, 0))
}

// swatch is a legend swatch's colour: visibly the series' colour but never
// equal to it, so that only bars have Palette colours (see Palette).
func swatch(c color.RGBA) color.RGBA {
	return color.RGBA{c.R ^ 1, c.G ^ 1, c.B ^ 1, c.A}
}

// finite returns vs[i], or 0 where that is missing, negative or not finite.
func finite(vs []float64, i int) float64 {
	if i < 0 || i >= len(vs) {
		return 0
	}
	if v := vs[i]; v > 0 && !math.IsInf(v, 1) {
		return v
	}
	return 0 // including NaN, which fails v > 0
}

// share returns vs[i] clamped to [0, 1], or 0 where that is missing or NaN.
func share(vs []float64, i int) float64 {
	if i < 0 || i >= len(vs) || math.IsNaN(vs[i]) {
		return 0
	}
	return min(max(vs[i], 0), 1)
}

// barLength scales v (0 ≤ v ≤ full) to at most n pixels. A value above
// zero gets at least one pixel, so no non-zero bar is invisible.
func barLength(v, full float64, n int) int {
	if v <= 0 || full <= 0 {
		return 0
	}
	return max(1, int(math.Round(v/full*float64(n))))
}

// rectAt is the w×h rectangle with its top left corner at (x, y).
func rectAt(x, y, w, h int) image.Rectangle { return image.Rect(x, y, x+w, y+h) }
