// Package control is the running bot's maintenance door: a small HTTP
// service on a unix socket (mode 0600) beside the database, through which
// `prepbot backup` and `prepbot questions export` reach a bot that holds the
// database's file lock.
package control

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"
)

// SocketPath is where the control socket of the database at dbPath lives.
func SocketPath(dbPath string) string { return dbPath + ".sock" }

// Handlers are the operations the socket serves. Nil ones answer 404.
type Handlers struct {
	// Backup writes a consistent copy of the database to w.
	Backup func(w io.Writer) (int64, error)
	// Export writes the store's question bank (bank files by path, JSON).
	Export func(w io.Writer) error
	// Reports writes the users' reports about answers (JSON).
	Reports func(w io.Writer) error
}

// Server serves Handlers on a unix socket.
type Server struct {
	path string
	ln   net.Listener
	http *http.Server
}

// Listen creates the socket at path (replacing a stale one: the caller holds
// the database lock, so no live process can own it) with mode 0600.
func Listen(path string, h Handlers, log *slog.Logger) (*Server, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("remove stale control socket: %w", err)
	}
	// Create the socket with no group/other access from the first instant.
	ln, err := listenPrivate(path)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	mux := http.NewServeMux()
	if h.Backup != nil {
		mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			if n, err := h.Backup(w); err != nil {
				log.Error("backup over control socket", "bytes", n, "err", err)
			} else {
				log.Info("backup over control socket", "bytes", n)
			}
		})
	}
	for path, fn := range map[string]func(io.Writer) error{"/export": h.Export, "/reports": h.Reports} {
		if fn == nil {
			continue
		}
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if err := fn(w); err != nil {
				log.Error("control socket", "path", path, "err", err)
			}
		})
	}
	s := &Server{path: path, ln: ln, http: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	go s.http.Serve(ln)
	return s, nil
}

// Close stops serving and removes the socket.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	_ = os.Remove(s.path)
	return err
}

// Get fetches path (for example "/backup") from the control socket and
// copies the body to w. It fails fast if nothing listens there.
func Get(ctx context.Context, socket, path string, w io.Writer) (int64, error) {
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://prepbot"+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("reach the running bot at %s: %w", socket, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("running bot answered %s for %s", resp.Status, path)
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("read %s from the running bot: %w", path, err)
	}
	return n, nil
}
