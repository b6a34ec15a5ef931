package playground_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/prepbot/prepbot/internal/playground"
)

// chromiumPath is Debian's Chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// browser is a headless Chromium tab on a page of the playground, with the
// helpers a test needs to use it like a person.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string // where screenshots go

	mu     sync.Mutex
	errors []string // uncaught JavaScript exceptions
}

// newBrowser starts Chromium for t. Without Chromium it skips the test, or
// fails it in CI (where CI is set), which installs Chromium.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := fmt.Sprintf("the browser tests need Debian's Chromium at %s (apt-get install chromium): %v", chromiumPath, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg + "; skipping (set CI to make this a failure)")
	}
	profile, err := os.MkdirTemp("", "prepbot-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	// The whole browser, and so the test, gets at most 90 s.
	life, stopLife := context.WithTimeout(context.Background(), 90*time.Second)
	actx, stopAlloc := chromedp.NewExecAllocator(life,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1440, 900),
	)
	ctx, stopTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		stopTab()
		stopAlloc()
		stopLife()
		os.RemoveAll(profile)
	})
	b := &browser{t: t, ctx: ctx, shots: os.Getenv("PREPBOT_SCREENSHOTS")}
	switch {
	case b.shots != "":
		if err := os.MkdirAll(b.shots, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshots go to %s", b.shots)
	case os.Getenv("PREPBOT_UPDATE_SCREENSHOT") == "1":
		b.shots = t.TempDir()
	default:
		// A screenshot costs a tenth of a second of rendering, and one in a
		// temporary folder is deleted with it unseen: take none.
		t.Logf("no screenshots (set PREPBOT_SCREENSHOTS to a folder for them)")
	}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.errors = append(b.errors, (&chromedp.ExceptionError{ExceptionDetails: ev.ExceptionDetails}).Error())
			b.mu.Unlock()
		}
	}()
	return b
}

// checkNoErrors fails the test if the page threw.
func (b *browser) checkNoErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("JavaScript exception on the page: %s", e)
	}
}

func js(v any) string {
	s, _ := json.Marshal(v)
	return string(s)
}

// do runs steps with a time limit.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(what, err)
	}
}

// click clicks the element sel finds, as a mouse does. The page draws parts
// of itself again as messages arrive; a click that finds its node replaced
// between the query and the click fails before any mouse event is sent,
// and is tried again on the new node.
func (b *browser) click(what, sel string) {
	b.t.Helper()
	var err error
	for range 5 {
		ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel)))
		cancel()
		if err == nil || !strings.Contains(err.Error(), "Could not find node") {
			break
		}
	}
	if err != nil {
		b.fail(what, err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fail("evaluate "+expr, err)
	}
	return v
}

// try waits up to d for expr to be truthy and reports whether it was.
func (b *browser) try(expr string, d time.Duration) bool {
	ctx, cancel := context.WithTimeout(b.ctx, d+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(25*time.Millisecond)))
	return err == nil
}

// wait waits for expr to be truthy.
func (b *browser) wait(what, expr string) {
	b.t.Helper()
	if !b.try(expr, 10*time.Second) {
		b.fail("waiting for "+what, fmt.Errorf("%s never held", expr))
	}
}

// fail stops the test with what the page showed.
func (b *browser) fail(what string, err error) {
	b.t.Helper()
	b.shot("failure")
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#pane-list')||document.body).innerText + '\n--- thread ---\n' + ((document.querySelector('#thread-list')||{}).innerText||'')`))
	b.mu.Lock()
	errs := strings.Join(b.errors, "\n")
	b.mu.Unlock()
	b.t.Fatalf("%s: %v\npage text:\n%s\nJavaScript exceptions:\n%s", what, err, text, errs)
}

// shot saves a screenshot of the window and returns its path, or "" when
// the test takes none.
func (b *browser) shot(name string) string {
	b.t.Helper()
	if b.shots == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("save screenshot: %v", err)
	}
	return path
}

