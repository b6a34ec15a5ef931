package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"
)

// onForget deletes everything stored about the user who confirmed.
func (b *Bot) onForget(ctx context.Context, cb slack.InteractionCallback) error {
	f, err := b.store.ForgetUser(ctx, cb.User.ID)
	if err != nil {
		return err
	}
	b.log.Info("user data deleted on request", "user", cb.User.ID)
	text := fmt.Sprintf("Done. I deleted %d practice card(s), %d DM answer(s), %d thread answer(s), %d practice state, %d reminder and %d report(s).",
		f.Cards, f.Answers, f.Replies, f.Practice, f.Reminders, f.Reports)
	if err := b.interactionReply(ctx, cb, reply{Text: text}); err != nil {
		return err
	}
	return b.publishHome(ctx, cb.User.ID)
}

// exportUser sends the user a JSON file of everything stored about them,
// in their DM (Slack's external upload flow).
func (b *Bot) exportUser(ctx context.Context, user, dm string) error {
	data, err := b.store.ExportUser(user)
	if err != nil {
		return err
	}
	raw, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return err
	}
	channel := dm
	if channel == "" {
		ch, _, _, err := b.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
		if err != nil {
			return fmt.Errorf("open DM: %w", err)
		}
		channel = ch.ID
	}
	_, err = b.slack.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "prepbot-export.json", Title: "Everything prepbot keeps about you",
		Content: string(raw), FileSize: len(raw), Channel: cmp.Or(channel, user),
		InitialComment: "Here is everything I keep about you (JSON).",
	})
	if err != nil {
		return fmt.Errorf("upload export: %w", err)
	}
	return nil
}
