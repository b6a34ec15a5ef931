package slacktest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
)

// limitCase is one documented limit seen from just under (passes) or just
// over (Slack's error).
type limitCase struct {
	name    string
	method  string
	params  map[string]any
	wantErr string // "" when Slack accepts it
	pointer string // a JSON pointer the error message must name
}

func msg(blocks ...any) map[string]any {
	return map[string]any{"channel": "C0COHORT", "text": "fallback", "blocks": blocks}
}

func blocksMsg(blocks []any) map[string]any {
	return map[string]any{"channel": "C0COHORT", "text": "fallback", "blocks": blocks}
}

func sectionFields(n, each int) map[string]any {
	f := make([]any, n)
	for i := range f {
		f[i] = mrkdwn(repeat(each))
	}
	return map[string]any{"type": "section", "fields": f}
}

func contextBlock(n, each int) map[string]any {
	e := make([]any, n)
	for i := range e {
		e[i] = mrkdwn(repeat(each))
	}
	return map[string]any{"type": "context", "elements": e}
}

func buttons(n int) map[string]any {
	e := make([]any, n)
	for i := range e {
		e[i] = button("b"+strconv.Itoa(i), "Go", "v")
	}
	return actions(e...)
}

func selectWith(opts []any) map[string]any {
	return map[string]any{"type": "section", "text": mrkdwn("Pick"), "accessory": map[string]any{
		"type": "static_select", "action_id": "pick", "placeholder": plain("Topic"), "options": opts,
	}}
}

func input(label string, maxLength int) map[string]any {
	el := map[string]any{"type": "plain_text_input", "action_id": "answer"}
	if maxLength > 0 {
		el["max_length"] = maxLength
	}
	return map[string]any{"type": "input", "block_id": "a", "label": plain(label), "element": el}
}

func openModal(view map[string]any) map[string]any {
	return map[string]any{"trigger_id": "trig.1", "view": view}
}

func withSubmit(v map[string]any, submit, closeText string) map[string]any {
	v["submit"], v["close"] = plain(submit), plain(closeText)
	return v
}

func home(blocks []any) map[string]any {
	return map[string]any{"user_id": "U0ANA", "view": map[string]any{"type": "home", "blocks": blocks}}
}

