//go:build acktrace

package store

import (
	"context"
	"time"
)

// tracing is on in builds with -tags acktrace (the load tool's -trace):
// each write reports when its group commit started and ended.
const tracing = true

type traceKey struct{}

// WithTrace returns a context whose write reports, once durable, when its
// commit started and ended. Only in builds with -tags acktrace; otherwise
// it returns ctx and costs nothing.
func WithTrace(ctx context.Context, f func(start, end time.Time)) context.Context {
	return context.WithValue(ctx, traceKey{}, f)
}

func traceReq(ctx context.Context, req *writeReq) {
	if f, ok := ctx.Value(traceKey{}).(func(start, end time.Time)); ok {
		f(req.cs, req.ce)
	}
}
