package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// JournalError means the journal could not record something: the run
// must stop, because what it sends would no longer be remembered.
type JournalError struct{ Err error }

// Error returns the message of the underlying error.
func (e *JournalError) Error() string { return "journal: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *JournalError) Unwrap() error { return e.Err }

// reconcileRow resolves an earlier unanswered request for the row's
// identity. done reports whether the row's result is decided; when it is
// not, no order exists and the row may be ordered.
func (s *submitter) reconcileRow(ph phases, prev *journal.Entry, rec order.Result) (bool, order.Result) {
	res, _, err := Reconcile(ph.req, s.o.Client, s.o.Journal, prev, certcentral.StopWaiting(ph.stop))
	var jerr *JournalError
	switch {
	case errors.As(err, &jerr):
		s.stop(err)
		if res.State != journal.StateOrdered {
			return true, s.notSent(ph, rec)
		}
	case err != nil:
		rec.Outcome = order.Uncertain
		rec.Error = fmt.Sprintf("an earlier request (batch %s) got no answer and DigiCert could not be checked: %v", prev.Batch, err)
		return true, rec
	}
	switch res.State {
	case journal.StateFailed: // no order exists: order it now
		return false, rec
	case journal.StateOrdered:
		rec.Outcome, rec.Answer = order.Ordered, res.Answer
		rec.Error = fmt.Sprintf("recovered: the order from an interrupted run (batch %s) was found at DigiCert", prev.Batch)
	default:
		rec.Outcome, rec.Error = order.Uncertain, res.Error+"; decide by hand (cancel the extra ones in CertCentral), then run `certbatch reconcile`"
	}
	return true, rec
}

// Reconcile resolves a journal entry whose request got no answer: it
// looks for the order at DigiCert ([FindOrders]) and records what it
// found. Exactly one match: the entry becomes that order (recovered).
// None: the entry is closed as failed, and the person may be ordered.
// Several: the entry stays uncertain, listing the order IDs for a person
// to decide. It returns the recorded result and the matches; an error
// from the API leaves the entry as it was, and a *JournalError means the
// result could not be recorded.
func Reconcile(ctx context.Context, c *certcentral.Client, j *journal.Journal, e *journal.Entry, opts ...certcentral.CallOption) (journal.Result, []certcentral.Order, error) {
	m, err := FindOrders(ctx, c, e, opts...)
	if err != nil {
		return journal.Result{}, nil, err
	}
	var res journal.Result
	switch len(m) {
	case 0:
		res = journal.Result{State: journal.StateFailed, Answer: order.Answer{Error: "reconciled: no order exists at DigiCert"}}
	case 1:
		res = journal.Result{State: journal.StateOrdered, Answer: m[0].Answer(), Recovered: true}
	default:
		res = journal.Result{State: journal.StateUncertain, Answer: order.Answer{Error: "several orders at DigiCert match an earlier unanswered request: " + orderIDs(m)}}
	}
	if err := j.Complete(e.ID, res); err != nil {
		return res, m, &JournalError{Err: err}
	}
	return res, m, nil
}

func orderIDs(m []certcentral.Order) string {
	ids := make([]string, len(m))
	for i, o := range m {
		ids[i] = strconv.FormatInt(o.ID, 10)
	}
	return strings.Join(ids, ", ")
}

// ReconcileSkew is how far before an intent's time an order may have been
// created and still count as its order: the two clocks may differ.
const ReconcileSkew = 2 * time.Minute

// FindOrders lists the orders at DigiCert that an unanswered request may
// have created: same product and email, created at or after the intent
// (less ReconcileSkew), and the same common name when one is known.
func FindOrders(ctx context.Context, c *certcentral.Client, e *journal.Entry, opts ...certcentral.CallOption) ([]certcentral.Order, error) {
	since := e.IntentAt.Add(-ReconcileSkew)
	list, err := c.ListOrders(ctx, certcentral.ListFilter{Email: e.Email, ProductNameID: e.Product, CreatedSince: since}, opts...)
	if err != nil {
		return nil, err
	}
	var out []certcentral.Order
	for _, o := range list {
		if !o.DateCreated.IsZero() && o.DateCreated.Before(since) {
			continue
		}
		if e.CommonName != "" && o.Certificate.CommonName != "" && !strings.EqualFold(o.Certificate.CommonName, e.CommonName) {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}
