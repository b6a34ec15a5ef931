//go:build !acktrace

package store

import (
	"context"
	"time"
)

// tracing is off: see trace_on.go.
const tracing = false

// WithTrace returns ctx: commit tracing needs -tags acktrace.
func WithTrace(ctx context.Context, _ func(start, end time.Time)) context.Context { return ctx }

func traceReq(context.Context, *writeReq) {}
