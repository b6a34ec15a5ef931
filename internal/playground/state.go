package playground

import (
	"encoding/json"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prepbot/prepbot/internal/slacktest"
)

// saveEvery bounds how often a busy playground rewrites its saved file.
const saveEvery = 2 * time.Second

// watch follows the Slack fake and the clock: it stamps new ephemeral
// messages and files, hands opened modals to the people who asked for them,
// and tells the event streams when what people see has changed.
func (p *Playground) watch() {
	defer close(p.watchDone)
	lastSave := time.Now()
	saveTimer := time.NewTimer(time.Hour)
	defer saveTimer.Stop()
	for {
		sc, cc := p.slack.Changed(), p.clock.Changed()
		p.refresh()
		p.mu.Lock()
		dirty := p.dirty
		p.mu.Unlock()
		if dirty {
			if wait := saveEvery - time.Since(lastSave); wait <= 0 {
				if err := p.save(); err != nil {
					p.log.Error("playground: save conversations", "file", p.savePath, "err", err)
				}
				lastSave = time.Now()
			} else {
				saveTimer.Reset(wait)
			}
		}
		select {
		case <-sc:
		case <-cc:
		case <-saveTimer.C:
		case <-p.stop:
			return
		}
	}
}

// refresh takes a snapshot of the fake and updates what the page sees.
func (p *Playground) refresh() {
	snap := p.slack.Snapshot()
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.snap = snap
	for i := len(p.ephStamps); i < len(snap.Ephemerals); i++ {
		p.ephStamps = append(p.ephStamps, stamp{TS: snap.LastTS, At: now})
	}
	for _, f := range snap.Uploads {
		if _, ok := p.fileStamps[f.FileID]; !ok {
			p.fileStamps[f.FileID] = stamp{TS: snap.LastTS, At: now}
		}
	}
	for ; p.viewsSeen < len(snap.Views); p.viewsSeen++ {
		v := snap.Views[p.viewsSeen]
		user, ok := p.triggers[v.TriggerID]
		if v.Method != "views.open" || !ok {
			continue
		}
		var meta struct {
			CallbackID      string `json:"callback_id"`
			PrivateMetadata string `json:"private_metadata"`
		}
		delete(p.triggers, v.TriggerID) // a trigger opens one modal
		_ = json.Unmarshal(v.View, &meta)
		p.modalSeq++
		p.modals[user] = append(p.modals[user], &modal{
			ID: "M" + strconv.Itoa(p.modalSeq), View: v.View,
			CallbackID: meta.CallbackID, PrivateMetadata: meta.PrivateMetadata,
		})
	}
	if fp := p.fingerprintLocked(now); fp != p.print {
		p.print = fp
		p.rev++
		p.dirty = true
		for ch := range p.subs {
			select {
			case ch <- p.rev:
			default:
			}
		}
	}
}

// fingerprintLocked hashes everything the page shows, so the page is told
// of real changes only (the fake also changes on every ack and ping).
func (p *Playground) fingerprintLocked(now time.Time) uint64 {
	h := fnv.New64a()
	w := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	w(now.Format(time.RFC3339Nano))
	for _, m := range p.snap.Messages {
		w(m.Channel)
		w(m.TS)
		w(m.ThreadTS)
		w(m.Text)
		h.Write(m.Blocks)
		if m.Edited {
			w("edited")
		}
	}
	w(strconv.Itoa(len(p.snap.Ephemerals)))
	users := make([]string, 0, len(p.snap.Homes))
	for u := range p.snap.Homes {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		w(u)
		h.Write(p.snap.Homes[u])
	}
	w(strconv.Itoa(len(p.snap.Uploads)))
	w(strconv.Itoa(p.modalSeq))
	for _, u := range people {
		w(strconv.Itoa(len(p.modals[u.ID])))
		w(strconv.Itoa(len(p.dismissed[u.ID])))
	}
	return h.Sum64()
}

// changedLocked makes the next refresh announce a change the fingerprint
// covers but the fake does not see (a closed modal, a dismissal).
func (p *Playground) changedLocked() {
	p.print = 0
}

