package slacktest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/internal/slacktest"
)

// apiWorld is a fake with a cohort, a question of the day the bot posted
// and Ana's reply in its thread, and a slack-go client on it as the bot
// has.
type apiWorld struct {
	s        *slacktest.Server
	api      *slack.Client
	parentTS string
	replyTS  string
}

func newAPIWorld(t *testing.T) *apiWorld {
	t.Helper()
	s := newFake(t, slacktest.Options{})
	withCohort(t, s)
	posted := call(t, s, "chat.postMessage", map[string]any{"channel": "C0COHORT", "text": "Question of the day"})
	parent, _ := posted.body["ts"].(string)
	if parent == "" {
		t.Fatalf("chat.postMessage = %s; want a ts", posted.raw)
	}
	reply := s.UserMessage("C0COHORT", "U0ANA", "A hash map.", parent, false)
	api := slack.New(s.BotToken(), slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken(s.AppToken()))
	return &apiWorld{s: s, api: api, parentTS: parent, replyTS: reply.TS}
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Where the fake knowingly leaves Slack's sample shape, and why.
var shapeExceptions = map[string]map[string]string{
	// Slack's sample is a channel's; an IM's conversation object also names
	// the other member (docs.slack.dev/reference/objects/conversation-object).
	"conversations.info": {"channel.user": "IMs carry the other member"},
}

type apiCase struct {
	method string
	params func(w *apiWorld) map[string]any
	// slackGo calls the method as the bot does and checks what slack-go
	// decoded.
	slackGo func(t *testing.T, w *apiWorld)
}

var apiCases = []apiCase{
	{"auth.test", func(*apiWorld) map[string]any { return nil }, func(t *testing.T, w *apiWorld) {
		r, err := w.api.AuthTestContext(ctxT(t))
		if err != nil || r.UserID != slacktest.BotUserID || r.BotID != slacktest.BotID || r.TeamID != slacktest.TeamID {
			t.Errorf("AuthTest = %+v, %v; want the bot of the fake's team", r, err)
		}
	}},
	{"chat.postMessage", func(*apiWorld) map[string]any {
		return map[string]any{"channel": "C0COHORT", "text": "hello", "blocks": []any{section("hello")}}
	}, func(t *testing.T, w *apiWorld) {
		ch, ts, err := w.api.PostMessageContext(ctxT(t), "C0COHORT", slack.MsgOptionText("hi", false), slack.MsgOptionTS(w.parentTS))
		if err != nil || ch != "C0COHORT" || slacktest.TSMicros(ts) == 0 {
			t.Errorf("PostMessage = %q, %q, %v; want C0COHORT and a ts", ch, ts, err)
		}
		msgs := w.s.Messages("C0COHORT")
		if last := msgs[len(msgs)-1]; last.TS != ts || last.ThreadTS != w.parentTS || last.Text != "hi" {
			t.Errorf("last message = %+v; want the reply in the thread", last)
		}
	}},
	{"chat.postEphemeral", func(*apiWorld) map[string]any {
		return map[string]any{"channel": "C0COHORT", "user": "U0ANA", "text": "only you"}
	}, func(t *testing.T, w *apiWorld) {
		ts, err := w.api.PostEphemeralContext(ctxT(t), "C0COHORT", "U0ANA", slack.MsgOptionText("only you", false))
		if err != nil || slacktest.TSMicros(ts) == 0 {
			t.Errorf("PostEphemeral = %q, %v; want a message_ts", ts, err)
		}
		if e := w.s.Ephemerals("U0ANA"); len(e) == 0 || e[len(e)-1].Text != "only you" {
			t.Errorf("Ephemerals(U0ANA) = %+v; want the message", e)
		}
	}},
	{"chat.update", func(w *apiWorld) map[string]any {
		return map[string]any{"channel": "C0COHORT", "ts": w.parentTS, "text": "edited"}
	}, func(t *testing.T, w *apiWorld) {
		ch, ts, text, err := w.api.UpdateMessageContext(ctxT(t), "C0COHORT", w.parentTS, slack.MsgOptionText("edited again", false))
		if err != nil || ch != "C0COHORT" || ts != w.parentTS || text != "edited again" {
			t.Errorf("UpdateMessage = %q, %q, %q, %v; want the edited question", ch, ts, text, err)
		}
	}},
	{"chat.delete", func(w *apiWorld) map[string]any {
		return map[string]any{"channel": "C0COHORT", "ts": w.parentTS}
	}, func(t *testing.T, w *apiWorld) {
		posted := call(t, w.s, "chat.postMessage", map[string]any{"channel": "C0COHORT", "text": "gone soon"})
		ts, _ := posted.body["ts"].(string)
		ch, got, err := w.api.DeleteMessageContext(ctxT(t), "C0COHORT", ts)
		if err != nil || ch != "C0COHORT" || got != ts {
			t.Errorf("DeleteMessage = %q, %q, %v; want it deleted", ch, got, err)
		}
	}},
	{"views.publish", func(*apiWorld) map[string]any {
		return map[string]any{"user_id": "U0ANA", "view": map[string]any{"type": "home", "blocks": []any{section("Your practice")}}}
	}, func(t *testing.T, w *apiWorld) {
		r, err := w.api.PublishViewContext(ctxT(t), slack.PublishViewContextRequest{UserID: "U0ANA", View: slack.HomeTabViewRequest{
			Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Streak: 3", false, false), nil, nil)}},
		}})
		if err != nil || r.View.ID == "" || r.View.Type != slack.VTHomeTab {
			t.Errorf("PublishView = %+v, %v; want a home view with an ID", r, err)
		}
		if !strings.Contains(string(w.s.HomeView("U0ANA")), "Streak: 3") {
			t.Errorf("HomeView(U0ANA) = %s; want the published view", w.s.HomeView("U0ANA"))
		}
	}},
	{"views.open", func(*apiWorld) map[string]any {
		return map[string]any{"trigger_id": "trig.1", "view": modal("Add a question")}
	}, func(t *testing.T, w *apiWorld) {
		r, err := w.api.OpenViewContext(ctxT(t), "trig.2", slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject("plain_text", "Add a question", false, false)})
		if err != nil || r.View.ID == "" || r.View.Type != slack.VTModal {
			t.Errorf("OpenView = %+v, %v; want a modal with an ID", r, err)
		}
	}},
	{"views.update", func(*apiWorld) map[string]any {
		return map[string]any{"view_id": "V1", "view": modal("Saved")}
	}, func(t *testing.T, w *apiWorld) {
		r, err := w.api.UpdateViewContext(ctxT(t), slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject("plain_text", "Saved", false, false)}, "", "", "V1")
		if err != nil || r.View.ID == "" {
			t.Errorf("UpdateView = %+v, %v; want a view", r, err)
		}
	}},
	{"users.info", func(*apiWorld) map[string]any { return map[string]any{"user": "U0ANA"} }, func(t *testing.T, w *apiWorld) {
		u, err := w.api.GetUserInfoContext(ctxT(t), "U0BO")
		if err != nil || u.ID != "U0BO" || u.Name != "bo" || u.RealName != "Bo Chen" || !u.IsAdmin || u.TZ != "America/New_York" || u.Profile.RealName != "Bo Chen" {
			t.Errorf("GetUserInfo(U0BO) = %+v, %v; want Bo, an admin in New York", u, err)
		}
		ana, err := w.api.GetUserInfoContext(ctxT(t), "U0ANA")
		if err != nil || ana.TZ != "Europe/Lisbon" || ana.IsAdmin {
			t.Errorf("GetUserInfo(U0ANA) = %+v, %v; want Ana in Lisbon", ana, err)
		}
	}},
	{"conversations.open", func(*apiWorld) map[string]any { return map[string]any{"users": "U0ANA"} }, func(t *testing.T, w *apiWorld) {
		c, _, _, err := w.api.OpenConversationContext(ctxT(t), &slack.OpenConversationParameters{Users: []string{"U0ANA"}})
		if err != nil || c.ID != "DU0ANA" {
			t.Errorf("OpenConversation(U0ANA) = %+v, %v; want DU0ANA", c, err)
		}
	}},
	{"conversations.info", func(*apiWorld) map[string]any { return map[string]any{"channel": "C0COHORT"} }, func(t *testing.T, w *apiWorld) {
		c, err := w.api.GetConversationInfoContext(ctxT(t), &slack.GetConversationInfoInput{ChannelID: "C0COHORT"})
		if err != nil || c.ID != "C0COHORT" || c.Name != "cohort-1" || !c.IsMember || c.IsArchived || !c.IsChannel {
			t.Errorf("GetConversationInfo = %+v, %v; want cohort-1 with the bot in it", c, err)
		}
		w.s.SetChannel("C0COHORT", func(c *slacktest.Channel) { c.IsArchived = true })
		c, err = w.api.GetConversationInfoContext(ctxT(t), &slack.GetConversationInfoInput{ChannelID: "C0COHORT"})
		if err != nil || !c.IsArchived {
			t.Errorf("GetConversationInfo after archiving = %+v, %v; want archived", c, err)
		}
	}},
	{"conversations.replies", func(w *apiWorld) map[string]any {
		return map[string]any{"channel": "C0COHORT", "ts": w.parentTS}
	}, func(t *testing.T, w *apiWorld) {
		msgs, more, _, err := w.api.GetConversationRepliesContext(ctxT(t), &slack.GetConversationRepliesParameters{ChannelID: "C0COHORT", Timestamp: w.parentTS})
		if err != nil || more || len(msgs) != 2 || msgs[0].Timestamp != w.parentTS || msgs[1].Timestamp != w.replyTS || msgs[1].User != "U0ANA" || msgs[1].ThreadTimestamp != w.parentTS {
			t.Errorf("GetConversationReplies = %+v, %v, %v; want the question and Ana's reply", msgs, more, err)
		}
	}},
	{"users.list", func(*apiWorld) map[string]any { return map[string]any{"limit": 2} }, func(t *testing.T, w *apiWorld) {
		for i := range 5 {
			w.s.AddUser(slacktest.User{ID: fmt.Sprintf("U1%04d", i)})
		}
		p := w.api.GetUsersPaginated(slack.GetUsersOptionLimit(3))
		var ids []string
		pages := 0
		for {
			var err error
			p, err = p.Next(ctxT(t))
			if p.Done(err) {
				break
			}
			if err != nil {
				t.Fatalf("users.list page %d: %v", pages+1, err)
			}
			pages++
			for _, u := range p.Users {
				ids = append(ids, u.ID)
			}
		}
		// Ana, Bo, the bot and five more, three a page, each once.
		want := []string{"U0ANA", "U0BO", "U0PREPBOT", "U10000", "U10001", "U10002", "U10003", "U10004"}
		if strings.Join(ids, ",") != strings.Join(want, ",") || pages != 3 {
			t.Errorf("users.list pages = %d with %q; want 3 pages with %q", pages, ids, want)
		}
		if a := call(t, w.s, "users.list", map[string]any{"cursor": "not-a-cursor"}); a.err() != "invalid_cursor" {
			t.Errorf("users.list with a bad cursor = %s; want invalid_cursor", a.raw)
		}
	}},
	{"files.getUploadURLExternal", func(*apiWorld) map[string]any {
		return map[string]any{"filename": "export.json", "length": 2}
	}, func(t *testing.T, w *apiWorld) {
		ctx := ctxT(t)
		r, err := w.api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "export.json", FileSize: 2})
		if err != nil || r.FileID == "" || !strings.HasPrefix(r.UploadURL, w.s.URL()) {
			t.Fatalf("GetUploadURLExternal = %+v, %v; want a file ID and an upload URL on the fake", r, err)
		}
		if err := w.api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: r.UploadURL, Filename: "export.json", Content: "{}"}); err != nil {
			t.Fatalf("upload: %v", err)
		}
		done, err := w.api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: r.FileID, Title: "Your data"}}, Channel: "DU0ANA"})
		if err != nil || len(done.Files) != 1 || done.Files[0].ID != r.FileID {
			t.Fatalf("CompleteUploadExternal = %+v, %v; want the file", done, err)
		}
		if u := w.s.Uploads(); len(u) != 1 || string(u[0].Content) != "{}" || u[0].Channel != "DU0ANA" {
			t.Errorf("Uploads() = %+v; want the export in Ana's DM", u)
		}
	}},
}

