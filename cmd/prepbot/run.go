package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/prepbot/prepbot/bot"
	"github.com/prepbot/prepbot/internal/control"
	"github.com/prepbot/prepbot/questions"
	"github.com/prepbot/prepbot/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usageText = `prepbot — daily interview practice for Slack cohorts

Usage:
  prepbot run [flags]                 run the bot (Socket Mode)
  prepbot questions lint [DIR]        validate a question bank
  prepbot questions list [--topic T]  list questions
  prepbot questions show ID           show one question and its answer
  prepbot questions feedback ID [ANSWER]  which key points an answer covers
  prepbot questions topics            topics with question counts
  prepbot questions export DIR        the bot's bank (with questions added in Slack) as files
  prepbot questions reports           problems people reported with answers
  prepbot backup FILE                 consistent copy of the database, bot running or not
  prepbot insights --channel C [--csv]  a cohort's participation, weak topics, reports, quiet members
  prepbot playground [--addr A] [--db F]  try the bot in a browser, no Slack needed
  prepbot version                     print the version
  prepbot help                        this text

Run 'prepbot COMMAND -h' for a command's flags. Configuration comes from the
environment (SLACK_APP_TOKEN, SLACK_BOT_TOKEN, PREPBOT_DB, ...): see README.md.
`

// run is the whole program; main only turns its error into an exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return &silentError{code: 2}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		return runBot(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, getenv, stdout, stderr)
	case "playground":
		return runPlayground(ctx, rest, getenv, stdout, stderr)
	case "questions":
		return runQuestions(rest, getenv, stdout, stderr)
	case "insights":
		return runInsights(ctx, rest, getenv, stdout)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "prepbot %s\n", versionString())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText)
		return nil
	default:
		fmt.Fprint(stderr, usageText)
		return usageErrorf("unknown command %q", cmd)
	}
}

func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		v += " " + info.GoVersion
	}
	return v
}

// newFlagSet returns a flag set whose -h prints to stdout and whose errors
// become usage errors.
func newFlagSet(name, synopsis string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: %s\n\nFlags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args; -h prints usage and returns errHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		// fs.Parse has printed the usage already.
		return errHelp
	case err != nil:
		return usageErrorf("%s: %v", fs.Name(), err)
	}
	return nil
}

// errHelp means usage was printed on request: exit 0.
var errHelp = errors.New("help requested")

func runBot(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "prepbot run [flags]", stdout)
	dbFlag := fs.String("db", "", "bbolt database file (default "+dbDefaultHelp+")")
	httpFlag := fs.String("http-addr", "", "address for /healthz and /metrics, or off (overrides PREPBOT_HTTP_ADDR)")
	if err := parseFlags(fs, args); err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("run takes no arguments, got %q", fs.Arg(0))
	}
	// The flags are checked before the environment they override, so that
	// a bad flag is reported under its own name.
	if *httpFlag != "" {
		if _, err := checkHTTPAddr("--http-addr", *httpFlag); err != nil {
			return err
		}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if *httpFlag != "" {
		cfg.HTTPAddr, cfg.httpName = *httpFlag, "--http-addr"
	}
	if cfg.DBPath, cfg.dbName, err = resolveDB(*dbFlag, getenv); err != nil {
		return err
	}
	log, err := newLogger(getenv, stderr)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, log, testHooksFrom(ctx).ready)
}

// testHooks let a test learn the addresses a run listens on. A test puts
// them in run's context rather than in package variables, so that runs in
// parallel tests each report to their own test.
type testHooks struct {
	ready      func(httpAddr string) // prepbot run: the HTTP side door listens ("" when off)
	playground func(url string)      // prepbot playground: the page is served
}

type testHooksKey struct{}

// testHooksFrom returns the hooks in ctx; outside tests, none.
func testHooksFrom(ctx context.Context) testHooks {
	h, _ := ctx.Value(testHooksKey{}).(testHooks)
	return h
}

// serve runs the bot with cfg until ctx is done. ready, if set, is called
// with the HTTP side door's address once it listens (tests use it).
func serve(ctx context.Context, cfg config, log *slog.Logger, ready func(httpAddr string)) error {
	started := time.Now()
	bank, err := loadBank(cfg.Bank)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	commits := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "prepbot_store_commit_seconds",
		Help:    "Time of one group commit to the database (page writes and fsyncs).",
		Buckets: []float64{.0001, .00025, .0005, .00075, .001, .0015, .0025, .005, .01, .05, .25, 1},
	})
	reg.MustRegister(commits)
	if err := ensureDataDir(cfg.DBPath, cfg.dbName); err != nil {
		return err
	}
	db, err := store.Open(cfg.DBPath, store.Options{OnCommit: func(d time.Duration, _ int) { commits.Observe(d.Seconds()) }})
	if err != nil {
		return dbError(cfg.dbName, cfg.DBPath, err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}()

	ctl, err := control.Listen(control.SocketPath(cfg.DBPath), control.Handlers{Backup: db.Backup, Export: exportJSON(db), Reports: reportsJSON(db)}, log)
	if err != nil {
		return err
	}
	defer ctl.Close()

	b, err := bot.New(bot.Config{
		AppToken: cfg.AppToken,
		BotToken: cfg.BotToken,
		APIURL:   cfg.APIURL,
		Store:    db,
		Logger:   log,
		Registry: reg,
		Bank:     bank,
		Zone:     cfg.Timezone,
		Admins:   cfg.Admins,
		OnConnected: func() {
			log.Info("ready", "start_to_connected", time.Since(started).Round(time.Microsecond).String())
		},
	})
	if err != nil {
		return err
	}
	// Loading and syncing the bank leaves a few MB of garbage that would
	// otherwise stay resident until the runtime scavenges it: return it now.
	debug.FreeOSMemory()

	var httpAddr string
	if cfg.HTTPAddr != "off" {
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("%s: %w", cfg.httpName, err) // err names the address
		}
		httpAddr = ln.Addr().String()
		srv := &http.Server{Handler: b.Handler(), ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}()
		log.Info("serving /healthz and /metrics", "addr", httpAddr)
	}
	if ready != nil {
		ready(httpAddr)
	}
	err = b.Run(ctx)
	log.Info("stopped")
	return err
}

// config is prepbot run's validated configuration.
type config struct {
	AppToken string
	BotToken string
	APIURL   string
	DBPath   string
	HTTPAddr string
	Timezone *time.Location
	Admins   []string
	Bank     string // PREPBOT_QUESTIONS, may be empty

	// dbName and httpName say what chose DBPath and HTTPAddr (--db,
	// PREPBOT_DB or "database" for the default; --http-addr or
	// PREPBOT_HTTP_ADDR), for errors about them.
	dbName, httpName string
}

// String never shows the tokens.
func (c config) String() string {
	return fmt.Sprintf("config{api=%s db=%s http=%s tz=%s admins=%d}", c.APIURL, c.DBPath, c.HTTPAddr, c.Timezone, len(c.Admins))
}

// loadConfig reads and validates the environment. Each error is one line
// that names the variable; token values are never part of an error.
func loadConfig(getenv func(string) string) (config, error) {
	var c config
	var err error
	if c.AppToken, err = token(getenv, "SLACK_APP_TOKEN", "xapp-", "an app-level token with connections:write"); err != nil {
		return c, err
	}
	if c.BotToken, err = token(getenv, "SLACK_BOT_TOKEN", "xoxb-", "the bot user OAuth token"); err != nil {
		return c, err
	}
	c.APIURL = orDefault(getenv("SLACK_API_URL"), "https://slack.com/api/")
	if err := checkURL(c.APIURL); err != nil {
		return c, fmt.Errorf("SLACK_API_URL: %w", err)
	}
	tz := orDefault(getenv("PREPBOT_TIMEZONE"), "UTC")
	if c.Timezone, err = loadZone(tz); err != nil {
		return c, fmt.Errorf("PREPBOT_TIMEZONE: %w", err)
	}
	if c.Admins, err = parseAdmins(getenv("PREPBOT_ADMINS")); err != nil {
		return c, fmt.Errorf("PREPBOT_ADMINS: %w", err)
	}
	if c.HTTPAddr, err = checkHTTPAddr("PREPBOT_HTTP_ADDR", orDefault(getenv("PREPBOT_HTTP_ADDR"), ":8080")); err != nil {
		return c, err
	}
	c.httpName = "PREPBOT_HTTP_ADDR"
	c.Bank = getenv("PREPBOT_QUESTIONS")
	if c.Bank != "" {
		if fi, err := os.Stat(c.Bank); err != nil || !fi.IsDir() {
			return c, fmt.Errorf("PREPBOT_QUESTIONS: %q is not a readable folder", c.Bank)
		}
	}
	return c, nil
}

// loadBank loads the embedded bank merged with the folder dir (if any).
func loadBank(dir string) (*questions.Bank, error) {
	// Not questions.Default, which keeps its bank for the process's life:
	// the bot needs the file bank only to sync it into the store at start,
	// and then serves the store's, so this copy can be freed.
	bank, err := questions.Load(questions.Embedded())
	if err != nil {
		return nil, fmt.Errorf("embedded question bank: %w", err)
	}
	if dir == "" {
		return bank, nil
	}
	merged, err := questions.Merge(bank, os.DirFS(dir))
	if err != nil {
		var errs questions.Errors
		if errors.As(err, &errs) {
			return nil, fmt.Errorf("PREPBOT_QUESTIONS: %d problem(s), first: %s/%s (run 'prepbot questions lint %s' for all)", len(errs), dir, errs[0].Error(), dir)
		}
		return nil, fmt.Errorf("PREPBOT_QUESTIONS: %w", err)
	}
	return merged, nil
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func token(getenv func(string) string, name, prefix, what string) (string, error) {
	v := strings.TrimSpace(getenv(name))
	switch {
	case v == "":
		return "", fmt.Errorf("%s is not set: export %s (%s, starting with %s)", name, name, what, prefix)
	case !strings.HasPrefix(v, prefix):
		return "", fmt.Errorf("%s is malformed: it must start with %s (is it the other token?)", name, prefix)
	case len(v) < len(prefix)+8 || strings.ContainsAny(v, " \t\r\n\"'"):
		return "", fmt.Errorf("%s is malformed: it is too short or contains spaces or quotes", name)
	}
	return v, nil
}

func checkURL(raw string) error {
	u, err := parseURL(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return nil
}

func checkHTTPAddr(name, v string) (string, error) {
	if v == "off" {
		return v, nil
	}
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return "", fmt.Errorf("%s: %q is not host:port or off (example :8080)", name, v)
	}
	if p, err := net.LookupPort("tcp", port); err != nil || p < 0 || p > 65535 {
		return "", fmt.Errorf("%s: %q has a bad port", name, v)
	}
	if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		return "", fmt.Errorf("%s: %q: use an IP address or localhost as the host", name, v)
	}
	return v, nil
}

func parseAdmins(v string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !isUserID(f) {
			return nil, fmt.Errorf("%q is not a Slack user ID (like U012AB3CD)", f)
		}
		out = append(out, f)
	}
	return out, nil
}

func isUserID(s string) bool {
	if len(s) < 3 || len(s) > 20 || (s[0] != 'U' && s[0] != 'W') {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func newLogger(getenv func(string) string, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if v := getenv("PREPBOT_LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			return nil, fmt.Errorf("PREPBOT_LOG_LEVEL: %q is not debug, info, warn or error", v)
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	switch f := getenv("PREPBOT_LOG_FORMAT"); f {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("PREPBOT_LOG_FORMAT: %q is not text or json", f)
	}
}
