package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/slack-go/slack/slackevents"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/store"
)

// Lifecycle events: a cohort channel going away (archived, deleted, or the
// bot removed from it) and the app itself being uninstalled or losing its
// bot token. Each stops the question of the day where it can no longer be
// posted by setting the schedule's Halted reason, the same state a post
// refused by Slack leaves (haltSchedule), so the scheduler skips it, the
// data stays, and an admin restarts it with `/prep schedule`.

// Halted reasons set by lifecycle events (a refused post stores Slack's
// error code instead).
const (
	haltArchived    = "channel_archived"
	haltDeleted     = "channel_deleted"
	haltRemoved     = "bot_removed"
	haltUninstalled = "app_uninstalled"
	haltRevoked     = "tokens_revoked"
)

// stoppedMark is the event ID that records that posting was stopped for an
// uninstall or a revoked token. Slack sends app_uninstalled and
// tokens_revoked together: the first one logs, the other is quiet. The
// mark lives as long as event IDs do (store.EventTTL), longer than Slack
// spreads the pair over.
const stoppedMark = "prepbot:posting-stopped"

// onChannelArchived pauses the schedule of an archived channel (public or
// private) and tells the admin who set it.
func (b *Bot) onChannelArchived(ctx context.Context, channel string) {
	b.haltForLifecycle(ctx, channel, haltArchived, func(s store.Schedule) string {
		return fmt.Sprintf(":file_cabinet: <#%s> was archived, so I paused its question of the day (`%s`). Its questions, answers and stats are kept. If it is unarchived, run `%s schedule %s` there (inviting me back with `/invite @prepbot` if I'm not in it) to restart it.",
			channel, s.Spec, cmp.Or(s.Command, render.DefaultCommand), s.Spec)
	})
}

// onChannelDeleted stops the schedule of a deleted channel and tells the
// admin who set it.
func (b *Bot) onChannelDeleted(ctx context.Context, channel string) {
	b.haltForLifecycle(ctx, channel, haltDeleted, func(s store.Schedule) string {
		return fmt.Sprintf(":wastebasket: A channel with a question of the day (`%s`) was deleted, so I stopped posting there. Its answers still count in everyone's `%s stats` and data exports. To carry on in another channel, run `%s schedule %s` there.",
			s.Spec, cmp.Or(s.Command, render.DefaultCommand), cmp.Or(s.Command, render.DefaultCommand), s.Spec)
	})
}

// onMemberLeft handles member_left_channel: a person leaving changes
// nothing (their answers stay); the bot itself being removed pauses the
// channel's schedule.
func (b *Bot) onMemberLeft(ctx context.Context, e *slackevents.MemberLeftChannelEvent) {
	if e.User == "" || e.User != b.botUserID {
		b.log.Debug("member left a channel", "channel", e.Channel)
		return
	}
	b.onBotRemoved(ctx, e.Channel)
}

// onBotRemoved pauses the schedule of a channel the bot was removed from
// (member_left_channel for the bot, channel_left, group_left: Slack may
// send any of them, and only the first one tells the admin).
func (b *Bot) onBotRemoved(ctx context.Context, channel string) {
	b.haltForLifecycle(ctx, channel, haltRemoved, func(s store.Schedule) string {
		return fmt.Sprintf(":wave: I was removed from <#%s>, so I paused its question of the day (`%s`). Invite me back with `/invite @prepbot` and run `%s schedule %s` there to restart it.",
			channel, s.Spec, cmp.Or(s.Command, render.DefaultCommand), s.Spec)
	})
}

