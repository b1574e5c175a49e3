package pipeline

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// CancelAction is what `certbatch cancel` does with one order.
type CancelAction string

// Cancel actions. DigiCert allows a cancel from pending and
// waiting_pickup only
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html);
// an order awaiting approval is stopped by rejecting its request
// (https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/).
const (
	CancelIt        CancelAction = "cancel"   // pending or waiting_pickup: PUT the order's status
	RejectIt        CancelAction = "reject"   // needs_approval: reject its request
	AlreadyCanceled CancelAction = "canceled" // nothing to do
	NeedsRevoke     CancelAction = "revoke"   // issued: only a revocation undoes it
	NothingToDo     CancelAction = "final"    // rejected, revoked, expired, ...: nothing to undo
	Unknown         CancelAction = "unknown"  // its status could not be read
)

// CancelTarget is one order of a batch and what cancel does with it.
type CancelTarget struct {
	Row           int
	Who           string // the person's email or key, for people to read
	OrderID       int64
	CertificateID int64
	// RequestID is the order's request, which RejectIt rejects.
	RequestID int64
	Status    string // the order's status as CertCentral reports it now
	Action    CancelAction
	// Error is why the status could not be read, or why the cancel
	// failed; "" when it worked.
	Error   string
	Done    bool // canceled (or, for RejectIt, rejected) by this run
	Refused bool // DigiCert refused the cancel (its status no longer allows it)
	// Order, when set, is the order as order info read it a moment ago
	// (the holder check): ReadCancelTargets does not read it again.
	Order *certcentral.Order
}

// CancelOptions configure [ReadCancelTargets] and [CancelOrders].
type CancelOptions struct {
	Client *certcentral.Client
	// Journal, when not nil, records every order found or made canceled.
	Journal     *journal.Journal
	Concurrency int    // requests in flight; 0 means 4
	Note        string // passed to DigiCert with every cancel (note) and rejection (processor_comment)
	// Lang is the language of messages, notes and the results file
	// (zero: English).
	Lang l10n.Printer
}

func (o *CancelOptions) workers() int {
	if o.Concurrency <= 0 {
		return 4
	}
	return o.Concurrency
}

// ReadCancelTargets reads the current status of every target's order
// (GET /order/certificate/{id}; the status in a results file may be
// old) and decides its Action. Errors that concern the run, not an order
// (a refused key, an unreachable endpoint), are returned.
func ReadCancelTargets(ctx context.Context, o CancelOptions, ts []CancelTarget) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.workers())
	for i := range ts {
		t := &ts[i]
		g.Go(func() error {
			ord, err := t.Order, error(nil)
			if ord == nil {
				ord, err = o.Client.GetOrder(gctx, t.OrderID)
			}
			if err != nil {
				if fatal(err) {
					return l10n.Errorf("read the status of order %d: %w", t.OrderID, err)
				}
				t.Action, t.Error = Unknown, err.Error()
				return nil
			}
			t.Status = ord.Status
			if ord.Certificate.ID != 0 {
				t.CertificateID = ord.Certificate.ID
			}
			if len(ord.Requests) > 0 {
				t.RequestID = ord.Requests[0].ID
			}
			switch {
			case certcentral.Cancelable(ord.Status):
				t.Action = CancelIt
			case certcentral.Rejectable(ord.Status) && t.RequestID == 0:
				t.Action, t.Error = Unknown, o.Lang.Sprintf("awaiting approval, but order info names no request to reject")
			case certcentral.Rejectable(ord.Status):
				t.Action = RejectIt
			case ord.Status == "canceled":
				t.Action = AlreadyCanceled
			case ord.Status == "issued":
				t.Action = NeedsRevoke
			default:
				t.Action = NothingToDo
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// An order canceled elsewhere (the web console) is recorded too, so
	// the person can be ordered again.
	for i := range ts {
		if ts[i].Action == AlreadyCanceled {
			if err := recordCanceled(o.Journal, ts[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordCanceled records a target's order canceled, or rejected with its
// request (Status says which); either releases the person.
func recordCanceled(j *journal.Journal, t CancelTarget) error {
	if j == nil {
		return nil
	}
	a := order.Answer{OrderID: t.OrderID, OrderStatus: "canceled"}
	if t.Status == "rejected" {
		a.OrderStatus, a.RequestStatus = "rejected", "rejected"
	}
	if err := j.UpdateStatus(a); err != nil {
		return &JournalError{Err: err}
	}
	return nil
}

// CancelOrders cancels every target whose Action is CancelIt, rejects
// the request of every target whose Action is RejectIt (its order is
// then rejected: Status "rejected"), and records each in the journal at
// once. A request approved in the meantime is not rejected: its order is
// read again and canceled when its status allows. A cancel CertCentral
// refuses, or whose outcome stays unknown, is the target's Error; a
// refused key ends the run with an error (targets not yet sent keep
// Done false).
func CancelOrders(ctx context.Context, o CancelOptions, ts []CancelTarget) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.workers())
	var (
		mu       sync.Mutex
		firstErr error
	)
	for i := range ts {
		t := &ts[i]
		if t.Action != CancelIt && t.Action != RejectIt {
			continue
		}
		g.Go(func() error {
			status, err := undo(gctx, o, t)
			switch {
			case err == nil:
				t.Done, t.Status = true, status
				if jerr := recordCanceled(o.Journal, *t); jerr != nil {
					mu.Lock()
					firstErr = cmpErr(firstErr, jerr)
					mu.Unlock()
				}
			case errors.Is(err, certcentral.ErrAuth):
				return err
			default:
				_, apiErr := errors.AsType[*certcentral.APIError](err)
				t.Error, t.Refused = err.Error(), errors.Is(err, certcentral.ErrNotCancelable) || apiErr
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return firstErr
}

// undo cancels t's order or rejects its request, as its Action says, and
// returns the order's status after it.
func undo(ctx context.Context, o CancelOptions, t *CancelTarget) (string, error) {
	if t.Action == CancelIt {
		return "canceled", o.Client.CancelOrder(ctx, t.OrderID, o.Note)
	}
	err := o.Client.RejectRequest(ctx, t.RequestID, o.Note)
	if err == nil {
		return "rejected", nil
	}
	if !errors.Is(err, certcentral.ErrNotCancelable) {
		return "", err
	}
	// Approved in the meantime: a cancel may now be allowed.
	ord, gerr := o.Client.GetOrder(ctx, t.OrderID)
	switch {
	case gerr != nil:
		return "", l10n.Errorf("%w (reading the order again: %v)", err, gerr)
	case ord.Status == "canceled":
		return "canceled", nil
	case !certcentral.Cancelable(ord.Status):
		t.Status = ord.Status
		return "", err
	}
	t.Status = ord.Status
	return "canceled", o.Client.CancelOrder(ctx, t.OrderID, o.Note)
}
