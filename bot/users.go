package bot

import (
	"context"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// userCacheTTL bounds how stale a cached users.info answer may be: admin
// rights and names change rarely, and Slack rate-limits users.info.
const userCacheTTL = 5 * time.Minute

// person is what the bot needs to know about a Slack user.
type person struct {
	ID      string
	Name    string // display name, else real name, else the handle
	TZ      string
	IsAdmin bool // workspace admin or owner
	fetched time.Time
}

type userCache struct {
	mu sync.Mutex
	m  map[string]person
}

// person returns user's profile, from the cache when fresh.
func (b *Bot) person(ctx context.Context, user string) (person, error) {
	now := time.Now()
	b.users.mu.Lock()
	p, ok := b.users.m[user]
	b.users.mu.Unlock()
	if ok && now.Sub(p.fetched) < userCacheTTL {
		return p, nil
	}
	u, err := b.slack.GetUserInfoContext(ctx, user)
	if err != nil {
		return person{}, err
	}
	p = personOf(u, now)
	b.users.mu.Lock()
	if b.users.m == nil {
		b.users.m = map[string]person{}
	}
	b.users.m[user] = p
	b.users.mu.Unlock()
	return p, nil
}

func personOf(u *slack.User, now time.Time) person {
	name := u.Profile.DisplayName
	if name == "" {
		name = u.RealName
	}
	if name == "" {
		name = u.Name
	}
	return person{ID: u.ID, Name: name, TZ: u.TZ, IsAdmin: u.IsAdmin || u.IsOwner || u.IsPrimaryOwner, fetched: now}
}

// displayName is user's name for people, or their ID when Slack cannot
// tell.
func (b *Bot) displayName(ctx context.Context, user string) string {
	if p, err := b.person(ctx, user); err == nil && p.Name != "" {
		return p.Name
	}
	return user
}
