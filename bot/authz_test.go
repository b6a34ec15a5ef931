package bot

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/render"
	"github.com/prepbot/prepbot/store"
)

// usersOnly is a Web API that answers users.info from a table.
type usersOnly struct {
	slackAPI
	users map[string]*slack.User
}

func (u usersOnly) GetUserInfoContext(_ context.Context, id string, _ ...slack.GetUserInfoOption) (*slack.User, error) {
	if p, ok := u.users[id]; ok {
		return p, nil
	}
	return nil, slack.SlackErrorResponse{Err: "user_not_found"}
}

// TestAuthorizeEveryCommandAndButton decides every command and button for
// every kind of user, against the rules in docs/SECURITY.md.
func TestAuthorizeEveryCommandAndButton(t *testing.T) {
	const (
		channel  = "CCOHORT"
		other    = "CRANDOM"
		student  = "USTUDENT"
		instr    = "UINSTR" // an admin of this channel
		elsewise = "UOTHER" // an admin of another channel only
		operator = "UOPER"  // in PREPBOT_ADMINS
		wsAdmin  = "UWSADM" // a Slack workspace admin
	)
	db, err := store.Open(filepath.Join(t.TempDir(), "prepbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := db.SetAdmin(ctx, channel, instr, true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetAdmin(ctx, other, elsewise, true); err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{AppToken: "xapp-1", BotToken: "xoxb-1", Store: db, Admins: []string{operator}})
	if err != nil {
		t.Fatal(err)
	}
	b.slack = usersOnly{users: map[string]*slack.User{
		student: {ID: student}, instr: {ID: instr}, elsewise: {ID: elsewise}, operator: {ID: operator},
		wsAdmin: {ID: wsAdmin, IsAdmin: true},
	}}

	// Who may: everyone, this channel's admins and up, workspace level only.
	all := []string{student, instr, elsewise, operator, wsAdmin}
	channelAdmins := []string{instr, operator, wsAdmin}
	workspace := []string{operator, wsAdmin}

	commands := []struct {
		text string
		who  []string
	}{
		{"", all}, {"help", all}, {"ask", all}, {"ask databases", all}, {"random", all},
		{"answer", all}, {"answer deployment/blue-green", all}, {"topics", all}, {"tips", all},
		{"star", all}, {"stats", all}, {"practice", all}, {"practice react", all}, {"feedback", all}, {"feedback dm", all},
		{"schedule", all}, {"admins", all}, {"export", all}, {"forget-me", all}, {"nonsense", all},
		{"schedule 0 9 * * *", channelAdmins}, {"schedule off", channelAdmins},
		{"post", channelAdmins}, {"reveal", channelAdmins}, {"insights", channelAdmins},
		{"pause until 2027-01-05", channelAdmins}, {"resume", channelAdmins},
		{"mock", all}, {"mock join", all}, {"mock leave", all}, {"mock skip", all}, {"mock nonsense", all},
		{"mock on", channelAdmins}, {"mock OFF", channelAdmins}, {"mock every mon 10:00", channelAdmins}, {"mock now", channelAdmins},
		{"add", workspace}, {"edit deployment/blue-green", workspace}, {"retire deployment/blue-green", workspace},
		{"admins add <@USTUDENT>", workspace}, {"admins remove <@UINSTR>", workspace},
	}
	for _, tc := range commands {
		for _, user := range all {
			want := contains(tc.who, user)
			got, err := b.authorize(ctx, commandAction(parseCommand(tc.text)), user, channel)
			if err != nil || got != want {
				t.Errorf("/prep %q by %s in %s: allowed = %v, %v; want %v", tc.text, user, channel, got, err, want)
			}
		}
	}
	// In a DM, or in a channel they do not administer, nobody but the
	// workspace level runs a channel's question of the day.
	for _, where := range []string{"D0123", other} {
		for _, user := range all {
			want := contains(workspace, user) || (where == other && user == elsewise)
			got, err := b.authorize(ctx, commandAction(parseCommand("post")), user, where)
			if err != nil || got != want {
				t.Errorf("/prep post by %s in %s: allowed = %v, %v; want %v", user, where, got, err, want)
			}
		}
	}

	buttons := []struct {
		id  string
		who []string
	}{
		{render.ActionReveal, all}, {render.ActionRevealAnyway, all}, {render.ActionAnother, all}, {render.ActionPractice, all},
		{render.ActionReport, all}, {render.ActionForgetConfirm, all}, {render.ActionRateAgain, all}, {render.ActionRateHard, all},
		{render.ActionRateGood, all}, {render.ActionRateEasy, all},
		{render.ModalReport, all}, {render.ModalAdd, workspace},
		// A mock form acts only on the clicker's own group, checked when
		// it is opened and again when it is sent.
		{render.ActionMockJoin, all}, {render.ActionMockForm, all}, {render.ModalMockForm, all},
	}
	for _, tc := range buttons {
		for _, user := range all {
			for _, where := range []string{channel, "D0123", ""} {
				want := contains(tc.who, user)
				got, err := b.authorize(ctx, buttonAction(tc.id), user, where)
				if err != nil || got != want {
					t.Errorf("%s by %s in %q: allowed = %v, %v; want %v", tc.id, user, where, got, err, want)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
