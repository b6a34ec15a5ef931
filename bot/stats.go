package bot

import (
	"context"
	"time"

	"github.com/prepbot/prepbot/bot/insights"
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

// cmdInsights is /prep insights: what this cohort needs, for its admins.
func (b *Bot) cmdInsights(ctx context.Context, c call) (reply, error) {
	if isDM(c.ChannelID) {
		return reply{}, userErrorf("Insights are about a cohort channel: run `%s insights` there.", c.Command)
	}
	r, err := insights.Build(b.store, b.question, c.ChannelID, b.clock.Now(), b.channelZone(c.ChannelID))
	if err != nil {
		return reply{}, err
	}
	if r.Members == 0 {
		return reply{Text: "Nobody has answered a question of the day or done a mock interview here yet, so there is nothing to show."}, nil
	}
	b.goSlow(func(ctx context.Context) {
		if err := b.sendInsightCharts(ctx, c.UserID, c.ChannelID, r); err != nil {
			b.log.Error("insight charts", "channel", c.ChannelID, "err", err)
		}
	})
	text := render.Insights(r, func(u string) string { return b.displayName(ctx, u) })
	return reply{Text: text + "\n\n:bar_chart: Charts of these figures are on their way to our DM."}, nil
}
