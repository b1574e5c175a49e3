package certcentral

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/certbatch/certbatch/internal/l10n"
)

// CancelableStatuses are the order statuses a cancel is allowed from:
// "To cancel a pending order, the order status must be pending or
// waiting_pickup"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html).
// An order in needs_approval is not among them: its request is rejected
// instead ([Rejectable], [Client.RejectRequest]).
var CancelableStatuses = []string{"pending", "waiting_pickup"}

// Cancelable reports whether an order in status can be canceled.
func Cancelable(status string) bool { return slices.Contains(CancelableStatuses, status) }

// Rejectable reports whether an order in status is stopped by rejecting
// its request: needs_approval, an order whose request awaits approval
// (PUT /request/{id}/status with "rejected",
// https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/).
func Rejectable(status string) bool { return status == "needs_approval" }

// ErrNotCancelable means the order's status does not allow a cancel
// (it is issued, rejected, revoked, ...), or its request can no longer
// be rejected (it was approved); it is wrapped with the status.
var ErrNotCancelable = l10n.Errorf("the order cannot be canceled")

// maxStatusPuts bounds how many times a status change is sent when
// answers go missing.
const maxStatusPuts = 3

// maxCancelPuts is maxStatusPuts for the request and revoke PUTs.
const maxCancelPuts = maxStatusPuts

// CancelOrder sends PUT /order/certificate/{id}/status with
// {"status":"canceled","note":note} (the note is required for a cancel);
// nil means the order is canceled now.
//
// A PUT is not idempotent in general, so an answer that does not say
// what happened (5xx, a dropped connection or timeout after sending, an
// unexpected status) is resolved by reading the order: canceled means
// done, a status that still allows a cancel means the PUT is sent again
// (at most 3 times in all), anything else is ErrNotCancelable. A 400
// (CertCentral refuses a cancel from a status that does not allow it) is
// also checked by reading the order, so cancelling an order twice is
// harmless. 429 and failures before sending are retried as for every
// call.
//
// Errors: ErrNotCancelable wrapped with the order's status (and the
// API's answer); an *APIError (404: no such order; errors.Is(err,
// ErrAuth) for 401/403); ErrRateLimited; errors starting "cancel order
// N: not sent"; other errors when the outcome could not be found out
// (cancelling again is safe).
func (c *Client) CancelOrder(ctx context.Context, orderID int64, note string, opts ...CallOption) error {
	op := l10n.Msgf("cancel order %d", orderID)
	if orderID <= 0 {
		return l10n.Errorf("%s: not sent: invalid order ID", op)
	}
	return c.changeStatus(ctx, statusChange{
		op: op, path: "/order/certificate/" + strconv.FormatInt(orderID, 10) + "/status",
		body: map[string]string{"status": "canceled", "note": note}, done: "canceled", allowed: Cancelable, what: "order",
		read: func(ctx context.Context) (string, error) {
			o, err := c.GetOrder(ctx, orderID, opts...)
			if err != nil {
				return "", err
			}
			return o.Status, nil
		},
	}, opts)
}

// RejectRequest sends PUT /request/{id}/status with
// {"status":"rejected","processor_comment":comment}: how an order whose
// request awaits approval (needs_approval) is stopped
// (https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/;
// 204 answers it). nil means the request is rejected now; the order is
// then rejected too.
//
// As with [Client.CancelOrder], an unclear answer or a refusal is
// resolved by reading the request (GET /request/{id}, whose status is
// submitted, pending, approved or rejected:
// https://dev.digicert.com/it/services-api/requests/request-info/):
// rejected means done (rejecting twice is harmless), pending or
// submitted means the PUT is sent again (at most 3 times), approved is
// ErrNotCancelable (approved meanwhile: the order may now be canceled).
func (c *Client) RejectRequest(ctx context.Context, requestID int64, comment string, opts ...CallOption) error {
	op := l10n.Msgf("reject request %d", requestID)
	if requestID <= 0 {
		return l10n.Errorf("%s: not sent: invalid request ID", op)
	}
	return c.changeStatus(ctx, statusChange{
		op: op, path: "/request/" + strconv.FormatInt(requestID, 10) + "/status",
		body: map[string]string{"status": "rejected", "processor_comment": comment}, done: "rejected", what: "request",
		allowed: func(st string) bool { return st == "pending" || st == "submitted" },
		read: func(ctx context.Context) (string, error) {
			var r struct {
				Status string `json:"status"`
			}
			err := c.get(ctx, l10n.Msgf("get request %d", requestID), "/request/"+strconv.FormatInt(requestID, 10), nil, &r, opts)
			return r.Status, err
		},
	}, opts)
}

