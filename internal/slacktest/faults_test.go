package slacktest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestFailNext(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter int
		slackErr   string
		check      func(t *testing.T, err error)
	}{
		{"429", http.StatusTooManyRequests, 7, "", func(t *testing.T, err error) {
			var rl *slack.RateLimitedError
			if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second {
				t.Errorf("err = %v; want a RateLimitedError with RetryAfter 7s", err)
			}
		}},
		{"503", http.StatusServiceUnavailable, 0, "", func(t *testing.T, err error) {
			var sc slack.StatusCodeError
			if !errors.As(err, &sc) || sc.Code != http.StatusServiceUnavailable {
				t.Errorf("err = %v; want StatusCodeError 503", err)
			}
		}},
		{"slack error", http.StatusOK, 0, "channel_not_found", func(t *testing.T, err error) {
			if err == nil || err.Error() != "channel_not_found" {
				t.Errorf("err = %v; want channel_not_found", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newAPIWorld(t)
			before := len(w.s.Messages("C0COHORT"))
			w.s.FailNext("chat.postMessage", tc.status, tc.retryAfter, tc.slackErr)
			_, _, err := w.api.PostMessageContext(ctxT(t), "C0COHORT", slack.MsgOptionText("x", false))
			tc.check(t, err)
			if got := len(w.s.Messages("C0COHORT")); got != before {
				t.Errorf("a failed post was posted: %d messages; want %d", got, before)
			}
			calls := w.s.Calls("chat.postMessage")
			if last := calls[len(calls)-1]; last.Status != tc.status || last.Error == "" {
				t.Errorf("recorded call = %d %q; want %d with an error", last.Status, last.Error, tc.status)
			}
			// Only the next call fails.
			if _, _, err := w.api.PostMessageContext(ctxT(t), "C0COHORT", slack.MsgOptionText("x", false)); err != nil {
				t.Errorf("the call after: %v; want ok", err)
			}
		})
	}
}

func TestFailNextQueuesPerMethod(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	w.s.FailNext("users.info", http.StatusOK, 0, "user_not_found")
	w.s.FailNext("users.info", http.StatusTooManyRequests, 1, "")
	if _, _, err := w.api.PostMessageContext(ctxT(t), "C0COHORT", slack.MsgOptionText("x", false)); err != nil {
		t.Fatalf("another method: %v; want ok", err)
	}
	var got []string
	for range 3 {
		_, err := w.api.GetUserInfoContext(ctxT(t), "U0ANA")
		got = append(got, errString(err))
	}
	want := []string{"user_not_found", "slack rate limit exceeded, retry after 1s", ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("three users.info calls = %q; want %q", got, want)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestHangUpAfterNext(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	w.s.HangUpAfterNext("chat.postMessage")
	_, _, err := w.api.PostMessageContext(ctxT(t), "C0COHORT", slack.MsgOptionText("posted, unheard", false))
	if err == nil {
		t.Fatalf("PostMessage = nil error; want the connection dropped")
	}
	msgs := w.s.Messages("C0COHORT")
	if last := msgs[len(msgs)-1]; last.Text != "posted, unheard" {
		t.Errorf("last message %q; want the post to have taken effect", last.Text)
	}
	calls := w.s.Calls("chat.postMessage")
	if last := calls[len(calls)-1]; last.Error != "hung_up" {
		t.Errorf("recorded call error %q; want hung_up", last.Error)
	}
	if _, _, err := w.api.PostMessageContext(ctxT(t), "C0COHORT", slack.MsgOptionText("next", false)); err != nil {
		t.Errorf("the call after: %v; want ok", err)
	}
}

func TestSetDelay(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"users.info", "*"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			w := newAPIWorld(t)
			// An hour: the call cannot be answered before the client gives
			// up, however slow the machine.
			w.s.SetDelay(method, time.Hour)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			if _, err := w.api.GetUserInfoContext(ctx, "U0ANA"); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("delayed users.info: %v; want the client's deadline", err)
			}
			w.s.SetDelay(method, 0)
			if _, err := w.api.GetUserInfoContext(ctxT(t), "U0ANA"); err != nil {
				t.Errorf("after SetDelay 0: %v; want ok", err)
			}
		})
	}
}

func TestSetDelayIsPerMethod(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	w.s.SetDelay("users.info", time.Hour)
	if _, err := w.api.GetConversationInfoContext(ctxT(t), &slack.GetConversationInfoInput{ChannelID: "C0COHORT"}); err != nil {
		t.Errorf("conversations.info while users.info is delayed: %v; want ok", err)
	}
}
