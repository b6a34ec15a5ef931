// Package bot is prepbot's Slack layer: it holds the Socket Mode
// connection, acknowledges and dispatches envelopes (durable ones after
// their commit), paces and retries Web API calls, records before it posts,
// decides permissions (authz.go) and sends every message through one path
// (send.go).
//
// What to say and why lives in its subpackages, which know nothing of
// Slack's transport and are tested without the fake or real time: render
// builds every message and view (and escapes bank and user text), progress
// computes records and participation, practice holds the spaced-repetition
// rules, slots the question-of-the-day schedule, bankedit the question
// editor's form, insights a cohort's figures for its instructor.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/prepbot/prepbot/internal/clock"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// Config holds what a Bot needs. Fields marked required must be set; the
// others have the documented default when zero.
type Config struct {
	AppToken string // required, xapp-…
	BotToken string // required, xoxb-…
	// APIURL is the Web API base. Empty means slack.APIURL.
	APIURL string
	// Store is required.
	Store *store.DB
	// Logger receives the bot's logs. Nil discards them.
	Logger *slog.Logger
	// Registry receives the bot's metrics. Nil means a private registry.
	Registry *prometheus.Registry
	// HTTPClient talks to the Web API and response URLs. Nil means a client
	// with a 10 s timeout.
	HTTPClient *http.Client
	// Workers bounds handlers doing slow work (Web API calls) at once.
	// Zero means 64.
	Workers int
	// ShutdownGrace bounds the wait for in-flight handlers on shutdown.
	// Zero means 3 s.
	ShutdownGrace time.Duration
	// OnConnected, if set, is called each time the socket connects.
	OnConnected func()
	// Bank is the question bank from files (embedded, merged with
	// PREPBOT_QUESTIONS); it is synced into the store at start. Nil means
	// the embedded bank.
	Bank *questions.Bank
	// Clock drives schedules and reminders. Nil means the system clock.
	Clock clock.Clock
	// Zone is the default zone for schedules. Nil means UTC.
	Zone *time.Location
	// Admins may run admin commands everywhere (PREPBOT_ADMINS).
	Admins []string
	// PostInterval spaces the bot's own posts in one channel (Slack allows
	// chat.postMessage about once a second per channel). Zero means 1 s;
	// negative turns pacing off, for tests against a fake without limits.
	PostInterval time.Duration
}

// Bot is a running prepbot. Create it with New and start it with Run.
type Bot struct {
	cfg     Config
	log     *slog.Logger
	clock   clock.Clock
	store   *store.DB
	slack   slackAPI
	api     *slack.Client
	sm      *socketmode.Client
	http    *http.Client
	metrics *metrics

	botUserID string
	botID     string

	connected atomic.Bool
	// notConnected says why the bot is not connected yet, for /healthz.
	notConnected atomic.Pointer[string]
	// uninstalled is set when Slack uninstalls the app or revokes its
	// token: nothing is sent any more (a restart then fails auth.test).
	uninstalled atomic.Bool
	slow        chan struct{}    // semaphore for slow handlers
	durable     chan struct{}    // semaphore for ack-after-commit writes
	reminding   chan struct{}    // semaphore for reminder DMs
	feedback    chan store.Reply // thread answers waiting for their feedback
	inflight    sync.WaitGroup
	workCtx     context.Context // handlers' context: outlives Run's ctx by the grace period
	cancel      context.CancelFunc

	threads threadSet
	lib     atomic.Pointer[library]
	guides  questions.Guides
	users   userCache
	posting channelLocks  // one question-of-the-day job per channel at a time
	pacer   *channelPacer // Slack's 1 message per second per channel
	wake    chan struct{} // tells the scheduler that schedules changed
	jobsMu  sync.Mutex
	jobs    map[jobKey]bool // question-of-the-day slots being posted
}