func TestWebAPIAnswersLikeSlack(t *testing.T) {
	t.Parallel()
	for _, tc := range apiCases {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			w := newAPIWorld(t)
			a := call(t, w.s, tc.method, tc.params(w))
			if a.status != http.StatusOK || !a.ok() {
				t.Fatalf("%s: HTTP %d %s; want ok", tc.method, a.status, a.raw)
			}
			checkShape(t, "api."+tc.method, a.body, shapeExceptions[tc.method])
			tc.slackGo(t, w)
			if u := w.s.Unexpected(); len(u) > 0 {
				t.Errorf("Unexpected() = %q", u)
			}
		})
	}
}

func TestWebAPIErrorsLikeSlack(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	for _, tc := range []struct {
		method string
		params map[string]any
		want   string
	}{
		{"chat.postMessage", map[string]any{"channel": "C0NOPE", "text": "x"}, "channel_not_found"},
		{"chat.update", map[string]any{"channel": "C0COHORT", "ts": "1.000001", "text": "x"}, "message_not_found"},
		{"users.info", map[string]any{"user": "U0NOPE"}, "user_not_found"},
		{"conversations.info", map[string]any{"channel": "C0NOPE"}, "channel_not_found"},
		{"conversations.replies", map[string]any{"channel": "C0COHORT", "ts": "1.000001"}, "thread_not_found"},
		{"views.publish", map[string]any{"user_id": "U0ANA", "view": map[string]any{"type": "home", "blocks": sections(101)}}, "invalid_arguments"},
	} {
		a := call(t, w.s, tc.method, tc.params)
		if a.ok() || a.err() != tc.want {
			t.Errorf("%s = %s; want error %s", tc.method, a.raw, tc.want)
			continue
		}
		if tc.method != "conversations.history" {
			checkShape(t, "api."+tc.method, a.body, nil)
		}
	}
	w.s.SetChannel("C0COHORT", func(c *slacktest.Channel) { c.IsArchived = true })
	if _, _, err := w.api.PostMessageContext(ctxT(t), "C0COHORT", slack.MsgOptionText("x", false)); err == nil || err.Error() != "is_archived" {
		t.Errorf("PostMessage to an archived channel: %v; want is_archived", err)
	}
	w.s.SetChannel("C0COHORT", func(c *slacktest.Channel) { c.IsArchived, c.BotMember = false, false })
	if _, _, err := w.api.PostMessageContext(ctxT(t), "C0COHORT", slack.MsgOptionText("x", false)); err == nil || err.Error() != "not_in_channel" {
		t.Errorf("PostMessage to a channel without the bot: %v; want not_in_channel", err)
	}
}

