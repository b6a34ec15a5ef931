package slacktest

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// This file checks payloads against the limits Slack documents, and answers
// the way Slack does when one is broken. LIMITS.md lists every limit with
// the Slack page it comes from; keep the two in step.

// Limits Slack documents (see LIMITS.md for the source of each).
const (
	MaxMessageText     = 40000 // chat.postMessage text: msg_too_long above
	MaxMessageBlocks   = 50
	MaxViewBlocks      = 100 // modals and the Home tab
	MaxSectionText     = 3000
	MaxSectionFields   = 10
	MaxFieldText       = 2000
	MaxHeaderText      = 150
	MaxContextElements = 10
	MaxContextText     = 3000
	MaxActionsElements = 25
	MaxButtonText      = 75
	MaxButtonValue     = 2000
	MaxURL             = 3000
	MaxActionID        = 255
	MaxBlockID         = 255
	MaxOptionText      = 75
	MaxOptionValue     = 150
	MaxSelectOptions   = 100
	MaxPlaceholder     = 150
	MaxInputLabel      = 2000
	MaxInputHint       = 2000
	MaxInputLength     = 3000 // plain_text_input max_length and min_length
	MaxViewTitle       = 24   // modal title, submit and close
	MaxPrivateMetadata = 3000
	MaxCallbackID      = 255
	MaxMarkdownText    = 12000
	MaxAckFrame        = 20480 // bytes in one Socket Mode frame from the app

	ResponseURLUses = 5  // posts one response_url accepts
	ResponseURLLife = 30 // minutes a response_url lives
)

// refusal is a payload Slack would refuse: the error code and, for Block
// Kit errors, the messages Slack puts in response_metadata.messages.
type refusal struct {
	code     string
	messages []string
}

func (r *refusal) answer() map[string]any {
	out := fail(r.code)
	if len(r.messages) > 0 {
		out["response_metadata"] = map[string]any{"messages": r.messages}
	}
	return out
}

func (r *refusal) String() string {
	if len(r.messages) == 0 {
		return r.code
	}
	return fmt.Sprintf("%s %v", r.code, r.messages)
}

// checkMessage validates a message's text and blocks as chat.postMessage,
// chat.postEphemeral, chat.update and response_url do. requireContent is
// false for chat.update, where either may be left out to keep it.
func checkMessage(text string, blocks json.RawMessage, requireContent bool) *refusal {
	var decoded []any
	if blocks != nil {
		if err := json.Unmarshal(blocks, &decoded); err != nil {
			return &refusal{code: "invalid_blocks_format"}
		}
	}
	if requireContent && text == "" && len(decoded) == 0 {
		return &refusal{code: "no_text"}
	}
	if utf8.RuneCountInString(text) > MaxMessageText {
		return &refusal{code: "msg_too_long"}
	}
	if blocks == nil {
		return nil
	}
	var c checker
	c.blocks("/blocks", decoded, MaxMessageBlocks)
	if len(c.msgs) > 0 {
		return &refusal{code: "invalid_blocks", messages: c.msgs}
	}
	return nil
}

// checkView validates a view for views.open, views.update and views.push
// (want "modal") or views.publish (want "home").
func checkView(view json.RawMessage, want string) *refusal {
	var v map[string]any
	if err := json.Unmarshal(view, &v); err != nil {
		return &refusal{code: "invalid_arguments", messages: []string{"[ERROR] must be a valid JSON object [json-pointer:/view]"}}
	}
	var c checker
	c.view("/view", v, want)
	if len(c.msgs) > 0 {
		return &refusal{code: "invalid_arguments", messages: c.msgs}
	}
	return nil
}

// checker collects Block Kit errors in Slack's wording, each with the JSON
// pointer to what broke the rule.
type checker struct{ msgs []string }

func (c *checker) errf(ptr, format string, args ...any) {
	c.msgs = append(c.msgs, fmt.Sprintf("[ERROR] %s [json-pointer:%s]", fmt.Sprintf(format, args...), ptr))
}

func (c *checker) maxLen(ptr string, v any, max int) {
	s, _ := v.(string)
	if utf8.RuneCountInString(s) > max {
		c.errf(ptr, "must be less than %d characters", max+1)
	}
}