func limitCases() []limitCase {
	const post = "chat.postMessage"
	b := func(id string) map[string]any { s := section("x"); s["block_id"] = id; return s }
	return []limitCase{
		{"text 40000", post, map[string]any{"channel": "C0COHORT", "text": repeat(40000)}, "", ""},
		{"text 40001", post, map[string]any{"channel": "C0COHORT", "text": repeat(40001)}, "msg_too_long", ""},
		{"text 40000 runes", post, map[string]any{"channel": "C0COHORT", "text": strings.Repeat("é", 40000)}, "", ""},
		{"no text or blocks", post, map[string]any{"channel": "C0COHORT", "text": ""}, "no_text", ""},
		{"empty blocks and no text", post, map[string]any{"channel": "C0COHORT", "blocks": []any{}}, "no_text", ""},
		{"blocks not JSON", post, map[string]any{"channel": "C0COHORT", "text": "x", "blocks": "[{"}, "invalid_blocks_format", ""},
		{"50 blocks", post, blocksMsg(sections(50)), "", ""},
		{"51 blocks", post, blocksMsg(sections(51)), "invalid_blocks", "/blocks"},
		{"section text 3000", post, msg(section(repeat(3000))), "", ""},
		{"section text 3001", post, msg(section(repeat(3001))), "invalid_blocks", "/blocks/0/text/text"},
		{"section text empty", post, msg(section("")), "invalid_blocks", "/blocks/0/text/text"},
		{"section without text or fields", post, msg(map[string]any{"type": "section"}), "invalid_blocks", "/blocks/0"},
		{"10 fields of 2000", post, msg(sectionFields(10, 2000)), "", ""},
		{"11 fields", post, msg(sectionFields(11, 10)), "invalid_blocks", "/blocks/0/fields"},
		{"field 2001", post, msg(sectionFields(1, 2001)), "invalid_blocks", "/blocks/0/fields/0/text"},
		{"header 150", post, msg(map[string]any{"type": "header", "text": plain(repeat(150))}), "", ""},
		{"header 151", post, msg(map[string]any{"type": "header", "text": plain(repeat(151))}), "invalid_blocks", "/blocks/0/text/text"},
		{"header mrkdwn", post, msg(map[string]any{"type": "header", "text": mrkdwn("x")}), "invalid_blocks", "/blocks/0/text/type"},
		{"context 10 of 3000", post, msg(contextBlock(10, 3000)), "", ""},
		{"context 11 elements", post, msg(contextBlock(11, 1)), "invalid_blocks", "/blocks/0/elements"},
		{"context text 3001", post, msg(contextBlock(1, 3001)), "invalid_blocks", "/blocks/0/elements/0/text"},
		{"25 buttons", post, msg(buttons(25)), "", ""},
		{"26 buttons", post, msg(buttons(26)), "invalid_blocks", "/blocks/0/elements"},
		{"button text 75", post, msg(actions(button("a", repeat(75), "v"))), "", ""},
		{"button text 76", post, msg(actions(button("a", repeat(76), "v"))), "invalid_blocks", "/blocks/0/elements/0/text/text"},
		{"button value 2000", post, msg(actions(button("a", "Go", repeat(2000)))), "", ""},
		{"button value 2001", post, msg(actions(button("a", "Go", repeat(2001)))), "invalid_blocks", "/blocks/0/elements/0/value"},
		{"action_id 255", post, msg(actions(button(repeat(255), "Go", "v"))), "", ""},
		{"action_id 256", post, msg(actions(button(repeat(256), "Go", "v"))), "invalid_blocks", "/blocks/0/elements/0/action_id"},
		{"action_id twice in a block", post, msg(actions(button("a", "Go", "v"), button("a", "Go", "w"))), "invalid_blocks", "/blocks/0/elements/1/action_id"},
		{"action_id in two blocks", post, msg(actions(button("a", "Go", "v")), actions(button("a", "Go", "w"))), "", ""},
		{"block_id 255", post, msg(b(repeat(255))), "", ""},
		{"block_id 256", post, msg(b(repeat(256))), "invalid_blocks", "/blocks/0/block_id"},
		{"block_id twice", post, msg(b("q"), b("q")), "invalid_blocks", "/blocks/1/block_id"},
		{"unknown block type", post, msg(map[string]any{"type": "sektion"}), "invalid_blocks", "/blocks/0/type"},
		{"100 options", post, msg(selectWith(options(100))), "", ""},
		{"101 options", post, msg(selectWith(options(101))), "invalid_blocks", "/blocks/0/accessory/options"},
		{"option text 75", post, msg(selectWith([]any{option(repeat(75), "v")})), "", ""},
		{"option text 76", post, msg(selectWith([]any{option(repeat(76), "v")})), "invalid_blocks", "/blocks/0/accessory/options/0/text/text"},
		{"option value 150", post, msg(selectWith([]any{option("x", repeat(150))})), "", ""},
		{"option value 151", post, msg(selectWith([]any{option("x", repeat(151))})), "invalid_blocks", "/blocks/0/accessory/options/0/value"},
		{"markdown 12000", post, msg(map[string]any{"type": "markdown", "text": repeat(12000)}), "", ""},
		{"markdown 12001", post, msg(map[string]any{"type": "markdown", "text": repeat(12001)}), "invalid_blocks", "/blocks/0/text"},

		{"ephemeral text 40001", "chat.postEphemeral", map[string]any{"channel": "C0COHORT", "user": "U0ANA", "text": repeat(40001)}, "msg_too_long", ""},
		{"ephemeral section 3001", "chat.postEphemeral", map[string]any{"channel": "C0COHORT", "user": "U0ANA", "text": "x", "blocks": []any{section(repeat(3001))}}, "invalid_blocks", "/blocks/0/text/text"},
		{"ephemeral empty", "chat.postEphemeral", map[string]any{"channel": "C0COHORT", "user": "U0ANA"}, "no_text", ""},

		{"modal title 24", "views.open", openModal(modal(repeat(24))), "", ""},
		{"modal title 25", "views.open", openModal(modal(repeat(25))), "invalid_arguments", "/view/title/text"},
		{"modal without title", "views.open", openModal(map[string]any{"type": "modal", "blocks": []any{}}), "invalid_arguments", "/view/title"},
		{"modal submit and close 24", "views.open", openModal(withSubmit(modal("Add"), repeat(24), repeat(24))), "", ""},
		{"modal submit 25", "views.open", openModal(withSubmit(modal("Add"), repeat(25), "Close")), "invalid_arguments", "/view/submit/text"},
		{"modal close 25", "views.open", openModal(withSubmit(modal("Add"), "Save", repeat(25))), "invalid_arguments", "/view/close/text"},
		{"modal 100 blocks", "views.open", openModal(modal("Add", sections(100)...)), "", ""},
		{"modal 101 blocks", "views.open", openModal(modal("Add", sections(101)...)), "invalid_arguments", "/view/blocks"},
		{"input label 2000", "views.open", openModal(withSubmit(modal("Add", input(repeat(2000), 0)), "Save", "Close")), "", ""},
		{"input label 2001", "views.open", openModal(withSubmit(modal("Add", input(repeat(2001), 0)), "Save", "Close")), "invalid_arguments", "/view/blocks/0/label/text"},
		{"input max_length 3000", "views.open", openModal(withSubmit(modal("Add", input("Answer", 3000)), "Save", "Close")), "", ""},
		{"input max_length 3001", "views.open", openModal(withSubmit(modal("Add", input("Answer", 3001)), "Save", "Close")), "invalid_arguments", "/view/blocks/0/element/max_length"},
		{"input without submit", "views.open", openModal(modal("Add", input("Answer", 0))), "invalid_arguments", "/view/blocks/0"},
		{"private_metadata 3001", "views.open", openModal(map[string]any{"type": "modal", "title": plain("Add"), "blocks": []any{}, "private_metadata": repeat(3001)}), "invalid_arguments", "/view/private_metadata"},
		{"update modal title 25", "views.update", map[string]any{"view_id": "V1", "view": modal(repeat(25))}, "invalid_arguments", "/view/title/text"},

		{"home 100 blocks", "views.publish", home(sections(100)), "", ""},
		{"home 101 blocks", "views.publish", home(sections(101)), "invalid_arguments", "/view/blocks"},
		{"home section 3001", "views.publish", home([]any{section(repeat(3001))}), "invalid_arguments", "/view/blocks/0/text/text"},
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	for _, tc := range limitCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newFake(t, slacktest.Options{})
			withCohort(t, s)
			a := call(t, s, tc.method, tc.params)
			if a.status != http.StatusOK {
				t.Fatalf("%s: HTTP %d; want 200", tc.method, a.status)
			}
			if tc.wantErr == "" {
				if !a.ok() {
					t.Fatalf("%s = %s %v; want ok", tc.method, a.err(), a.messages())
				}
				if u := s.Unexpected(); len(u) > 0 {
					t.Fatalf("Unexpected() = %q; want none", u)
				}
				return
			}
			if a.ok() || a.err() != tc.wantErr {
				t.Fatalf("%s = ok:%v error %q; want error %q", tc.method, a.ok(), a.err(), tc.wantErr)
			}
			if tc.pointer != "" {
				found := false
				for _, m := range a.messages() {
					if strings.HasPrefix(m, "[ERROR] ") && strings.Contains(m, "[json-pointer:"+tc.pointer+"]") {
						found = true
					}
				}
				if !found {
					t.Errorf("response_metadata.messages = %q; want an [ERROR] at %s", a.messages(), tc.pointer)
				}
			}
			u := s.Unexpected()
			if len(u) != 1 || !strings.HasPrefix(u[0], "limit: "+tc.method+": "+tc.wantErr) {
				t.Errorf("Unexpected() = %q; want one limit: %s: %s", u, tc.method, tc.wantErr)
			}
		})
	}
}

