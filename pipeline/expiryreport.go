package pipeline

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/templates"
)

// ExpiringCert is one certificate of the expiry report, by person.
type ExpiringCert struct {
	Email, Key    string // the person: journal, else order info ("" when nothing names them)
	CommonName    string
	Product       string
	OrderID       int64
	CertificateID int64
	ValidTill     time.Time
	DaysLeft      int
	Renewed       bool // the order is renewed (is_renewed, or the journal's renewal)
}

// ExpiringHeader is the expiry report's columns (ExpiringRows).
var ExpiringHeader = []string{"Email", "Key", "Common Name", "Product", "Order ID", "Certificate ID", "Valid Till", "Days Left", "Renewed"}

// ExpiringReport lists the issued certificates that expire from today to
// today+within, by person: FindExpiring (the list's documented
// filters[valid_till], checked against the expiring report), named by the
// journal, then by the account's cached order info, then by order info
// (GET /order/certificate/{id}, cached in the journal; it names the
// person of S/MIME orders only). It returns the certificates, soonest
// first, and the requests it sent.
func ExpiringReport(ctx context.Context, c *certcentral.Client, j *journal.Journal, set *templates.Set, now time.Time, within time.Duration, concurrency int) ([]ExpiringCert, int, error) {
	s, err := FindExpiring(ctx, c, now, now, now.Add(within))
	if err != nil {
		return nil, 0, err
	}
	requests := s.Requests
	out := make([]ExpiringCert, len(s.Orders))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	for i, o := range s.Orders {
		till, _ := o.Certificate.ValidTillDate()
		e := ExpiringCert{CommonName: o.Certificate.CommonName, Product: o.NameID(), OrderID: o.ID, CertificateID: o.Certificate.ID,
			ValidTill: till, DaysLeft: int(till.Sub(day(now)).Hours() / 24), Renewed: o.IsRenewed}
		if r, err := j.Renewal(o.ID); err != nil {
			return nil, requests, &JournalError{Err: err}
		} else if r != nil && r.State == journal.StateOrdered {
			e.Renewed = true
		}
		owner, err := j.OrderOwner(o.ID)
		if err != nil {
			return nil, requests, &JournalError{Err: err}
		}
		if owner != nil {
			e.Email, e.Key = owner.Email, owner.PersonKey
			out[i] = e
			continue
		}
		if a, err := j.AccountOrder(o.ID); err != nil {
			return nil, requests, &JournalError{Err: err}
		} else if a != nil {
			if len(a.Emails) > 0 {
				e.Email = a.Emails[0]
			}
			out[i] = e
			continue
		}
		requests++
		g.Go(func() error {
			info, err := c.GetOrder(gctx, o.ID)
			if err != nil {
				return l10n.Errorf("read order %d: %w", o.ID, err)
			}
			var emails []string
			for _, x := range info.Emails() {
				emails = append(emails, order.NormalizeEmail(x))
			}
			if len(emails) > 0 {
				e.Email = emails[0]
			}
			if err := j.PutAccountOrder(journal.AccountOrder{OrderID: o.ID, ProductKey: set.Canonical(info.NameID()), Emails: emails}); err != nil {
				return &JournalError{Err: err}
			}
			mu.Lock()
			out[i] = e
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, requests, err
	}
	slices.SortStableFunc(out, func(a, b ExpiringCert) int {
		return cmp.Or(a.ValidTill.Compare(b.ValidTill), cmp.Compare(a.Email, b.Email), cmp.Compare(a.OrderID, b.OrderID))
	})
	return out, requests, nil
}

// ExpiringRows turns the report into table rows (ExpiringHeader).
func ExpiringRows(cs []ExpiringCert) [][]any {
	rows := make([][]any, len(cs))
	for i, c := range cs {
		rows[i] = []any{c.Email, c.Key, c.CommonName, c.Product, c.OrderID, c.CertificateID, c.ValidTill.Format(time.DateOnly), c.DaysLeft, c.Renewed}
	}
	return rows
}
