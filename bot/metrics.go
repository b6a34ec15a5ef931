package bot

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	envelopes       *prometheus.CounterVec
	ackSeconds      *prometheus.HistogramVec
	apiCalls        *prometheus.CounterVec
	reconnects      prometheus.Counter
	connected       prometheus.Gauge
	replies         prometheus.Counter
	duplicates      prometheus.Counter
	feedbackDropped prometheus.Counter
	panics          prometheus.Counter
	connects        atomic.Int64
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prepbot_envelopes_total", Help: "Socket Mode envelopes received, by type.",
		}, []string{"type"}),
		ackSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "prepbot_ack_seconds", Help: "Time from an envelope's arrival to its ack, by type.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0015, .0025, .005, .01, .025, .05, .1, .5, 1, 3},
		}, []string{"type"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prepbot_slack_api_calls_total", Help: "Slack Web API calls, by method and outcome.",
		}, []string{"method", "outcome"}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "prepbot_reconnects_total", Help: "Socket Mode reconnections after the first connection.",
		}),
		connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "prepbot_connected", Help: "1 while the Socket Mode connection is up.",
		}),
		replies: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "prepbot_thread_replies_total", Help: "Question-of-the-day thread replies recorded (new or edited).",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "prepbot_duplicate_events_total", Help: "Events recognised as redeliveries and not handled again.",
		}),
		feedbackDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "prepbot_feedback_dropped_total", Help: "Thread-answer feedback not sent because more answers arrived than Slack lets the bot answer.",
		}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "prepbot_handler_panics_total", Help: "Handlers that panicked (recovered).",
		}),
	}
	reg.MustRegister(m.envelopes, m.ackSeconds, m.apiCalls, m.reconnects, m.connected, m.replies, m.duplicates, m.feedbackDropped, m.panics)
	return m
}

// countingTransport counts Web API calls by method and outcome: ok, the
// Slack error code (ok:false), http_429, http_5xx or transport_error.
type countingTransport struct {
	next    http.RoundTripper
	metrics *metrics
}

func transportOf(c *http.Client) http.RoundTripper {
	if c.Transport != nil {
		return c.Transport
	}
	return http.DefaultTransport
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	method := "response_url"
	if i := strings.LastIndex(r.URL.Path, "/api/"); i >= 0 {
		method = r.URL.Path[i+len("/api/"):]
	} else if strings.Contains(r.URL.Path, "/upload") || r.URL.Host == "files.slack.com" {
		method = "file_upload"
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		t.metrics.apiCalls.WithLabelValues(method, "transport_error").Inc()
		return resp, err
	}
	outcome := "ok"
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		outcome = "http_429"
	case resp.StatusCode >= 500:
		outcome = "http_5xx"
	case resp.StatusCode >= 400:
		outcome = "http_" + strconv.Itoa(resp.StatusCode)
	case method != "response_url" && method != "file_upload":
		// Web API answers are small JSON objects; peek for ok:false.
		body, rerr := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if rerr == nil {
			outcome = slackOutcome(body)
		}
	}
	t.metrics.apiCalls.WithLabelValues(method, outcome).Inc()
	return resp, nil
}

// slackOutcome returns "ok" or the error code of a Web API answer without
// decoding all of it.
func slackOutcome(body []byte) string {
	if bytes.Contains(body, []byte(`"ok":true`)) {
		return "ok"
	}
	i := bytes.Index(body, []byte(`"error":"`))
	if i < 0 {
		return "error"
	}
	rest := body[i+len(`"error":"`):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || j > 64 {
		return "error"
	}
	return string(rest[:j])
}
