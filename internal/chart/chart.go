// Package chart renders the small PNG bar charts of an instructor's
// insights message: answers per week (Weekly) and share of strong answers
// per topic (Strength).
//
// We draw the pixels ourselves with image/draw and one font we ship
// (golang.org/x/image's Go fonts) rather than use a plotting library such
// as gonum/plot: two bar charts do not justify its ten or so modules for
// PDF, SVG, LaTeX and more fonts, and drawing them here keeps the code
// small, the output byte-for-byte deterministic (so tests can compare it),
// and the build free of cgo and system fonts.
//
// Rendering never fails on odd input: values that are missing, negative
// or NaN are drawn as 0, surplus values are ignored, long labels are
// cut with "…", and a chart with nothing to show says "No data yet".
package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// Series is one set of bars in a grouped bar chart.
type Series struct {
	Name   string    // legend label, e.g. "answers"
	Values []float64 // one per label; negative or NaN are drawn as 0
}

// Limits on what one chart shows, so that an image stays readable however
// much history the caller passes in.
const (
	maxWeeks  = 26 // Weekly keeps the newest (last) labels
	maxSeries = 4  // Weekly keeps the first series
	maxBars   = 30 // Strength keeps the first bars
)

// palette is the Okabe–Ito colour-blind-safe palette minus its yellow and
// black (too faint and too close to the text on white).
var palette = [maxSeries]color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
}

// Palette holds the bar colours: series i of Weekly is filled with exactly
// Palette[i] and Strength's bars with Palette[0]. No other pixel of a chart
// has one of these colours (legend swatches are one imperceptible step
// off), so tests elsewhere can find a series' bars by counting pixels.
// It is a copy: changing it does not change the charts.
var Palette = append([]color.RGBA(nil), palette[:]...)

// Weekly is a vertical grouped bar chart: one group per label (e.g. week
// starts "24 Nov"), one bar per series, a legend, y-axis ticks with whole numbers.
//
// It shows at most the last 26 labels (the newest weeks) and the first 4
// series, and scales the y axis to those. +Inf is drawn as 0 too: it
// cannot be scaled.
func Weekly(title string, labels []string, series []Series) ([]byte, error) {
	f, err := newFaces()
	if err != nil {
		return nil, err
	}
	return encode(layoutWeekly(f, title, labels, series))
}

// Strength is a horizontal bar chart of shares in [0,1] (clamped), one bar per
// label (e.g. topic slugs), drawn as percentages with the value printed at the
// bar's end, labels on the left. Order is the caller's.
//
// It shows at most the first 30 labels; a missing or NaN share is 0.
func Strength(title string, labels []string, shares []float64) ([]byte, error) {
	f, err := newFaces()
	if err != nil {
		return nil, err
	}
	return encode(layoutStrength(f, title, labels, shares))
}

// encode draws l and returns it as PNG.
func encode(l *layout) ([]byte, error) {
	img := l.render()
	var buf bytes.Buffer
	// Charts are mostly flat colour and compress to tens of kilobytes; the
	// slower BestCompression would save little.
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// render draws the layout on a white image: rectangles first, in order,
// then text, which the layouts keep clear of rectangles.
func (l *layout) render() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, l.w, l.h))
	fill(img, img.Rect, white)
	for _, r := range l.rects {
		fill(img, r.r, r.c)
	}
	for _, t := range l.texts {
		t.draw(img)
	}
	return img
}
