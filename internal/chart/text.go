package chart

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

var (
	white     = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	textColor = color.RGBA{0x22, 0x22, 0x22, 0xFF} // labels, legend, title
	tickColor = color.RGBA{0x55, 0x55, 0x55, 0xFF} // axis numbers
	noteColor = color.RGBA{0x66, 0x66, 0x66, 0xFF} // "No data yet"
	gridColor = color.RGBA{0xE6, 0xE6, 0xE6, 0xFF}
	axisColor = color.RGBA{0x99, 0x99, 0x99, 0xFF}
)

// Font sizes in pixels. Slack shows a 900 px image at roughly half size,
// so anything smaller than 14 px becomes hard to read there.
const (
	titleSize = 20
	bodySize  = 14
	noteSize  = 16
)

// fonts parses the embedded fonts once: parsing takes far longer than
// drawing a chart. A parsed font is safe for concurrent use; a face is not,
// which is why newFaces makes fresh ones for every chart.
var fonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return [2]*opentype.Font{}, err
	}
	bold, err := opentype.Parse(gobold.TTF)
	return [2]*opentype.Font{regular, bold}, err
})

// faces are the font faces one chart is drawn with.
type faces struct {
	title, body, note *face
}

// face is a font face with the metrics layouts need, in whole pixels.
type face struct {
	font.Face
	ascent, descent int // above and below the baseline, rounded up
	capHeight       int
}

func newFaces() (*faces, error) {
	fs, err := fonts()
	if err != nil {
		return nil, err
	}
	title, err := newFace(fs[1], titleSize)
	if err != nil {
		return nil, err
	}
	body, err := newFace(fs[0], bodySize)
	if err != nil {
		return nil, err
	}
	note, err := newFace(fs[0], noteSize)
	if err != nil {
		return nil, err
	}
	return &faces{title: title, body: body, note: note}, nil
}

func newFace(f *opentype.Font, size float64) (*face, error) {
	// At 72 DPI a point is a pixel. Full hinting snaps advances to whole
	// pixels, which keeps small text crisp and widths integral.
	ff, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	m := ff.Metrics()
	return &face{Face: ff, ascent: m.Ascent.Ceil(), descent: m.Descent.Ceil(), capHeight: m.CapHeight.Round()}, nil
}

// width is the advance of s in pixels.
func (f *face) width(s string) int { return font.MeasureString(f, s).Ceil() }

// text is one string placed on the chart.
type text struct {
	s    string
	f    *face
	c    color.RGBA
	dot  image.Point     // start of the baseline
	box  image.Rectangle // every pixel the string may ink
	kind textKind
	idx  int // which label, series or tick the text belongs to
}

// textKind says what a text is, so tests can find, say, the x-axis labels.
type textKind int

const (
	kindTitle textKind = iota
	kindLegend
	kindTick
	kindLabel
	kindValue
	kindNote
)

// place returns s drawn with f and colour c, its baseline starting at
// (x, y).
func place(s string, f *face, c color.RGBA, x, y int, kind textKind, idx int) text {
	// The box spans the line's ascent and descent and the advance, widened
	// by the glyphs' own bounds where they overhang those, so that keeping
	// boxes apart really keeps ink apart.
	b, adv := font.BoundString(f, s)
	box := image.Rect(min(0, b.Min.X.Floor()), min(-f.ascent, b.Min.Y.Floor()),
		max(adv.Ceil(), b.Max.X.Ceil()), max(f.descent, b.Max.Y.Ceil()))
	return text{s: s, f: f, c: c, dot: image.Pt(x, y), box: box.Add(image.Pt(x, y)), kind: kind, idx: idx}
}

func (t text) draw(dst draw.Image) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(t.c), Face: t.f, Dot: fixed.P(t.dot.X, t.dot.Y)}
	d.DrawString(t.s)
}

// maxRunes bounds the work of measuring a label: no more than this many
// characters of even the narrowest glyph fit across a chart.
const maxRunes = 400

// clean makes s safe to draw on one line: control characters (newlines,
// tabs) become spaces, invalid UTF-8 becomes U+FFFD, and only the first
// maxRunes characters are kept.
func clean(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxRunes {
			break
		}
		n++
		if unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// fit returns s, cleaned and if necessary cut short and ended with "…", so
// that it is at most w pixels wide with f. If not even "…" fits it returns "".
func (f *face) fit(s string, w int) string {
	s = clean(s)
	if f.width(s) <= w {
		return s
	}
	const ellipsis = "…"
	if f.width(ellipsis) > w {
		return ""
	}
	// Binary search for the longest prefix (in runes) that fits with the
	// ellipsis; widths grow with prefix length, kerning aside.
	cut := func(n int) string {
		i := 0
		for range n {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		return strings.TrimRightFunc(s[:i], unicode.IsSpace) + ellipsis
	}
	lo, hi := 0, utf8.RuneCountInString(s) // cut(lo) fits; cut(hi) does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if f.width(cut(mid)) <= w {
			lo = mid
		} else {
			hi = mid
		}
	}
	return cut(lo)
}
