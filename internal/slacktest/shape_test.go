package slacktest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Shapes of Slack's sample payloads (testdata/shapes, made by gensamples
// from Slack's Java SDK samples): every key Slack may send, each value
// replaced by its JSON type ("string", "number", "boolean", "null", or
// several joined by "|"), and the elements of each array merged into one.

func loadShape(t *testing.T, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "shapes", name+".json"))
	if err != nil {
		t.Fatalf("shape %s: %v", name, err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("shape %s: %v", name, err)
	}
	return v
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}

// shapeErrors lists where got leaves Slack's shape: a key Slack never
// sends there, or a value of another JSON type. Keys Slack sends and got
// leaves out are fine (Slack leaves many out too). except names paths
// ("channel.user") allowed to differ, each with the reason.
func shapeErrors(path string, got, shape any, except map[string]string) []string {
	if _, ok := except[path]; ok {
		return nil
	}
	where := path
	if where == "" {
		where = "(top)"
	}
	switch sh := shape.(type) {
	case string:
		kinds := strings.Split(sh, "|")
		k := kindOf(got)
		for _, want := range kinds {
			if k == want {
				return nil
			}
		}
		return []string{fmt.Sprintf("%s: %s; Slack sends %s", where, k, sh)}
	case map[string]any:
		m, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s; Slack sends an object", where, kindOf(got))}
		}
		var errs []string
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			sub, known := sh[k]
			if !known {
				if _, ok := except[p]; !ok {
					errs = append(errs, fmt.Sprintf("%s: a key Slack does not send", p))
				}
				continue
			}
			errs = append(errs, shapeErrors(p, m[k], sub, except)...)
		}
		return errs
	case []any:
		l, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s; Slack sends an array", where, kindOf(got))}
		}
		if len(sh) == 0 {
			return nil
		}
		var errs []string
		for _, e := range l {
			errs = append(errs, shapeErrors(path+"[]", e, sh[0], except)...)
		}
		return errs
	}
	return []string{fmt.Sprintf("%s: unreadable shape %T", where, shape)}
}

// checkShape fails the test where got is not shaped like Slack's sample.
func checkShape(t *testing.T, sample string, got any, except map[string]string) {
	t.Helper()
	for _, e := range shapeErrors("", got, loadShape(t, sample), except) {
		t.Errorf("%s: %s", sample, e)
	}
}

func TestShapeErrorsCatchesDifferences(t *testing.T) {
	t.Parallel()
	shape := map[string]any{"ok": "boolean", "ts": "string", "n": "null|number", "list": []any{map[string]any{"id": "string"}}}
	for _, tc := range []struct {
		got  string
		want int
	}{
		{`{"ok":true,"ts":"1.2"}`, 0},
		{`{"ok":true,"n":null,"list":[{"id":"a"},{"id":"b"}]}`, 0},
		{`{"ok":"true"}`, 1},
		{`{"ok":true,"extra":1}`, 1},
		{`{"list":[{"id":1}]}`, 1},
		{`{"list":{"id":"a"}}`, 1},
	} {
		var got any
		if err := json.Unmarshal([]byte(tc.got), &got); err != nil {
			t.Fatal(err)
		}
		if errs := shapeErrors("", got, shape, nil); len(errs) != tc.want {
			t.Errorf("shapeErrors(%s) = %q; want %d errors", tc.got, errs, tc.want)
		}
	}
}