// subscribe returns a channel that receives the new revision after each
// change; unsubscribe with the returned function.
func (p *Playground) subscribe() (<-chan int64, func()) {
	ch := make(chan int64, 1)
	p.mu.Lock()
	p.subs[ch] = struct{}{}
	p.mu.Unlock()
	return ch, func() {
		p.mu.Lock()
		delete(p.subs, ch)
		p.mu.Unlock()
	}
}

// ---- the page's view of the workspace ----

// stateJSON is GET /api/state: everything one person sees.
type stateJSON struct {
	Rev      int64           `json:"rev"`
	Me       string          `json:"me"`
	Zone     string          `json:"zone"`
	Now      time.Time       `json:"now"`
	NextPost *time.Time      `json:"next_post,omitempty"`
	People   []personJSON    `json:"people"`
	Bot      personJSON      `json:"bot"`
	Convs    []convJSON      `json:"conversations"`
	Home     json.RawMessage `json:"home"`
	Modal    *modalJSON      `json:"modal"`
}

type personJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	RealName string `json:"real_name"`
	Title    string `json:"title"`
	Color    string `json:"color"`
	Admin    bool   `json:"admin"`
	Bot      bool   `json:"bot,omitempty"`
}

type convJSON struct {
	ID       string                `json:"id"`
	Name     string                `json:"name"`
	Kind     string                `json:"kind"`              // "channel", "app" or "group" (a group DM)
	Members  []string              `json:"members,omitempty"` // a group DM's people
	Messages []itemJSON            `json:"messages"`
	Threads  map[string][]itemJSON `json:"threads"`
}

// itemJSON is a message, an ephemeral message or a file in a timeline.
type itemJSON struct {
	ID          string          `json:"id"`
	TS          string          `json:"ts"`
	ThreadTS    string          `json:"thread_ts,omitempty"`
	User        string          `json:"user"`
	Bot         bool            `json:"bot,omitempty"`
	Time        int64           `json:"time"` // Unix milliseconds
	Text        string          `json:"text"`
	Blocks      json.RawMessage `json:"blocks,omitempty"`
	Edited      bool            `json:"edited,omitempty"`
	Ephemeral   bool            `json:"ephemeral,omitempty"`
	File        *fileJSON       `json:"file,omitempty"`
	ReplyCount  int             `json:"reply_count,omitempty"`
	ReplyUsers  []string        `json:"reply_users,omitempty"`
	LatestReply int64           `json:"latest_reply,omitempty"` // Unix milliseconds

	key sortKey
}

type fileJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Size  int    `json:"size"`
	Image bool   `json:"image,omitempty"` // a PNG: the page shows it inline
}

type modalJSON struct {
	ID   string          `json:"id"`
	View json.RawMessage `json:"view"`
}

// sortKey orders a timeline: by timestamp, messages before the ephemeral
// messages and files stamped with the same timestamp, then by arrival.
type sortKey struct {
	micros int64
	kind   int
	seq    int
}

