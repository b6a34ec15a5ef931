package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/mock"
	"github.com/prepbot/prepbot/bot/practice"
	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/bot/slots"
	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// Mock interviews (docs/MOCK.md). A round is stored, groups and questions
// included, before anything about it is sent; every message for it is then
// sent at most once: its intent is recorded first, its ts after, and an
// intent without a ts (a crash, a lost answer) is looked up in Slack before
// sending again. So a restart or a retry never re-pairs, re-announces or
// re-sends a packet, the same guarantee as the question of the day.

// defaultMockSpec is a round every Monday at 10:00.
const defaultMockSpec = "0 10 * * 1"

// mockFormWindow is how long after a round its forms are asked for.
const mockFormWindow = 7 * 24 * time.Hour

// mockRemindAfter is when a missing form is asked for again.
const mockRemindAfter = 24 * time.Hour

func mockJob(channel string, at time.Time) jobKey {
	return jobKey{channel: "mock:" + channel, slot: at.Unix()}
}

// cmdMock is `/prep mock …`.
func (b *Bot) cmdMock(ctx context.Context, c call) (reply, error) {
	if isDM(c.ChannelID) {
		return reply{}, userErrorf("Mock interviews are run in a cohort channel. Use `%s mock` there.", c.Command)
	}
	sub := ""
	if len(c.cmd.args) > 0 {
		sub = strings.ToLower(c.cmd.args[0])
	}
	switch sub {
	case "", "status":
		return b.mockStatus(ctx, c)
	case "on":
		if len(c.cmd.args) != 1 {
			return reply{}, badInputf("`mock on` takes nothing after it. To choose the day and time, use `%s mock every mon 10:00 Europe/Berlin`.", c.Command)
		}
		return b.mockSet(ctx, c, "", "")
	case "every":
		spec, zone, err := b.parseMockEvery(c.cmd.args[1:])
		if err != nil {
			return reply{}, err
		}
		return b.mockSet(ctx, c, spec, zone)
	case "off":
		cfg, err := b.store.UpdateMockConfig(ctx, c.ChannelID, func(m *store.MockConfig) bool {
			was := m.On
			m.On = false
			return was
		})
		if err != nil {
			return reply{}, err
		}
		if cfg.Spec == "" {
			return reply{Text: "There are no mock interviews in this channel."}, nil
		}
		b.wakeScheduler()
		return reply{Text: fmt.Sprintf("Mock interview rounds are off here. Everyone who joined stays in; `%s mock on` starts the rounds again.", c.Command)}, nil
	case "now":
		return b.mockNow(ctx, c)
	case "join":
		return b.mockJoin(ctx, c.ChannelID, c.UserID, c.Command)
	case "leave":
		return b.mockLeave(ctx, c)
	case "skip":
		return b.mockSkip(ctx, c)
	}
	return reply{}, badInputf("I don't know `mock %s`. Use `%s mock` (status), `mock join`, `mock leave`, `mock skip`; admins: `mock on`, `mock every mon 10:00 [zone]`, `mock now`, `mock off`.", mrkdwn.Escape(render.Truncate(sub, 40)), c.Command)
}

// parseMockEvery reads `DAY HH:MM [zone]`.
func (b *Bot) parseMockEvery(args []string) (spec, zone string, err error) {
	if len(args) < 2 || len(args) > 3 {
		return "", "", badInputf("Use `mock every DAY HH:MM [zone]`, for example `mock every mon 10:00 Europe/Berlin`.")
	}
	spec, err = mock.Weekly(args[0], args[1])
	if err != nil {
		return "", "", badInputf("%s.", mrkdwn.Escape(err.Error()))
	}
	zone = b.cfg.Zone.String()
	if len(args) == 3 {
		loc, err := zoneArg(args[2])
		if err != nil {
			return "", "", err
		}
		zone = loc.String()
	}
	return spec, zone, nil
}

