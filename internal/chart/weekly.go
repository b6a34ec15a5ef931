package chart

import (
	"math"
	"strconv"
)

const weeklyHeight = 420

// Gaps in the weekly chart's layout, in pixels.
const (
	swatchSize = 12
	swatchGap  = 6  // swatch to its name
	legendGap  = 18 // name to the next swatch
	tickGap    = 8  // tick number to the plot
	labelGap   = 12 // least space between two x-axis labels
	maxBarW    = 56 // wider bars (few weeks) just look heavy
)

func layoutWeekly(f *faces, title string, labels []string, series []Series) *layout {
	l := &layout{w: width, h: weeklyHeight}
	top := l.title(f, title)

	// Keep the newest weeks; values line up with labels by index.
	off := max(0, len(labels)-maxWeeks)
	labels = labels[off:]
	series = series[:min(len(series), maxSeries)]
	n := len(labels)
	vals := make([][]float64, len(series))
	peak := 0.0
	for s := range series {
		vals[s] = make([]float64, n)
		for i := range n {
			vals[s][i] = finite(series[s].Values, off+i)
			peak = max(peak, vals[s][i])
		}
	}
	if peak == 0 {
		l.note(f, top, l.h-margin)
		return l
	}

	// Legend: a row of swatches and names under the title.
	body := f.body
	legendTop := top + 10
	baseline := legendTop + body.ascent
	x := margin
	nameW := (l.w-2*margin)/len(series) - swatchSize - swatchGap - legendGap
	for s, sr := range series {
		mid := baseline - body.capHeight/2
		l.rects = append(l.rects, rect{r: rectAt(x, mid-swatchSize/2, swatchSize, swatchSize),
			c: swatch(palette[s]), kind: rectSwatch, series: s})
		x += swatchSize + swatchGap
		if name := body.fit(sr.Name, nameW); name != "" {
			t := place(name, body, textColor, x, baseline, kindLegend, s)
			l.texts = append(l.texts, t)
			x = t.box.Max.X
		}
		x += legendGap
	}
	legendBottom := legendTop + body.ascent + body.descent

	// The y axis: whole-number ticks up to a round number at or above the
	// peak; their widest number sets where the plot starts.
	step, ticks := yTicks(peak)
	yMax := step * float64(ticks)
	tickText := make([]string, ticks+1)
	tickW := 0
	for k := range tickText {
		tickText[k] = body.fit(tickLabel(step*float64(k), yMax), 120)
		tickW = max(tickW, body.width(tickText[k]))
	}
	// A tick number is centred on its gridline, so it reaches above and
	// below it by these many pixels.
	above := body.ascent - body.capHeight/2
	below := body.capHeight/2 + body.descent

	labelBaseline := l.h - margin - body.descent
	plot := struct{ left, right, top, bottom int }{
		left:   margin + tickW + tickGap,
		right:  l.w - margin,
		top:    legendBottom + above + 6,
		bottom: labelBaseline - body.ascent - below - 4,
	}
	plotH := plot.bottom - plot.top

	for k := range tickText {
		y := plot.bottom - barLength(step*float64(k), yMax, plotH)
		if k > 0 {
			l.rects = append(l.rects, rect{r: rectAt(plot.left, y, plot.right-plot.left, 1), c: gridColor, kind: rectGrid})
		}
		w := body.width(tickText[k])
		l.texts = append(l.texts, place(tickText[k], body, tickColor, plot.left-tickGap-w, y+body.capHeight/2, kindTick, k))
	}

	// Bars: each group is centred in its slot, bars within it touch but
	// for a pixel or two of white so that neighbours stay distinct.
	groupW := float64(plot.right-plot.left) / float64(n)
	innerW := min(groupW*0.7, float64(maxBarW*len(series)))
	barW := innerW / float64(len(series))
	gap := 0
	switch {
	case barW >= 12:
		gap = 2
	case barW >= 4:
		gap = 1
	}
	for i := range n {
		x0 := float64(plot.left) + float64(i)*groupW + (groupW-innerW)/2
		for s := range series {
			h := barLength(vals[s][i], yMax, plotH)
			if h == 0 {
				continue
			}
			left := int(math.Round(x0 + float64(s)*barW))
			right := max(left+1, int(math.Round(x0+float64(s+1)*barW))-gap)
			l.rects = append(l.rects, rect{r: rectAt(left, plot.bottom-h, right-left, h),
				c: palette[s], kind: rectBar, series: s, group: i})
		}
	}
	l.rects = append(l.rects, rect{r: rectAt(plot.left, plot.bottom, plot.right-plot.left, 1), c: axisColor, kind: rectAxis})

	// X-axis labels, centred under their groups. When they are wider than
	// a group only every stride-th is shown, counting back from the newest
	// week so that the latest one is always labelled.
	maxW := min(plot.right-plot.left, max(120, int(groupW)-labelGap))
	fitted := make([]string, n)
	widest := 0
	for i, s := range labels {
		fitted[i] = body.fit(s, maxW)
		widest = max(widest, body.width(fitted[i]))
	}
	stride := max(1, int(math.Ceil(float64(widest+labelGap)/groupW)))
	for i := n - 1; i >= 0; i -= stride {
		if fitted[i] == "" {
			continue
		}
		w := body.width(fitted[i])
		mid := float64(plot.left) + (float64(i)+0.5)*groupW
		x := int(math.Round(mid - float64(w)/2))
		x = min(max(x, margin/2), l.w-margin/2-w) // keep the edge labels inside the image
		l.texts = append(l.texts, place(fitted[i], body, textColor, x, labelBaseline, kindLabel, off+i))
	}
	return l
}

// yTicks returns a step of 1, 2 or 5 times a power of ten, at least 1, and
// the number of steps, at most five, that reach the peak.
func yTicks(peak float64) (step float64, n int) {
	raw := peak / 5
	step = 1
	if raw > 1 {
		p := math.Pow(10, math.Floor(math.Log10(raw)))
		switch f := raw / p; {
		case f <= 1:
			step = p
		case f <= 2:
			step = 2 * p
		case f <= 5:
			step = 5 * p
		default:
			step = 10 * p
		}
	}
	n = int(math.Ceil(peak / step))
	if math.IsInf(step*float64(n), 0) {
		return peak, 1 // the round number is beyond float64; mark the peak
	}
	return step, n
}

// tickLabel formats a tick's value; top, the highest tick, decides the unit
// so that all ticks of one axis use the same one.
func tickLabel(v, top float64) string {
	format := func(v float64, unit string) string {
		return strconv.FormatFloat(v, 'f', -1, 64) + unit
	}
	switch {
	case v == 0:
		return "0"
	case top >= 1e15:
		return strconv.FormatFloat(v, 'g', 3, 64)
	case top >= 1e12:
		return format(v/1e12, "T")
	case top >= 1e9:
		return format(v/1e9, "B")
	case top >= 1e6:
		return format(v/1e6, "M")
	case top >= 1e4:
		return format(v/1e3, "k")
	}
	return format(v, "")
}