// say enters text into a composer ("main" or "thread") and presses Enter.
// The text arrives in one insertion, as a paste or an input method sends
// it, rather than key by key (three protocol round trips a character, most
// of the tour's time): the composer reacts to the same input event either
// way. The tour types key by key where keys matter (the suggestions).
func (b *browser) say(composer, text string) {
	b.t.Helper()
	ta := chromedp.CSS("#composer-" + composer + " textarea")
	b.do("type "+text, chromedp.Focus(ta), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	}), chromedp.SendKeys(ta, kb.Enter))
}

// as switches the page to another person.
func (b *browser) as(user string) {
	b.t.Helper()
	b.click("switch to "+user, `.switch-user[data-user="`+user+`"]`)
	b.wait(user+" active", `document.querySelector('.switch-user.active')?.dataset.user === `+js(user)+` && !!document.querySelector('#pane-list .intro')`)
}

// press clicks the last button labelled label inside the elements matched
// by scope, once it is there.
func (b *browser) press(scope, label string) {
	b.t.Helper()
	b.wait("a "+label+" button", `(() => {
		const btn = [...document.querySelectorAll(`+js(scope)+`)].filter(e => e.innerText.trim() === `+js(label)+`).pop();
		if (!btn) return false;
		btn.scrollIntoView({block: 'center'});
		btn.click();
		return true;
	})()`)
}

// paneHas is an expression: the main pane shows text.
func paneHas(text string) string {
	return `document.querySelector('#pane-list').innerText.includes(` + js(text) + `)`
}

func threadHas(text string) string {
	return `!document.querySelector('#thread').hidden && document.querySelector('#thread-list').innerText.includes(` + js(text) + `)`
}

// qotdExpr finds the question-of-the-day message in the channel.
const qotdExpr = `[...document.querySelectorAll('#pane-list .msg:not(.ephemeral)')].find(m => [...m.querySelectorAll('.bk-header')].some(h => h.textContent.includes('Question of the day')))`

