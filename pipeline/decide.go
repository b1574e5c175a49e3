package pipeline

import (
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
)

// decision is what the journal says to do with a valid row.
type decision int

const (
	orderIt       decision = iota // nobody has an order: order it
	skipIt                        // the person already has an order
	forceIt                       // the person has an order and --force orders again
	reconcile                     // an earlier request got no answer: check DigiCert first
	conflict                      // the key belongs to another order with other emails: a row problem
	conflictEmail                 // an email belongs to another order with another key: a row problem
)

// decide looks the row's person up in the journal: the same product and
// the same email or key (keys add protection, never remove it). The
// entry returned is the deciding attempt (or the conflicting order).
func (o *SubmitOptions) decide(r *mapping.Result) (decision, *journal.Entry, error) {
	return decidePerson(o.Journal, o.Force, r)
}

// decidePerson is decide for journal j: submit's, or the one a dry run
// reads to say who would be skipped.
func decidePerson(j *journal.Journal, force bool, r *mapping.Result) (decision, *journal.Entry, error) {
	m, err := j.FindPerson(journal.Person{ProductKey: r.ProductKey, Email: r.Email, Emails: r.Emails, Key: r.PersonKey})
	if err != nil {
		return orderIt, nil, &JournalError{Err: err}
	}
	switch {
	case m.Conflict != nil && !force:
		if m.ConflictByEmail {
			return conflictEmail, m.Conflict, nil
		}
		return conflict, m.Conflict, nil
	case m.Entry == nil:
		return orderIt, nil, nil
	case m.Entry.State == journal.StateOrdered && force:
		return forceIt, m.Entry, nil
	case m.Entry.State == journal.StateOrdered:
		return skipIt, m.Entry, nil
	}
	return reconcile, m.Entry, nil
}

// skipNote says why a row is skipped: its person's earlier order e (and
// whether the row changed since, by the hash of its payload).
func skipNote(p l10n.Printer, e *journal.Entry, payloadHash string) string {
	if e.PayloadHash != payloadHash {
		return p.Sprintf("already ordered in batch %s (row %d); --force orders again; the row has changed since that order", e.Batch, e.Row)
	}
	return p.Sprintf("already ordered in batch %s (row %d); --force orders again", e.Batch, e.Row)
}

// conflictText explains a conflict with the earlier order e; byEmail
// says it shares an email with the row (else the key).
func conflictText(p l10n.Printer, r *mapping.Result, e *journal.Entry, byEmail bool) string {
	if byEmail {
		return p.Sprintf("conflicts with order %s (batch %s, row %d): the same email has an order under key %q; if it is one person, correct the row; --force orders anyway",
			order.ID(e.OrderID), e.Batch, e.Row, e.PersonKey)
	}
	return p.Sprintf("conflicts with order %s (batch %s, row %d): the same key %q is on the order for %s; if it is one person, correct the row; --force orders anyway",
		order.ID(e.OrderID), e.Batch, e.Row, r.Key, e.Email)
}

// decideRenewal is decide for a renewal of order of: another renewal of
// that order decides (in the journal, whoever placed it), not the
// person's other orders, among which is the one renewed. A renewal
// placed stands; one whose answer never came is reconciled first.
func (o *SubmitOptions) decideRenewal(of int64) (decision, *journal.Entry, error) {
	e, err := o.Journal.Renewal(of)
	switch {
	case err != nil:
		return orderIt, nil, &JournalError{Err: err}
	case e == nil:
		return orderIt, nil, nil
	case e.State == journal.StateOrdered:
		return skipIt, e, nil
	}
	return reconcile, e, nil
}
