package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/sandbox"
	"github.com/certbatch/certbatch/templates"
)

// lifecycleBench counts the requests certbatch spends per person after
// the orders are placed: a status refresh of a whole batch (through the
// status-change feed when the journal knows when statuses were last
// read, one order info per order otherwise) and the account check that
// keeps people a journal has never seen from being ordered twice.
func lifecycleBench(dir string, small bool) ([]figure, error) {
	n := 1000
	if small {
		n = 50
	}
	ctx := context.Background()
	base, sb, stop, err := sandbox.Start(sandbox.Config{APIKey: "bench-key", Windows: []sandbox.Window{}})
	if err != nil {
		return nil, err
	}
	defer stop()
	c, err := certcentral.New(certcentral.Config{BaseURL: base, APIKey: "bench-key", Concurrency: 8})
	if err != nil {
		return nil, err
	}
	set, err := templates.Builtin()
	if err != nil {
		return nil, err
	}
	j, err := journal.Open(filepath.Join(dir, "life.db"), journal.Options{})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	b, err := j.BeginBatch("submit", "bench", "x", nil)
	if err != nil {
		return nil, err
	}
	// n orders, placed through the client and journaled as submit does.
	recs := make([]order.Result, n)
	for i := range n {
		email := "user" + strconv.Itoa(i) + "@example.com"
		body := fmt.Sprintf(`{"certificate":{"common_name":"P %d","emails":[%q],"signature_hash":"sha256","common_name_indicator":"pseudonym","individual":{"pseudonym":"P%d"}},"organization":{"id":112233},"validity_years":1,"skip_approval":true}`, i, email, i)
		id, err := j.AddIntent(journal.Intent{Batch: b.ID, Row: i + 2, Identity: "x", Product: "client_premium", ProductKey: "client_premium_sha2", Email: email})
		if err != nil {
			return nil, err
		}
		resp, err := c.PlaceOrder(ctx, "client_premium", []byte(body))
		if err != nil {
			return nil, err
		}
		if err := j.Complete(id, journal.Result{State: journal.StateOrdered, Answer: resp.Answer()}); err != nil {
			return nil, err
		}
		recs[i] = order.Result{Row: i + 2, Outcome: order.Ordered, Answer: resp.Answer()}
	}
	var figs []figure
	for _, withJournal := range []bool{true, false} {
		rs := append([]order.Result(nil), recs...)
		for i := range rs {
			rs[i].Answer = recs[i].Answer
		}
		o := pipeline.StatusOptions{Client: c, Templates: set, Concurrency: 8}
		name := "status refresh of a " + strconv.Itoa(n) + "-order batch, journal at hand (status-change feed)"
		if withJournal {
			o.Journal = j
		} else {
			name = "status refresh of a " + strconv.Itoa(n) + "-order batch, no journal (order info per order)"
		}
		before := sb.Stats().Requests
		start := time.Now()
		if _, err := pipeline.RefreshStatus(ctx, o, rs); err != nil {
			return nil, err
		}
		req := sb.Stats().Requests - before
		figs = append(figs, figure{name: name, certbatch: fmt.Sprintf("%.3f requests per order (%d in %s)", float64(req)/float64(n), req, secs(time.Since(start))),
			floor: "1 per order", ratio: fmt.Sprintf("%.3fx", float64(req)/float64(n)), target: "none", info: true})
	}
	// The account check: a journal that has never seen these people
	// (another machine's, or a lost one) reads the list once and every
	// order once; a second check with the same journal reads the list only.
	fresh, err := journal.Open(filepath.Join(dir, "fresh.db"), journal.Options{})
	if err != nil {
		return nil, err
	}
	defer fresh.Close()
	keys := map[string]bool{"client_premium_sha2": true}
	for i, what := range []string{"first check from a journal that knows none of them", "second check (order info cached in the journal)"} {
		before := sb.Stats().Requests
		start := time.Now()
		a, err := pipeline.CheckAccount(ctx, c, set, fresh, keys, 8)
		if err != nil {
			return nil, err
		}
		el := time.Since(start)
		req := sb.Stats().Requests - before
		if _, ok := a.Find("client_premium_sha2", []string{"user7@example.com"}); !ok {
			return nil, fmt.Errorf("account check %d did not find user7", i+1)
		}
		// At DigiCert's 1000 requests per 3 minutes, what the check costs a run.
		atLimit := time.Duration(float64(req) / 1000 * float64(3*time.Minute))
		figs = append(figs, figure{name: fmt.Sprintf("account check, %d orders in the account: %s", n, what),
			certbatch: fmt.Sprintf("%d %s (%.3f per order) in %s here; about %s at DigiCert's rate limit", req, map[bool]string{true: "request", false: "requests"}[req == 1], float64(req)/float64(n), secs(el), atLimit.Round(time.Second)),
			floor:     "-", ratio: "-", target: "none", info: true})
	}
	return figs, nil
}