// mockSet turns rounds on, with a new schedule when spec is set (else the
// one they had, or Mondays 10:00).
func (b *Bot) mockSet(ctx context.Context, c call, spec, zone string) (reply, error) {
	if err := b.memberOf(ctx, c.ChannelID); err != nil {
		return reply{}, err
	}
	var topics []string
	if s, err := b.store.Schedule(c.ChannelID); err == nil {
		topics = s.Topics
	}
	now := b.clock.Now()
	cfg, err := b.store.UpdateMockConfig(ctx, c.ChannelID, func(m *store.MockConfig) bool {
		switch {
		case spec != "":
			m.Spec, m.Zone = spec, zone
		case m.Spec == "":
			m.Spec, m.Zone = defaultMockSpec, b.cfg.Zone.String()
		}
		m.On, m.SetBy, m.SetAt, m.Command, m.Topics = true, c.UserID, now, c.Command, topics
		return true
	})
	if err != nil {
		return reply{}, err
	}
	b.wakeScheduler()
	r, err := b.mockStatus(ctx, c)
	r.Text = fmt.Sprintf("Mock interviews are on: a round every %s. Members join with `%s mock join` or the button on each round's post.\n\n", mockWhen(cfg), c.Command) + r.Text
	return r, err
}

func mockWhen(cfg store.MockConfig) string { return mock.DayClock(cfg.Spec) + " " + cfg.Zone }

func mockSchedule(cfg store.MockConfig) (slots.Schedule, error) {
	loc, err := time.LoadLocation(cfg.Zone)
	if err != nil {
		return slots.Schedule{}, err
	}
	return slots.Parse(cfg.Spec, loc, cfg.SetAt)
}

func (b *Bot) mockStatus(ctx context.Context, c call) (reply, error) {
	cfg, err := b.store.MockConfig(c.ChannelID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && cfg.Spec == "") {
		return reply{Text: render.MockStatusText(render.MockStatus{}, c.Command)}, nil
	} else if err != nil {
		return reply{}, err
	}
	st := render.MockStatus{
		Configured: true, On: cfg.On, When: mockWhen(cfg), Members: len(cfg.Members),
		Joined: slices.Contains(cfg.Members, c.UserID), Skipping: skipping(cfg, c.UserID),
	}
	if sched, err := mockSchedule(cfg); err == nil {
		st.Next = sched.Next(b.clock.Now()).In(sched.Loc())
	}
	if done, _, err := b.mockDone(c.UserID); err == nil {
		st.Done = done
	}
	return reply{Text: render.MockStatusText(st, c.Command)}, nil
}

// skipping reports whether user sits out the next round: they asked since
// the latest round began.
func skipping(cfg store.MockConfig, user string) bool {
	at, ok := cfg.Skips[user]
	return ok && at > cfg.Latest.Unix()
}

func (b *Bot) mockJoin(ctx context.Context, channel, user, command string) (reply, error) {
	if _, err := b.store.MockConfig(channel); errors.Is(err, store.ErrNotFound) {
		return reply{}, userErrorf("There are no mock interviews in this channel yet. An admin can start them with `%s mock on`.", command)
	} else if err != nil {
		return reply{}, err
	}
	var already bool
	cfg, err := b.store.UpdateMockConfig(ctx, channel, func(m *store.MockConfig) bool {
		already = slices.Contains(m.Members, user) && !skipping(*m, user)
		if already {
			return false
		}
		m.Members = append(m.Members, user)
		delete(m.Skips, user)
		return true
	})
	if err != nil {
		return reply{}, err
	}
	if already {
		return reply{Text: "You're already in the mock interviews here."}, nil
	}
	next := ""
	if sched, err := mockSchedule(cfg); err == nil && cfg.On {
		next = " The next round is " + sched.Next(b.clock.Now()).In(sched.Loc()).Format("Mon 2 Jan, 15:04 MST") + "."
	}
	return reply{Text: fmt.Sprintf("You're in the mock interviews here (%s so far).%s You'll get a group DM with your partner for each round.", render.PeopleCount(len(cfg.Members)), next)}, nil
}

