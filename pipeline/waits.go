package pipeline

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/templates"
)

// WaitKind is what an order that is not final waits for.
type WaitKind string

// What orders wait for, and who can act.
const (
	// WaitApprover: needs_approval; an administrator (or manager) must
	// approve its request: `certbatch approve`
	// (https://docs.digicert.com/manage-certificates/managing-certificate-request-approvals/).
	WaitApprover WaitKind = "approver"
	// WaitMailbox: pending; the person must validate their mailbox from
	// the email DigiCert sent ("Email validation must finish before a
	// public S/MIME certificate is issued";
	// https://dev.digicert.com/certcentral-apis/services-api/orders/email-validation-status.html).
	WaitMailbox WaitKind = "mailbox"
	// WaitDigiCert: pending with nothing left for the account to do:
	// DigiCert validates the organization (document signing; a client
	// certificate whose mailboxes are validated).
	WaitDigiCert WaitKind = "digicert"
	// WaitPickup: waiting_pickup; the person generates the key and
	// certificate in the browser from DigiCert's email.
	WaitPickup WaitKind = "pickup"
)

// Wait is what one order waits for.
type Wait struct {
	OrderID int64
	Kind    WaitKind
	// Mailboxes are the emails not validated yet (WaitMailbox) and
	// EmailedOn when DigiCert sent the validation email (YYYY-MM-DD, ""
	// when not said).
	Mailboxes []string
	EmailedOn string
	// Error is why the email validation could not be read ("" when it
	// was, or when it was not needed).
	Error string
	// Organization: DigiCert validates the organization (an order not of
	// a client certificate, e.g. document signing).
	Organization bool
}

// Text says what the order waits for, for people to read.
func (w Wait) Text(p l10n.Printer) string {
	switch w.Kind {
	case WaitApprover:
		return p.Sprintf("waits for an approver (an administrator or manager approves its request)")
	case WaitMailbox:
		if w.EmailedOn != "" {
			return p.Sprintf("waits for %s to validate the mailbox (DigiCert emailed it on %s)", joinShort(p, w.Mailboxes), w.EmailedOn)
		}
		return p.Sprintf("waits for %s to validate the mailbox", joinShort(p, w.Mailboxes))
	case WaitPickup:
		return p.Sprintf("waits for the person to pick up the certificate in the browser (DigiCert's email)")
	}
	switch {
	case w.Error != "":
		return p.Sprintf("waits for DigiCert (the email validation could not be read: %s)", w.Error)
	case w.Organization:
		return p.Sprintf("waits for DigiCert's organization validation")
	}
	return p.Sprintf("waits for DigiCert's validation (the mailboxes are validated)")
}

func joinShort(p l10n.Printer, s []string) string {
	switch len(s) {
	case 0:
		return p.Sprintf("the person")
	case 1:
		return s[0]
	}
	return p.Sprintf("%s (and %d more)", s[0], len(s)-1)
}

// WaitsFor says what every order of recs that is not final waits for,
// and returns the number of requests it sent: one email-validation read
// (GET /order/certificate/{id}/email-validation) per pending client
// certificate order; the rest follows from the status alone.
func WaitsFor(ctx context.Context, c *certcentral.Client, set *templates.Set, recs []order.Result, concurrency int) (map[int64]Wait, int, error) {
	out := map[int64]Wait{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	requests := 0
	for i := range recs {
		r := &recs[i]
		if !waiting(r) {
			continue
		}
		w := Wait{OrderID: r.OrderID, Kind: WaitDigiCert}
		switch r.OrderStatus {
		case "needs_approval":
			w.Kind = WaitApprover
		case "waiting_pickup":
			w.Kind = WaitPickup
		case "pending":
			t, ok := set.ForProduct(r.Product)
			w.Organization = !ok || t.Family != "client_certificate"
			if ok && t.Family == "client_certificate" {
				requests++
				g.Go(func() error {
					v, err := c.GetEmailValidation(gctx, r.OrderID)
					switch {
					case err != nil && fatal(err):
						return l10n.Errorf("email validation of order %d: %w", r.OrderID, err)
					case err != nil:
						w.Error = err.Error()
					default:
						for _, e := range v.Unvalidated() {
							w.Kind = WaitMailbox
							w.Mailboxes = append(w.Mailboxes, e.Email)
							if e.DateEmailed > w.EmailedOn {
								w.EmailedOn = e.DateEmailed
							}
						}
					}
					mu.Lock()
					out[r.OrderID] = w
					mu.Unlock()
					return nil
				})
				continue
			}
		}
		mu.Lock()
		out[r.OrderID] = w
		mu.Unlock()
	}
	err := g.Wait()
	return out, requests, err
}
