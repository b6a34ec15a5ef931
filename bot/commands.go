package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/slack-go/slack"
)

// command is a parsed /prep invocation: the subcommand word, lowercased,
// and its arguments as typed.
type command struct {
	name string
	args []string
}

// maxCommandText bounds what the parser looks at; Slack's own limit on a
// slash command's text is far lower than anything that could hurt.
const maxCommandText = 4000

// parseCommand splits a slash command's text into a subcommand and its
// arguments. It accepts any input without panicking.
func parseCommand(text string) command {
	if len(text) > maxCommandText {
		text = text[:maxCommandText]
	}
	fields := strings.FieldsFunc(text, unicode.IsSpace)
	if len(fields) == 0 {
		return command{name: "help"}
	}
	return command{name: strings.ToLower(fields[0]), args: fields[1:]}
}

// usage is the help text for /prep; name is the command as invoked.
func usage(name string) string {
	if name == "" {
		name = "/prep"
	}
	return strings.ReplaceAll(`*prepbot* — daily interview practice
• `+"`/prep ask [topic]`"+` a random question (also `+"`random`"+`)
• `+"`/prep answer [ID]`"+` a reference answer
• `+"`/prep topics`"+` topics and question counts
• `+"`/prep tips`"+` interview principles · `+"`/prep star`"+` the STAR guide
• `+"`/prep practice [topic]`"+` private practice in your DM with me
• `+"`/prep stats`"+` your practice record
• `+"`/prep help`"+` this message`, "/prep", name)
}

// runCommand answers one slash command through its response_url.
func (b *Bot) runCommand(ctx context.Context, sc slack.SlashCommand) {
	cmd := parseCommand(sc.Text)
	var r reply
	switch cmd.name {
	case "help", "?":
		r = reply{Text: usage(sc.Command)}
	default:
		r = reply{Text: fmt.Sprintf("I don't know `%s`.\n\n%s", escapeText(cmd.name), usage(sc.Command))}
	}
	if err := b.respond(ctx, sc.ResponseURL, r); err != nil {
		b.log.Error("answer slash command", "command", cmd.name, "err", err)
	}
}

// escapeText makes user text safe to quote back in mrkdwn: &, < and > are
// escaped so that <!channel> or <@U…> can never ping anyone.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
