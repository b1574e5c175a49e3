package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
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
	// Lang is the language of messages, notes and the results file
	// (zero: English).
	Lang l10n.Printer
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
	deadline := time.Now().Add(o.Wait)
	recovered := o.Journal == nil
	var since time.Time
	failed := 0 // polls failed in a row
	for {
		start := time.Now()
		var err error
		if !recovered {
			var n int
			if n, err = recoverRows(ctx, o, recs); err == nil {
				rep.Recovered, recovered = n, true
				since = knownSince(o.Journal, recs)
			}
		}
		if err == nil {
			var n int
			n, err = refreshOnce(ctx, o, recs, since)
			rep.Requests += n
			if err == nil {
				o.Log.Info("status refreshed", "pending", pendingOf(recs), "requests", n)
			}
		}
		rep.Pending = pendingOf(recs)
		var pause time.Duration
		switch {
		case err != nil && (o.Wait <= 0 || !outage(err) || ctx.Err() != nil):
			return rep, err
		case err != nil:
			// CertCentral is down or failing: ride it out until the
			// deadline, backing off, and say so.
			failed++
			base := o.Interval
			if base <= 0 {
				base = time.Second
			}
			pause = min(base<<min(failed-1, 10), max(base, maxOutageBackoff))
			if time.Now().Add(pause).After(deadline) {
				return rep, l10n.Errorf("still failing at the end of --wait %s (%d failed polls in a row): %w", o.Wait, failed, err)
			}
			o.Log.Warn("CertCentral did not answer: polling again until the deadline", "error", err.Error(),
				"failed_polls", failed, "next_poll_in", pause.Round(time.Millisecond).String(), "deadline", deadline.Format(time.RFC3339))
		case rep.Pending == 0 || o.Wait <= 0 || time.Now().Add(o.Interval).After(deadline):
			return rep, nil
		case o.StopForApprover && approvalOnly(recs):
			rep.ApproverOnly = true
			return rep, nil
		default:
			failed, pause, since = 0, o.Interval, start
		}
		select {
		case <-ctx.Done():
			return rep, ctx.Err()
		case <-time.After(pause):
		}
	}
}

// maxOutageBackoff bounds the wait between polls while CertCentral does
// not answer (the wait doubles from --interval).
const maxOutageBackoff = 5 * time.Minute

// outage reports whether err is CertCentral being unreachable or
// failing (network, DNS, timeouts, 5xx, its rate limit): what waiting
// fixes, unlike a refused key.
func outage(err error) bool {
	return errors.Is(err, certcentral.ErrUnavailable) || errors.Is(err, certcentral.ErrRateLimited)
}

// pendingOf counts the records whose order is not final.
func pendingOf(recs []order.Result) int {
	n := 0
	for i := range recs {
		if waiting(&recs[i]) {
			n++
		}
	}
	return n
}

// approvalOnly reports whether every order still waiting waits for an
// approver (needs_approval).
func approvalOnly(recs []order.Result) bool {
	n := 0
	for i := range recs {
		if waiting(&recs[i]) {
			if recs[i].OrderStatus != "needs_approval" {
				return false
			}
			n++
		}
	}
	return n > 0
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
	entries := map[int]*journal.Entry{}
	names := Names{} // the unanswered people: a name two of them share is neither's for sure
	for i := range recs {
		r := &recs[i]
		if r.OrderID != 0 || r.Outcome != order.Uncertain {
			continue
		}
		e, err := o.Journal.EntryForRow(r.Row, r.Input)
		if err != nil {
			return n, &JournalError{Err: err}
		}
		if e != nil {
			entries[i] = e
			names.Add(entryPerson(e))
		}
	}
	for i := range recs {
		r, e := &recs[i], entries[i]
		if e == nil {
			continue
		}
		if e.State == journal.StateIntent || e.State == journal.StateUncertain {
			if finder == nil {
				finder = NewOrderFinder(o.Client, o.Templates, o.Journal)
			}
			res, err := Reconcile(ctx, o.Lang, finder, o.Journal, e, settleOf(o.Settle), names)
			if err != nil {
				if fatal(err) {
					return n, err
				}
				r.Error = o.Lang.Sprintf("status: %s", o.Lang.Error(err))
				continue
			}
			e.Result = res
		}
		switch e.State {
		case journal.StateOrdered:
			r.Outcome, r.Answer = order.Ordered, e.Answer
			r.Note = o.Lang.Sprintf("recovered: the order of a request whose answer never arrived was found at DigiCert")
			r.Error = ""
			n++
		case journal.StateFailed:
			r.Outcome, r.Error = order.Failed, o.Lang.Sprintf("%s; safe to run submit again", e.Error)
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
// which their statuses are known, it reads the status-change feed, every
// page of it ([certcentral.Client.StatusChanges]): an order the feed
// lists has changed; one it does not list still has the status it had
// then, when the feed read was complete, and is asked directly
// otherwise. Orders whose status was never read are read from the order
// list when there are many ([listStatuses]), else asked one by one
// (DigiCert does not document whether an order's creation counts as a
// change, and either answer is handled).
func refreshOnce(ctx context.Context, o StatusOptions, recs []order.Result, since time.Time) (int, error) {
	var ask, unknown, waitingRows []*order.Result
	requests := 0
	for i := range recs {
		if waiting(&recs[i]) {
			waitingRows = append(waitingRows, &recs[i])
		}
	}
	many := len(waitingRows) > o.FeedThreshold
	if many && !since.IsZero() && time.Since(since)+feedSlack <= certcentral.MaxStatusWindow {
		feed, err := o.Client.StatusChanges(ctx, time.Since(since)+feedSlack)
		if err != nil {
			return requests + 1, l10n.Errorf("status: %w", err)
		}
		requests += feed.Requests
		changed := make(map[int64]certcentral.StatusChange, len(feed.Changes))
		for _, c := range feed.Changes {
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
			case r.OrderStatus == "":
				unknown = append(unknown, r)
			case !feed.Complete:
				ask = append(ask, r) // the feed moved while read: not proof of no change
			}
		}
	} else {
		for _, r := range waitingRows {
			if many && r.OrderStatus == "" {
				unknown = append(unknown, r)
			} else {
				ask = append(ask, r)
			}
		}
	}
	if len(unknown) > o.FeedThreshold {
		n, left, err := listStatuses(ctx, o, unknown)
		requests += n
		if err != nil {
			return requests, err
		}
		unknown = left
	}
	n, err := askEach(ctx, o, append(ask, unknown...))
	return requests + n, err
}

// askEach reads each order's status with order info.
func askEach(ctx context.Context, o StatusOptions, ask []*order.Result) (int, error) {
	var (
		mu       sync.Mutex
		firstErr error
	)
	requests := 0
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
					return l10n.Errorf("status of order %d: %w", r.OrderID, err)
				}
				mu.Lock()
				r.Error = o.Lang.Sprintf("status: %s", o.Lang.Error(err))
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
