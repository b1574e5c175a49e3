package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/templates"
)

// StatusOptions configure [RefreshStatus].
type StatusOptions struct {
	Client *certcentral.Client
	// Journal, when not nil, is updated, and lets rows whose request got
	// no answer be reconciled first (with Templates for product IDs).
	Journal     *journal.Journal
	Templates   *templates.Set
	Concurrency int // requests in flight; 0 means 4
	// Wait, when positive, polls every Interval until every order is
	// final or Wait has passed.
	Wait, Interval time.Duration
	// Settle is as in [SubmitOptions]: 0 means DefaultSettle, negative
	// means none.
	Settle time.Duration
	Log    *slog.Logger
	// FeedThreshold is how many orders still waiting make a poll use the
	// status-change feed (one request for the whole batch) instead of one
	// request per order; 0 means DefaultFeedThreshold.
	FeedThreshold int
	// StopForApprover ends a --wait early when every order still waiting
	// waits for an approver (needs_approval): nothing changes until a
	// person acts, so waiting out the deadline only delays the news.
	StopForApprover bool
	// followUp: the statuses of orders just placed, read once after a
	// submission; an order the feed does not list is left for status
	// (its status was never read, and asking each would double what a
	// submission costs).
	followUp bool
}

// DefaultFeedThreshold: with more orders waiting than this, a poll asks
// the status-change feed once instead of every order.
const DefaultFeedThreshold = 10

// StatusReport says what a refresh did.
type StatusReport struct {
	Pending   int // orders still not final
	Recovered int // rows whose unanswered request was found to have an order
	Requests  int // API requests sent for statuses (not counting reconciliation)
	// ApproverOnly: every order still waiting waits for an approver, and
	// the wait stopped early for it (StopForApprover).
	ApproverOnly bool
}