func (c *checker) maxItems(ptr string, n, max int) {
	if n > max {
		c.errf(ptr, "no more than %d items allowed", max)
	}
}

// text checks a text object: its type, and 1 to max characters of text.
func (c *checker) text(ptr string, v any, max int, plainOnly bool) {
	t, ok := v.(map[string]any)
	if !ok {
		c.errf(ptr, "must be an object")
		return
	}
	switch typ, _ := t["type"].(string); {
	case typ == "plain_text":
	case typ == "mrkdwn" && !plainOnly:
	case plainOnly:
		c.errf(ptr+"/type", "must be one of [plain_text]")
	default:
		c.errf(ptr+"/type", "must be one of [plain_text, mrkdwn]")
	}
	s, _ := t["text"].(string)
	if s == "" {
		c.errf(ptr+"/text", "must be more than 0 characters")
		return
	}
	c.maxLen(ptr+"/text", s, max)
}

func (c *checker) optionalText(ptr string, m map[string]any, key string, max int, plainOnly bool) {
	if v, ok := m[key]; ok && v != nil {
		c.text(ptr+"/"+key, v, max, plainOnly)
	}
}

func (c *checker) view(ptr string, v map[string]any, want string) {
	if typ, _ := v["type"].(string); typ != want {
		c.errf(ptr+"/type", "must be one of [%s]", want)
		return
	}
	blocks, _ := v["blocks"].([]any)
	if _, ok := v["blocks"]; !ok {
		c.errf(ptr+"/blocks", "must be provided")
	}
	c.blocks(ptr+"/blocks", blocks, MaxViewBlocks)
	c.maxLen(ptr+"/private_metadata", v["private_metadata"], MaxPrivateMetadata)
	c.maxLen(ptr+"/callback_id", v["callback_id"], MaxCallbackID)
	if want != "modal" {
		return
	}
	if _, ok := v["title"]; !ok {
		c.errf(ptr+"/title", "must be provided")
	} else {
		c.text(ptr+"/title", v["title"], MaxViewTitle, true)
	}
	c.optionalText(ptr, v, "submit", MaxViewTitle, true)
	c.optionalText(ptr, v, "close", MaxViewTitle, true)
	if _, hasSubmit := v["submit"]; !hasSubmit {
		for i, b := range blocks {
			if m, _ := b.(map[string]any); m["type"] == "input" {
				c.errf(fmt.Sprintf("%s/blocks/%d", ptr, i), "submit is required when an input block is in the view")
				break
			}
		}
	}
}

// knownBlocks are the block types Slack accepts; any other is refused.
var knownBlocks = map[string]bool{
	"actions": true, "context": true, "divider": true, "file": true, "header": true,
	"image": true, "input": true, "markdown": true, "rich_text": true, "section": true,
	"video": true, "table": true, "context_actions": true,
}

func (c *checker) blocks(ptr string, blocks []any, max int) {
	c.maxItems(ptr, len(blocks), max)
	ids := map[string]bool{}
	for i, b := range blocks {
		p := fmt.Sprintf("%s/%d", ptr, i)
		m, ok := b.(map[string]any)
		if !ok {
			c.errf(p, "must be an object")
			continue
		}
		if id, ok := m["block_id"].(string); ok {
			c.maxLen(p+"/block_id", id, MaxBlockID)
			if ids[id] {
				c.errf(p+"/block_id", "duplicate block_id %q", id)
			}
			ids[id] = true
		}
		c.block(p, m)
	}
}

