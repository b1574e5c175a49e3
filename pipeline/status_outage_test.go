package pipeline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/order"
)

// flaky is an in-memory CertCentral (usable in a synctest bubble) whose
// order info fails with 503 for the first down reads, then says issued.
type flaky struct {
	mu    sync.Mutex
	down  int // reads still to fail; negative: fail forever
	reads int
}

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.reads++
	fail := f.down != 0
	if f.down > 0 {
		f.down--
	}
	f.mu.Unlock()
	status, body := 200, `{"id":7,"status":"issued","certificate":{"id":9}}`
	if fail {
		status, body = 503, ``
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

func flakyClient(t *testing.T, f *flaky) *certcentral.Client {
	t.Helper()
	c, err := certcentral.New(certcentral.Config{BaseURL: "https://www.digicert.com/services/v2", APIKey: "k", Transport: f})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// status --wait rides out failed polls until its deadline, backing off
// and saying so; a poll that works ends the outage.
func TestRefreshRidesOutAnOutage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{down: 9} // three polls of three attempts each
		var logs bytes.Buffer
		recs := []order.Result{{Row: 2, Outcome: order.Ordered, Answer: order.Answer{OrderID: 7, OrderStatus: "pending"}}}
		rep, err := RefreshStatus(context.Background(), StatusOptions{Client: flakyClient(t, f), Wait: time.Hour, Interval: 10 * time.Second,
			Log: slog.New(slog.NewTextHandler(&logs, nil))}, recs)
		if err != nil || rep.Pending != 0 || recs[0].OrderStatus != "issued" || recs[0].CertificateID != 9 {
			t.Fatalf("RefreshStatus = %+v, %v; row %+v", rep, err, recs[0])
		}
		if n := strings.Count(logs.String(), "CertCentral did not answer: polling again until the deadline"); n != 3 {
			t.Errorf("%d warnings, want 3:\n%s", n, logs.String())
		}
		// The waits between failed polls double from --interval.
		for _, want := range []string{"failed_polls=1 next_poll_in=10s", "failed_polls=2 next_poll_in=20s", "failed_polls=3 next_poll_in=40s"} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("no %q in\n%s", want, logs.String())
			}
		}
	})
}

// An outage that outlasts --wait ends the run at the deadline, not
// before and not long after, with CertCentral's error (exit 4 in the
// command line).
func TestRefreshGivesUpAtTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{down: -1}
		start := time.Now()
		recs := []order.Result{{Row: 2, Outcome: order.Ordered, Answer: order.Answer{OrderID: 7, OrderStatus: "pending"}}}
		_, err := RefreshStatus(context.Background(), StatusOptions{Client: flakyClient(t, f), Wait: 10 * time.Minute, Interval: 15 * time.Second}, recs)
		if !errors.Is(err, certcentral.ErrUnavailable) || !strings.Contains(err.Error(), "still failing at the end of --wait 10m0s") {
			t.Fatalf("error %v", err)
		}
		if took := time.Since(start); took > 10*time.Minute || took < 10*time.Minute-maxOutageBackoff-time.Minute {
			t.Errorf("gave up after %v; the deadline was 10m", took)
		}
		if recs[0].OrderStatus != "pending" {
			t.Errorf("row changed: %+v", recs[0])
		}
	})
	// Without --wait, the first failed poll is the answer.
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{down: -1}
		recs := []order.Result{{Row: 2, Outcome: order.Ordered, Answer: order.Answer{OrderID: 7, OrderStatus: "pending"}}}
		if _, err := RefreshStatus(context.Background(), StatusOptions{Client: flakyClient(t, f)}, recs); !errors.Is(err, certcentral.ErrUnavailable) || f.reads != 3 {
			t.Fatalf("error %v after %d reads", err, f.reads)
		}
	})
}
