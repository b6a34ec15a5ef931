package questions

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed bank
var bankFS embed.FS

// Embedded returns the bank compiled into the binary: the files under
// questions/bank, rooted there (paths look like "backend/deployment.md").
func Embedded() fs.FS {
	sub, err := fs.Sub(bankFS, "bank")
	if err != nil {
		// Unreachable: "bank" is a valid path. The whole embed FS still
		// holds the files, one level down.
		return bankFS
	}
	return sub
}

// Default returns the embedded bank. It is loaded once; the Bank is
// immutable, so every caller shares it.
func Default() (*Bank, error) { return loadDefault() }

var loadDefault = sync.OnceValues(func() (*Bank, error) {
	b, err := Load(Embedded())
	if err != nil {
		return nil, fmt.Errorf("load embedded bank: %w", err)
	}
	return b, nil
})

// guidesDir is the folder, at the root of a bank, that holds the guides.
const guidesDir = "guides"

// Load reads every *.md file under the root of fsys, recursively, as a
// bank: guides/tips.md and guides/star.md are the guides, every other file
// holds questions. Names starting with "." are skipped. Load checks the
// whole bank and returns Errors listing every problem, or an error wrapping
// the failure to read fsys.
func Load(fsys fs.FS) (*Bank, error) {
	l, err := readLayer(fsys)
	if err != nil {
		return nil, err
	}
	return build(l.entries, l.guides, l.errs)
}

// Merge lays the bank files in extra over base: a question of extra
// replaces the question of base with the same ID, the others are added, and
// a guide in extra replaces base's. The result is checked as a whole (a
// question of extra may not repeat the text of another question of base);
// problems are reported at extra's files. base may be nil.
func Merge(base *Bank, extra fs.FS) (*Bank, error) {
	l, err := readLayer(extra)
	if err != nil {
		return nil, err
	}
	if base == nil {
		return build(l.entries, l.guides, l.errs)
	}
	replaced := make(map[string]bool, len(l.entries))
	for _, e := range l.entries {
		replaced[e.q.ID] = true
	}
	entries := make([]entry, 0, len(base.qs)+len(l.entries))
	for _, q := range base.qs {
		if !replaced[q.ID] {
			file, line := splitOrigin(q.Origin)
			entries = append(entries, entry{q: q, file: file, line: line})
		}
	}
	entries = append(entries, l.entries...)
	g := base.guides
	if l.guides.Tips != "" {
		g.Tips = l.guides.Tips
	}
	if l.guides.Star != "" {
		g.Star = l.guides.Star
	}
	return build(entries, g, l.errs)
}

// layer is one folder of bank files, parsed but not yet checked as a whole.
type layer struct {
	entries []entry
	guides  Guides
	errs    Errors
}

// readLayer parses every bank file under the root of fsys.
func readLayer(fsys fs.FS) (layer, error) {
	var l layer
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(name, ".md") {
			return nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if line, ok := binaryAt(src); ok {
			// Parsed as text, a binary file yields no question and no
			// error: say what it is rather than skip it silently.
			l.errs.add(name, line, "not a text file (NUL byte or invalid UTF-8): bank files are UTF-8 Markdown")
			return nil
		}
		l.add(name, src)
		return nil
	})
	if err != nil {
		return layer{}, fmt.Errorf("read bank: %w", err)
	}
	return l, nil
}

// binaryAt reports whether src is not UTF-8 text, and the line of the
// first byte that shows it.
func binaryAt(src []byte) (line int, ok bool) {
	bad := bytes.IndexByte(src, 0)
	if !utf8.Valid(src) {
		for i := 0; i < len(src); {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				if bad < 0 || i < bad {
					bad = i
				}
				break
			}
			i += n
		}
	}
	if bad < 0 {
		return 0, false
	}
	return 1 + bytes.Count(src[:bad], []byte("\n")), true
}

// add parses one file into the layer.
func (l *layer) add(name string, src []byte) {
	if path.Dir(name) == guidesDir {
		l.addGuide(name, src)
		return
	}
	entries, errs := parseFile(name, src)
	l.entries = append(l.entries, entries...)
	l.errs = append(l.errs, errs...)
}

// addGuide reads guides/tips.md or guides/star.md.
func (l *layer) addGuide(name string, src []byte) {
	var dst *string
	switch path.Base(name) {
	case "tips.md":
		dst = &l.guides.Tips
	case "star.md":
		dst = &l.guides.Star
	default:
		l.errs.add(name, 0, "unknown guide; want %s/tips.md or %s/star.md", guidesDir, guidesDir)
		return
	}
	p := &fileParser{file: name, lines: splitLines(src)}
	p.markCode()
	l.errs = append(l.errs, p.errs...)
	text := trimBlankLines(strings.Join(p.lines, "\n"))
	if text == "" {
		l.errs.add(name, 0, "guide is empty")
		return
	}
	*dst = text
}
