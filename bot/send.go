package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/render"
)

// Outgoing messages. Every message the bot sends is a render.Message and
// leaves through post, update or respond, which apply render.NoBroadcast to
// its text; bank and user text enter messages only through package render,
// which escapes it.

// reply is a message for one person or a channel.
type reply = render.Message

// msgOptions turns a reply into chat.postMessage / chat.update options.
func msgOptions(m reply) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(render.NoBroadcast(m.Text), false)}
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
