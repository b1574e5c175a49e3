package pipeline

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
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

// JournalWriteError means the journal could not be written during a
// submission (a full disk, a journal made read-only): the run stopped
// before sending more, and Results holds every row's result, the only
// complete record of the batch. The rows whose answers the journal
// misses are checked at DigiCert by the next run.
type JournalWriteError struct {
	Err              error
	Journal, Results string
}

// Error says what failed, that nothing more was sent, and where the
// results are.
func (e *JournalWriteError) Error() string { return e.Localize(l10n.Printer{}) }

// Localize is Error in p's language.
func (e *JournalWriteError) Localize(p l10n.Printer) string {
	cause := e.Err
	if je, ok := errors.AsType[*JournalError](cause); ok {
		cause = je.Err // the journal's own error names it already
	}
	return p.Sprintf("the journal %s could not be written (%v): the run stopped, nothing more was sent; every row's result is in %s (the next run checks DigiCert for the answers the journal misses)",
		e.Journal, cause, e.Results)
}

// Unwrap returns the underlying error.
func (e *JournalWriteError) Unwrap() error { return e.Err }

// reconcileRow resolves an earlier unanswered request for the row's
// identity. done reports whether the row's result is decided; when it is
// not, no order exists and the row may be ordered.
func (s *submitter) reconcileRow(ph phases, prev *journal.Entry, rec order.Result) (bool, order.Result) {
	res, err := reconcileLocked(ph.req, s.o.Lang, s.finder, s.o.Journal, prev, s.o.Settle, s.names())
	var jerr *JournalError
	switch {
	case errors.As(err, &jerr):
		s.stop(err)
		if res.State != journal.StateOrdered {
			return true, s.notSent(ph, rec)
		}
	case err != nil:
		rec.Outcome = order.Uncertain
		rec.Error = s.o.Lang.Sprintf("an earlier request (batch %s) got no answer and DigiCert could not be checked: %v", prev.Batch, err)
		return true, rec
	}
	switch res.State {
	case journal.StateFailed: // no order exists: order it now
		return false, rec
	case journal.StateOrdered:
		rec.Outcome, rec.Answer = order.Ordered, res.Answer
		rec.Note = s.o.Lang.Sprintf("recovered: the order from an interrupted run (batch %s) was found at DigiCert", prev.Batch)
	default:
		rec.Outcome, rec.Error = order.Uncertain, s.o.Lang.Sprintf("%s; decide by hand (cancel the extra ones in CertCentral), then run `certbatch reconcile`", res.Error)
	}
	return true, rec
}

// Reconcile resolves a journal entry whose request got no answer: it
// looks for the order at DigiCert with f ([OrderFinder.Find]) and
// records what it found. Exactly one order naming the person's email, or
// (where order info names no email) exactly one listed under the
// person's name that no other person counted in names shares: the entry
// becomes that order (recovered). Several, or orders that cannot be
// told apart, or a request too recent to be sure: the entry stays
// uncertain, listing the order IDs for a person to decide. Nothing
// found: before the entry is closed as failed (the person may then be
// ordered again), the whole account is asked whether the person has an
// active order anywhere ([AccountOrders.Decide]), so a clock that puts
// the request hours away from its order, or an order another admin
// placed, never leads to a second order (issue 20). An error from the
// API leaves the entry as it was, and a *JournalError means the result
// could not be recorded.
//
// It holds the person's lock ([journal.Journal.LockPerson]) while it
// looks, so that on a shared journal it never closes a request another
// host is still waiting for, and reads the entry again under it: an
// entry answered meanwhile is returned as it now is. The request's age
// is measured by the journal's clock (the database server's on a shared
// journal), the clock that recorded it.
func Reconcile(ctx context.Context, p l10n.Printer, f *OrderFinder, j *journal.Journal, e *journal.Entry, settle time.Duration, names Names) (journal.Result, error) {
	unlock, err := j.LockPerson(ctx, journal.Person{ProductKey: e.ProductKey, Email: e.Email, Key: e.PersonKey})
	if err != nil {
		return journal.Result{}, &JournalError{Err: err}
	}
	defer unlock()
	cur, err := j.Entry(e.ID)
	if err != nil {
		return journal.Result{}, &JournalError{Err: err}
	}
	if cur.State != journal.StateIntent && cur.State != journal.StateUncertain {
		return cur.Result, nil
	}
	return reconcileLocked(ctx, p, f, j, cur, settle, names)
}

