package certcentral

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Revocation (https://dev.digicert.com/certcentral-apis/services-api/orders/revoke-order-certificates.html,
// https://dev.digicert.com/certcentral-apis/services-api/certificates/revoke-certificate.html).

// RevocationReasons are the values revocation_reason allows (revoke
// order certificates page, "Allowed values"). The page says the reason is
// "only used in requests to revoke TLS/SSL certificates. Ignored in
// revocation requests for other certificate types": for the client and
// document signing certificates certbatch orders, the reason is sent and
// also written into the comment, which DigiCert keeps on the request.
var RevocationReasons = []string{"unspecified", "keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation"}

// ValidRevocationReason reports whether r is one of RevocationReasons.
func ValidRevocationReason(r string) bool { return slices.Contains(RevocationReasons, r) }

// Revocation is the outcome of a revoke call.
type Revocation struct {
	// Revoked: the order is revoked now (skip_approval, or it already
	// was). Otherwise RequestID is the pending "revoke" request an
	// administrator approves (certbatch approve, or the CertCentral UI).
	Revoked   bool
	RequestID int64
}

// RevokeOptions are the body of a revoke call.
type RevokeOptions struct {
	Reason  string // one of RevocationReasons; "" sends none (DigiCert's default, unspecified)
	Comment string // kept on the revocation request, for the approver
	// SkipApproval revokes at once instead of creating a request; "the
	// API key must have admin privileges".
	SkipApproval bool
}

// ErrNotRevocable means DigiCert refused the revocation and the order is
// not revoked and has no pending revocation request (it is not issued,
// for one); it is wrapped with the order's status.
var ErrNotRevocable = l10n.Errorf("the order cannot be revoked")

// RevokeOrder sends PUT /order/certificate/{order_id}/revoke, which
// revokes every certificate of the order, duplicates and reissues
// included. It answers 204 with skip_approval (revoked) or 201 with a
// pending request of type "revoke".
//
// Revoking is never blind: an answer that does not say what happened,
// and a refusal (4xx), are resolved by reading the order and the pending
// revoke requests. A revoked order means done; a pending revoke request
// of the order means requested; otherwise a lost answer is sent again
// (at most 3 times in all) and a refusal is ErrNotRevocable with the
// order's status. So revoking twice is harmless.
func (c *Client) RevokeOrder(ctx context.Context, orderID int64, o RevokeOptions, opts ...CallOption) (*Revocation, error) {
	op := l10n.Msgf("revoke order %d", orderID)
	if orderID <= 0 {
		return nil, l10n.Errorf("%s: not sent: invalid order ID", op)
	}
	if o.Reason != "" && !ValidRevocationReason(o.Reason) {
		return nil, l10n.Errorf("%s: not sent: revocation reason %q is not one of %v", op, o.Reason, RevocationReasons)
	}
	m := map[string]any{}
	if o.Reason != "" {
		m["revocation_reason"] = o.Reason
	}
	if o.Comment != "" {
		m["comments"] = o.Comment
	}
	if o.SkipApproval {
		m["skip_approval"] = true
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, l10n.Errorf("%s: not sent: %w", op, err)
	}
	path := "/order/certificate/" + strconv.FormatInt(orderID, 10) + "/revoke"
	for puts := 1; ; puts++ {
		a, unclear, err := c.send(ctx, op, http.MethodPut, path, body, opts)
		switch {
		case err != nil:
			return nil, err
		case unclear == nil && a.status == http.StatusNoContent:
			return &Revocation{Revoked: true}, nil
		case unclear == nil && a.status >= 200 && a.status < 300:
			var r Request
			if json.Unmarshal(a.body, &r) == nil && r.ID != 0 {
				return &Revocation{RequestID: r.ID, Revoked: r.Status == RequestApproved}, nil
			}
			unclear = l10n.Errorf("unreadable answer (status %d)", a.status)
		case unclear == nil && (a.status == http.StatusUnauthorized || a.status == http.StatusForbidden || a.status == http.StatusNotFound):
			return nil, l10n.Errorf("%s: %w", op, decodeError(a, c.key()))
		case unclear == nil:
			unclear = decodeError(a, c.key())
		}
		refused := a != nil && a.err == nil && a.status >= 400 && a.status < 500
		got, status, cerr := c.revocationOf(ctx, orderID, opts)
		switch {
		case cerr != nil:
			return nil, l10n.Errorf("%s: outcome unknown (%w); reading the order to check failed: %w", op, unclear, cerr)
		case got != nil:
			return got, nil
		case refused:
			return nil, l10n.Errorf("%s: %w: it is %s (%w)", op, ErrNotRevocable, status, unclear)
		case status != "issued":
			return nil, l10n.Errorf("%s: %w: it is %s", op, ErrNotRevocable, status)
		case puts >= maxCancelPuts || ctx.Err() != nil:
			return nil, l10n.Errorf("%s: not revoked after %d attempts (%w): the order is still %s", op, puts, unclear, status)
		}
		wctx, done := waitContext(ctx, opts)
		err = sleep(wctx, backoffNet(puts))
		done()
		if err != nil {
			return nil, l10n.Errorf("%s: not revoked (%w) (stopped waiting to retry: %w)", op, unclear, err)
		}
	}
}

// revocationOf reads whether an order is revoked or has a pending
// revoke request: a non-nil Revocation when so, else the order status.
func (c *Client) revocationOf(ctx context.Context, orderID int64, opts []CallOption) (*Revocation, string, error) {
	ord, err := c.GetOrder(ctx, orderID, opts...)
	if err != nil {
		return nil, "", err
	}
	if ord.Status == "revoked" {
		return &Revocation{Revoked: true}, ord.Status, nil
	}
	reqs, _, err := c.AllRequests(ctx, RequestPending, RequestTypeRevoke, opts...)
	if err != nil {
		return nil, "", err
	}
	for _, r := range reqs {
		if r.Order.ID == orderID {
			return &Revocation{RequestID: r.ID}, ord.Status, nil
		}
	}
	return nil, ord.Status, nil
}

// ExpiringCount is one window of the expiring orders report.
type ExpiringCount struct {
	// DaysExpiring is 90 (60 to 90 days from today, both included), 60
	// (30 included to 60 excluded), 30 (today excluded to 30 excluded)
	// or -7 (expired in the last 7 days).
	DaysExpiring int `json:"days_expiring"`
	OrderCount   int `json:"order_count"`
}

// ExpiringReport fetches GET /report/order/expiring: how many orders of
// the account expire in each window
// (https://dev.digicert.com/en/certcentral-apis/services-api/reports/expiring-orders-and-certificates.html).
func (c *Client) ExpiringReport(ctx context.Context, opts ...CallOption) ([]ExpiringCount, error) {
	var r struct {
		ExpiringOrders []ExpiringCount `json:"expiring_orders"`
	}
	if err := c.get(ctx, l10n.Msgf("get the expiring orders report"), "/report/order/expiring", nil, &r, opts); err != nil {
		return nil, err
	}
	return r.ExpiringOrders, nil
}
