// Package playground runs the real prepbot against the project's Slack fake
// (internal/slacktest) on a controlled clock, and serves a web page that
// looks and behaves like Slack, so the whole product can be tried in a
// browser without a Slack workspace.
//
// The bot is wired exactly as `prepbot run` wires it (store.Open on a real
// bbolt file, bot.New, Bot.Run); only Slack and the clock are simulated.
// Conversations and the clock are saved beside the database file, so a
// playground restarted with the same file carries on where it stopped.
package playground

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prepbot/prepbot/bot"
	"github.com/prepbot/prepbot/internal/clock"
	"github.com/prepbot/prepbot/internal/slacktest"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// The simulated workspace: three people, one cohort channel with the bot
// in it. Ines is the instructor, an admin through bot.Config.Admins.
const (
	Instructor = "UINES"
	Ada        = "UADA"
	Grace      = "UGRACE"
	Cohort     = "CCOHORT"
)

// person is a member of the simulated workspace as the page shows them.
type person struct {
	ID       string
	Name     string // display name: what the bot calls them
	RealName string
	Title    string
	Color    string // avatar background
	Admin    bool
}

// people are the simulated users, in the order the page lists them.
var people = []person{
	{ID: Instructor, Name: "Ines", RealName: "Ines Moreau", Title: "Instructor", Color: "#e8912d", Admin: true},
	{ID: Ada, Name: "Ada", RealName: "Ada Lovelace", Title: "Student", Color: "#2bac76"},
	{ID: Grace, Name: "Grace", RealName: "Grace Hopper", Title: "Student", Color: "#1264a3"},
}

func lookupPerson(id string) (person, bool) {
	for _, p := range people {
		if p.ID == id {
			return p, true
		}
	}
	return person{}, false
}

// dmOf is the ID of a user's DM with the bot in the fake.
func dmOf(user string) string { return "D" + user }

// Options configure a playground.
type Options struct {
	// DBPath is the bbolt file (required). The conversations and the clock
	// are saved beside it, in DBPath + ".playground.json".
	DBPath string
	// Bank is the question bank. Nil means the embedded bank.
	Bank *questions.Bank
	// Zone is the zone of schedules, of the simulated people and of the
	// page's clock. Nil means UTC.
	Zone *time.Location
	// Logger receives the bot's and the playground's logs. Nil discards them.
	Logger *slog.Logger
	// Start is where the fake clock starts. Zero means now, or the time
	// saved by an earlier run of the same database if that is later.
	Start time.Time
}

// Playground is a running bot on a fake Slack and a fake clock. Create it
// with Start, serve Handler, and Close it.
type Playground struct {
	opts      Options
	log       *slog.Logger
	slack     *slacktest.Server
	clock     *clock.Fake
	db        *store.DB
	bot       *bot.Bot
	savePath  string
	stopBot   context.CancelFunc
	botDone   chan struct{} // closed when Bot.Run returns
	botErr    error         // Bot.Run's result, set before botDone closes
	stop      chan struct{} // closed by Close: the watcher and event streams end
	streams   chan struct{} // closed by EndStreams: event streams end
	endOnce   sync.Once
	closeOnce sync.Once
	closeErr  error
	watchDone chan struct{}
	clockMu   sync.Mutex // one clock move at a time

	mu         sync.Mutex
	snap       slacktest.Snapshot
	ephStamps  []stamp           // by ephemeral index: when it was first seen
	fileStamps map[string]stamp  // by file ID
	triggers   map[string]string // trigger ID -> user who acted
	triggerSeq int
	viewsSeen  int // views.open calls already given to someone
	modals     map[string][]*modal
	modalSeq   int
	dismissed  map[string]map[string]bool // user -> ephemeral item IDs
	rev        int64                      // bumped when what people see changes
	print      uint64                     // fingerprint of what people see
	subs       map[chan int64]struct{}
	dirty      bool // changed since the last save
}

// stamp places an ephemeral message or a file, which Slack's fake keeps
// without a timestamp, in the timeline: after every message up to TS, at
// the fake time At.
type stamp struct {
	TS string    `json:"ts"`
	At time.Time `json:"at"`
}

// modal is a view the bot opened for someone, waiting for them.
type modal struct {
	ID              string
	View            json.RawMessage
	CallbackID      string
	PrivateMetadata string
}

// saved is what the playground keeps beside the database.
type saved struct {
	Clock         time.Time                  `json:"clock"`
	Conversations slacktest.Conversations    `json:"conversations"`
	Ephemerals    []stamp                    `json:"ephemeral_stamps"`
	Files         map[string]stamp           `json:"file_stamps,omitempty"`
	Dismissed     map[string]map[string]bool `json:"dismissed,omitempty"`
}

