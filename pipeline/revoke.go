package pipeline

import (
	"cmp"
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// Revocation of a person's certificate: PUT
// /order/certificate/{order_id}/revoke, which "revokes all certificates
// on an order, including duplicates and reissues"
// (https://dev.digicert.com/certcentral-apis/services-api/orders/revoke-order-certificates.html).
// certbatch revokes whole orders: a leaver must keep no certificate of
// the order, and revoking one certificate leaves the order active
// (https://dev.digicert.com/certcentral-apis/services-api/certificates/revoke-certificate.html).
// Without skip_approval DigiCert creates a revoke request that an
// administrator approves (`certbatch approve`); with it (an admin key)
// the order is revoked at once. Every revocation is journaled before it
// is sent and answered after; a run that stopped is run again, and a
// revocation DigiCert already has (revoked, or a pending revoke request)
// is never sent twice.

// RevokeAction is what `certbatch revoke` does with an order.
type RevokeAction string

// Revoke actions.
const (
	RevokeIt        RevokeAction = "revoke"    // issued: revoke it
	RevokeRequested RevokeAction = "requested" // a revoke request waits for an approver already
	RevokeDone      RevokeAction = "revoked"   // revoked already
	RevokeNotIssued RevokeAction = "not issued"
	RevokeRefused   RevokeAction = "refused" // its holder does not check out (Target.Refused)
)

// RevokeTarget is one order and what revoke does with it.
type RevokeTarget struct {
	Target
	Action RevokeAction
	// After the run: Revoked (now), RequestID (a request awaits an
	// approver), State (the journal action's state), Error.
	Revoked   bool
	RequestID int64
	State     string
	Err       string
}

// RevokeOptions configure [PlanRevoke] and [RevokeOrders].
type RevokeOptions struct {
	Client      *certcentral.Client
	Journal     *journal.Journal
	Concurrency int
	// Reason is the revocation_reason (certcentral.RevocationReasons);
	// DigiCert uses it for TLS only and ignores it for other
	// certificates, so it also leads the comment, which DigiCert keeps on
	// the revocation request.
	Reason  string
	Comment string
	// SkipApproval revokes at once (the API key must have admin
	// privileges) instead of creating a request for an approver.
	SkipApproval bool
	// Lang is the language of messages, notes and the results file
	// (zero: English).
	Lang l10n.Printer
}

// comment is what is sent as the revocation's comment.
func (o *RevokeOptions) comment() string {
	if o.Comment == "" {
		return "revoked with certbatch: " + o.Reason
	}
	return o.Reason + ": " + o.Comment
}

// PlanRevoke decides about each target, read with [ReadHolders]
// (RequireMatch): issued orders are revoked, an order with a pending
// revoke request or revoked already is left alone, others are listed.
// It reads the pending revoke requests once.
func PlanRevoke(ctx context.Context, o RevokeOptions, ts []Target) ([]RevokeTarget, error) {
	reqs, _, err := o.Client.AllRequests(ctx, certcentral.RequestPending, certcentral.RequestTypeRevoke)
	if err != nil {
		return nil, l10n.Errorf("list pending revoke requests: %w", err)
	}
	pending := map[int64]int64{}
	for _, r := range reqs {
		pending[r.Order.ID] = r.ID
	}
	out := make([]RevokeTarget, len(ts))
	for i, t := range ts {
		rt := RevokeTarget{Target: t}
		switch {
		case t.Refused != "" || t.Error != "" || t.Order == nil:
			rt.Action = RevokeRefused
		case t.Order.Status == "revoked":
			rt.Action = RevokeDone
			if err := recordRevoked(o.Journal, t.OrderID); err != nil {
				return nil, err
			}
		case pending[t.OrderID] != 0:
			rt.Action, rt.RequestID = RevokeRequested, pending[t.OrderID]
		case t.Order.Status == "issued":
			rt.Action = RevokeIt
		default:
			rt.Action = RevokeNotIssued
		}
		out[i] = rt
		if err := settleAction(o.Lang, o.Journal, &rt); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// settleAction closes the journal's last revocation of a target's order
// that a stopped run left without its answer (intent, uncertain), or
// whose request an approver has processed since (requested), by what
// DigiCert says now: revoked, still requested, or (issued, no request
// pending) nothing reached DigiCert or the request was rejected. The run
// then goes on from there: resumable, and never sent twice.
func settleAction(p l10n.Printer, j *journal.Journal, rt *RevokeTarget) error {
	if j == nil || rt.Action == RevokeRefused {
		return nil
	}
	a, err := j.LastAction(rt.OrderID, journal.ActionRevoke)
	if err != nil || a == nil {
		if err != nil {
			return &JournalError{Err: err}
		}
		return nil
	}
	state, text := "", ""
	switch {
	case a.State != journal.ActionIntent && a.State != journal.ActionUncertain && a.State != journal.ActionRequested:
		return nil
	case rt.Action == RevokeDone:
		state = journal.ActionDone
	case rt.Action == RevokeRequested && a.State != journal.ActionRequested:
		state = journal.ActionRequested
	case rt.Action == RevokeIt && a.State == journal.ActionRequested:
		state, text = journal.ActionFailed, p.Sprintf("the revocation request was rejected")
	case rt.Action == RevokeIt:
		state, text = journal.ActionFailed, p.Sprintf("no revocation reached DigiCert (found when the run was resumed)")
	default:
		return nil
	}
	if err := j.CompleteAction(a.ID, state, rt.RequestID, text); err != nil {
		return &JournalError{Err: err}
	}
	return nil
}

func recordRevoked(j *journal.Journal, orderID int64) error {
	if j == nil {
		return nil
	}
	if err := j.UpdateStatus(order.Answer{OrderID: orderID, OrderStatus: "revoked"}); err != nil {
		return &JournalError{Err: err}
	}
	return nil
}

// RevokeOrders revokes every target whose Action is RevokeIt, each
// journaled before it is sent and answered after. A refused key ends the
// run with an error; other failures are the target's Err.
func RevokeOrders(ctx context.Context, o RevokeOptions, rts []RevokeTarget) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.Concurrency, 1))
	var (
		mu       sync.Mutex
		firstErr error
	)
	note := func(err error) {
		mu.Lock()
		firstErr = cmpErr(firstErr, err)
		mu.Unlock()
	}
	for i := range rts {
		t := &rts[i]
		if t.Action != RevokeIt {
			continue
		}
		g.Go(func() error {
			var id int64
			if o.Journal != nil {
				var err error
				if id, err = o.Journal.AddAction(journal.Action{OrderID: t.OrderID, Kind: journal.ActionRevoke, Who: t.Who,
					Reason: o.Reason, Comment: o.comment()}); err != nil {
					return &JournalError{Err: err}
				}
			}
			rv, err := o.Client.RevokeOrder(gctx, t.OrderID, certcentral.RevokeOptions{Reason: o.Reason, Comment: o.comment(), SkipApproval: o.SkipApproval})
			switch {
			case err == nil && rv.Revoked:
				t.Revoked, t.State = true, journal.ActionDone
				if jerr := recordRevoked(o.Journal, t.OrderID); jerr != nil {
					note(jerr)
				}
			case err == nil:
				t.RequestID, t.State = rv.RequestID, journal.ActionRequested
			case errors.Is(err, certcentral.ErrNotRevocable), errors.Is(err, certcentral.ErrAuth), isRefusal(err):
				t.State, t.Err = journal.ActionFailed, err.Error()
			default:
				t.State, t.Err = journal.ActionUncertain, err.Error()
			}
			if o.Journal != nil {
				if jerr := o.Journal.CompleteAction(id, t.State, t.RequestID, t.Err); jerr != nil {
					note(&JournalError{Err: jerr})
				}
			}
			if errors.Is(err, certcentral.ErrAuth) {
				return err
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return firstErr
}

// RevokeCounts tallies a revocation run.
type RevokeCounts struct {
	Revoked, Requested, Already, NotIssued, Refused, Failed, Retry int
}

// CountRevocations tallies rts.
func CountRevocations(rts []RevokeTarget) RevokeCounts {
	var c RevokeCounts
	for _, t := range rts {
		switch {
		case t.Revoked:
			c.Revoked++
		case t.Action == RevokeIt && t.State == journal.ActionRequested, t.Action == RevokeRequested:
			c.Requested++
		case t.Action == RevokeDone:
			c.Already++
		case t.Action == RevokeNotIssued:
			c.NotIssued++
		case t.Action == RevokeRefused:
			c.Refused++
		case t.State == journal.ActionFailed:
			c.Failed++
		case t.Action == RevokeIt:
			c.Retry++
		}
	}
	return c
}

// Name names a revoke target's person for people to read.
func (t *RevokeTarget) Name() string { return cmp.Or(t.Who, t.Email, t.Key, "?") }