// TestBrowserTour uses the playground in Chromium as three people would:
// a question and its answer, a scheduled question of the day answered in
// its thread and revealed, a modal, a DM practice round and App Home.
func TestBrowserTour(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	e := newEnv(t, "")
	began := time.Now()

	b.do("open the page", chromedp.Navigate(e.srv.URL+"/#user="+playground.Ada+"&view=cohort"))
	b.wait("the page", `document.querySelector('.switch-user.active')?.dataset.user === 'UADA' && document.querySelector('#clock-now').textContent.includes('UTC')`)

	// Ada asks for a question (the composer suggests /prep's commands as
	// she types): only she sees it, and she reveals the answer.
	b.do("type /prep a", chromedp.SendKeys(chromedp.CSS("#composer-main textarea"), "/prep a"))
	b.wait("command suggestions", `(() => { const s = document.querySelector('#composer-main .suggest'); return !s.hidden && s.innerText.includes('/prep ask') && s.innerText.includes('/prep add'); })()`)
	b.shot("00-suggestions")
	b.say("main", "sk")
	b.wait("the question", `[...document.querySelectorAll('#pane-list .msg.ephemeral')].some(m => m.querySelector('.bk-btn[data-action-id="prep_reveal"]') && m.innerText.includes('Only visible to you'))`)
	b.shot("01-ask")
	b.press("#pane-list .msg.ephemeral .bk-btn", "Reveal answer")
	b.wait("the reference answer", `[...document.querySelectorAll('#pane-list .msg.ephemeral')].some(m => m.innerText.includes('Reference answer') && m.querySelector('.bk-btn.bk-primary[data-action-id="prep_rate_good"]'))`)
	b.shot("02-answer")

	// Ines sees none of it, schedules the question of the day and jumps
	// the clock to it.
	b.as(playground.Instructor)
	if n := eval[int](b, `document.querySelectorAll('#pane-list .msg.ephemeral').length`); n != 0 {
		t.Errorf("Ines sees %d ephemeral message(s) meant for Ada", n)
	}
	b.say("main", "/prep schedule 0 9 * * *")
	// The confirmation too: jumping the clock before the bot has answered
	// the command would have it use the command's response_url an hour late.
	b.wait("the next post in the clock", `document.querySelector('#clock-next').textContent.includes('9:00') && `+paneHas("Schedule set"))
	posted := false
	for i := 0; i < 5 && !posted; i++ {
		b.click("Jump to next post", "#jump-next")
		posted = b.try(qotdExpr, 4*time.Second)
	}
	if !posted {
		b.fail("the question of the day", fmt.Errorf("not posted after 5 presses of Jump to next post"))
	}
	if now := eval[string](b, `document.querySelector('#clock-now').textContent`); !strings.Contains(now, "9:00") {
		t.Errorf("after the jump the clock shows %q; want 9:00", now)
	}
	b.shot("03-question-of-the-day")

	// Ada and Grace answer in the thread.
	for _, who := range []struct{ user, answer string }{
		{playground.Ada, "I'd start from the trade-off, then give an example from my last project."},
		{playground.Grace, "The *why* first: what breaks without it, and what it costs."},
	} {
		b.as(who.user)
		b.wait("the question", qotdExpr)
		b.wait("the thread opens", `(() => { const m = `+qotdExpr+`; if (!m) return false; (m.querySelector('.replies') || m.querySelector('.reply-btn')).click(); return !document.querySelector('#thread').hidden; })()`)
		// Nobody sees another person's feedback.
		if eval[bool](b, `document.querySelector('#thread-list').innerText.includes('How your answer did')`) {
			t.Errorf("%s sees someone else's feedback in the thread", who.user)
		}
		b.say("thread", who.answer)
		b.wait("the reply in the thread", threadHas(strings.ReplaceAll(who.answer, "*", "")))
		b.wait("the private feedback on it", threadHas("How your answer did"))
	}
	b.wait("2 replies under the question", paneHas("2 replies"))

	// Ines reveals: the answer goes to the thread with who answered.
	b.as(playground.Instructor)
	b.say("main", "/prep reveal")
	b.wait("the thread", `(() => { const m = `+qotdExpr+`; const r = m && m.querySelector('.replies'); if (!r || !r.innerText.includes('3 replies')) return false; r.click(); return true; })()`)
	b.wait("the reveal", threadHas("2 people answered: Ada and Grace."))
	b.shot("04-reveal-in-thread")
	// The picture for the README: the question with both answers in its
	// thread, and the reference answer starting under them.
	eval[bool](b, `(document.querySelector('#thread-scroll').scrollTop = 0, true)`)
	thread := b.shot("05-thread")

	// A modal: Ines opens the question editor; an empty form comes back
	// with field errors from the bot; Cancel closes it.
	b.say("main", "/prep add")
	b.wait("the modal", `!document.querySelector('#modal').hidden && document.querySelector('#modal-title').textContent.includes('Add a question')`)
	b.click("submit the empty form", "#modal-submit")
	b.wait("field errors", `document.querySelectorAll('#modal .bk-input.has-error .bk-error').length > 0`)
	b.shot("06-modal-errors")
	b.click("cancel", "#modal .modal-cancel")
	b.wait("the modal closed", `document.querySelector('#modal').hidden`)

	// Ada starts a practice round from the channel: the question arrives in
	// her DM with prepbot (unread in the sidebar); she answers there and
	// rates herself Good.
	b.as(playground.Ada)
	b.say("main", "/prep practice")
	b.wait("the DM marked unread", `document.querySelector('#sb-app').classList.contains('unread') && document.querySelector('#sb-app .sb-badge').textContent === '1'`)
	b.click("open the DM", "#sb-app")
	b.wait("the DM", `document.querySelector('#composer-main textarea').placeholder === 'Message prepbot' && !document.querySelector('#sb-app').classList.contains('unread')`)
	b.wait("the practice question", paneHas("Reply with your answer"))
	b.say("main", "An index is a sorted structure: reads get faster, writes pay for it.")
	b.wait("the reference answer", `!!document.querySelector('#pane-list .msg .bk-btn[data-action-id="prep_rate_good"]')`)
	b.press("#pane-list .msg .bk-btn", "Good")
	b.wait("the rating", paneHas("Rated good."))
	b.shot("07-dm-practice")

	// App Home shows her record.
	b.click("open App Home", "#sb-home")
	b.wait("App Home", `document.querySelector('.home')?.innerText.includes('Your interview practice') && /\d+ answered/.test(document.querySelector('.home').innerText)`)
	home := eval[string](b, `document.querySelector('.home').innerText`)
	if m := regexp.MustCompile(`(\d+) answered`).FindStringSubmatch(home); m == nil || m[1] == "0" {
		t.Errorf("App Home does not count Ada's answers:\n%s", home)
	} else if n, _ := strconv.Atoi(m[1]); n != 2 {
		t.Errorf("App Home says %d answered; want 2 (the thread and the DM)", n)
	}
	b.shot("08-app-home")

	b.checkNoErrors()
	t.Logf("the tour took %v", time.Since(began).Round(time.Millisecond))
	if os.Getenv("PREPBOT_UPDATE_SCREENSHOT") == "1" && thread != "" {
		png, err := os.ReadFile(thread)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "playground.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated docs/playground.png")
	}
}

