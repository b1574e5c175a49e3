package cli

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
)

// lostAnswers submits rows people to a sandbox whose clock is skew away
// from this machine's and that drops every order's answer: every order
// exists, every row is uncertain.
func lostAnswers(t *testing.T, rows int, skew time.Duration) *env {
	t.Helper()
	e := newEnv(t, rows, sandbox.Config{DropEvery: 1, Now: func() time.Time { return time.Now().Add(skew) }})
	if r := e.submit(); r.code != ExitRowsRetry || e.sb.Stats().OrdersCreated != rows {
		t.Fatalf("first run: exit %d, %d orders\n%s", r.code, e.sb.Stats().OrdersCreated, r.stderr)
	}
	for row, x := range e.results() {
		if x.outcome != "uncertain" {
			t.Fatalf("row %d: %+v", row, x)
		}
	}
	return e
}

// Reconciliation does not trust this machine's clock (issue 20): with
// DigiCert's clock hours behind (this machine's ahead by more than the
// old 10 minutes of slack) or ahead, the orders of unanswered requests
// are found from the server's Date header, on every path: submit,
// reconcile, status. Nobody is ordered twice, and no path says failed
// for a person whose order exists.
func TestReconcileDoesNotTrustTheLocalClock(t *testing.T) {
	for _, skew := range []time.Duration{-3 * time.Hour, 3 * time.Hour, -26 * time.Hour} {
		t.Run(fmt.Sprintf("DigiCert %v from this machine", skew), func(t *testing.T) {
			t.Run("submit", func(t *testing.T) {
				e := lostAnswers(t, 3, skew)
				r := e.submit()
				if n := e.sb.Stats().OrdersCreated; r.code != 0 || n != 3 {
					t.Fatalf("second run: exit %d, %d orders for 3 people\n%s", r.code, n, r.stderr)
				}
				for row, x := range e.results() {
					if x.outcome != "ordered" || !strings.Contains(x.note, "recovered") {
						t.Errorf("row %d: %+v", row, x)
					}
				}
				e.checkMatchesSandbox(e.results())
			})
			t.Run("reconcile", func(t *testing.T) {
				e := lostAnswers(t, 3, skew)
				r := run(t, e.vars, "reconcile", "--state", e.state, "--base-url", e.base, "--settle", "0s")
				if r.code != 0 || strings.Count(r.stdout, "adopted order") != 3 || strings.Contains(r.stdout, "no order") {
					t.Fatalf("reconcile: %d\n%s%s", r.code, r.stdout, r.stderr)
				}
			})
			t.Run("status", func(t *testing.T) {
				e := lostAnswers(t, 3, skew)
				r := run(t, e.vars, "status", e.resultsPath(), "--state", e.state, "--base-url", e.base, "--settle", "0s")
				if r.code != 0 {
					t.Fatalf("status: %d\n%s%s", r.code, r.stdout, r.stderr)
				}
				for _, x := range readResults(t, e.resultsPath()).Records {
					if x.Outcome != order.Ordered || x.OrderID == 0 || !strings.Contains(x.Note, "recovered") {
						t.Errorf("row %d: %s %q", x.Row, x.Outcome, x.Error)
					}
				}
				if n := e.sb.Stats().OrdersCreated; n != 3 {
					t.Errorf("%d orders", n)
				}
			})
		})
	}
}

// setIntentTimes moves the time the journal recorded for every
// unanswered request by d, as a machine whose clock was d off when it
// sent them (and was set right since) would have recorded it.
func setIntentTimes(t *testing.T, state string, d time.Duration) {
	t.Helper()
	db, err := sql.Open("sqlite", state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT id, intent_at FROM orders WHERE state IN ('intent','uncertain')")
	if err != nil {
		t.Fatal(err)
	}
	at := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			t.Fatal(err)
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		at[id] = tm
	}
	rows.Close()
	for id, tm := range at {
		if _, err := db.Exec("UPDATE orders SET intent_at=? WHERE id=?", tm.Add(d).UTC().Format(time.RFC3339Nano), id); err != nil {
			t.Fatal(err)
		}
	}
}

// Whatever window a wrong clock puts a request in, before an uncertain
// row is sent again the account is asked whether the person has an
// order (issue 20: the account check "is not consulted on that path"):
// requests recorded days away from their orders are still recovered, on
// every path.
func TestUncertainRowsAskTheAccountBeforeSendingAgain(t *testing.T) {
	for _, d := range []time.Duration{5 * 24 * time.Hour, -5 * 24 * time.Hour} {
		for _, path := range []string{"submit", "reconcile", "status"} {
			t.Run(fmt.Sprintf("%s, the request recorded %v off", path, d), func(t *testing.T) {
				e := lostAnswers(t, 2, 0)
				setIntentTimes(t, e.state, d)
				var r result
				switch path {
				case "submit":
					r = e.submit()
				case "reconcile":
					r = run(t, e.vars, "reconcile", "--state", e.state, "--base-url", e.base, "--settle", "0s")
				case "status":
					r = run(t, e.vars, "status", e.resultsPath(), "--state", e.state, "--base-url", e.base, "--settle", "0s")
				}
				if r.code != 0 || e.sb.Stats().OrdersCreated != 2 || strings.Contains(r.stdout, "no order") {
					t.Fatalf("exit %d, %d orders for 2 people\n%s%s", r.code, e.sb.Stats().OrdersCreated, r.stdout, r.stderr)
				}
				if path != "reconcile" {
					for _, x := range readResults(t, e.resultsPath()).Records {
						if x.Outcome != order.Ordered || x.OrderID == 0 {
							t.Errorf("row %d: %s %q", x.Row, x.Outcome, x.Error)
						}
					}
				}
			})
		}
	}
}