func (b *Bot) mockSkip(ctx context.Context, c call) (reply, error) {
	var in bool
	_, err := b.store.UpdateMockConfig(ctx, c.ChannelID, func(m *store.MockConfig) bool {
		in = slices.Contains(m.Members, c.UserID)
		if !in {
			return false
		}
		if m.Skips == nil {
			m.Skips = map[string]int64{}
		}
		m.Skips[c.UserID] = b.clock.Now().Unix()
		return true
	})
	if err != nil {
		return reply{}, err
	}
	if !in {
		return reply{}, userErrorf("You're not in the mock interviews here. `%s mock join` adds you.", c.Command)
	}
	return reply{Text: fmt.Sprintf("You'll sit out the next round, and be paired again in the one after. Changed your mind? `%s mock join`.", c.Command)}, nil
}

// mockLeave takes the user out of the rounds; if they are in this week's
// round, their group hears of it (and is called off if only one is left).
func (b *Bot) mockLeave(ctx context.Context, c call) (reply, error) {
	var was bool
	cfg, err := b.store.UpdateMockConfig(ctx, c.ChannelID, func(m *store.MockConfig) bool {
		was = slices.Contains(m.Members, c.UserID)
		m.Members = slices.DeleteFunc(m.Members, func(u string) bool { return u == c.UserID })
		delete(m.Skips, c.UserID)
		return was
	})
	if err != nil {
		return reply{}, err
	}
	if !was {
		return reply{Text: "You weren't in the mock interviews here."}, nil
	}
	text := fmt.Sprintf("You've left the mock interviews here. `%s mock join` brings you back.", c.Command)
	if !cfg.Latest.IsZero() && b.clock.Now().Sub(cfg.Latest) < mockFormWindow {
		var before, after store.MockGroup
		idx := -1
		_, err := b.store.UpdateMockRound(ctx, c.ChannelID, cfg.Latest, func(r *store.MockRound) bool {
			idx = r.GroupOf(c.UserID)
			if idx < 0 || r.Groups[idx].Off {
				idx = -1
				return false
			}
			before = r.Groups[idx]
			r.Groups[idx] = before.Without(c.UserID)
			after = r.Groups[idx]
			return true
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return reply{}, err
		}
		if idx >= 0 {
			text += " Your group this week has been told."
			b.goSlow(func(ctx context.Context) { b.tellGroupLeft(ctx, c.ChannelID, cfg.Latest, idx, before, after, c.UserID) })
		}
	}
	return reply{Text: text}, nil
}

// tellGroupLeft tells the rest of a group that someone left; when a trio
// loses its interviewer, the new interviewer gets the packet.
func (b *Bot) tellGroupLeft(ctx context.Context, channel string, at time.Time, idx int, before, after store.MockGroup, who string) {
	if before.DM == "" {
		return // the group was not messaged yet: the round's job uses the new group
	}
	rest := render.MockGroup{Interviewer: after.Interviewer, Candidates: after.Candidates}
	if _, err := b.post(ctx, before.DM, render.MockLeft(who, rest, after.Off)); err != nil {
		b.log.Error("mock: tell a group someone left", "channel", channel, "err", err)
	}
	if !after.Off && after.Interviewer != before.Interviewer {
		r, err := b.store.MockRound(channel, at)
		if err != nil {
			b.log.Error("mock: read round", "err", err)
			return
		}
		if err := b.sendPackets(ctx, r, idx); err != nil {
			b.log.Error("mock: packet for the new interviewer", "err", err)
		}
	}
}

// namedGroup is g with display names, for the one message that shows
// names rather than mentions (the public announcement).
func (b *Bot) namedGroup(ctx context.Context, g store.MockGroup) render.MockGroup {
	out := render.MockGroup{Interviewer: g.Interviewer, InterviewerName: b.displayName(ctx, g.Interviewer), Candidates: g.Candidates}
	for _, c := range g.Candidates {
		out.CandidateNames = append(out.CandidateNames, b.displayName(ctx, c))
	}
	return out
}

// mockNow starts a round at once (an admin's extra round, or the first).
func (b *Bot) mockNow(ctx context.Context, c call) (reply, error) {
	cfg, err := b.store.MockConfig(c.ChannelID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && cfg.Spec == "") {
		return reply{}, userErrorf("Turn mock interviews on first: `%s mock on`.", c.Command)
	} else if err != nil {
		return reply{}, err
	}
	if err := b.memberOf(ctx, c.ChannelID); err != nil {
		return reply{}, err
	}
	at := b.clock.Now().Truncate(time.Second)
	round, begun, err := b.beginMockRound(ctx, cfg, at)
	if err != nil {
		return reply{}, err
	}
	if !begun {
		return reply{Text: "A round was just started here."}, nil
	}
	b.startJob(mockJob(c.ChannelID, at), func(ctx context.Context) { b.finishMockRound(ctx, c.ChannelID, at) })
	live := 0
	for _, g := range round.Groups {
		if !g.Off {
			live++
		}
	}
	return reply{Text: fmt.Sprintf("Round %d is starting: %d groups. Each gets a group DM from me now.", round.N, live)}, nil
}

// beginMockRound pairs the channel's members for the slot at and stores
// the round with every candidate's questions, unless the slot has one.
func (b *Bot) beginMockRound(ctx context.Context, cfg store.MockConfig, at time.Time) (store.MockRound, bool, error) {
	if r, err := b.store.MockRound(cfg.Channel, at); err == nil {
		return r, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.MockRound{}, false, err
	}
	earlier, err := b.store.MockRounds(cfg.Channel)
	if err != nil {
		return store.MockRound{}, false, err
	}
	var history []mock.Round
	asked := map[string]map[string]bool{}
	for _, r := range earlier {
		h := mock.Round{N: r.N}
		for _, g := range r.Groups {
			for cand, qs := range g.Questions {
				if asked[cand] == nil {
					asked[cand] = map[string]bool{}
				}
				for _, q := range qs {
					asked[cand][q] = true
				}
			}
			if !g.Off {
				h.Groups = append(h.Groups, mock.Group{Interviewer: g.Interviewer, Candidates: g.Candidates})
			}
		}
		history = append(history, h)
	}
	var members []string
	skipped := 0
	for _, m := range cfg.Members {
		if s, ok := cfg.Skips[m]; ok && s > cfg.Latest.Unix() && s <= at.Unix() {
			skipped++
			continue
		}
		members = append(members, m)
	}
	bank := b.bank()
	technical := slices.DeleteFunc(bank.InTopics(channelTopics(store.Schedule{Topics: cfg.Topics})...), func(id string) bool {
		q, _ := bank.Get(id)
		return q.Topic == "behavioral"
	})
	behavioural := bank.InTopics("behavioral")
	topicOf := func(id string) string { q, _ := bank.Get(id); return q.Topic }
	now := b.clock.Now()
	round := store.MockRound{Skipped: skipped}
	for _, g := range mock.Pair(members, history) {
		sg := store.MockGroup{Interviewer: g.Interviewer, Candidates: g.Candidates, Questions: map[string][]string{}}
		for _, cand := range g.Candidates {
			cards, err := b.store.Cards(cand)
			if err != nil {
				return store.MockRound{}, false, err
			}
			sg.Questions[cand] = mock.Pick(cards, technical, behavioural, topicOf, asked[cand], now, mock.Seed(cfg.Channel, at, cand))
		}
		round.Groups = append(round.Groups, sg)
	}
	return b.store.BeginMockRound(ctx, cfg.Channel, at, round)
}

// mockPass starts the rounds that are due, resumes one that did not
// finish, and sends the next day's form reminders. It returns when it next
// has something to do (zero if nothing is scheduled).
func (b *Bot) mockPass(ctx context.Context, now time.Time) time.Time {
	configs, err := b.store.MockConfigs()
	if err != nil {
		b.log.Error("read mock interview settings", "err", err)
		return time.Time{}
	}
	var earliest time.Time
	soonest := func(t time.Time) {
		if !t.IsZero() && (earliest.IsZero() || t.Before(earliest)) {
			earliest = t
		}
	}
	for _, cfg := range configs {
		if cfg.On && cfg.Spec != "" {
			sched, err := mockSchedule(cfg)
			if err != nil {
				b.log.Error("stored mock schedule does not parse", "channel", cfg.Channel, "err", err)
				continue
			}
			soonest(sched.Next(now))
			if at, ok := sched.Latest(now, catchUpWindow); ok && !at.Before(cfg.SetAt.Truncate(time.Second)) && at.After(cfg.Latest) {
				b.startJob(mockJob(cfg.Channel, at), func(ctx context.Context) {
					if _, _, err := b.beginMockRound(ctx, cfg, at); err != nil {
						b.log.Error("mock round", "channel", cfg.Channel, "err", err)
						return
					}
					b.finishMockRound(ctx, cfg.Channel, at)
				})
				continue
			}
		}
		if cfg.Latest.IsZero() {
			continue
		}
		if !cfg.LatestDone {
			b.startJob(mockJob(cfg.Channel, cfg.Latest), func(ctx context.Context) { b.finishMockRound(ctx, cfg.Channel, cfg.Latest) })
			continue
		}
		if !cfg.LatestReminded {
			remindAt := cfg.Latest.Add(mockRemindAfter)
			if now.Before(remindAt) {
				soonest(remindAt)
				continue
			}
			b.startJob(jobKey{channel: "mock-remind:" + cfg.Channel, slot: cfg.Latest.Unix()}, func(ctx context.Context) {
				b.remindMockForms(ctx, cfg.Channel, cfg.Latest, now)
			})
		}
	}
	return earliest
}

// finishMockRound sends everything for a stored round that has not gone
// out: the announcement, each group's DM and each interviewer's packets.
func (b *Bot) finishMockRound(ctx context.Context, channel string, at time.Time) {
	r, err := b.store.MockRound(channel, at)
	if err != nil {
		b.log.Error("mock: read round", "channel", channel, "err", err)
		return
	}
	if err := b.announceMockRound(ctx, r); err != nil {
		b.log.Error("mock: announce round", "channel", channel, "round", r.N, "err", err)
		if code := slackErrorCode(err); channelGone(code) {
			b.haltMock(ctx, channel, code)
		}
		return
	}
	for i := range r.Groups {
		if err := b.messageGroup(ctx, channel, at, i); err != nil {
			b.log.Error("mock: group DM", "channel", channel, "round", r.N, "group", i, "err", err)
			return // the next pass carries on from here
		}
	}
	if _, err := b.store.UpdateMockConfig(ctx, channel, func(m *store.MockConfig) bool {
		if !m.Latest.Equal(at) {
			return false
		}
		m.LatestDone = true
		return true
	}); err != nil {
		b.log.Error("mock: record round sent", "err", err)
		return
	}
	b.log.Info("mock round sent", "channel", channel, "round", r.N, "groups", len(r.Groups))
}

// haltMock turns a channel's rounds off when Slack refuses to post there,
// and tells whoever turned them on.
func (b *Bot) haltMock(ctx context.Context, channel, code string) {
	var was bool
	cfg, err := b.store.UpdateMockConfig(ctx, channel, func(m *store.MockConfig) bool {
		was = m.On
		m.On, m.LatestDone = false, true
		return was
	})
	if err != nil {
		b.log.Error("mock: halt", "err", err)
		return
	}
	if was && cfg.SetBy != "" { // told once, however many events say so
		msg := fmt.Sprintf("I can't post in <#%s> any more (%s), so its mock interview rounds are off. Invite me back and run `%s mock on` there to restart them.", channel, code, cfg.Command)
		if _, err := b.post(ctx, cfg.SetBy, reply{Text: msg}); err != nil {
			b.log.Error("mock: tell the admin", "err", err)
		}
	}
}

func (b *Bot) announceMockRound(ctx context.Context, r store.MockRound) error {
	var groups []render.MockGroup
	people := 0
	for _, g := range r.Groups {
		if g.Off {
			continue
		}
		if len(groups) < render.MaxListedGroups {
			groups = append(groups, b.namedGroup(ctx, g))
		} else {
			groups = append(groups, render.MockGroup{}) // counted, not named: no users.info for them
		}
		people += len(g.Members())
	}
	cfg, _ := b.store.MockConfig(r.Channel)
	msg := render.MockAnnouncement(r.N, r.At, groups, people, r.Skipped, cmp.Or(cfg.Command, render.DefaultCommand))
	return b.sendOnce(ctx, r.Channel, r.At, "announce", r.Channel, render.MockBlockID(r.At), msg)
}

// messageGroup opens group i's group DM and posts its intro, then sends
// the interviewer's packets.
func (b *Bot) messageGroup(ctx context.Context, channel string, at time.Time, i int) error {
	r, err := b.store.MockRound(channel, at)
	if err != nil {
		return err
	}
	g := r.Groups[i]
	if g.Off {
		return nil
	}
	if g.DM == "" {
		ch, _, _, err := b.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: g.Members()})
		if err != nil {
			return fmt.Errorf("conversations.open: %w", err)
		}
		if r, err = b.store.UpdateMockRound(ctx, channel, at, func(r *store.MockRound) bool {
			r.Groups[i].DM = ch.ID
			return true
		}); err != nil {
			return err
		}
		g = r.Groups[i]
	}
	rg := render.MockGroup{Interviewer: g.Interviewer, Candidates: g.Candidates}
	if err := b.sendOnce(ctx, channel, at, "group|"+strconv.Itoa(i), g.DM, render.MockGroupBlockID(at, i), render.MockGroupIntro(r.N, at, i, rg, channel)); err != nil {
		return err
	}
	return b.sendPackets(ctx, r, i)
}

