package feedback

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a text: its stem, and where it sits in the original
// text (byte offsets), so that a match can quote the words it matched.
type token struct {
	stem       string
	raw        string // lowercased, folded, before stemming
	start, end int
}

// folds maps accented Latin letters to their plain forms, so "café" and
// "cafe", "naïve" and "naive" compare equal. The standard library has no
// Unicode normalisation; these cover the letters English technical text
// meets.
var folds = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae",
	'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i",
	'î': "i", 'ï': "i", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o",
	'ö': "o", 'ø': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y",
	'ÿ': "y", 'ß': "ss", 'œ': "oe",
}

// isApostrophe reports the characters that join "doesn't" into one word.
func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// tokenize splits text into words: runs of letters and digits (an
// apostrophe between letters stays inside the word and is dropped, so
// "doesn't" is "doesnt"). Everything else, Markdown, backticks, URL
// punctuation included, separates words: code spans and URLs are read as
// text.
func tokenize(text string) []token {
	var out []token
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			raw := b.String()
			out = append(out, token{stem: stem(raw), raw: raw, start: start, end: end})
			b.Reset()
			start = -1
		}
	}
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			r = unicode.ToLower(r)
			if f, ok := folds[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		case isApostrophe(r) && start >= 0 && nextIsLetter(text, i+utf8.RuneLen(r)):
			// inside a word: skip it
		default:
			flush(i)
		}
	}
	flush(len(text))
	return out
}

func nextIsLetter(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// stem reduces an English word form to a stem shared by its plural and
// verb forms: deploys, deployed, deploying → deploy; caches, cached,
// caching, cache → cach; replies, replied → repli. It is deliberately
// light (a handful of suffixes, no dictionary): both sides of a match go
// through it, so it only has to be consistent, and cautious enough not to
// merge different words.
func stem(w string) string {
	n := utf8.RuneCountInString(w)
	if n <= 3 || !isASCIIWord(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		w = w[:len(w)-3] + "i"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		w = w[:len(w)-3] + "i"
	case strings.HasSuffix(w, "ing") && len(w) >= 6:
		w = undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w) >= 5 && !strings.HasSuffix(w, "eed"):
		w = undouble(w[:len(w)-2])
	case strings.HasSuffix(w, "ation") && len(w) >= 8:
		w = w[:len(w)-5]
	case strings.HasSuffix(w, "ly") && len(w) >= 6:
		w = w[:len(w)-2]
	}
	if strings.HasSuffix(w, "y") && len(w) > 3 && !isVowel(w[len(w)-2]) {
		w = w[:len(w)-1] + "i"
	}
	if strings.HasSuffix(w, "e") && len(w) > 3 {
		w = w[:len(w)-1]
	}
	return w
}

// undouble drops the second of a doubled final consonant left by -ing or
// -ed (running → run, stopped → stop), except f, l, s and z, which English
// doubles in the base form too (staff, roll, pass, buzz), and except where
// what is left would be two letters (adding → add, erring → err).
func undouble(w string) string {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && !isVowel(w[n-1]) && !strings.ContainsRune("flsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// negators are the words that, just before a concept, say the answer
// denies it: "not stateless", "isn't idempotent", "without a lock".
var negators = map[string]bool{
	"not": true, "no": true, "never": true, "without": true, "nor": true, "neither": true,
	"isnt": true, "arent": true, "wasnt": true, "werent": true, "dont": true, "doesnt": true,
	"didnt": true, "cant": true, "cannot": true, "wont": true, "shouldnt": true, "wouldnt": true,
	"couldnt": true, "hasnt": true, "havent": true, "mustnt": true, "neednt": true,
}

// negationWindow is how many words before a concept a negator reaches.
const negationWindow = 3

// stopwords carry no meaning of their own: a key point without concepts is
// matched on its other words, and the too-short check counts only these
// others.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but if then else of to in on at by for with from as is are was were be been being
		it its this that these those there here it's i you we they he she them us our your my me
		do does did done have has had having can could should would will shall may might must
		so such than too very just also only not no yes ok okay idk dunno
		what which who whom whose when where why how all any both each few more most other some
		into onto over under about after before between through during up down out off again
		one two use used using uses thing things way ways like get gets got make makes made something anything stuff`) {
		m[stem(w)] = true
		m[w] = true
	}
	return m
}()

// contentWords counts the tokens that are not stopwords.
func contentWords(ts []token) int {
	n := 0
	for _, t := range ts {
		if !stopwords[t.stem] {
			n++
		}
	}
	return n
}
