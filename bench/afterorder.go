package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/sandbox"
	"github.com/certbatch/certbatch/templates"
)

// afterOrderBench counts the requests per person of the commands that
// act after ordering (approve, renew, revoke, sync, expiring), each
// against a fresh sandbox holding n people, through the same pipeline
// calls the commands make. Requests are a cost: DigiCert allows 1000 per
// 3 minutes per key, shared by every run.
func afterOrderBench(dir string, small bool) ([]figure, error) {
	n := 500
	if small {
		n = 20
	}
	ctx := context.Background()
	set, err := templates.Builtin()
	if err != nil {
		return nil, err
	}
	type env struct {
		c  *certcentral.Client
		sb *sandbox.Server
		j  *journal.Journal
	}
	start := func(name string, cfg sandbox.Config) (*env, func(), error) {
		cfg.APIKey, cfg.Windows = "bench-key", []sandbox.Window{}
		base, sb, stop, err := sandbox.Start(cfg)
		if err != nil {
			return nil, nil, err
		}
		c, err := certcentral.New(certcentral.Config{BaseURL: base, APIKey: "bench-key", Concurrency: 8})
		if err != nil {
			stop()
			return nil, nil, err
		}
		j, err := journal.Open(filepath.Join(dir, name+".db"), journal.Options{})
		if err != nil {
			stop()
			return nil, nil, err
		}
		return &env{c, sb, j}, func() { j.Close(); stop() }, nil
	}
	holdings := func(days int) []sandbox.Holding {
		hs := make([]sandbox.Holding, n)
		for i := range hs {
			hs[i] = sandbox.Holding{Email: "person" + strconv.Itoa(i) + "@example.com", ExpiresIn: days}
		}
		return hs
	}
	perPerson := func(name string, req int, el time.Duration, note string) figure {
		return figure{name: fmt.Sprintf("%s, %d people", name, n), certbatch: fmt.Sprintf("%.2f requests per person (%d in %s)", float64(req)/float64(n), req, secs(el)),
			floor: "-", ratio: "-", target: "none", info: true, note: note}
	}
	targetsOf := func(e *env) []pipeline.Target {
		var ts []pipeline.Target
		for _, o := range e.sb.Orders() {
			ts = append(ts, pipeline.Target{Who: o.Emails[0], Email: o.Emails[0], OrderID: o.ID, Product: o.Product})
		}
		return ts
	}
	var figs []figure

	// approve: n orders waiting for approval.
	{
		e, stop, err := start("approve", sandbox.Config{})
		if err != nil {
			return nil, err
		}
		for i := range n {
			body := fmt.Sprintf(`{"certificate":{"common_name":"P %d","emails":["person%d@example.com"],"signature_hash":"sha256","common_name_indicator":"pseudonym","individual":{"pseudonym":"P%d"}},"organization":{"id":112233},"validity_years":1}`, i, i, i)
			if _, err := e.c.PlaceOrder(ctx, "client_premium", []byte(body)); err != nil {
				stop()
				return nil, err
			}
		}
		before, t0 := e.sb.Stats().Requests, time.Now()
		ts := targetsOf(e)
		ao := pipeline.ApproveOptions{Client: e.c, Journal: e.j, Concurrency: 8, Comment: "bench"}
		if err := pipeline.ReadHolders(ctx, l10n.Printer{}, e.c, e.j, 8, pipeline.RefuseMismatch, ts); err != nil {
			stop()
			return nil, err
		}
		prs, _, err := pipeline.FindPendingRequests(ctx, ao, ts)
		if err == nil {
			err = pipeline.ProcessRequests(ctx, ao, prs)
		}
		stop()
		if err != nil {
			return nil, err
		}
		figs = append(figs, perPerson("approve (holder check, pending requests, one decision each)", e.sb.Stats().Requests-before, time.Since(t0),
			"order info per person (whose order it is) + 1 request list per 1,000 pending + 1 PUT per request"))
	}
	// renew: n certificates that expire in 10 days, unknown to the journal.
	{
		e, stop, err := start("renew", sandbox.Config{Holdings: holdings(10)})
		if err != nil {
			return nil, err
		}
		ro := pipeline.RenewOptions{SubmitOptions: pipeline.SubmitOptions{Source: pipeline.Source{Templates: set}, Client: e.c, Journal: e.j, Concurrency: 8,
			Output: filepath.Join(dir, "renewals.csv"), Settle: -1},
			Config: &mapping.Config{Order: map[string]any{"validity_years": 1, "skip_approval": true}}, Within: 30 * 24 * time.Hour}
		before, t0 := e.sb.Stats().Requests, time.Now()
		plan, err := pipeline.PlanRenew(ctx, ro)
		if err == nil {
			_, err = pipeline.Renew(ctx, ro, plan)
		}
		stop()
		if err != nil {
			return nil, err
		}
		if got := plan.Count(pipeline.RenewIt); got != n {
			return nil, fmt.Errorf("renew bench: %d renewals planned, want %d", got, n)
		}
		figs = append(figs, perPerson("renew (expiring search, order info, account check, the renewal, its status)", e.sb.Stats().Requests-before, time.Since(t0),
			"the filtered list and the report: a few requests per run; order info per expiring order; the account check reads each order the journal does not know once (cached after)"))
	}
	// revoke: n issued certificates, the journal knows none of them.
	{
		e, stop, err := start("revoke", sandbox.Config{Holdings: holdings(200)})
		if err != nil {
			return nil, err
		}
		before, t0 := e.sb.Stats().Requests, time.Now()
		ts := targetsOf(e)
		ro := pipeline.RevokeOptions{Client: e.c, Journal: e.j, Concurrency: 8, Reason: "cessationOfOperation", SkipApproval: true}
		err = pipeline.ReadHolders(ctx, l10n.Printer{}, e.c, e.j, 8, pipeline.RequireMatch, ts)
		var rts []pipeline.RevokeTarget
		if err == nil {
			rts, err = pipeline.PlanRevoke(ctx, ro, ts)
		}
		if err == nil {
			err = pipeline.RevokeOrders(ctx, ro, rts)
		}
		stop()
		if err != nil {
			return nil, err
		}
		figs = append(figs, perPerson("revoke --skip-approval (holder check, one PUT each)", e.sb.Stats().Requests-before, time.Since(t0),
			"order info per person + 1 list of pending revoke requests + 1 PUT per order"))
	}
	// expiring, then sync: n people on the roster, a tenth of them
	// expiring, a tenth gone.
	{
		hs := holdings(300)
		for i := range hs {
			if i%10 == 0 {
				hs[i].ExpiresIn = 10
			}
		}
		e, stop, err := start("sync", sandbox.Config{Holdings: hs})
		if err != nil {
			return nil, err
		}
		before, t0 := e.sb.Stats().Requests, time.Now()
		if _, _, err := pipeline.ExpiringReport(ctx, e.c, e.j, set, time.Now(), 60*24*time.Hour, 8); err != nil {
			stop()
			return nil, err
		}
		figs = append(figs, perPerson("expiring --within 60d (a tenth of them expire)", e.sb.Stats().Requests-before, time.Since(t0),
			"the filtered list + the report; order info once per expiring order the journal does not name (cached)"))
		var b strings.Builder
		b.WriteString("Employee ID,Full Name,First Name,Last Name,Email\n")
		for i := range n {
			if i%10 == 5 {
				continue // a leaver
			}
			fmt.Fprintf(&b, "E%d,P %d,P,%d,person%d@example.com\n", i, i, i, i)
		}
		for i := range n / 10 { // joiners
			fmt.Fprintf(&b, "N%d,New %d,New,%d,new%d@example.com\n", i, i, i, i)
		}
		roster := filepath.Join(dir, "roster.csv")
		if err := os.WriteFile(roster, []byte(b.String()), 0o600); err != nil {
			stop()
			return nil, err
		}
		cfg := &mapping.Config{Product: "client_premium", Key: "Employee ID", Order: map[string]any{"organization": map[string]any{"id": 112233},
			"validity_years": 1, "skip_approval": true}, Columns: map[string]string{"certificate.common_name": "Full Name", "certificate.emails": "Email"}}
		so := pipeline.SyncOptions{RenewOptions: pipeline.RenewOptions{
			SubmitOptions: pipeline.SubmitOptions{Source: pipeline.Source{Input: roster, Config: cfg, Templates: set}, Client: e.c, Journal: e.j,
				Concurrency: 8, Output: filepath.Join(dir, "sync.csv"), Settle: -1},
			Config: cfg, Within: 30 * 24 * time.Hour}}
		before, t0 = e.sb.Stats().Requests, time.Now()
		plan, err := pipeline.PlanSync(ctx, so)
		if err == nil {
			_, err = pipeline.Sync(ctx, so, plan, nil)
		}
		stop()
		if err != nil {
			return nil, err
		}
		if len(plan.Joiners) != n/10 || plan.Renews() != n/10 || len(plan.Leavers) != n/10 {
			return nil, fmt.Errorf("sync bench: %d joiners, %d renewals, %d leavers; want %d each", len(plan.Joiners), plan.Renews(), len(plan.Leavers), n/10)
		}
		figs = append(figs, perPerson(fmt.Sprintf("sync of a %d-person roster (%d joiners, %d renewals, %d leavers), first run", n-n/10+n/10, n/10, n/10, n/10),
			e.sb.Stats().Requests-before, time.Since(t0),
			"the account check (list + order info once per order the journal does not know, cached), the renewal search, order info per leaver and expiring order, one POST per joiner and renewal"))
	}
	return figs, nil
}