func TestConversationsHistory(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	a := call(t, w.s, "conversations.history", map[string]any{"channel": "C0COHORT"})
	// Slack's samples have no conversations.history; its answer is shaped
	// like conversations.replies (messages, has_more, response_metadata).
	checkShape(t, "api.conversations.replies", a.body, nil)
	r, err := w.api.GetConversationHistoryContext(ctxT(t), &slack.GetConversationHistoryParameters{ChannelID: "C0COHORT"})
	if err != nil || len(r.Messages) != 1 || r.Messages[0].Timestamp != w.parentTS {
		t.Errorf("GetConversationHistory = %+v, %v; want only the top-level question (replies stay in the thread)", r, err)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	for _, tc := range []struct {
		method, token, want string
	}{
		{"auth.test", "", "not_authed"},
		{"auth.test", "xoxb-wrong", "invalid_auth"},
		{"auth.test", s.AppToken(), "invalid_auth"},
		{"apps.connections.open", s.BotToken(), "invalid_auth"},
		{"apps.connections.open", s.AppToken(), ""},
	} {
		a := post(t, s.APIURL()+tc.method, tc.token, map[string]any{})
		if a.err() != tc.want {
			t.Errorf("%s with %q: error %q; want %q", tc.method, tc.token, a.err(), tc.want)
		}
	}
	a := post(t, s.APIURL()+"apps.connections.open", s.AppToken(), map[string]any{})
	checkShape(t, "api.apps.connections.open", a.body, nil)
	if url, _ := a.body["url"].(string); !strings.HasPrefix(url, "ws://") {
		t.Errorf("apps.connections.open url = %q; want a ws:// URL", url)
	}
}

func TestUnknownMethodIsUnexpected(t *testing.T) {
	t.Parallel()
	s := newFake(t, slacktest.Options{})
	if a := call(t, s, "chat.scheduleMessage", map[string]any{"channel": "C0COHORT"}); a.err() != "unknown_method" {
		t.Errorf("chat.scheduleMessage = %s; want unknown_method", a.raw)
	}
	if u := s.Unexpected(); len(u) != 1 || !strings.Contains(u[0], "chat.scheduleMessage") {
		t.Errorf("Unexpected() = %q; want the unknown method", u)
	}
}

func TestCompleteUploadShape(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	got := call(t, w.s, "files.getUploadURLExternal", map[string]any{"filename": "export.json", "length": 2})
	url, _ := got.body["upload_url"].(string)
	id, _ := got.body["file_id"].(string)
	up, err := http.Post(url, "application/octet-stream", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	up.Body.Close()
	a := call(t, w.s, "files.completeUploadExternal", map[string]any{"files": []any{map[string]any{"id": id, "title": "Your data"}}, "channel_id": "DU0ANA"})
	if !a.ok() {
		t.Fatalf("files.completeUploadExternal = %s; want ok", a.raw)
	}
	checkShape(t, "api.files.completeUploadExternal", a.body, nil)
}
