package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
)

// Outgoing text. Every message the bot sends is a reply (text plus blocks)
// and leaves through post, update or respond; bank and user text enter it
// only through the renderers (mrkdwn.Escape, mrkdwn.Convert, titled), so
// "<!channel>" or "<@U…>" typed into a question or a report shows as typed
// and never notifies anyone. The bot itself writes user mentions (<@U…>) on
// purpose, but never a broadcast: noBroadcast defuses any "<!" that reaches
// a message's text anyway, as a last line of defence.

// titled is notification text naming a question: "Question of the day: …".
func titled(prefix string, q questions.Question) string {
	return prefix + mrkdwn.Escape(q.Text)
}

// noBroadcast makes any special mention in s (<!channel>, <!here>,
// <!everyone>, <!subteam^…>) show as text.
func noBroadcast(s string) string { return strings.ReplaceAll(s, "<!", "&lt;!") }

// msgOptions turns a reply into chat.postMessage / chat.update options.
func msgOptions(m reply) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(noBroadcast(m.Text), false)}
	if len(m.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(m.Blocks...))
	}
	return opts
}

// post sends m to channel (a channel, a DM or a user ID) and returns its ts.
// extra adds options such as a thread (slack.MsgOptionTS).
func (b *Bot) post(ctx context.Context, channel string, m reply, extra ...slack.MsgOption) (string, error) {
	_, ts, err := b.slack.PostMessageContext(ctx, channel, append(msgOptions(m), extra...)...)
	return ts, err
}

// update replaces the message at ts in channel with m.
func (b *Bot) update(ctx context.Context, channel, ts string, m reply) error {
	_, _, _, err := b.slack.UpdateMessageContext(ctx, channel, ts, msgOptions(m)...)
	return err
}