// RefreshStatus brings every row of recs with an order that is not final
// up to date, in place (and in the journal): the order's status, request
// status and certificate ID, as order info or the status-change feed
// report them (certcentral-today.md §2). Rows whose request got no answer
// are first reconciled through the journal. Errors that concern the run,
// not a row (a refused key, an unreachable endpoint, repeated 5xx), are
// returned: the records are then not to be trusted as refreshed.
func RefreshStatus(ctx context.Context, o StatusOptions, recs []order.Result) (StatusReport, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.FeedThreshold <= 0 {
		o.FeedThreshold = DefaultFeedThreshold
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	var rep StatusReport
	if o.Journal != nil {
		n, err := recoverRows(ctx, o, recs)
		if err != nil {
			return rep, err
		}
		rep.Recovered = n
	}
	since := knownSince(o.Journal, recs)
	deadline := time.Now().Add(o.Wait)
	for {
		start := time.Now()
		n, err := refreshOnce(ctx, o, recs, since)
		rep.Requests += n
		if err != nil {
			return rep, err
		}
		rep.Pending = 0
		approval := 0
		for i := range recs {
			if waiting(&recs[i]) {
				rep.Pending++
				if recs[i].OrderStatus == "needs_approval" {
					approval++
				}
			}
		}
		o.Log.Info("status refreshed", "pending", rep.Pending, "requests", n)
		if rep.Pending == 0 || o.Wait <= 0 || time.Now().Add(o.Interval).After(deadline) {
			return rep, nil
		}
		if o.StopForApprover && approval == rep.Pending {
			rep.ApproverOnly = true
			return rep, nil
		}
		since = start
		select {
		case <-ctx.Done():
			return rep, ctx.Err()
		case <-time.After(o.Interval):
		}
	}
}

// waiting reports whether a record has an order whose status may still
// change.
func waiting(r *order.Result) bool { return r.OrderID != 0 && !order.IsFinal(r.OrderStatus) }

// recoverRows reconciles the rows whose request got no answer: each is
// tied to its journal attempt; an attempt still unresolved is resolved
// against DigiCert; one with an order gives the row that order.
func recoverRows(ctx context.Context, o StatusOptions, recs []order.Result) (int, error) {
	var finder *OrderFinder
	n := 0
	for i := range recs {
		r := &recs[i]
		if r.OrderID != 0 || r.Outcome != order.Uncertain {
			continue
		}
		e, err := o.Journal.EntryForRow(r.Row, r.Input)
		if err != nil || e == nil {
			if err != nil {
				return n, &JournalError{Err: err}
			}
			continue
		}
		if e.State == journal.StateIntent || e.State == journal.StateUncertain {
			if finder == nil {
				finder = NewOrderFinder(o.Client, o.Templates, o.Journal)
			}
			res, err := Reconcile(ctx, finder, o.Journal, e, time.Now(), settleOf(o.Settle))
			if err != nil {
				if fatal(err) {
					return n, err
				}
				r.Error = "status: " + err.Error()
				continue
			}
			e.Result = res
		}
		switch e.State {
		case journal.StateOrdered:
			r.Outcome, r.Answer = order.Ordered, e.Answer
			r.Error = "recovered: the order of a request whose answer never arrived was found at DigiCert"
			n++
		case journal.StateFailed:
			r.Outcome, r.Error = order.Failed, e.Error+"; safe to run submit again"
		default:
			r.Error = e.Error
		}
	}
	return n, nil
}

// knownSince returns when the statuses of recs' waiting orders were last
// known: the earliest answer the journal recorded for them, or zero when
// any is unknown (then every order is asked).
func knownSince(j *journal.Journal, recs []order.Result) time.Time {
	if j == nil {
		return time.Time{}
	}
	var since time.Time
	for i := range recs {
		if !waiting(&recs[i]) {
			continue
		}
		e, err := j.OrderOwner(recs[i].OrderID)
		if err != nil || e == nil || e.CompletedAt.IsZero() {
			return time.Time{}
		}
		if since.IsZero() || e.CompletedAt.Before(since) {
			since = e.CompletedAt
		}
	}
	return since
}

// fatal reports whether an error from a status request concerns the run
// rather than one order: every error but an API answer about that order
// (a 4xx other than 401/403/429).
func fatal(err error) bool {
	var apiErr *certcentral.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 &&
		apiErr.StatusCode != http.StatusTooManyRequests && !errors.Is(err, certcentral.ErrAuth) {
		return false
	}
	return true
}

// feedSlack widens the status-change window for clock differences.
const feedSlack = 2 * time.Minute

// refreshOnce brings every waiting order up to date once and returns the
// number of requests it sent. With many orders waiting and a time since
// which their statuses are known, it asks the status-change feed once:
// an order the feed lists has changed, one it does not list still has
// the status it had then; only orders whose status was never known are
// asked one by one (DigiCert does not document whether an order's
// creation counts as a change, and either answer is handled).
func refreshOnce(ctx context.Context, o StatusOptions, recs []order.Result, since time.Time) (int, error) {
	var ask []*order.Result
	requests := 0
	var waitingRows []*order.Result
	for i := range recs {
		if waiting(&recs[i]) {
			waitingRows = append(waitingRows, &recs[i])
		}
	}
	if len(waitingRows) > o.FeedThreshold && !since.IsZero() && time.Since(since)+feedSlack <= certcentral.MaxStatusWindow {
		feed, err := o.Client.StatusChanges(ctx, time.Since(since)+feedSlack)
		requests++
		if err != nil {
			return requests, fmt.Errorf("status: %w", err)
		}
		changed := make(map[int64]certcentral.StatusChange, len(feed))
		for _, c := range feed {
			changed[c.OrderID] = c
		}
		for _, r := range waitingRows {
			c, ok := changed[r.OrderID]
			switch {
			case ok:
				a := order.Answer{OrderID: r.OrderID, OrderStatus: c.Status, CertificateID: c.CertificateID}
				r.Answer.Refresh(a)
				if o.Journal != nil {
					if err := o.Journal.UpdateStatus(a); err != nil {
						return requests, &JournalError{Err: err}
					}
				}
			case r.OrderStatus == "" && !o.followUp:
				ask = append(ask, r)
			}
		}
	} else {
		ask = waitingRows
	}
	var (
		mu       sync.Mutex
		firstErr error
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Concurrency)
	for _, r := range ask {
		if gctx.Err() != nil {
			break
		}
		requests++
		g.Go(func() error {
			ord, err := o.Client.GetOrder(gctx, r.OrderID)
			if err != nil {
				if fatal(err) {
					return fmt.Errorf("status of order %d: %w", r.OrderID, err)
				}
				mu.Lock()
				r.Error = "status: " + err.Error()
				mu.Unlock()
				return nil
			}
			a := ord.Answer()
			r.Answer.Refresh(a)
			if o.Journal != nil {
				if err := o.Journal.UpdateStatus(a); err != nil {
					mu.Lock()
					firstErr = cmpErr(firstErr, &JournalError{Err: err})
					mu.Unlock()
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return requests, err
	}
	if firstErr != nil {
		return requests, firstErr
	}
	return requests, ctx.Err()
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