// Start starts the Slack fake, opens the store, starts the bot and waits
// until it is connected. Close stops it all.
func Start(ctx context.Context, opts Options) (*Playground, error) {
	if opts.DBPath == "" {
		return nil, errors.New("playground: Options.DBPath is required")
	}
	if opts.Zone == nil {
		opts.Zone = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Playground{
		opts:       opts,
		log:        opts.Logger,
		savePath:   opts.DBPath + ".playground.json",
		stop:       make(chan struct{}),
		streams:    make(chan struct{}),
		watchDone:  make(chan struct{}),
		botDone:    make(chan struct{}),
		fileStamps: map[string]stamp{},
		triggers:   map[string]string{},
		modals:     map[string][]*modal{},
		dismissed:  map[string]map[string]bool{},
		subs:       map[chan int64]struct{}{},
	}
	prev, err := p.load()
	if err != nil {
		p.log.Warn("playground: ignoring saved conversations", "file", p.savePath, "err", err)
		prev = saved{}
	}
	start := opts.Start
	if start.IsZero() {
		start = time.Now()
	}
	if prev.Clock.After(start) {
		start = prev.Clock // time never runs backwards for a database
	}
	p.clock = clock.NewFake(start.Truncate(time.Microsecond))

	p.slack, err = slacktest.New(slacktest.Options{Now: p.clock.Now})
	if err != nil {
		return nil, fmt.Errorf("playground: start the Slack fake: %w", err)
	}
	for _, u := range people {
		p.slack.AddUser(slacktest.User{ID: u.ID, Name: u.Name, RealName: u.RealName, TZ: opts.Zone.String()})
	}
	p.slack.AddChannel(slacktest.Channel{ID: Cohort, Name: "cohort", BotMember: true})
	p.slack.Restore(prev.Conversations)
	p.ephStamps = prev.Ephemerals
	for id, st := range prev.Files {
		p.fileStamps[id] = st
	}
	for u, ids := range prev.Dismissed {
		if _, ok := lookupPerson(u); ok {
			p.dismissed[u] = ids
		}
	}

	// From here on, the same wiring as `prepbot run`.
	p.db, err = store.Open(opts.DBPath, store.Options{Now: p.clock.Now})
	if err != nil {
		p.slack.Close()
		return nil, fmt.Errorf("playground: open %s: %w", opts.DBPath, err)
	}
	p.bot, err = bot.New(bot.Config{
		AppToken: p.slack.AppToken(),
		BotToken: p.slack.BotToken(),
		APIURL:   p.slack.APIURL(),
		Store:    p.db,
		Logger:   p.log,
		Bank:     opts.Bank,
		Clock:    p.clock,
		Zone:     opts.Zone,
		Admins:   []string{Instructor},
	})
	if err != nil {
		p.db.Close()
		p.slack.Close()
		return nil, fmt.Errorf("playground: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	p.stopBot = cancel
	go func() {
		p.botErr = p.bot.Run(runCtx)
		close(p.botDone)
	}()
	if err := p.waitConnected(ctx); err != nil {
		p.Close()
		return nil, err
	}
	p.refresh()
	go p.watch()
	return p, nil
}

// waitConnected waits until the bot reports a live Socket Mode connection.
func (p *Playground) waitConnected(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for !p.bot.Connected() {
		select {
		case <-p.botDone:
			return fmt.Errorf("playground: the bot stopped while connecting: %v", p.botErr)
		case <-ctx.Done():
			return fmt.Errorf("playground: the bot did not connect to the Slack fake: %w", ctx.Err())
		case <-t.C:
		}
	}
	return nil
}

// Done is closed when the bot stops, normally after Close; Err then says why.
func (p *Playground) Done() <-chan struct{} { return p.botDone }

// Err is the bot's error once Done is closed (nil after a normal stop).
func (p *Playground) Err() error {
	select {
	case <-p.botDone:
		return p.botErr
	default:
		return nil
	}
}

// EndStreams ends the page's event streams (they never end on their own),
// so that an http.Server can shut down; register it with
// RegisterOnShutdown. Close calls it too.
func (p *Playground) EndStreams() { p.endOnce.Do(func() { close(p.streams) }) }

// Close stops the event streams and the bot, saves the conversations,
// closes the store and the Slack fake. It is safe to call more than once.
func (p *Playground) Close() error {
	p.closeOnce.Do(func() {
		p.EndStreams()
		close(p.stop)
		p.stopBot()
		<-p.botDone
		select {
		case <-p.watchDone:
		case <-time.After(5 * time.Second):
		}
		if p.botErr != nil {
			p.closeErr = p.botErr
		}
		p.refresh()
		if err := p.save(); err != nil {
			p.log.Error("playground: save conversations", "file", p.savePath, "err", err)
			p.closeErr = errors.Join(p.closeErr, err)
		}
		if err := p.db.Close(); err != nil {
			p.closeErr = errors.Join(p.closeErr, fmt.Errorf("close store: %w", err))
		}
		p.slack.Close()
	})
	return p.closeErr
}

// Clock is the playground's fake clock.
func (p *Playground) Clock() *clock.Fake { return p.clock }

// Slack is the playground's Slack fake.
func (p *Playground) Slack() *slacktest.Server { return p.slack }

// load reads the conversations saved by an earlier run, if any.
func (p *Playground) load() (saved, error) {
	var s saved
	b, err := os.ReadFile(p.savePath)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	} else if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return saved{}, fmt.Errorf("decode: %w", err)
	}
	return s, nil
}

// save writes the conversations and the clock beside the database,
// atomically (a temporary file renamed over the old one).
func (p *Playground) save() error {
	p.mu.Lock()
	s := saved{
		Clock: p.clock.Now(),
		Conversations: slacktest.Conversations{
			Messages:   p.snap.Messages,
			Ephemerals: p.snap.Ephemerals,
			Homes:      p.snap.Homes,
			Uploads:    p.snap.Uploads,
		},
		Ephemerals: append([]stamp(nil), p.ephStamps...),
		Files:      p.fileStamps,
		Dismissed:  p.dismissed,
	}
	for _, c := range p.snap.Channels {
		if c.IsMPIM {
			s.Conversations.GroupDMs = append(s.Conversations.GroupDMs, c)
		}
	}
	b, err := json.Marshal(s)
	p.dirty = false
	p.mu.Unlock()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p.savePath), filepath.Base(p.savePath)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p.savePath)
}
