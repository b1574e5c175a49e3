package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// maxArrivals is the most requests that reached the server within any
// span of per. The arrivals are times on a synctest bubble's clock,
// which does not move while a request goes from the limiter to the
// server: each arrives at the very instant the limiter admitted it.
func maxArrivals(at []time.Time, per time.Duration) int {
	best, lo := 0, 0
	for hi := range at {
		for at[hi].Sub(at[lo]) >= per {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// The limiter's rates are checked in a synctest bubble: time is fake, so
// no machine is too slow to provoke the 429s or too loaded to bunch the
// arrivals (a request delayed on a real clock reaches the server closer
// to the next one than the limiter sent it).
func TestRateLimit(t *testing.T) {
	t.Run("limiter with a margin under the server's window: no 429", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			e := newBubbleEnv(t, 30, sandbox.Config{Windows: []sandbox.Window{{Limit: 10, Per: time.Second}}, RecordArrivals: true})
			if r := e.submit("--rate-limit", "9/1s", "--concurrency", "8"); r.code != 0 {
				t.Fatalf("exit %d %s", r.code, r.stderr)
			}
			st := e.sb.Stats()
			if st.RateLimited != 0 || st.OrdersCreated != 30 {
				t.Errorf("stats %+v", st)
			}
			at := e.sb.Arrivals()
			if got := maxArrivals(at, time.Second); got != 9 {
				t.Errorf("at most %d requests reached the server within a second; want the limit, 9", got)
			}
			// 30 orders and the reads around them, 9 a second: the run
			// lasts as long as the limit makes it, not longer.
			if span, min := at[len(at)-1].Sub(at[0]), time.Duration((len(at)-1)/9)*time.Second; span < min || span > min+2*time.Second {
				t.Errorf("%d requests over %v, want about %v at 9 a second", len(at), span, min)
			}
		})
	})
	t.Run("429 storm: every row ordered once, never over the configured rate", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			// The server allows less than the client's limiter: 429s follow.
			e := newBubbleEnv(t, 30, sandbox.Config{Windows: []sandbox.Window{{Limit: 6, Per: time.Second}}, RecordArrivals: true})
			r := e.run("submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base,
				"-o", filepath.Join(e.dir, "results.csv"), "--yes", "--rate-limit", "15/1s", "--concurrency", "8")
			if r.code != 0 {
				t.Fatalf("exit %d %s", r.code, r.stderr)
			}
			// Without a terminal, progress is log lines, and a pause shows.
			if !strings.Contains(r.stderr, "rate limited by the API: all workers paused") || strings.Contains(r.stderr, "\r") {
				t.Errorf("no pause shown in the progress log:\n%s", r.stderr)
			}
			st := e.sb.Stats()
			if st.RateLimited == 0 {
				t.Error("no 429 was provoked")
			}
			if st.OrdersCreated != 30 || st.OrderPOSTs != 30 {
				t.Errorf("stats %+v", st)
			}
			if got := maxArrivals(e.sb.Arrivals(), time.Second); got > 15 {
				t.Errorf("%d requests reached the server within a second; the limit is 15", got)
			}
			e.checkMatchesSandbox(e.results())
		})
	})
}