func (c *checker) block(ptr string, b map[string]any) {
	typ, _ := b["type"].(string)
	if !knownBlocks[typ] {
		c.errf(ptr+"/type", "must be a valid block type")
		return
	}
	actionIDs := map[string]bool{}
	switch typ {
	case "section":
		_, hasText := b["text"]
		fields, hasFields := b["fields"].([]any)
		if !hasText && !hasFields {
			c.errf(ptr, "must provide either text or fields")
		}
		if hasText {
			c.text(ptr+"/text", b["text"], MaxSectionText, false)
		}
		c.maxItems(ptr+"/fields", len(fields), MaxSectionFields)
		for i, f := range fields {
			c.text(fmt.Sprintf("%s/fields/%d", ptr, i), f, MaxFieldText, false)
		}
		if a, ok := b["accessory"].(map[string]any); ok {
			c.element(ptr+"/accessory", a, actionIDs)
		}
	case "header":
		c.text(ptr+"/text", b["text"], MaxHeaderText, true)
	case "context":
		elems, _ := b["elements"].([]any)
		if len(elems) == 0 {
			c.errf(ptr+"/elements", "must have at least 1 item")
		}
		c.maxItems(ptr+"/elements", len(elems), MaxContextElements)
		for i, e := range elems {
			p := fmt.Sprintf("%s/elements/%d", ptr, i)
			if m, _ := e.(map[string]any); m["type"] == "image" {
				c.maxLen(p+"/image_url", m["image_url"], MaxURL)
				continue
			}
			c.text(p, e, MaxContextText, false)
		}
	case "actions":
		elems, _ := b["elements"].([]any)
		if len(elems) == 0 {
			c.errf(ptr+"/elements", "must have at least 1 item")
		}
		c.maxItems(ptr+"/elements", len(elems), MaxActionsElements)
		for i, e := range elems {
			if m, ok := e.(map[string]any); ok {
				c.element(fmt.Sprintf("%s/elements/%d", ptr, i), m, actionIDs)
			}
		}
	case "input":
		c.text(ptr+"/label", b["label"], MaxInputLabel, true)
		c.optionalText(ptr, b, "hint", MaxInputHint, true)
		if e, ok := b["element"].(map[string]any); ok {
			c.element(ptr+"/element", e, actionIDs)
		} else {
			c.errf(ptr+"/element", "must be provided")
		}
	case "markdown":
		c.maxLen(ptr+"/text", b["text"], MaxMarkdownText)
	case "image":
		c.maxLen(ptr+"/image_url", b["image_url"], MaxURL)
	}
}

func (c *checker) element(ptr string, e map[string]any, actionIDs map[string]bool) {
	if id, ok := e["action_id"].(string); ok {
		c.maxLen(ptr+"/action_id", id, MaxActionID)
		if actionIDs[id] {
			c.errf(ptr+"/action_id", "duplicate action_id %q in the block", id)
		}
		actionIDs[id] = true
	}
	c.optionalText(ptr, e, "placeholder", MaxPlaceholder, true)
	switch typ, _ := e["type"].(string); typ {
	case "button":
		c.text(ptr+"/text", e["text"], MaxButtonText, true)
		c.maxLen(ptr+"/value", e["value"], MaxButtonValue)
		c.maxLen(ptr+"/url", e["url"], MaxURL)
		c.maxLen(ptr+"/accessibility_label", e["accessibility_label"], MaxButtonText)
		if s, ok := e["style"].(string); ok && s != "primary" && s != "danger" {
			c.errf(ptr+"/style", "must be one of [primary, danger]")
		}
	case "static_select", "multi_static_select":
		c.options(ptr+"/options", e["options"], MaxSelectOptions, true)
		groups, _ := e["option_groups"].([]any)
		c.maxItems(ptr+"/option_groups", len(groups), MaxSelectOptions)
		for i, g := range groups {
			if m, ok := g.(map[string]any); ok {
				c.options(fmt.Sprintf("%s/option_groups/%d/options", ptr, i), m["options"], MaxSelectOptions, true)
			}
		}
	case "overflow":
		c.options(ptr+"/options", e["options"], 5, true)
	case "radio_buttons", "checkboxes":
		c.options(ptr+"/options", e["options"], 10, false)
	case "plain_text_input":
		minLen, hasMin := e["min_length"].(float64)
		maxLen, hasMax := e["max_length"].(float64)
		if hasMin && (minLen < 0 || minLen > MaxInputLength) {
			c.errf(ptr+"/min_length", "must be between 0 and %d", MaxInputLength)
		}
		if hasMax && (maxLen < 1 || maxLen > MaxInputLength) {
			c.errf(ptr+"/max_length", "must be between 1 and %d", MaxInputLength)
		}
		if hasMin && hasMax && minLen > maxLen {
			c.errf(ptr+"/min_length", "must not be more than max_length")
		}
		if hasMax {
			c.maxLen(ptr+"/initial_value", e["initial_value"], int(maxLen))
		}
	}
}

