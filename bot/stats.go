package bot

import (
	"context"
	"time"

	"github.com/prepbot/prepbot/bot/progress"
	"github.com/prepbot/prepbot/bot/render"
)

func (b *Bot) cmdStats(ctx context.Context, c call) (reply, error) {
	text := b.personalStats(ctx, c.UserID)
	if _, err := b.store.LatestPost(c.ChannelID); err == nil {
		parts, week, err := progress.Channel(b.store, c.ChannelID, b.clock.Now(), b.channelZone(c.ChannelID))
		if err != nil {
			return reply{}, err
		}
		text += "\n" + render.ChannelStats(c.UserID, parts, week, func(user string) string { return b.displayName(ctx, user) })
	}
	return reply{Text: text}, nil
}

// channelZone is the zone of the channel's schedule, or the default zone.
func (b *Bot) channelZone(channel string) *time.Location {
	if s, err := b.store.Schedule(channel); err == nil {
		if loc, err := time.LoadLocation(s.Zone); err == nil {
			return loc
		}
	}
	return b.cfg.Zone
}
