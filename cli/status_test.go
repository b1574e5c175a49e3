package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// status --wait follows the orders until DigiCert issues them. In a
// synctest bubble: issuance comes an hour after the orders on the
// bubble's clock, whatever the machine's speed.
func TestStatusRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newBubbleEnv(t, 4, sandbox.Config{IssueDelay: time.Hour})
		if r := e.submit(); r.code != 0 {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		// DigiCert returns a certificate ID when the request is approved;
		// the order is not issued yet, and submit never says it is
		// (certcentral-today.md §2).
		for _, x := range readResults(t, filepath.Join(e.dir, "results.csv")).Records {
			if x.OrderStatus == "issued" {
				t.Fatalf("issued claimed before order info said so: %+v", x)
			}
		}
		res := filepath.Join(e.dir, "results.csv")
		r := e.run("status", res, "--base-url", e.base, "--state", e.state, "--wait", "3h", "--interval", "10m", "--quiet")
		if r.code != 0 {
			t.Fatalf("status: %d %s", r.code, r.stderr)
		}
		f := readResults(t, res)
		for _, x := range f.Records {
			if x.OrderStatus != "issued" || x.CertificateID == 0 {
				t.Errorf("after status: %+v", x)
			}
		}
	})
}

// status --wait gives up when the time is up: exit 4, the orders still
// pending. In a synctest bubble: it polls on the bubble's clock, every
// interval until the wait is over, and returns then.
func TestStatusWaitRunsOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newBubbleEnv(t, 2, sandbox.Config{IssueDelay: 2 * time.Hour})
		if r := e.submit(); r.code != 0 {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		start, before := time.Now(), e.sb.Stats().Requests
		r := e.run("status", filepath.Join(e.dir, "results.csv"), "--base-url", e.base, "--state", e.state,
			"--wait", "1h", "--interval", "15m", "--quiet")
		if r.code != ExitRowsRetry || !strings.Contains(r.stderr, "2 orders are still not final") {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		// Polls at 0, 15, 30, 45 and 60 minutes, two orders each; then,
		// to say what each still waits for, one email-validation read per
		// pending client order (pipeline.WaitsFor).
		if waited, asked := time.Since(start), e.sb.Stats().Requests-before; waited != time.Hour || asked != 10+2 {
			t.Errorf("status --wait 1h --interval 15m returned after %v and %d requests, want 1h and 12", waited, asked)
		}
		for _, x := range readResults(t, filepath.Join(e.dir, "results.csv")).Records {
			if x.OrderStatus != "pending" {
				t.Errorf("%+v", x)
			}
		}
	})
}

// A large batch is refreshed through the status-change feed: far fewer
// requests than one per row, and every status is what order info says.
// In a synctest bubble, where the test moves the clock past issuance.
func TestStatusUsesFeedForLargeBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const rows = 40
		e := newBubbleEnv(t, rows, sandbox.Config{IssueDelay: 30 * time.Minute})
		if r := e.submit("--concurrency", "8"); r.code != 0 {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		// Nothing else runs in the bubble: this moves its clock an hour,
		// past every order's issuance.
		time.Sleep(time.Hour)
		res := filepath.Join(e.dir, "results.csv")
		before := e.sb.Stats().Requests
		r := e.run("status", res, "--base-url", e.base, "--state", e.state, "--quiet")
		if r.code != 0 {
			t.Fatalf("status: %d %s", r.code, r.stderr)
		}
		requests := e.sb.Stats().Requests - before
		want := map[int64]string{}
		for _, o := range e.sb.Orders() {
			want[o.ID] = o.Status
		}
		for _, x := range readResults(t, res).Records {
			if x.OrderStatus != want[x.OrderID] || x.OrderStatus != "issued" || x.CertificateID == 0 {
				t.Errorf("row %d: status %q, certificate %d; sandbox says %q", x.Row, x.OrderStatus, x.CertificateID, want[x.OrderID])
			}
		}
		// The sandbox lists creations in the feed; a service that does not
		// would cost one request per order, still correct.
		if requests >= rows/2 {
			t.Errorf("%d requests to refresh %d rows", requests, rows)
		}
	})
}

// Every read endpoint (pre-flight, account check, order info, the status
// feed, downloads) gets the same fault injection as orders; reads are
// retried, so the whole job still completes and nobody is ordered twice.
// In a synctest bubble: the backoffs between retries and the wait for
// issuance are on its clock. status and download send one request at a
// time, so which reads fail is fixed: every third (500) and every
// seventh (dropped) read; no three reads in a row all fail (two of them
// would be multiples of 7), so every read succeeds within its three
// attempts and one run does it all.
func TestTheWholeJobUnderReadFaults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newBubbleEnv(t, 12, sandbox.Config{Faults: map[string]sandbox.Faults{sandbox.EndpointRead: {FailEvery: 3, DropEvery: 7}}, IssueDelay: 10 * time.Minute})
		if r := e.submit(); r.code != 0 {
			t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
		}
		res := filepath.Join(e.dir, "results.csv")
		certs := filepath.Join(e.dir, "certs")
		r := e.run("status", res, "--base-url", e.base, "--state", e.state, "--wait", "2h", "--interval", "5m", "--download", certs,
			"--concurrency", "1", "--quiet")
		if r.code != 0 {
			t.Fatalf("status --download: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if ents, _ := os.ReadDir(certs); len(ents) != 12 {
			t.Errorf("%d certificates downloaded, want 12", len(ents))
		}
		if st := e.sb.Stats(); st.Failed5xx == 0 || st.Dropped == 0 || st.OrderPOSTs != 12 {
			t.Errorf("stats %+v: the faults did not happen, or an order was resent", st)
		}
	})
}
