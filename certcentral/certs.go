package certcentral

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Download formats (certcentral-api.md §5.6): the certificate, its
// intermediates and the root in PEM (leaf first); the same without the
// root; the leaf alone; a PKCS #7 bundle.
const (
	FormatPEMAll            = "pem_all"
	FormatPEMNoRoot         = "pem_noroot"
	FormatPEMNoIntermediate = "pem_nointermediate"
	FormatP7B               = "p7b"
)

// ChainCert is one certificate of a POST answer's certificate_chain.
type ChainCert struct {
	SubjectCommonName string `json:"subject_common_name"`
	PEM               string `json:"pem"`
}

// ChainPEM returns the certificate_chain of the answer as one PEM text,
// leaf first, as the pem_all download has it; "" when the answer has no
// chain (the order was not issued at once).
func (r *OrderResponse) ChainPEM() string {
	var b strings.Builder
	for _, c := range r.CertificateChain {
		p := strings.TrimSpace(c.PEM)
		if p == "" {
			continue
		}
		b.WriteString(p)
		b.WriteString("\n")
	}
	return b.String()
}

// Download fetches GET /certificate/{certificate_id}/download/format/{format}:
// the certificate as format says (see the Format constants). A
// certificate that does not exist or is not issued yet is an *APIError
// with StatusCode 404. GETs are retried like every read.
func (c *Client) Download(ctx context.Context, certificateID int64, format string, opts ...CallOption) ([]byte, error) {
	op := fmt.Sprintf("download certificate %d as %s", certificateID, format)
	return c.download(ctx, op, "/certificate/"+strconv.FormatInt(certificateID, 10)+"/download/format/", format, opts)
}

// DownloadByOrder fetches GET /certificate/download/order/{order_id}/format/{format}:
// the order's active certificate.
func (c *Client) DownloadByOrder(ctx context.Context, orderID int64, format string, opts ...CallOption) ([]byte, error) {
	op := fmt.Sprintf("download the certificate of order %d as %s", orderID, format)
	return c.download(ctx, op, "/certificate/download/order/"+strconv.FormatInt(orderID, 10)+"/format/", format, opts)
}

func (c *Client) download(ctx context.Context, op, prefix, format string, opts []CallOption) ([]byte, error) {
	if format == "" || strings.ContainsAny(format, "/?#%") {
		return nil, fmt.Errorf("%s: not sent: invalid format %q", op, format)
	}
	var out []byte
	err := c.getWith(ctx, op, prefix+format, nil, opts, func(b []byte) error {
		if len(strings.TrimSpace(string(b))) == 0 {
			return errors.New("empty answer")
		}
		out = b
		return nil
	})
	return out, err
}

// CancelableStatuses are the order statuses a cancel is allowed from
// (certcentral-today.md §5).
var CancelableStatuses = []string{"needs_approval", "pending", "waiting_pickup"}

// Cancelable reports whether an order in status can be canceled.
func Cancelable(status string) bool { return slices.Contains(CancelableStatuses, status) }

// ErrNotCancelable means the order's status does not allow a cancel
// (it is issued, rejected, revoked, ...); it is wrapped with the status.
var ErrNotCancelable = errors.New("the order cannot be canceled")

// maxCancelPuts bounds how many times CancelOrder sends the PUT when
// answers go missing.
const maxCancelPuts = 3

// CancelOrder sends PUT /order/certificate/{id}/status with
// {"status":"canceled","note":note}; nil means the order is canceled now.
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
	op := fmt.Sprintf("cancel order %d", orderID)
	if orderID <= 0 {
		return fmt.Errorf("%s: not sent: invalid order ID", op)
	}
	body, err := json.Marshal(map[string]string{"status": "canceled", "note": note})
	if err != nil {
		return fmt.Errorf("%s: not sent: %w", op, err)
	}
	path := "/order/certificate/" + strconv.FormatInt(orderID, 10) + "/status"
	wctx, done := waitContext(ctx, opts)
	defer done()
	var last429 *APIError
	n429, nNet, nPut := 0, 0, 0
	for {
		release, err := c.waitLimiter(wctx, op, last429)
		if err != nil {
			return err
		}
		a := c.do(ctx, http.MethodPut, path, nil, body)
		release()
		var unclear error // the PUT may or may not have been applied
		switch {
		case a.err != nil && !a.sent:
			nNet++
			if err := c.retryUnsent(ctx, wctx, op, nNet, a.err); err != nil {
				return err
			}
			continue
		case a.err != nil:
			unclear = a.err
		case a.status == http.StatusTooManyRequests:
			n429++
			last429 = decodeError(a, c.key())
			if err := c.rateLimited(op, n429, last429); err != nil {
				return err
			}
			continue
		case a.status >= 200 && a.status < 300:
			return nil
		case a.status == http.StatusUnauthorized, a.status == http.StatusForbidden, a.status == http.StatusNotFound:
			return fmt.Errorf("%s: %w", op, decodeError(a, c.key()))
		case a.status >= 400 && a.status < 500:
			// Refused: find out whether it is because it is canceled already.
			apiErr := decodeError(a, c.key())
			o, gerr := c.GetOrder(ctx, orderID, opts...)
			switch {
			case gerr != nil:
				return fmt.Errorf("%s: %w (reading the order to check: %v)", op, apiErr, gerr)
			case o.Status == "canceled":
				return nil
			case !Cancelable(o.Status):
				return fmt.Errorf("%s: %w: it is %s (%w)", op, ErrNotCancelable, o.Status, apiErr)
			}
			return fmt.Errorf("%s: %w", op, apiErr)
		default: // 5xx, 1xx, 3xx
			unclear = decodeError(a, c.key())
		}
		nPut++
		o, gerr := c.GetOrder(ctx, orderID, opts...)
		switch {
		case gerr != nil:
			return fmt.Errorf("%s: outcome unknown (%w); reading the order to check failed: %w", op, unclear, gerr)
		case o.Status == "canceled":
			return nil
		case !Cancelable(o.Status):
			return fmt.Errorf("%s: %w: it is %s", op, ErrNotCancelable, o.Status)
		case nPut >= maxCancelPuts || ctx.Err() != nil:
			return fmt.Errorf("%s: not canceled after %d attempts (%w): the order is still %s", op, nPut, unclear, o.Status)
		}
		if err := sleep(wctx, backoffNet(nPut)); err != nil {
			return fmt.Errorf("%s: not canceled (%w): the order is still %s (stopped waiting to retry: %w)", op, unclear, o.Status, err)
		}
	}
}