// haltForLifecycle sets a channel's schedule Halted for reason, unless it
// has no schedule or is halted already (a second event about the same
// change, or a post Slack refused first), and then DMs the admin who set
// it the message built by tell.
func (b *Bot) haltForLifecycle(ctx context.Context, channel, reason string, tell func(store.Schedule) string) {
	b.haltMock(ctx, channel, reason) // its own admin, its own DM
	s, halted, err := b.haltIfRunning(ctx, channel, reason)
	if errors.Is(err, store.ErrNotFound) {
		b.log.Debug("lifecycle event for a channel without a schedule", "channel", channel, "reason", reason)
		return
	} else if err != nil {
		b.log.Error("pause schedule", "channel", channel, "reason", reason, "err", err)
		return
	}
	if !halted {
		return
	}
	b.log.Info("schedule paused", "channel", channel, "reason", reason, "set_by", s.SetBy)
	if s.SetBy == "" {
		return
	}
	if _, err := b.post(ctx, s.SetBy, reply{Text: tell(s)}); err != nil {
		b.log.Error("tell the admin about the paused schedule", "user", s.SetBy, "channel", channel, "err", err)
	}
}

// haltIfRunning sets the channel's schedule Halted for reason if it is not
// halted yet, and reports whether it did.
func (b *Bot) haltIfRunning(ctx context.Context, channel, reason string) (store.Schedule, bool, error) {
	var halted bool
	s, err := b.store.UpdateSchedule(ctx, channel, func(s *store.Schedule) {
		// Assigned, not accumulated: the store may run this more than once.
		halted = s.Halted == ""
		if halted {
			s.Halted = reason
		}
	})
	return s, halted, err
}

// onTokensRevoked stops posting when the bot's token is among the revoked
// ones; a person's token (prepbot holds none) changes nothing.
func (b *Bot) onTokensRevoked(ctx context.Context, e *slackevents.TokensRevokedEvent) {
	if len(e.Tokens.Bot) == 0 || (b.botUserID != "" && !slices.Contains(e.Tokens.Bot, b.botUserID)) {
		b.log.Debug("tokens revoked, not the bot's", "oauth", len(e.Tokens.Oauth), "bot", len(e.Tokens.Bot))
		return
	}
	b.stopPosting(ctx, haltRevoked)
}

// stopPosting halts every running schedule after the app was uninstalled
// or its bot token revoked: every post would now be refused, and the
// scheduler would try (and log) once a slot. Nothing is deleted, so a
// reinstall finds the cohort's history, and each schedule shows why it
// stopped. It logs once for the app_uninstalled + tokens_revoked pair.
func (b *Bot) stopPosting(ctx context.Context, reason string) {
	// Reminders too: they are DMs from an app that is no longer there.
	b.uninstalled.Store(true)
	schedules, err := b.store.Schedules()
	if err != nil {
		b.log.Error("read schedules to stop posting", "reason", reason, "err", err)
		return
	}
	n := 0
	for _, s := range schedules {
		if s.Halted != "" {
			continue
		}
		_, halted, err := b.haltIfRunning(ctx, s.Channel, reason)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			b.log.Error("stop a schedule", "channel", s.Channel, "reason", reason, "err", err)
			continue
		}
		if halted {
			n++
		}
	}
	first, err := b.store.MarkEvent(ctx, stoppedMark)
	if err != nil {
		b.log.Error("record that posting stopped", "reason", reason, "err", err)
		return
	}
	if first {
		b.log.Warn("Slack uninstalled prepbot or revoked its bot token: posting stopped, data kept; reinstall and set the schedules again to resume",
			"reason", reason, "schedules_stopped", n)
	} else {
		b.log.Debug("posting already stopped", "reason", reason, "schedules_stopped", n)
	}
}

// haltReason explains a schedule's Halted reason to people.
func haltReason(code string) string {
	switch code {
	case haltArchived:
		return "the channel was archived (unarchive it and invite me)."
	case haltDeleted:
		return "the channel was deleted."
	case haltRemoved:
		return "I was removed from the channel (invite me with `/invite @prepbot`)."
	case haltUninstalled, haltRevoked:
		return "prepbot was uninstalled or its token revoked; it has been reinstalled since."
	}
	return "Slack refused the last post (`" + code + "`): invite me with `/invite @prepbot`."
}
