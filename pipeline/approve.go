package pipeline

import (
	"context"
	"errors"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
)

// Approval: an order placed without skip_approval waits in needs_approval
// until an administrator (or a manager, or an EV/CS verified user)
// approves its request, and can be rejected instead
// (https://docs.digicert.com/manage-certificates/managing-certificate-request-approvals/).
// `certbatch approve` finds the pending requests of the orders it is
// given (GET /request?filters[status]=pending, one request per 1,000
// pending requests of the account), shows them, and processes each with
// PUT /request/{id}/status
// (https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/).
// A pending "revoke" request of one of those orders is listed and
// processed the same way: approving it revokes the certificate.

// PendingRequest is a pending request of a target's order.
type PendingRequest struct {
	Target
	Request certcentral.Request
	// Done: processed by this run, or found already in the wanted
	// status; State is the journal's action state (done, failed: refused
	// or not sent, uncertain: run again); Error: why not done.
	Done  bool
	State string
	Error string
}

// ApproveOptions configure [FindPendingRequests] and [ProcessRequests].
type ApproveOptions struct {
	Client      *certcentral.Client
	Journal     *journal.Journal // records every decision before it is sent; nil: none
	Concurrency int
	// Reject rejects the requests instead of approving them.
	Reject  bool
	Comment string // processor_comment
	// Lang is the language of messages, notes and the results file
	// (zero: English).
	Lang l10n.Printer
}

// FindPendingRequests returns the pending requests (of any type) of the
// targets' orders, in target order, and how many list requests it sent.
// Targets must have been read with [ReadHolders]; refused ones are left
// out by the caller.
func FindPendingRequests(ctx context.Context, o ApproveOptions, ts []Target) ([]PendingRequest, int, error) {
	reqs, sent, err := o.Client.AllRequests(ctx, certcentral.RequestPending, "")
	if err != nil {
		return nil, sent, l10n.Errorf("list pending requests: %w", err)
	}
	byOrder := map[int64][]certcentral.Request{}
	for _, r := range reqs {
		byOrder[r.Order.ID] = append(byOrder[r.Order.ID], r)
	}
	var out []PendingRequest
	for _, t := range ts {
		rs := byOrder[t.OrderID]
		slices.SortFunc(rs, func(a, b certcentral.Request) int { return int(a.ID - b.ID) })
		for _, r := range rs {
			out = append(out, PendingRequest{Target: t, Request: r})
		}
	}
	return out, sent, nil
}

// ProcessRequests approves (or rejects) every request, each journaled
// before it is sent and answered after. A request processed meanwhile
// the same way counts as done (UpdateRequestStatus reads it back), so a
// run that stopped half way is simply run again. A refused key ends the
// run with an error; other failures are the request's Error.
func ProcessRequests(ctx context.Context, o ApproveOptions, prs []PendingRequest) error {
	status, kind := certcentral.RequestApproved, journal.ActionApprove
	if o.Reject {
		status, kind = certcentral.RequestRejected, journal.ActionReject
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.Concurrency, 1))
	var (
		mu       sync.Mutex
		firstErr error
	)
	for i := range prs {
		p := &prs[i]
		g.Go(func() error {
			var id int64
			if o.Journal != nil {
				var err error
				if id, err = o.Journal.AddAction(journal.Action{OrderID: p.OrderID, Kind: kind, Who: p.Who, Comment: o.Comment, RequestID: p.Request.ID}); err != nil {
					return &JournalError{Err: err}
				}
			}
			err := o.Client.UpdateRequestStatus(gctx, p.Request.ID, status, o.Comment)
			state, text := journal.ActionDone, ""
			switch {
			case err == nil:
				p.Done = true
			case errors.Is(err, certcentral.ErrAuth):
				state, text = journal.ActionFailed, err.Error()
			case errors.Is(err, certcentral.ErrRequestProcessed), isRefusal(err):
				state, text = journal.ActionFailed, err.Error()
			default:
				state, text = journal.ActionUncertain, err.Error()
			}
			p.Error, p.State = text, state
			if o.Journal != nil {
				if jerr := o.Journal.CompleteAction(id, state, 0, text); jerr != nil {
					mu.Lock()
					firstErr = cmpErr(firstErr, &JournalError{Err: jerr})
					mu.Unlock()
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

// isRefusal reports whether err is an API answer refusing the change
// (a 4xx), not a lost answer.
func isRefusal(err error) bool {
	apiErr, ok := errors.AsType[*certcentral.APIError](err)
	return ok && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500
}
