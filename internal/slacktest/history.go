package slacktest

// AddHistory puts a message from user in channel (in threadTS's thread when
// set) without sending its event, as if it had been written while the bot
// was away, and returns its ts. Tests use it to fill a busy channel.
func (s *Server) AddHistory(channel, user, text, threadTS string) string {
	m := &Message{Channel: channel, TS: s.nextTS(), ThreadTS: threadTS, User: user, Text: text}
	s.mu.Lock()
	s.addMessageLocked(m)
	s.mu.Unlock()
	return m.TS
}
