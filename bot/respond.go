package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/prepbot/prepbot/bot/render"
)

// respond posts r to a response_url (valid 30 minutes, 5 uses).
func (b *Bot) respond(ctx context.Context, responseURL string, r reply) error {
	if r.ResponseType == "" {
		r.ResponseType = "ephemeral"
	}
	r.Text = render.NoBroadcast(r.Text)
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("response_url request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.http.Do(req)
	if err != nil {
		return fmt.Errorf("post to response_url: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("post to response_url: HTTP %d", resp.StatusCode)
	}
	return nil
}