// TestBrowserMockRound runs a mock interview round in Chromium: Ines turns
// rounds on, Ada and Grace join, a round pairs them in a group DM only they
// see, the interviewer sends the form (radio buttons and selects), and
// Ines's insights arrive as two charts shown inline.
func TestBrowserMockRound(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	e := newEnv(t, "")
	b.do("open the page", chromedp.Navigate(e.srv.URL+"/#user="+playground.Instructor+"&view=cohort"))
	b.wait("the page", `document.querySelector('.switch-user.active')?.dataset.user === 'UINES'`)
	b.say("main", "/prep mock on")
	b.wait("rounds on", paneHas("Mock interviews are on"))
	for _, u := range []string{playground.Ada, playground.Grace} {
		b.as(u)
		b.say("main", "/prep mock join")
		b.wait("joined", paneHas("You're in the mock interviews"))
	}
	b.as(playground.Instructor)
	b.say("main", "/prep mock now")
	b.wait("the announcement", paneHas("This week's mock interviews"))
	if !eval[bool](b, `document.querySelector('#sb-groups-section').hidden`) {
		t.Errorf("Ines, who is not in the pair, has group DMs in her sidebar")
	}

	// Ada's sidebar has the new group DM, unread; it holds the intro.
	b.as(playground.Ada)
	b.wait("the group DM in the sidebar", `!document.querySelector('#sb-groups-section').hidden && document.querySelector('#sb-groups .sb-group.unread')?.innerText.includes('Grace')`)
	b.click("open the group DM", "#sb-groups .sb-group")
	b.wait("the intro", paneHas("Mock interview, round 1")+` && document.querySelector('#pane-head').innerText.includes('Grace')`)
	b.shot("20-mock-group-dm")
	interviewer := playground.Grace
	if eval[bool](b, paneHas("@Ada interviews")) {
		interviewer = playground.Ada
	}

	// The interviewer opens the form from the group DM.
	b.as(interviewer)
	b.click("open the group DM", "#sb-groups .sb-group")
	b.wait("the intro", paneHas("Mock interview, round 1"))
	b.press("#pane-list .msg .bk-btn", "How did it go?")
	b.wait("the form", `!document.querySelector('#modal').hidden && document.querySelectorAll('#modal .bk-radios input[type=radio]').length === 2 && document.querySelectorAll('#modal select.bk-control').length === 3`)
	// Sent without saying whether it happened, it comes back with the
	// bot's error under the radio buttons.
	b.click("send the form empty", "#modal-submit")
	b.wait("the field error", `document.querySelector('#modal .bk-input.has-error .bk-error')?.textContent.includes('Say whether the interview happened')`)
	b.click("it happened", `#modal .bk-radios input[value="yes"]`)
	eval[bool](b, `(document.querySelectorAll('#modal select.bk-control').forEach((s) => { s.value = 'hard'; s.dispatchEvent(new Event('change', {bubbles: true})); }), true)`)
	b.do("write a note", chromedp.SendKeys(chromedp.CSS("#modal textarea.bk-control"), "Good structure; give the why first."))
	b.shot("21-mock-form")
	b.click("send the form", "#modal-submit")
	b.wait("the form closed", `document.querySelector('#modal').hidden`)
	b.click("open the DM", "#sb-app")
	b.wait("the confirmation", paneHas("3 ratings went into the review deck"))

	// Ines's insights: two PNG charts, shown inline in her DM.
	b.as(playground.Instructor)
	b.click("open #cohort", "#sb-cohort")
	b.say("main", "/prep insights")
	b.wait("the insights", paneHas("This cohort"))
	b.click("open the DM", "#sb-app")
	b.wait("two charts, loaded", `(() => { const imgs = [...document.querySelectorAll('#pane-list .file-image img')]; return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 200); })()`)
	b.shot("22-insight-charts")
	b.checkNoErrors()
}