// sendPackets sends group i's interviewer a packet for each candidate, in
// the interviewer's own DM: the candidates share the group DM, and must
// not see the answers.
func (b *Bot) sendPackets(ctx context.Context, r store.MockRound, i int) error {
	g := r.Groups[i]
	for _, cand := range g.Candidates {
		var qs []questions.Question
		for _, id := range g.Questions[cand] {
			if q, ok := b.question(id); ok {
				qs = append(qs, q)
			}
		}
		msg := render.MockPacket(r.At, cand, qs, b.guides.Star, r.Channel)
		key := "packet|" + g.Interviewer + "|" + cand
		if err := b.sendOnce(ctx, r.Channel, r.At, key, g.Interviewer, render.MockPacketBlockID(r.At, cand), msg); err != nil {
			return err
		}
	}
	return nil
}

// sendOnce posts msg to target at most once for the round's key: it
// records the intent, posts, and records the ts; an intent found without a
// ts means an earlier attempt may have posted, so target's history is
// searched for blockID first.
func (b *Bot) sendOnce(ctx context.Context, channel string, at time.Time, key, target, blockID string, msg reply) error {
	var sent, tried bool
	if _, err := b.store.UpdateMockRound(ctx, channel, at, func(r *store.MockRound) bool {
		ts, ok := r.Sent[key]
		sent, tried = ts != "", ok
		if ok {
			return false
		}
		r.Sent[key] = ""
		return true
	}); err != nil {
		return err
	}
	if sent {
		return nil
	}
	if tried && blockID == "" {
		return nil // nothing to look for: at most once
	}
	if tried {
		dest := target
		if strings.HasPrefix(target, "U") || strings.HasPrefix(target, "W") {
			ch, _, _, err := b.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{target}})
			if err != nil {
				return fmt.Errorf("conversations.open: %w", err)
			}
			dest = ch.ID
		}
		ts, found, err := b.findOwnPost(ctx, dest, blockID, at)
		if err != nil {
			return fmt.Errorf("look for an earlier %s: %w", key, err)
		}
		if found {
			b.log.Info("mock: message was sent before a restart; recording it", "channel", channel, "key", key)
			return b.recordSent(ctx, channel, at, key, ts)
		}
	}
	if err := b.pacer.wait(ctx, target); err != nil {
		return err
	}
	ts, err := b.post(ctx, target, msg)
	if err != nil {
		return err
	}
	return b.recordSent(ctx, channel, at, key, ts)
}

