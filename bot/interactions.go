package bot

import (
	"context"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// onInteraction handles a button press or a modal submission.
func (b *Bot) onInteraction(ctx context.Context, cb slack.InteractionCallback) {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		for _, a := range cb.ActionCallback.BlockActions {
			b.log.Debug("button not handled", "action_id", a.ActionID)
		}
	default:
		b.log.Debug("interaction not handled", "type", string(cb.Type))
	}
}

// onAppHomeOpened publishes the user's App Home.
func (b *Bot) onAppHomeOpened(ctx context.Context, e *slackevents.AppHomeOpenedEvent) {
	b.log.Debug("app home opened", "user", e.User)
}

// onDM handles a person's message in their DM with the bot.
func (b *Bot) onDM(ctx context.Context, m *slackevents.MessageEvent) {
	if _, _, err := b.api.PostMessageContext(ctx, m.Channel, slack.MsgOptionText(usage(""), false)); err != nil {
		b.log.Error("answer DM", "err", err)
	}
}
