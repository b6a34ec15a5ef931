package chart

import "strconv"

// Rows of the strength chart, in pixels.
const (
	rowHeight   = 28
	barHeight   = 18
	noteRows    = 3   // how much room "No data yet" gets
	maxLabelW   = 300 // a third of the chart, the rest is for bars
	labelBarGap = 12
	valueGap    = 8 // bar end to its percentage
)

// strengthHeight is the height of a strength chart of n bars.
func strengthHeight(f *faces, n int) int {
	return rowsTop(f) + n*rowHeight + margin
}

func rowsTop(f *faces) int { return margin + f.title.ascent + f.title.descent + 8 }

func layoutStrength(f *faces, title string, labels []string, shares []float64) *layout {
	labels = labels[:min(len(labels), maxBars)]
	n := len(labels)
	vals := make([]float64, n)
	for i := range n {
		vals[i] = share(shares, i)
	}
	// A topic at 0% is the weakest there is, not missing data: only a
	// chart without topics has nothing to show.
	if n == 0 {
		l := &layout{w: width, h: strengthHeight(f, noteRows)}
		l.title(f, title)
		l.note(f, rowsTop(f), rowsTop(f)+noteRows*rowHeight)
		return l
	}
	l := &layout{w: width, h: strengthHeight(f, n)}
	l.title(f, title)

	body := f.body
	fitted := make([]string, n)
	labelW := 0
	for i, s := range labels {
		fitted[i] = body.fit(s, maxLabelW)
		labelW = max(labelW, body.width(fitted[i]))
	}
	barLeft := margin
	if labelW > 0 {
		barLeft += labelW + labelBarGap
	}
	// The longest bar leaves room for "100%" after it.
	barMax := l.w - margin - body.width("100%") - valueGap - barLeft

	top := rowsTop(f)
	// A hairline at 0% anchors the bars, and shows where a 0% bar would be.
	l.rects = append(l.rects, rect{r: rectAt(barLeft-1, top, 1, n*rowHeight), c: gridColor, kind: rectAxis})
	for i := range n {
		mid := top + i*rowHeight + rowHeight/2
		baseline := mid + body.capHeight/2
		if fitted[i] != "" {
			// Right-aligned, so that each label sits next to its bar.
			x := barLeft - labelBarGap - body.width(fitted[i])
			l.texts = append(l.texts, place(fitted[i], body, textColor, x, baseline, kindLabel, i))
		}
		length := barLength(vals[i], 1, barMax)
		if length > 0 {
			l.rects = append(l.rects, rect{r: rectAt(barLeft, mid-barHeight/2, length, barHeight),
				c: palette[0], kind: rectBar, group: i})
		}
		pct := strconv.Itoa(int(vals[i]*100+0.5)) + "%"
		l.texts = append(l.texts, place(pct, body, textColor, barLeft+length+valueGap, baseline, kindValue, i))
	}
	return l
}