// TestBrowserRendersMrkdwn checks the page's mrkdwn renderer against what
// Slack shows, in the browser that runs it.
func TestBrowserRendersMrkdwn(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	e := newEnv(t, "")
	b.do("open the page", chromedp.Navigate(e.srv.URL+"/#user="+playground.Ada))
	b.wait("the page", `!!window.Mrkdwn && !!document.querySelector('.switch-user.active')`)
	const link = `class="mk-link" target="_blank" rel="noopener noreferrer"`
	for _, tc := range []struct{ in, want string }{
		{"*bold* _italic_ ~strike~", `<div class="mk-line"><b>bold</b> <i>italic</i> <s>strike</s></div>`},
		{"*bold with `code` inside*", `<div class="mk-line"><b>bold with <code class="mk-code">code</code> inside</b></div>`},
		{"*_both_*", `<div class="mk-line"><b><i>both</i></b></div>`},
		{"snake_case_name and 2 * 3 * 4", `<div class="mk-line">snake_case_name and 2 * 3 * 4</div>`},
		{"`*not bold*` here", `<div class="mk-line"><code class="mk-code">*not bold*</code> here</div>`},
		{"a &lt;b&gt; &amp;amp; c", `<div class="mk-line">a &lt;b&gt; &amp;amp; c</div>`},
		{"<https://example.com/a?b=1&amp;c=2|the docs>", `<div class="mk-line"><a ` + strings.Replace(link, `class="mk-link"`, `class="mk-link" href="https://example.com/a?b=1&amp;c=2"`, 1) + `>the docs</a></div>`},
		{"<mailto:ada@example.com>", `<div class="mk-line"><a ` + strings.Replace(link, `class="mk-link"`, `class="mk-link" href="mailto:ada@example.com"`, 1) + `>ada@example.com</a></div>`},
		{"<javascript:alert(1)|x>", `<div class="mk-line">&lt;javascript:alert(1)|x&gt;</div>`},
		{"<script>alert(1)</script>", `<div class="mk-line">&lt;script&gt;alert(1)&lt;/script&gt;</div>`},
		{`"><img src=x onerror=alert(1)>`, `<div class="mk-line">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</div>`},
		{"<@UADA> and <!here>", `<div class="mk-line"><span class="mk-mention">@Ada</span> and <span class="mk-mention mk-broadcast">@here</span></div>`},
		{":white_check_mark: done, :no_such_emoji: stays", `<div class="mk-line"><span class="emoji" title=":white_check_mark:">✅</span> done, :no_such_emoji: stays</div>`},
		{"• one\n• two *b*", `<div class="mk-li mk-d0"><span class="mk-bullet">•</span><span class="mk-li-text">one</span></div><div class="mk-li mk-d0"><span class="mk-bullet">•</span><span class="mk-li-text">two <b>b</b></span></div>`},
		{"&gt; quoted\n&gt; twice\nafter", `<blockquote class="mk-quote"><div class="mk-line">quoted</div><div class="mk-line">twice</div></blockquote><div class="mk-line">after</div>`},
		{"Before\n```\nif a &lt; b {\n  *x*\n}\n```\nAfter", `<div class="mk-line">Before</div><pre class="mk-pre">if a &lt; b {
  *x*
}</pre><div class="mk-line">After</div>`},
		{"one\n\ntwo", `<div class="mk-line">one</div><div class="mk-line mk-empty"><br></div><div class="mk-line">two</div>`},
		{"```unclosed", `<div class="mk-line">` + "```" + `unclosed</div>`},
	} {
		if got := eval[string](b, `Mrkdwn.mrkdwn(`+js(tc.in)+`)`); got != tc.want {
			t.Errorf("mrkdwn(%q) =\n%s\nwant\n%s", tc.in, got, tc.want)
		}
	}

	// The bot's own Block Kit (its golden files) renders with no unknown
	// block, buttons styled as Slack styles them.
	for _, name := range []string{"qotd", "ask", "answer-jwt", "home"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "bot", "render", "testdata", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		expr := `(() => { const v = ` + string(raw) + `; return Mrkdwn.blocks(Array.isArray(v) ? v : v.blocks); })()`
		html := eval[string](b, expr)
		if strings.Contains(html, "bk-unknown") || !strings.Contains(html, "bk-") {
			t.Errorf("%s renders badly:\n%s", name, html)
		}
		if strings.Contains(string(raw), `"style": "primary"`) && !strings.Contains(html, `class="bk-btn bk-primary"`) {
			t.Errorf("%s: a primary button is not styled primary:\n%s", name, html)
		}
	}
	b.checkNoErrors()
}

