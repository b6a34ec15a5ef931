package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/prepbot/prepbot/bot/render"
)

// action is a kind of thing a user asks the bot to do; each kind has one
// rule for who may do it (docs/SECURITY.md, "Who may run admin commands").
type action int

const (
	// actAnyone: reading the bank, one's own practice and data, and every
	// button the bot shows (each acts on the clicker's own records).
	actAnyone action = iota
	// actRunChannel: running one channel's question of the day (schedule,
	// post, reveal, pause, resume). A channel's own admins may, in that
	// channel only.
	actRunChannel
	// actEditBank: changing the question bank (add, edit, retire). The
	// bank is shared by every channel, so a channel admin's rights, which
	// stop at their channel, are not enough: workspace-level admins only.
	actEditBank
	// actManageAdmins: choosing a channel's admins. Workspace-level only.
	actManageAdmins
)

// commandAction says what a slash command needs. Subcommands whose bare
// form only reads (`schedule`, `admins`) need more with arguments.
func commandAction(c command) action {
	switch c.name {
	case "post", "reveal", "pause", "resume", "insights":
		return actRunChannel
	case "schedule":
		if len(c.args) > 0 {
			return actRunChannel
		}
	case "mock":
		// Joining, leaving and skipping are one's own business; running
		// the channel's rounds is its admins'.
		if len(c.args) > 0 && slices.Contains([]string{"on", "off", "every", "now"}, strings.ToLower(c.args[0])) {
			return actRunChannel
		}
	case "add", "edit", "retire":
		return actEditBank
	case "admins":
		if len(c.args) > 0 {
			return actManageAdmins
		}
	}
	return actAnyone
}

// buttonAction says what a button or modal needs, by action or callback ID.
func buttonAction(id string) action {
	if id == render.ModalAdd {
		return actEditBank
	}
	return actAnyone
}

// authorize decides whether user may do act in channel (a channel, a DM, or
// "" where there is none, as in a modal). It is the one place permissions
// are decided; user IDs come from Slack's payload, never from text.
func (b *Bot) authorize(ctx context.Context, act action, user, channel string) (bool, error) {
	switch act {
	case actAnyone:
		return true, nil
	case actRunChannel:
		if channel == "" || isDM(channel) {
			// No channel to be an admin of; the command itself tells a
			// workspace admin that it belongs in a channel.
			return b.isWorkspaceAdmin(ctx, user)
		}
		admins, err := b.store.Admins(channel)
		if err != nil {
			return false, fmt.Errorf("read the channel's admins: %w", err)
		}
		if slices.Contains(admins, user) {
			return true, nil
		}
		return b.isWorkspaceAdmin(ctx, user)
	case actEditBank, actManageAdmins:
		return b.isWorkspaceAdmin(ctx, user)
	}
	return false, nil
}

// denial is what a user is told when authorize says no.
func denial(act action, command, sub string) string {
	switch act {
	case actRunChannel:
		return fmt.Sprintf("Only this channel's admins can use `%s %s`. Ask a workspace admin to add you with `%s admins add @you`.", command, sub, command)
	case actEditBank:
		return "Only workspace admins and PREPBOT_ADMINS can change the question bank: it is shared by every channel."
	case actManageAdmins:
		return "Only workspace admins and PREPBOT_ADMINS can change who administers a channel."
	}
	return "You can't do that."
}

// isWorkspaceAdmin reports whether user has workspace-level rights:
// PREPBOT_ADMINS, or a Slack workspace admin or owner. Decided by user ID,
// never by name.
func (b *Bot) isWorkspaceAdmin(ctx context.Context, user string) (bool, error) {
	if slices.Contains(b.cfg.Admins, user) {
		return true, nil
	}
	p, err := b.person(ctx, user)
	if err != nil {
		return false, fmt.Errorf("look up %s's admin flags: %w", user, err)
	}
	return p.IsAdmin, nil
}

// mayRun checks that the command's user may do what the command needs; the
// error is the user-facing refusal.
func (b *Bot) mayRun(ctx context.Context, c call) error {
	act := commandAction(c.cmd)
	ok, err := b.authorize(ctx, act, c.UserID, c.ChannelID)
	if err != nil {
		return fmt.Errorf("check permission: %w", err)
	}
	if !ok {
		return userErrorf("%s", denial(act, c.Command, c.cmd.name))
	}
	return nil
}