func TestLenientAcceptsWhatSlackRefuses(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{Lenient: true})
	withCohort(t, s)
	for _, tc := range limitCases() {
		if tc.wantErr == "" || tc.wantErr == "no_text" || tc.wantErr == "invalid_blocks_format" {
			continue // basic argument errors stay
		}
		a := call(t, s, tc.method, tc.params)
		if !a.ok() {
			t.Errorf("%s with Lenient: %s = %s; want ok", tc.name, tc.method, a.err())
		}
	}
	if u := s.Unexpected(); len(u) > 0 {
		t.Errorf("Unexpected() = %q; want none when lenient", u)
	}
}

func TestChatUpdateLimits(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	posted := call(t, s, "chat.postMessage", map[string]any{"channel": "C0COHORT", "text": "question"})
	ts, _ := posted.body["ts"].(string)
	if !posted.ok() || ts == "" {
		t.Fatalf("chat.postMessage = %s; want ok with ts", posted.raw)
	}
	for _, tc := range []struct {
		name    string
		params  map[string]any
		wantErr string
	}{
		{"blocks only", map[string]any{"blocks": []any{section(repeat(3000))}}, ""},
		{"text 40000", map[string]any{"text": repeat(40000)}, ""},
		{"text 40001", map[string]any{"text": repeat(40001)}, "msg_too_long"},
		{"section 3001", map[string]any{"blocks": []any{section(repeat(3001))}}, "invalid_blocks"},
	} {
		tc.params["channel"], tc.params["ts"] = "C0COHORT", ts
		a := call(t, s, "chat.update", tc.params)
		if got := a.err(); got != tc.wantErr {
			t.Errorf("chat.update %s: error %q; want %q", tc.name, got, tc.wantErr)
		}
	}
}

