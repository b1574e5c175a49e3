package pipeline

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// Target is one order a command that changes orders (cancel, approve,
// revoke) acts on, and the person it is meant to belong to.
type Target struct {
	Row int // the row of the results file or batch; 0 when none
	// Who names the person for people to read; Email and Key are who the
	// order must belong to (normalized; "" when the source does not say).
	Who, Email, Key string
	OrderID         int64
	CertificateID   int64
	Product         string
	// Order is the order as order info reads it now (ReadHolders).
	Order *certcentral.Order
	// Refused says why the command will not touch this order: it belongs
	// to someone else, or (when a match is required) nobody can tell
	// whose it is. "" when the holder checks out.
	Refused string
	// Error is why the order could not be read.
	Error string
}

// HolderPolicy says how sure a command must be of an order's holder.
type HolderPolicy int

const (
	// RefuseMismatch refuses an order when the journal or order info
	// names another person; an order nothing names is acted on (cancel,
	// approve: nothing irreversible happens to a person's certificate).
	RefuseMismatch HolderPolicy = iota
	// RequireMatch also refuses an order whose holder neither the journal
	// nor order info confirms (revoke: irreversible).
	RequireMatch
)

// ReadHolders reads every target's order (GET /order/certificate/{id},
// the one source of its status, certcentral-today.md §2) and checks that
// it belongs to the target's person, against the two sources that can
// say so: the journal (the attempt that placed the order: its email and
// key) and order info (certificate.emails, which order info carries "only
// for S/MIME certificate orders",
// https://dev.digicert.com/zh-tw/services-api/orders/order-info/; a
// document-signing subject's email when present). A hand-edited results
// row whose order ID is someone else's is refused, whatever the command.
// Errors that concern the run (a refused key, an unreachable endpoint)
// are returned; an order that cannot be read is the target's Error.
func ReadHolders(ctx context.Context, p l10n.Printer, c *certcentral.Client, j *journal.Journal, concurrency int, policy HolderPolicy, ts []Target) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	for i := range ts {
		t := &ts[i]
		g.Go(func() error {
			ord, err := c.GetOrder(gctx, t.OrderID)
			if err != nil {
				if fatal(err) {
					return l10n.Errorf("read order %d: %w", t.OrderID, err)
				}
				t.Error = err.Error()
				return nil
			}
			t.Order = ord
			if ord.Certificate.ID != 0 {
				t.CertificateID = ord.Certificate.ID
			}
			if t.Product == "" {
				t.Product = ord.NameID()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i := range ts {
		t := &ts[i]
		if t.Order == nil {
			continue
		}
		var owner *journal.Entry
		if j != nil {
			var err error
			if owner, err = j.OrderOwner(t.OrderID); err != nil {
				return &JournalError{Err: err}
			}
		}
		t.Refused = holderProblem(p, t, owner, policy)
	}
	return nil
}

// holderProblem says why t's order does not belong to t's person, or "".
func holderProblem(p l10n.Printer, t *Target, owner *journal.Entry, policy HolderPolicy) string {
	email, key := order.NormalizeEmail(t.Email), t.Key
	confirmed := false
	if owner != nil {
		switch {
		case email != "" && owner.Email != "" && owner.Email != email:
			return p.Sprintf("order %d is %s's in the journal (batch %s, row %d), not %s's", t.OrderID, owner.Email, owner.Batch, owner.Row, email)
		case key != "" && owner.PersonKey != "" && owner.PersonKey != order.NormalizeKey(key):
			return p.Sprintf("order %d has key %q in the journal, not %q", t.OrderID, owner.PersonKey, key)
		}
		if email == "" {
			email = owner.Email // the journal says who it is
		}
		confirmed = email != "" && owner.Email == email || key != "" && owner.PersonKey == order.NormalizeKey(key)
	}
	if emails := t.Order.Emails(); len(emails) > 0 && email != "" {
		if !slices.ContainsFunc(emails, func(e string) bool { return order.NormalizeEmail(e) == email }) {
			return p.Sprintf("DigiCert's order info names %s on order %d, not %s", strings.Join(emails, ", "), t.OrderID, email)
		}
		confirmed = true
	}
	if policy == RequireMatch && !confirmed {
		return p.Sprintf("neither the journal nor DigiCert's order info says order %d is %s's (order info names a person only for S/MIME orders); not touched", t.OrderID, cmp.Or(email, key, "this person"))
	}
	return ""
}