// New checks cfg and builds a Bot. It does not connect.
func New(cfg Config) (*Bot, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("bot: Config.Store is required")
	case !strings.HasPrefix(cfg.AppToken, "xapp-"):
		return nil, errors.New("bot: the app token must start with xapp-")
	case !strings.HasPrefix(cfg.BotToken, "xoxb-"):
		return nil, errors.New("bot: the bot token must start with xoxb-")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = slack.APIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Zone == nil {
		cfg.Zone = time.UTC
	}
	if cfg.Bank == nil {
		bank, err := questions.Default()
		if err != nil {
			return nil, fmt.Errorf("bot: embedded question bank: %w", err)
		}
		cfg.Bank = bank
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Workers == 0 {
		cfg.Workers = 64
	}
	if cfg.PostInterval == 0 {
		cfg.PostInterval = time.Second
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 3 * time.Second
	}
	b := &Bot{
		cfg:       cfg,
		log:       cfg.Logger,
		clock:     cfg.Clock,
		wake:      make(chan struct{}, 1),
		store:     cfg.Store,
		metrics:   newMetrics(cfg.Registry),
		slow:      make(chan struct{}, cfg.Workers),
		durable:   make(chan struct{}, 512),
		reminding: make(chan struct{}, reminderSenders),
		feedback:  make(chan store.Reply, feedbackQueue),
		pacer:     newPacer(cfg.PostInterval),
	}
	b.http = &http.Client{Timeout: cfg.HTTPClient.Timeout, Transport: &countingTransport{next: transportOf(cfg.HTTPClient), metrics: b.metrics}}
	b.api = slack.New(cfg.BotToken,
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionHTTPClient(b.http),
		slack.OptionLog(slogAdapter{b.log.With("component", "slack")}),
		// 429s are waited out (Retry-After): Slack did not act on the request,
		// so a retry cannot double a post. 5xx are not retried blindly.
		slack.OptionRetryConfig(slack.RetryConfig{MaxRetries: 5}),
	)
	b.slack = b.api
	b.sm = socketmode.New(b.api, socketmode.OptionLog(slogAdapter{b.log.With("component", "socketmode")}))
	if err := b.loadThreads(); err != nil {
		return nil, err
	}
	if err := b.syncBank(context.Background(), cfg.Bank); err != nil {
		return nil, err
	}
	// The bot serves the bank it built from the store; the file bank's
	// copy need not stay resident.
	b.cfg.Bank = nil
	return b, nil
}

// Connected reports whether the Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.connected.Load() }

// Healthy returns nil when the bot is connected and its store answers, or
// an error that says what is wrong.
func (b *Bot) Healthy() error {
	if !b.connected.Load() {
		if why := b.notConnected.Load(); why != nil {
			return errors.New("socket mode not connected: " + *why)
		}
		return errors.New("socket mode not connected")
	}
	if err := b.store.Ping(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// Run connects to Slack and serves until ctx is done, then stops taking
// envelopes, lets in-flight handlers finish (bounded by ShutdownGrace) and
// returns nil. It returns an error at once if the tokens are refused.
func (b *Bot) Run(ctx context.Context) error {
	auth, err := b.authenticate(ctx)
	if err != nil || auth == nil { // auth is nil when ctx ended first
		return err
	}
	b.notConnected.Store(nil)
	b.botUserID, b.botID = auth.UserID, auth.BotID
	b.log.Info("authenticated", "team", auth.TeamID, "bot_user", auth.UserID)

	b.workCtx, b.cancel = context.WithCancel(context.Background())
	defer b.cancel()

	smCtx, stopSocket := context.WithCancel(ctx)
	defer stopSocket()
	smErr := make(chan error, 1)
	go func() { smErr <- b.sm.RunContext(smCtx) }()

	go b.pruneEvents(smCtx)
	b.startFeedbackSenders(smCtx)
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		b.runScheduler(smCtx)
	}()

	for {
		select {
		case evt := <-b.sm.Events:
			b.handle(evt)
		case err := <-smErr:
			b.connected.Store(false)
			stopSocket()
			if ctx.Err() != nil {
				return b.drain()
			}
			b.drain()
			switch code := slackErrorCode(err); code {
			case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type":
				//lint:ignore ST1005 the sentence starts with Slack, a name
				return fmt.Errorf("Slack refused SLACK_APP_TOKEN (%s): check the app-level token and its connections:write scope", code)
			}
			return fmt.Errorf("socket mode: %w", err)
		case <-ctx.Done():
			stopSocket()
			b.connected.Store(false)
			return b.drain()
		}
	}
}

// Backoff of auth.test at start: a DNS, network or Slack blip at boot is
// waited out (with /healthz saying why), never a crash loop.
const (
	startBackoff    = 250 * time.Millisecond
	startBackoffMax = 30 * time.Second
)

// authenticate calls auth.test until Slack answers. Slack's definite
// refusals of the token end it at once with a clear error; anything else
// (DNS, connection refused, TLS, timeouts, 5xx, 429) is retried with a
// doubling backoff until ctx ends.
func (b *Bot) authenticate(ctx context.Context) (*slack.AuthTestResponse, error) {
	wait := startBackoff
	for attempt := 1; ; attempt++ {
		auth, err := b.api.AuthTestContext(ctx)
		if err == nil {
			return auth, nil
		}
		switch code := slackErrorCode(err); code {
		case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type", "missing_scope":
			//lint:ignore ST1005 the sentence starts with Slack, a name
			return nil, fmt.Errorf("Slack refused SLACK_BOT_TOKEN (%s): check the bot token (xoxb-…) of the installed app", code)
		}
		if ctx.Err() != nil {
			return nil, nil // shut down while waiting: not an error
		}
		why := "auth.test failed, retrying: " + redact(err.Error())
		b.notConnected.Store(&why)
		b.log.Warn("cannot reach Slack yet; retrying", "attempt", attempt, "in", wait, "err", redact(err.Error()))
		select {
		case <-ctx.Done():
			return nil, nil
		case <-time.After(wait):
		}
		wait = min(2*wait, startBackoffMax)
	}
}

// ticketPattern matches a Socket Mode URL's ticket, which is a credential
// for one connection and must not reach the logs.
var ticketPattern = regexp.MustCompile(`(ticket=)[^&\s"']+`)

// redact removes credentials from an error message.
func redact(s string) string { return ticketPattern.ReplaceAllString(s, "${1}REDACTED") }

// drain waits for in-flight handlers, up to the grace period, then cancels
// whatever is left.
func (b *Bot) drain() error {
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(b.cfg.ShutdownGrace):
		b.log.Warn("shutdown grace period over; cancelling handlers still running")
		b.cancel()
		<-done
	}
	return nil
}

func (b *Bot) pruneEvents(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := b.store.PruneEvents(ctx); err != nil && ctx.Err() == nil {
			b.log.Error("prune event IDs", "err", err)
		} else if n > 0 {
			b.log.Debug("pruned event IDs", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// slogAdapter lets slack-go's logger interface write to slog at debug level.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Output(_ int, s string) error {
	a.l.Debug(strings.TrimSpace(s))
	return nil
}