// clock is a settable Now for the fake.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestResponseURLUses(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	url := s.ResponseURL("C0COHORT", "U0ANA")
	for i := 1; i <= 5; i++ {
		if a := post(t, url, "", map[string]any{"text": "reply " + strconv.Itoa(i)}); a.status != http.StatusOK {
			t.Fatalf("use %d: HTTP %d %s; want 200", i, a.status, a.raw)
		}
	}
	a := post(t, url, "", map[string]any{"text": "one too many"})
	if a.status != http.StatusNotFound || a.err() != "expired_url" {
		t.Fatalf("6th use: HTTP %d %s; want 404 expired_url", a.status, a.raw)
	}
	if got := len(s.Responses()); got != 5 {
		t.Errorf("Responses() has %d posts; want 5", got)
	}
	if u := s.Unexpected(); len(u) != 1 || !strings.Contains(u[0], "expired_url") {
		t.Errorf("Unexpected() = %q; want the 6th use", u)
	}
}

func TestResponseURLLifetime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		age    time.Duration
		status int
	}{
		{30 * time.Minute, http.StatusOK},
		{30*time.Minute + time.Second, http.StatusNotFound},
	} {
		t.Run(tc.age.String(), func(t *testing.T) {
			t.Parallel()
			c := newClock()
			s := newFake(t, slacktest.Options{Now: c.Now})
			withCohort(t, s)
			url := s.ResponseURL("C0COHORT", "U0ANA")
			c.Add(tc.age)
			a := post(t, url, "", map[string]any{"text": "late"})
			if a.status != tc.status {
				t.Fatalf("after %v: HTTP %d %s; want %d", tc.age, a.status, a.raw, tc.status)
			}
			if tc.status == http.StatusNotFound && a.err() != "expired_url" {
				t.Errorf("after %v: error %q; want expired_url", tc.age, a.err())
			}
		})
	}
}

func TestResponseURLBlocks(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	url := s.ResponseURL("C0COHORT", "U0ANA")
	if a := post(t, url, "", map[string]any{"text": "x", "blocks": []any{section(repeat(3000))}}); a.status != http.StatusOK {
		t.Fatalf("section 3000: HTTP %d %s; want 200", a.status, a.raw)
	}
	a := post(t, url, "", map[string]any{"text": "x", "blocks": []any{section(repeat(3001))}})
	if a.status != http.StatusBadRequest || a.err() != "invalid_blocks" || len(a.messages()) == 0 {
		t.Fatalf("section 3001: HTTP %d %s; want 400 invalid_blocks with messages", a.status, a.raw)
	}
	if a := post(t, url, "", map[string]any{"text": repeat(40001)}); a.err() != "msg_too_long" {
		t.Fatalf("text 40001: %s; want msg_too_long", a.raw)
	}
}

func TestRateLimitsOffByDefault(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	for i := range 150 {
		if a := call(t, s, "users.info", map[string]any{"user": "U0ANA"}); a.status != http.StatusOK {
			t.Fatalf("users.info call %d: HTTP %d; want 200 with rate limits off", i+1, a.status)
		}
	}
}