func (b *Bot) recordSent(ctx context.Context, channel string, at time.Time, key, ts string) error {
	_, err := b.store.UpdateMockRound(ctx, channel, at, func(r *store.MockRound) bool {
		r.Sent[key] = ts
		return true
	})
	return err
}

// remindMockForms asks, once, each member of a live group who has not sent
// the form yet. A reminder's intent is recorded before it is sent: one
// lost to a crash is not worth the risk of sending two.
func (b *Bot) remindMockForms(ctx context.Context, channel string, at, now time.Time) {
	// One transaction claims every reminder due; they are sent after.
	type due struct {
		user     string
		partners []string
	}
	var claimed []due
	r, err := b.store.UpdateMockRound(ctx, channel, at, func(r *store.MockRound) bool {
		claimed = nil
		if now.Sub(at) >= mockFormWindow {
			return false
		}
		for _, g := range r.Groups {
			if g.Off {
				continue
			}
			for _, u := range g.Members() {
				key := "remind|" + u
				_, done := r.Sent[key]
				_, in := r.Forms[u]
				if done || in {
					continue
				}
				r.Sent[key] = "-"
				claimed = append(claimed, due{u, slices.DeleteFunc(g.Members(), func(m string) bool { return m == u })})
			}
		}
		return len(claimed) > 0
	})
	if err != nil {
		b.log.Error("mock: claim reminders", "err", err)
		return
	}
	for _, d := range claimed {
		if _, err := b.post(ctx, d.user, render.MockReminder(r.N, d.partners, channel, at)); err != nil {
			b.log.Error("mock: form reminder", "user", d.user, "err", err)
		}
	}
	if _, err := b.store.UpdateMockConfig(ctx, channel, func(m *store.MockConfig) bool {
		if !m.Latest.Equal(at) {
			return false
		}
		m.LatestReminded = true
		return true
	}); err != nil {
		b.log.Error("mock: record reminders sent", "err", err)
	}
}

