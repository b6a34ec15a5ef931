package bot

import (
	"bytes"
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/prepbot/prepbot/bot/insights"
	"github.com/prepbot/prepbot/internal/chart"
)

// insightCharts draws a report's two charts: participation week by week,
// and how strong the cohort is in each topic (weakest first).
func insightCharts(r insights.Report) (weekly, strength []byte, err error) {
	labels := make([]string, len(r.Weeks))
	answers := chart.Series{Name: "answers"}
	people := chart.Series{Name: "people who answered"}
	mocks := chart.Series{Name: "mock interviews"}
	for i, w := range r.Weeks {
		labels[i] = w.Start.Format("2 Jan")
		answers.Values = append(answers.Values, float64(w.Answers))
		people.Values = append(people.Values, float64(w.People))
		mocks.Values = append(mocks.Values, float64(w.Mocks))
	}
	if weekly, err = chart.Weekly("Participation per week", labels, []chart.Series{answers, people, mocks}); err != nil {
		return nil, nil, err
	}
	var topics []string
	var shares []float64
	for _, t := range r.Topics {
		topics = append(topics, t.Slug)
		shares = append(shares, t.Strength())
	}
	strength, err = chart.Strength("Topic strength (Good/Easy ratings and key points covered)", topics, shares)
	return weekly, strength, err
}

// sendInsightCharts uploads a report's charts to user's DM: insights are
// for the instructor's eyes, and files cannot be ephemeral.
func (b *Bot) sendInsightCharts(ctx context.Context, user, channel string, r insights.Report) error {
	weekly, strength, err := insightCharts(r)
	if err != nil {
		return fmt.Errorf("draw insight charts: %w", err)
	}
	dm, _, _, err := b.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return fmt.Errorf("open DM: %w", err)
	}
	for _, f := range []struct {
		name, title, alt string
		png              []byte
	}{
		{"participation.png", "Participation per week", "Bar chart of answers, people who answered and mock interviews per week", weekly},
		{"topic-strength.png", "Topic strength", "Bar chart of the cohort's strength per topic, weakest first", strength},
	} {
		_, err := b.slack.UploadFileContext(ctx, slack.UploadFileParameters{
			Filename: f.name, Title: f.title, AltTxt: f.alt,
			Reader: bytes.NewReader(f.png), FileSize: len(f.png), Channel: dm.ID,
			InitialComment: fmt.Sprintf("%s in <#%s>.", f.title, channel),
		})
		if err != nil {
			return fmt.Errorf("upload %s: %w", f.name, err)
		}
	}
	return nil
}
