//go:build acktrace

package bot

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// tracing is on in builds with -tags acktrace: each thread reply's stage
// times go to the file named by PREPBOT_ACK_TRACE, one line per envelope
// (its ID, then Unix nanoseconds: arrived, handler started, commit
// started, commit ended, store returned, acked), for the load tool's
// breakdown (go run ./internal/loadtest -trace).
const tracing = true

var trace struct {
	mu sync.Mutex
	f  *os.File
}

func traceAck(envelopeID string, ts ...time.Time) {
	trace.mu.Lock()
	defer trace.mu.Unlock()
	if trace.f == nil {
		f, err := os.Create(os.Getenv("PREPBOT_ACK_TRACE"))
		if err != nil {
			return
		}
		trace.f = f
	}
	fmt.Fprint(trace.f, envelopeID)
	for _, t := range ts {
		fmt.Fprint(trace.f, " ", t.UnixNano())
	}
	fmt.Fprintln(trace.f)
}