// statusChange is a PUT that changes the status of an order or request.
type statusChange struct {
	op   l10n.Msg
	path string
	body map[string]string
	what string // "order" or "request", for messages
	done string // the status the change leads to
	// allowed reports whether the change may still be made from a
	// status; read reads the current status.
	allowed func(string) bool
	read    func(context.Context) (string, error)
}

// changeStatus sends a status change and resolves unclear answers and
// refusals by reading the status (see CancelOrder).
func (c *Client) changeStatus(ctx context.Context, ch statusChange, opts []CallOption) error {
	body, err := json.Marshal(ch.body)
	if err != nil {
		return l10n.Errorf("%s: not sent: %w", ch.op, err)
	}
	wctx, done := waitContext(ctx, opts)
	defer done()
	var last429 *APIError
	n429, nNet, nPut := 0, 0, 0
	for {
		release, err := c.waitLimiter(wctx, ch.op, last429)
		if err != nil {
			return err
		}
		a := c.do(ctx, http.MethodPut, ch.path, nil, body)
		release()
		var unclear error // the PUT may or may not have been applied
		switch {
		case a.err != nil && !a.sent:
			nNet++
			if err := c.retryUnsent(ctx, wctx, ch.op, nNet, a.err); err != nil {
				return err
			}
			continue
		case a.err != nil:
			unclear = a.err
		case a.status == http.StatusTooManyRequests:
			n429++
			last429 = decodeError(a, c.key())
			if err := c.rateLimited(ch.op, n429, last429); err != nil {
				return err
			}
			continue
		case a.status >= 200 && a.status < 300:
			return nil
		case a.status == http.StatusUnauthorized, a.status == http.StatusForbidden, a.status == http.StatusNotFound:
			return l10n.Errorf("%s: %w", ch.op, decodeError(a, c.key()))
		case a.status >= 400 && a.status < 500:
			// Refused: find out whether it is because it is done already.
			apiErr := decodeError(a, c.key())
			st, rerr := ch.read(ctx)
			switch {
			case rerr != nil:
				return l10n.Errorf("%s: %w (reading the %s to check: %v)", ch.op, apiErr, ch.what, rerr)
			case st == ch.done:
				return nil
			case !ch.allowed(st):
				return l10n.Errorf("%s: %w: it is %s (%w)", ch.op, ErrNotCancelable, st, apiErr)
			}
			return l10n.Errorf("%s: %w", ch.op, apiErr)
		default: // 5xx, 1xx, 3xx
			unclear = decodeError(a, c.key())
		}
		nPut++
		st, rerr := ch.read(ctx)
		switch {
		case rerr != nil:
			return l10n.Errorf("%s: outcome unknown (%w); reading the %s to check failed: %w", ch.op, unclear, ch.what, rerr)
		case st == ch.done:
			return nil
		case !ch.allowed(st):
			return l10n.Errorf("%s: %w: it is %s", ch.op, ErrNotCancelable, st)
		case nPut >= maxStatusPuts || ctx.Err() != nil:
			return l10n.Errorf("%s: not done after %d attempts (%w): the %s is still %s", ch.op, nPut, unclear, ch.what, st)
		}
		if err := sleep(wctx, backoffNet(nPut)); err != nil {
			return l10n.Errorf("%s: not done (%w): the %s is still %s (stopped waiting to retry: %w)", ch.op, unclear, ch.what, st, err)
		}
	}
}