func (a sortKey) compare(b sortKey) int {
	switch {
	case a.micros != b.micros:
		return cmpInt(a.micros, b.micros)
	case a.kind != b.kind:
		return cmpInt(int64(a.kind), int64(b.kind))
	default:
		return cmpInt(int64(a.seq), int64(b.seq))
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ephemeralTS is the timestamp the page uses for ephemeral i when its
// buttons are pressed: after the stamp, and never equal to a real message's
// (it has nine fractional digits where Slack's have six).
func ephemeralTS(st stamp, i int) string {
	return st.TS + strconv.Itoa(100+i%900)
}

// state builds what user sees now.
func (p *Playground) state(user string) stateJSON {
	p.refresh()
	next, hasNext := p.nextPost(p.clock.Now())
	p.mu.Lock()
	defer p.mu.Unlock()
	s := stateJSON{
		Rev:  p.rev,
		Me:   user,
		Zone: p.opts.Zone.String(),
		Now:  p.clock.Now(),
		Bot:  personJSON{ID: slacktest.BotUserID, Name: "prepbot", RealName: "prepbot", Title: "Interview practice, daily", Color: "#4a154b", Bot: true},
		Home: p.snap.Homes[user],
	}
	if hasNext {
		s.NextPost = &next
	}
	for _, u := range people {
		s.People = append(s.People, personJSON{ID: u.ID, Name: u.Name, RealName: u.RealName, Title: u.Title, Color: u.Color, Admin: u.Admin})
	}
	if ms := p.modals[user]; len(ms) > 0 {
		top := ms[len(ms)-1]
		s.Modal = &modalJSON{ID: top.ID, View: top.View}
	}
	s.Convs = []convJSON{
		p.convLocked(user, Cohort, "cohort", "channel"),
		p.convLocked(user, dmOf(user), "prepbot", "app"),
	}
	// Group DMs show in their members' sidebars only, as in Slack.
	for _, c := range p.snap.Channels {
		if !c.IsMPIM || !slices.Contains(c.Members, user) {
			continue
		}
		conv := p.convLocked(user, c.ID, groupName(user, c.Members), "group")
		conv.Members = c.Members
		s.Convs = append(s.Convs, conv)
	}
	return s
}

// groupName is how Slack names a group DM to one of its members: the
// others' names.
func groupName(user string, members []string) string {
	var names []string
	for _, m := range members {
		if m == user {
			continue
		}
		if who, ok := lookupPerson(m); ok {
			names = append(names, who.Name)
		} else {
			names = append(names, m)
		}
	}
	return strings.Join(names, ", ")
}

// convLocked is one conversation as user sees it: the messages, and the
// ephemeral messages and files meant for them, threads apart.
func (p *Playground) convLocked(user, channel, name, kind string) convJSON {
	c := convJSON{ID: channel, Name: name, Kind: kind, Messages: []itemJSON{}, Threads: map[string][]itemJSON{}}
	var top []itemJSON
	seq := 0
	add := func(it itemJSON) {
		seq++
		it.key.seq = seq
		if it.ThreadTS != "" && it.ThreadTS != it.TS {
			c.Threads[it.ThreadTS] = append(c.Threads[it.ThreadTS], it)
			return
		}
		it.ThreadTS = ""
		top = append(top, it)
	}
	for _, m := range p.snap.Messages {
		if m.Channel != channel {
			continue
		}
		micros := slacktest.TSMicros(m.TS)
		add(itemJSON{
			ID: m.TS, TS: m.TS, ThreadTS: m.ThreadTS, User: m.User, Bot: m.BotID != "",
			Time: micros / 1000, Text: m.Text, Blocks: m.Blocks, Edited: m.Edited,
			key: sortKey{micros: micros},
		})
	}
	for i, e := range p.snap.Ephemerals {
		if e.Channel != channel || e.User != user || i >= len(p.ephStamps) {
			continue
		}
		id := "e" + strconv.Itoa(i)
		if p.dismissed[user][id] {
			continue
		}
		st := p.ephStamps[i]
		add(itemJSON{
			ID: id, TS: ephemeralTS(st, i), ThreadTS: e.ThreadTS, User: slacktest.BotUserID, Bot: true,
			Time: st.At.UnixMilli(), Text: e.Text, Blocks: e.Blocks, Ephemeral: true,
			key: sortKey{micros: slacktest.TSMicros(st.TS), kind: 1},
		})
	}
	for _, f := range p.snap.Uploads {
		st, ok := p.fileStamps[f.FileID]
		if f.Channel != channel || !ok {
			continue
		}
		add(itemJSON{
			ID: f.FileID, TS: f.FileID, User: slacktest.BotUserID, Bot: true, Time: st.At.UnixMilli(),
			File: &fileJSON{ID: f.FileID, Name: f.Filename, Size: len(f.Content), Image: isPNG(f.Content)},
			key:  sortKey{micros: slacktest.TSMicros(st.TS), kind: 2},
		})
	}
	byKey := func(a, b itemJSON) int { return a.key.compare(b.key) }
	slices.SortStableFunc(top, byKey)
	for ts, replies := range c.Threads {
		slices.SortStableFunc(replies, byKey)
		c.Threads[ts] = replies
	}
	for i := range top {
		replies := c.Threads[top[i].TS]
		if top[i].Ephemeral || len(replies) == 0 {
			continue
		}
		for _, r := range replies {
			if r.Ephemeral {
				continue
			}
			top[i].ReplyCount++
			top[i].LatestReply = r.Time
			if !slices.Contains(top[i].ReplyUsers, r.User) {
				top[i].ReplyUsers = append(top[i].ReplyUsers, r.User)
			}
		}
	}
	if top != nil {
		c.Messages = top
	}
	return c
}
