//go:build !acktrace

package bot

import "time"

// tracing is off: see acktrace_on.go.
const tracing = false

func traceAck(string, ...time.Time) {}
