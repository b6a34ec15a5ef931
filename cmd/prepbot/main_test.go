package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// binDir holds the prepbot binary that buildOnce builds; TestMain removes
// it.
var binDir string

// parallelDefault is how many tests run at once unless -parallel says
// otherwise. The slowest tests here wait rather than compute: on Slack's
// Retry-After (slack-go sleeps at least a second per 429), on the lock
// timeout of a held database. Go's default, GOMAXPROCS, would line them up
// two at a time on a two-core machine; many more at once would starve the
// ones that compute (bursts of thousands of envelopes, the binary's build)
// under the race detector.
const parallelDefault = 4

// patience is how long a test waits for something that should happen soon.
// Only a failing run, or one starved of CPU (the race detector on a busy
// machine), waits that long; a passing run waits for the event itself.
const patience = 30 * time.Second

// asPrepbot, set to 1 in a child's environment, makes the test binary run
// prepbot's main instead of the tests (see prepbotCommand).
const asPrepbot = "PREPBOT_TEST_AS_PREPBOT"

func TestMain(m *testing.M) {
	if os.Getenv(asPrepbot) == "1" {
		main() // exits
	}
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set && runtime.GOMAXPROCS(0) < parallelDefault {
		if err := flag.Set("test.parallel", strconv.Itoa(parallelDefault)); err != nil {
			fmt.Fprintln(os.Stderr, "set -test.parallel:", err)
			os.Exit(1)
		}
	}
	dir, err := os.MkdirTemp("", "prepbot-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir for the test binary:", err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// prepbotCommand returns a command that runs prepbot's main with args in a
// process of its own, with env as its whole environment. A process of its
// own is what a test of signals, exit status or SIGKILL needs. It is this
// test binary, executed again (it holds package main): building prepbot
// would add seconds of compiling and linking to every run, and the root
// package's TestDockerBuildCommand builds and runs the image's binary.
// Under the race detector, which makes this binary several times slower at
// a burst of thousands of envelopes, it is the built binary instead: the
// tests in this process are the ones checked for races.
func prepbotCommand(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	if raceEnabled {
		cmd := exec.Command(prepbotBinary(t), args...)
		cmd.Env = env
		return cmd
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append([]string{asPrepbot + "=1"}, env...)
	return cmd
}

// buildOnce builds prepbot the first time a test or benchmark asks for it
// (the benchmarks measure the real binary): linking takes seconds, and all
// of them can share one.
var buildOnce = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "prepbot")
	// As the Dockerfile builds it: static, without VCS stamping (the image
	// has no .git), so that it behaves as in the image. Without the stamp,
	// the go command also reuses a cached link while the sources are the same.
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
})

// prepbotBinary returns the path of the built prepbot binary.
func prepbotBinary(t testing.TB) string {
	t.Helper()
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// withTestHooks returns ctx carrying h for run to call.
func withTestHooks(ctx context.Context, h testHooks) context.Context {
	return context.WithValue(ctx, testHooksKey{}, h)
}
