package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/prepbot/prepbot/bot/bankedit"
	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/internal/mrkdwn"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

func (b *Bot) cmdAdd(ctx context.Context, c call) (reply, error) {
	var q questions.Question
	if c.cmd.name == "edit" {
		if len(c.cmd.args) != 1 {
			return reply{}, badInputf("Use `%s edit ID`, for example `%s edit deployment/blue-green`.", c.Command, c.Command)
		}
		var ok bool
		if q, ok = b.bank().Get(strings.ToLower(c.cmd.args[0])); !ok {
			return reply{}, badInputf("There's no question `%s` to edit.", mrkdwn.Escape(render.Truncate(c.cmd.args[0], 80)))
		}
	}
	if _, err := b.slack.OpenViewContext(ctx, c.TriggerID, render.Editor(q)); err != nil {
		return reply{}, fmt.Errorf("open the question editor: %w", err)
	}
	return reply{Text: "The editor is open."}, nil
}

func (b *Bot) cmdRetire(ctx context.Context, c call) (reply, error) {
	if len(c.cmd.args) != 1 {
		return reply{}, badInputf("Use `%s retire ID`.", c.Command)
	}
	id := strings.ToLower(c.cmd.args[0])
	if _, ok := b.bank().Get(id); !ok {
		return reply{}, badInputf("There's no live question `%s`.", mrkdwn.Escape(render.Truncate(id, 80)))
	}
	if _, err := b.store.RetireQuestion(ctx, id, c.UserID, b.clock.Now()); err != nil {
		return reply{}, err
	}
	if err := b.reloadBank(); err != nil {
		return reply{}, err
	}
	return reply{Text: fmt.Sprintf("Retired `%s`: it is no longer asked, and old posts still show it.", id)}, nil
}

func inputValue(cb slack.InteractionCallback, id string) string {
	if cb.View.State == nil {
		return ""
	}
	if blk, ok := cb.View.State.Values[id]; ok {
		return strings.TrimSpace(blk[id].Value)
	}
	return ""
}

// onViewSubmission handles a modal submission: validate, save, ack, and
// only then send messages. Validation errors travel in the ack's payload,
// so the ack waits for the checks and the store write, never for Slack:
// a DM that waits out a 429 must not push the ack past Slack's 3 seconds.
func (b *Bot) onViewSubmission(ctx context.Context, req *socketmode.Request, cb slack.InteractionCallback, arrived time.Time) {
	var resp *slack.ViewSubmissionResponse
	var after func(context.Context)
	var err error
	switch cb.View.CallbackID {
	case render.ModalAdd:
		resp, after, err = b.submitQuestion(ctx, cb)
	case render.ModalReport:
		after, err = b.submitReport(ctx, cb)
	case render.ModalMockForm:
		resp, after, err = b.submitMockForm(ctx, cb)
	}
	if err != nil {
		b.log.Error("modal submission", "callback", cb.View.CallbackID, "err", err)
		field := render.FieldQuestion
		switch cb.View.CallbackID {
		case render.ModalReport:
			field = render.FieldReport
		case render.ModalMockForm:
			field = render.FieldHappened
		}
		resp = slack.NewErrorsViewSubmissionResponse(map[string]string{field: "Sorry, saving failed on my side. Try again in a moment."})
		after = nil
	}
	if resp != nil {
		b.ack(req, "interactive", arrived, resp)
	} else {
		b.ack(req, "interactive", arrived)
	}
	if after != nil {
		b.goSlow(after)
	}
}