// onMockJoin is the Join button on a round's announcement.
func (b *Bot) onMockJoin(ctx context.Context, cb slack.InteractionCallback) error {
	r, err := b.mockJoin(ctx, cb.Channel.ID, cb.User.ID, "/prep")
	var ue *userError
	if errors.As(err, &ue) {
		r, err = reply{Text: ue.msg}, nil
	}
	if err != nil {
		return err
	}
	return b.interactionReply(ctx, cb, r)
}

// onMockFormButton opens the form for the round the button belongs to.
func (b *Bot) onMockFormButton(ctx context.Context, cb slack.InteractionCallback, value string) error {
	channel, at, ok := render.ParseMockFormValue(value)
	if !ok {
		return fmt.Errorf("bad mock form value %q", value)
	}
	r, err := b.store.MockRound(channel, at)
	if errors.Is(err, store.ErrNotFound) {
		return b.interactionReply(ctx, cb, reply{Text: "That round is no longer kept."})
	} else if err != nil {
		return err
	}
	i := r.GroupOf(cb.User.ID)
	if i < 0 {
		return b.interactionReply(ctx, cb, reply{Text: "You're not in that round's mock interviews."})
	}
	g := r.Groups[i]
	interviewer := g.Interviewer == cb.User.ID
	var qs []render.MockFormQuestion
	var partners []string
	for _, cand := range g.Candidates {
		if !interviewer && cand != cb.User.ID {
			continue
		}
		name := b.displayName(ctx, cand)
		for _, id := range g.Questions[cand] {
			if q, ok := b.question(id); ok {
				qs = append(qs, render.MockFormQuestion{Candidate: cand, CandidateName: name, Question: q})
			}
		}
	}
	for _, m := range g.Members() {
		if m != cb.User.ID {
			partners = append(partners, b.displayName(ctx, m))
		}
	}
	view := render.MockForm(value, interviewer, render.NameList(partners), qs)
	if _, err := b.slack.OpenViewContext(ctx, cb.TriggerID, view); err != nil {
		return fmt.Errorf("open the mock interview form: %w", err)
	}
	return nil
}