// reconcileLocked is Reconcile for a caller that holds the person's lock
// and has just read e.
func reconcileLocked(ctx context.Context, p l10n.Printer, f *OrderFinder, j *journal.Journal, e *journal.Entry, settle time.Duration, names Names) (journal.Result, error) {
	now, err := j.Now(ctx)
	if err != nil {
		return journal.Result{}, &JournalError{Err: err}
	}
	found, err := f.Find(ctx, e)
	if err != nil {
		return journal.Result{}, err
	}
	// A renewal's person holds the order it renews: that order is never
	// the renewal's.
	renews, err := j.RenewalOf(e.ID)
	if err != nil {
		return journal.Result{}, &JournalError{Err: err}
	}
	found.Matches, found.ByName = without(found.Matches, renews), without(found.ByName, renews)
	person := entryPerson(e)
	adopt := func(o certcentral.Order) journal.Result {
		return journal.Result{State: journal.StateOrdered, Answer: o.Answer(), Recovered: true}
	}
	uncertain := func(text string) journal.Result {
		return journal.Result{State: journal.StateUncertain, Answer: order.Answer{Error: text}}
	}
	var res journal.Result
	switch m := found.Matches; {
	case len(m) == 1:
		res = adopt(m[0])
	case len(m) > 1:
		res = uncertain(p.Sprintf("several orders at DigiCert match an earlier unanswered request: %s", orderIDs(m)))
	case len(found.ByName) == 1 && !names.Shared(person):
		res = adopt(found.ByName[0])
	case len(found.ByName) == 1:
		res = uncertain(p.Sprintf("orders %s may be the earlier unanswered request's: it is listed under this person's name, which another person of the batch has too, and names no email, so DigiCert does not say whose it is",
			orderIDs(found.ByName)))
	case len(found.ByName) > 0:
		res = uncertain(p.Sprintf("orders %s may be the earlier unanswered request's: each is listed under this person's name and names no email, so DigiCert does not say whose it is",
			orderIDs(found.ByName)))
	case len(found.Unchecked) > 0:
		res = uncertain(p.Sprintf(
			"orders %s of this product were placed since the unanswered request and DigiCert does not say whose they are; check them in CertCentral",
			idList(found.Unchecked)))
	default:
		a, err := f.Account(ctx)
		if err != nil {
			return journal.Result{}, err
		}
		v, err := a.Decide(ctx, person, names.Shared(person))
		if renews != 0 && v.Order != nil && v.Order.ID == renews {
			v.Order = nil
		}
		v.Held = slices.DeleteFunc(v.Held, func(id int64) bool { return id == renews })
		switch {
		case err != nil:
			return journal.Result{}, err
		case v.Order != nil:
			res = adopt(*v.Order)
		case len(v.Held) > 0:
			res = uncertain(p.Sprintf("no order of the unanswered request was found, but %s at DigiCert may be this person's (%s)",
				ordersText(p, v.Held), l10n.Term(v.Why)))
		case now.Sub(e.IntentAt) < settle:
			res = uncertain(p.Sprintf("no order found, but the unanswered request is under %s old and DigiCert may still create it; run again after %s",
				settle, e.IntentAt.Add(settle).Local().Format("15:04:05")))
		default:
			res = journal.Result{State: journal.StateFailed, Answer: order.Answer{Error: p.Sprintf("reconciled: no order exists at DigiCert")}}
		}
	}
	if res.State == journal.StateUncertain && e.State == journal.StateUncertain && e.Error == res.Error {
		return res, nil // nothing new to record
	}
	if err := j.Complete(e.ID, res); err != nil {
		return res, &JournalError{Err: err}
	}
	return res, nil
}

func orderIDs(m []certcentral.Order) string {
	ids := make([]int64, len(m))
	for i, o := range m {
		ids[i] = o.ID
	}
	return idList(ids)
}

func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

// names are the people of the run's plan that share names (none for a
// run without one).
func (s *submitter) names() Names {
	if s.plan == nil {
		return Names{}
	}
	return s.plan.names
}

// without returns os without the order id (0: os as it is).
func without(os []certcentral.Order, id int64) []certcentral.Order {
	if id == 0 {
		return os
	}
	return slices.DeleteFunc(os, func(o certcentral.Order) bool { return o.ID == id })
}