// TestBrowserTopBarAtPhoneWidth checks that at a phone's width (420 px) the
// top bar's brand, clock and user switcher each keep a place of their own:
// no two of their boxes overlap, and none runs off the screen.
func TestBrowserTopBarAtPhoneWidth(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	e := newEnv(t, "")
	const width = 420
	b.do("phone width", chromedp.EmulateViewport(width, 860))
	b.do("open the page", chromedp.Navigate(e.srv.URL+"/#user="+playground.Ada))
	b.wait("the page", `!!document.querySelector('.switch-user.active') && document.querySelector('#clock-now').innerText !== '…'`)

	// The screenshot is taken whether or not PREPBOT_SCREENSHOTS keeps it:
	// it is what a person looking at the bar would judge.
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot at %d px: %v", width, err)
	}
	if w := pngWidth(png); w != width {
		t.Errorf("screenshot is %d px wide; want %d", w, width)
	}
	if b.shots != "" {
		if err := os.WriteFile(filepath.Join(b.shots, "topbar-420.png"), png, 0o644); err != nil {
			t.Errorf("save screenshot: %v", err)
		}
	}

	type box struct {
		Name                     string
		Left, Top, Right, Bottom float64
	}
	// Every visible element of the bar that a person reads or presses: the
	// brand, the clock's time and buttons, each user of the switcher.
	boxes := eval[[]box](b, `[...document.querySelectorAll('.topbar .brand, .topbar .clock-now, .topbar .clock-next, .topbar .tb-btn, .topbar .switch-label, .topbar .switch-user')]
		.filter(e => e.getClientRects().length > 0)
		.map(e => { const r = e.getBoundingClientRect(); return {Name: (e.className + ' ' + (e.dataset.user || e.innerText)).trim(), Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom}; })`)
	if len(boxes) < 4 {
		t.Fatalf("the bar shows %d elements: %+v; want the brand, the clock and the users", len(boxes), boxes)
	}
	for i, a := range boxes {
		if a.Left < 0 || a.Right > width {
			t.Errorf("%q spans %.0f..%.0f px: off a %d px screen", a.Name, a.Left, a.Right, width)
		}
		for _, c := range boxes[i+1:] {
			if a.Left < c.Right && c.Left < a.Right && a.Top < c.Bottom && c.Top < a.Bottom {
				t.Errorf("%q %+v overlaps %q %+v", a.Name, a, c.Name, c)
			}
		}
	}
	b.checkNoErrors()
}

// pngWidth returns the width in a PNG's header, or 0.
func pngWidth(png []byte) int {
	if len(png) < 24 {
		return 0
	}
	return int(png[16])<<24 | int(png[17])<<16 | int(png[18])<<8 | int(png[19])
}