// submitMockForm saves a member's form and, if the interview happened,
// records the ratings in the candidates' decks (before the ack: they are
// the form's point). The interviewer's note goes to the candidates after.
func (b *Bot) submitMockForm(ctx context.Context, cb slack.InteractionCallback) (*slack.ViewSubmissionResponse, func(context.Context), error) {
	channel, at, ok := render.ParseMockFormValue(cb.View.PrivateMetadata)
	if !ok {
		return nil, nil, fmt.Errorf("bad mock form metadata %q", cb.View.PrivateMetadata)
	}
	user := cb.User.ID
	var happened string
	ratings := map[string]map[string]string{}
	if cb.View.State != nil {
		for blockID, actions := range cb.View.State.Values {
			for _, a := range actions {
				switch {
				case blockID == render.FieldHappened:
					happened = a.SelectedOption.Value
				case strings.HasPrefix(blockID, render.FieldRatingPrefix):
					cand, qid, ok := strings.Cut(strings.TrimPrefix(blockID, render.FieldRatingPrefix), "|")
					if v := a.SelectedOption.Value; ok && slices.Contains([]string{"again", "hard", "good", "easy"}, v) {
						if ratings[cand] == nil {
							ratings[cand] = map[string]string{}
						}
						ratings[cand][qid] = v
					}
				}
			}
		}
	}
	if happened != "yes" && happened != "no" {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{render.FieldHappened: "Say whether the interview happened."}), nil, nil
	}
	note := inputValue(cb, render.FieldNote)
	now := b.clock.Now()
	var group store.MockGroup
	_, err := b.store.UpdateMockRound(ctx, channel, at, func(r *store.MockRound) bool {
		i := r.GroupOf(user)
		if i < 0 {
			return false
		}
		group = r.Groups[i]
		// Only what this member may rate: an interviewer their candidates'
		// questions, a candidate their own.
		for cand, qs := range ratings {
			allowed := (group.Interviewer == user && cand != user) || cand == user
			if !allowed || !slices.Contains(group.Candidates, cand) {
				delete(ratings, cand)
				continue
			}
			for qid := range qs {
				if !slices.Contains(group.Questions[cand], qid) {
					delete(qs, qid)
				}
			}
		}
		f := store.MockForm{User: user, Happened: happened == "yes", At: now, Ratings: ratings}
		if group.Interviewer == user {
			f.Note = note
		}
		r.Forms[user] = f
		return true
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && group.Interviewer == "") {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{render.FieldHappened: "You're not in this round any more."}), nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	recorded := 0
	if happened == "yes" {
		for cand, qs := range ratings {
			loc := b.zoneOf(ctx, cand)
			for qid, rating := range qs {
				if _, ok := b.question(qid); !ok {
					continue
				}
				// One review per question per round, whoever sends it first.
				nonce := "mock|" + channel + "|" + strconv.FormatInt(at.Unix(), 10) + "|" + qid
				_, err := b.store.RateCard(ctx, cand, qid, store.Review{At: now, Rating: rating, Nonce: nonce}, func(c store.Card) store.Card {
					c, _ = practice.Review(c, rating, now, loc)
					return c
				})
				if errors.Is(err, store.ErrAlreadyRated) {
					continue
				} else if err != nil {
					return nil, nil, err
				}
				recorded++
			}
		}
	}
	after := func(ctx context.Context) {
		text := "Thanks, your form is in."
		if happened == "no" {
			text = "Thanks: noted that the interview didn't happen. There's another round next week."
		} else if recorded > 0 {
			text = fmt.Sprintf("Thanks, your form is in: %d ratings went into the review deck.", recorded)
		}
		if _, err := b.post(ctx, user, reply{Text: text}); err != nil {
			b.log.Error("mock: confirm form", "err", err)
		}
		if group.Interviewer != user || note == "" || happened != "yes" {
			return
		}
		for _, cand := range group.Candidates {
			if err := b.sendOnce(ctx, channel, at, "note|"+cand, cand, "", render.MockNote(user, note)); err != nil {
				b.log.Error("mock: send note", "err", err)
			}
		}
	}
	return nil, after, nil
}

// mockDone counts the mock interviews user took part in that happened,
// and how many of those they led.
func (b *Bot) mockDone(user string) (done, led int, err error) {
	rounds, err := b.store.MockRoundsOf(user)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range rounds {
		i := r.GroupOf(user)
		if i >= 0 && r.Happened(i) {
			done++
			if r.Groups[i].Interviewer == user {
				led++
			}
		}
	}
	return done, led, nil
}