// submitQuestion validates and saves the editor's question; the returned
// function confirms it to the submitter, after the ack.
func (b *Bot) submitQuestion(ctx context.Context, cb slack.InteractionCallback) (*slack.ViewSubmissionResponse, func(context.Context), error) {
	user := cb.User.ID
	editing := cb.View.PrivateMetadata
	// Checked again on submit: a form can outlive its opener's rights.
	ok, err := b.authorize(ctx, buttonAction(render.ModalAdd), user, "")
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{render.FieldQuestion: denial(actEditBank, "", "")}), nil, nil
	}
	form := bankedit.Form{
		Topic: inputValue(cb, render.FieldTopic), Difficulty: inputValue(cb, render.FieldDifficulty),
		Question: inputValue(cb, render.FieldQuestion), Answer: inputValue(cb, render.FieldAnswer),
		KeyPoints: inputValue(cb, render.FieldKeyPoints), FollowUps: inputValue(cb, render.FieldFollowUps),
	}
	q, errs := bankedit.Parse(form, editing, editorBank{b})
	if len(errs) > 0 {
		return slack.NewErrorsViewSubmissionResponse(errs), nil, nil
	}
	data, err := questions.Marshal(q)
	if err != nil {
		return nil, nil, err
	}
	if err := b.store.PutQuestion(ctx, store.QuestionRecord{ID: q.ID, Data: data, Source: store.SourceSlack, UpdatedAt: b.clock.Now(), UpdatedBy: user}); err != nil {
		return nil, nil, err
	}
	if err := b.reloadBank(); err != nil {
		return nil, nil, err
	}
	verb := "Added"
	if editing != "" {
		verb = "Saved"
	}
	b.log.Info("question saved from Slack", "id", q.ID, "by", user)
	confirm := func(ctx context.Context) {
		if err := b.say(ctx, user, fmt.Sprintf("%s `%s`. It joins the rotation now; `prepbot questions export DIR` writes it to files for review.", verb, q.ID)); err != nil {
			b.log.Warn("confirm saved question", "err", err)
		}
	}
	return nil, confirm, nil
}

// editorBank is the bank as the editor's checks see it.
type editorBank struct{ b *Bot }

func (e editorBank) Taken(id string) bool {
	_, taken := e.b.question(id)
	return taken
}

func (e editorBank) All() []questions.Question { return e.b.bank().All() }

// onReport opens the report modal for a question.
func (b *Bot) onReport(ctx context.Context, cb slack.InteractionCallback, value string) error {
	qid, _, _ := strings.Cut(value, "|")
	q, ok := b.question(qid)
	if !ok {
		return b.interactionReply(ctx, cb, reply{Text: "That question is no longer in the bank."})
	}
	_, err := b.slack.OpenViewContext(ctx, cb.TriggerID, render.ReportForm(q, q.ID+"|"+cb.Channel.ID))
	return err
}

// submitReport stores a report; the returned function, run after the ack,
// DMs whoever looks after the question where it was reported
// (PREPBOT_ADMINS, the channel's admins and the instructor who set its
// schedule) and tells the reporter who got it.
func (b *Bot) submitReport(ctx context.Context, cb slack.InteractionCallback) (func(context.Context), error) {
	qid, channel, _ := strings.Cut(cb.View.PrivateMetadata, "|")
	r := store.Report{QuestionID: qid, User: cb.User.ID, Text: render.Truncate(inputValue(cb, render.FieldReport), 3000), At: b.clock.Now()}
	if err := b.store.AddReport(ctx, r); err != nil {
		return nil, err
	}
	recipients, err := b.reportRecipients(channel)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) { b.sendReport(ctx, r, recipients) }, nil
}

func (b *Bot) sendReport(ctx context.Context, r store.Report, recipients []string) {
	msg := fmt.Sprintf(":triangular_flag_on_post: <@%s> reported a problem with `%s`:\n>%s", r.User, r.QuestionID,
		strings.ReplaceAll(mrkdwn.Escape(r.Text), "\n", "\n>"))
	sent := 0
	for _, admin := range recipients {
		if admin == r.User {
			continue
		}
		if err := b.say(ctx, admin, msg); err != nil {
			b.log.Warn("send report to admin", "admin", admin, "err", err)
			continue
		}
		sent++
	}
	thanks := fmt.Sprintf("Thanks for reporting a problem with `%s`. I've passed it on to the admins.", r.QuestionID)
	if sent == 0 {
		thanks = fmt.Sprintf("Thanks for reporting a problem with `%s`. It is recorded for whoever maintains the question bank.", r.QuestionID)
	}
	if err := b.say(ctx, r.User, thanks); err != nil {
		b.log.Warn("thank the reporter", "user", r.User, "err", err)
	}
}

// reportRecipients lists, without repeats, the admins who hear of a report
// made in channel (which may be a DM or empty).
func (b *Bot) reportRecipients(channel string) ([]string, error) {
	out := slices.Clone(b.cfg.Admins)
	if channel != "" && !isDM(channel) {
		admins, err := b.store.Admins(channel)
		if err != nil {
			return nil, err
		}
		out = append(out, admins...)
		s, err := b.store.Schedule(channel)
		if err == nil && s.SetBy != "" {
			out = append(out, s.SetBy)
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