func TestRateLimitTiers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method string
		params map[string]any
		burst  int
		refill time.Duration // time for one more call
	}{
		{"users.info", map[string]any{"user": "U0ANA"}, 100, 600 * time.Millisecond},
		{"conversations.info", map[string]any{"channel": "C0COHORT"}, 50, 1200 * time.Millisecond},
		{"chat.postMessage", map[string]any{"channel": "C0COHORT", "text": "hi"}, 5, time.Second},
		{"views.publish", map[string]any{"user_id": "U0ANA", "view": map[string]any{"type": "home", "blocks": []any{}}}, 100, 600 * time.Millisecond},
	} {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			s := newFake(t, slacktest.Options{Now: c.Now, RateLimits: true})
			withCohort(t, s)
			for i := range tc.burst {
				if a := call(t, s, tc.method, tc.params); a.status != http.StatusOK {
					t.Fatalf("call %d of the burst: HTTP %d %s; want 200", i+1, a.status, a.raw)
				}
			}
			a := call(t, s, tc.method, tc.params)
			if a.status != http.StatusTooManyRequests || a.err() != "ratelimited" {
				t.Fatalf("call %d: HTTP %d %s; want 429 ratelimited", tc.burst+1, a.status, a.raw)
			}
			retry, err := strconv.Atoi(a.header.Get("Retry-After"))
			if err != nil || retry < 1 {
				t.Fatalf("Retry-After = %q; want whole seconds >= 1", a.header.Get("Retry-After"))
			}
			c.Add(tc.refill)
			if a := call(t, s, tc.method, tc.params); a.status != http.StatusOK {
				t.Fatalf("after %v: HTTP %d; want 200", tc.refill, a.status)
			}
			calls := s.Calls(tc.method)
			if got := calls[tc.burst]; got.Status != http.StatusTooManyRequests || got.Error != "ratelimited" {
				t.Errorf("recorded call %d = %d %q; want 429 ratelimited", tc.burst+1, got.Status, got.Error)
			}
		})
	}
}

func TestPostMessageRateIsPerChannel(t *testing.T) {
	t.Parallel()
	c := newClock()
	s := newFake(t, slacktest.Options{Now: c.Now, RateLimits: true})
	withCohort(t, s)
	s.AddChannel(slacktest.Channel{ID: "C0OTHER", Name: "cohort-2", BotMember: true})
	for range 5 {
		call(t, s, "chat.postMessage", map[string]any{"channel": "C0COHORT", "text": "hi"})
	}
	if a := call(t, s, "chat.postMessage", map[string]any{"channel": "C0COHORT", "text": "hi"}); a.status != http.StatusTooManyRequests {
		t.Fatalf("6th post in C0COHORT: HTTP %d; want 429", a.status)
	}
	if a := call(t, s, "chat.postMessage", map[string]any{"channel": "C0OTHER", "text": "hi"}); a.status != http.StatusOK {
		t.Fatalf("1st post in C0OTHER: HTTP %d; want 200", a.status)
	}
}

func TestRatesOverride(t *testing.T) {
	t.Parallel()
	c := newClock()
	s := newFake(t, slacktest.Options{Now: c.Now, RateLimits: true, Rates: map[string]slacktest.Rate{"users.info": {PerMinute: 1, Burst: 1}}})
	withCohort(t, s)
	call(t, s, "users.info", map[string]any{"user": "U0ANA"})
	a := call(t, s, "users.info", map[string]any{"user": "U0ANA"})
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "60" {
		t.Fatalf("2nd call at 1/min: HTTP %d Retry-After %q; want 429 and 60", a.status, a.header.Get("Retry-After"))
	}
	for range 10 {
		if a := call(t, s, "conversations.info", map[string]any{"channel": "C0COHORT"}); a.status != http.StatusOK {
			t.Fatalf("conversations.info, not in Rates: HTTP %d; want 200", a.status)
		}
	}
}

// TestCheckFunctionsMatchTheServer: CheckMessage and CheckView, for tests
// of what the app builds, refuse exactly what the server refuses.
func TestCheckFunctionsMatchTheServer(t *testing.T) {
	t.Parallel()
	for _, tc := range limitCases() {
		var err error
		switch tc.method {
		case "chat.postMessage":
			text, _ := tc.params["text"].(string)
			var blocks json.RawMessage
			switch b := tc.params["blocks"].(type) {
			case nil:
			case string:
				blocks = json.RawMessage(b)
			default:
				blocks, _ = json.Marshal(b)
			}
			err = slacktest.CheckMessage(text, blocks)
		case "views.open", "views.update", "views.publish":
			view, _ := json.Marshal(tc.params["view"])
			err = slacktest.CheckView(view)
		default:
			continue
		}
		var le *slacktest.LimitError
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v; want nil", tc.name, err)
		case tc.wantErr != "" && (!errors.As(err, &le) || le.Code != tc.wantErr):
			t.Errorf("%s: %v; want a LimitError %s", tc.name, err, tc.wantErr)
		case tc.pointer != "" && !strings.Contains(err.Error(), "[json-pointer:"+tc.pointer+"]"):
			t.Errorf("%s: %v; want the pointer %s", tc.name, err, tc.pointer)
		}
	}
}