func (c *checker) options(ptr string, v any, max int, plainOnly bool) {
	opts, _ := v.([]any)
	c.maxItems(ptr, len(opts), max)
	for i, o := range opts {
		p := fmt.Sprintf("%s/%d", ptr, i)
		m, ok := o.(map[string]any)
		if !ok {
			c.errf(p, "must be an object")
			continue
		}
		c.text(p+"/text", m["text"], MaxOptionText, plainOnly)
		c.maxLen(p+"/value", m["value"], MaxOptionValue)
		c.optionalText(p, m, "description", MaxOptionText, plainOnly)
	}
}

// checkAck validates the payload an app sends back with an ack: a message
// for slash commands and block_actions, or a response_action for
// view_submission. Slack shows the person an error instead of either.
func checkAck(envelopeType string, payload json.RawMessage) *refusal {
	if len(payload) == 0 || string(payload) == "null" || string(payload) == "{}" {
		return nil
	}
	var p map[string]any
	if err := json.Unmarshal(payload, &p); err != nil {
		return &refusal{code: "invalid_payload"}
	}
	if action, _ := p["response_action"].(string); action != "" {
		switch action {
		case "errors":
			errs, ok := p["errors"].(map[string]any)
			if !ok || len(errs) == 0 {
				return &refusal{code: "invalid_payload", messages: []string{"[ERROR] errors must be a non-empty object [json-pointer:/errors]"}}
			}
			return nil
		case "update", "push":
			view, _ := json.Marshal(p["view"])
			return checkView(view, "modal")
		case "clear":
			return nil
		default:
			return &refusal{code: "invalid_payload", messages: []string{"[ERROR] must be one of [errors, update, push, clear] [json-pointer:/response_action]"}}
		}
	}
	if envelopeType == "events_api" {
		return nil
	}
	text, _ := p["text"].(string)
	return checkMessage(text, rawJSON(p, "blocks"), false)
}

// refuse records a refused payload in Unexpected (a test should not send
// what Slack refuses) and returns Slack's answer to it.
func (s *Server) refuse(method string, r *refusal) map[string]any {
	s.mu.Lock()
	s.unexpected = append(s.unexpected, "limit: "+method+": "+r.String())
	s.notifyLocked()
	s.mu.Unlock()
	return r.answer()
}

// checkMessageParams validates a chat method's text and blocks unless the
// fake is lenient.
func (s *Server) checkMessageParams(method string, p map[string]any, requireContent bool) map[string]any {
	if s.opts.Lenient {
		return nil
	}
	if r := checkMessage(str(p, "text"), rawJSON(p, "blocks"), requireContent); r != nil {
		return s.refuse(method, r)
	}
	return nil
}

func (s *Server) checkViewParam(method string, view json.RawMessage, want string) map[string]any {
	if s.opts.Lenient {
		return nil
	}
	if r := checkView(view, want); r != nil {
		return s.refuse(method, r)
	}
	return nil
}

// LimitError is a payload Slack would refuse, with Slack's error code
// ("invalid_blocks", "msg_too_long", "invalid_arguments", ...) and, for
// Block Kit errors, Slack's messages naming what broke which limit.
type LimitError struct {
	Code     string
	Messages []string
}

func (e *LimitError) Error() string {
	if len(e.Messages) == 0 {
		return e.Code
	}
	return e.Code + ": " + strings.Join(e.Messages, "; ")
}

func (r *refusal) err() error {
	if r == nil {
		return nil
	}
	return &LimitError{Code: r.code, Messages: r.messages}
}

// CheckMessage reports, as a *LimitError, whether Slack would refuse a
// message with this text and these blocks (a JSON array, nil for none) from
// chat.postMessage: the same check the fake makes. Tests of what the app
// builds can use it without a server.
func CheckMessage(text string, blocks json.RawMessage) error {
	return checkMessage(text, blocks, true).err()
}

// CheckView reports, as a *LimitError, whether Slack would refuse a view:
// a modal as views.open, views.update and a response_action take it, or a
// Home tab ("type": "home") as views.publish does.
func CheckView(view json.RawMessage) error {
	var v struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(view, &v); err != nil {
		return &LimitError{Code: "invalid_arguments", Messages: []string{"[ERROR] must be a valid JSON object [json-pointer:/view]"}}
	}
	want := "modal"
	if v.Type == "home" {
		want = "home"
	}
	return checkView(view, want).err()
}
