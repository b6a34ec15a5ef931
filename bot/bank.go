package bot

import (
	"context"
	"fmt"

	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// library is the bank the bot serves from: the live questions, plus every
// question ever stored (retired ones too) so that old posts and practice
// history still resolve.
type library struct {
	live *questions.Bank
	all  map[string]questions.Question
}

// syncBank writes the file bank (embedded + PREPBOT_QUESTIONS) into the
// store by ID, then builds the in-memory bank from the store.
func (b *Bot) syncBank(ctx context.Context, files *questions.Bank) error {
	recs := make(map[string][]byte, files.Len())
	for _, q := range files.All() {
		q.Origin = "" // where a file question lives is not part of it
		data, err := questions.Marshal(q)
		if err != nil {
			return err
		}
		recs[q.ID] = data
	}
	res, err := b.store.SyncQuestions(ctx, recs, b.clock.Now())
	if err != nil {
		return fmt.Errorf("sync question bank into the store: %w", err)
	}
	b.log.Info("question bank synced", "added", res.Added, "updated", res.Updated, "retired", res.Retired, "unchanged", res.Unchanged)
	b.guides = files.Guides()
	return b.reloadBank()
}

// reloadBank rebuilds the in-memory bank from the store: at start and after
// each change made in Slack.
func (b *Bot) reloadBank() error {
	recs, err := b.store.Questions()
	if err != nil {
		return fmt.Errorf("read stored questions: %w", err)
	}
	lib := &library{all: make(map[string]questions.Question, len(recs))}
	live := make([]questions.Question, 0, len(recs))
	for _, r := range recs {
		q, err := questions.Unmarshal(r.Data)
		if err != nil {
			b.log.Error("stored question does not decode; skipped", "id", r.ID, "err", err)
			continue
		}
		lib.all[q.ID] = q
		if !r.Retired {
			if r.Source == store.SourceSlack {
				q.Origin = "slack:" + q.ID
			}
			live = append(live, q)
		}
	}
	bank, err := questions.NewBank(live, b.guides)
	if err != nil {
		return fmt.Errorf("stored question bank is invalid: %w", err)
	}
	lib.live = bank
	b.lib.Store(lib)
	return nil
}

func (b *Bot) bank() *questions.Bank { return b.lib.Load().live }

// question finds a question by ID, retired ones included.
func (b *Bot) question(id string) (questions.Question, bool) {
	lib := b.lib.Load()
	if q, ok := lib.live.Get(id); ok {
		return q, true
	}
	q, ok := lib.all[id]
	return q, ok
}
