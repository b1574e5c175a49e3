package certcentral

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Requests: what an approver sees and decides. An order placed without
// skip_approval waits in needs_approval until its request is approved
// ("By default, certificate requests require approval before they are
// submitted to DigiCert for certificate issuance",
// https://docs.digicert.com/manage-certificates/managing-certificate-request-approvals/);
// a revocation without skip_approval is a request of type "revoke" too
// (https://dev.digicert.com/certcentral-apis/services-api/orders/revoke-order-certificates.html).

// Request types and statuses (request info,
// https://dev.digicert.com/it/services-api/requests/request-info/).
const (
	RequestTypeNew    = "new_request"
	RequestTypeRevoke = "revoke"

	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRejected = "rejected"
)

// Request is a request as GET /request and GET /request/{id} show it:
// the fields certbatch reads.
type Request struct {
	ID     int64  `json:"id"`
	Date   string `json:"date"`
	Type   string `json:"type"`
	Status string `json:"status"`
	// Order is the order the request is about: its ID, certificate
	// common name and product.
	Order struct {
		ID          int64 `json:"id"`
		Certificate struct {
			CommonName string `json:"common_name"`
		} `json:"certificate"`
		Product OrderProduct `json:"product"`
	} `json:"order"`
	Requester struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Email     string `json:"email"`
	} `json:"requester"`
	Comments         string `json:"comments"`
	ProcessorComment string `json:"processor_comment"`
}

// RequestPage is one page of the request list.
type RequestPage struct {
	Requests []Request
	Total    int
}

// ListRequests fetches one page of GET /request from offset, filtered by
// the documented filters[status] and filters[type] ("" for none)
// (https://dev.digicert.com/de/services-api/requests/list-requests/:
// filters[type], filters[status] "submitted, pending, approved, or
// rejected", offset and limit). An answer without "requests" is an empty
// page.
func (c *Client) ListRequests(ctx context.Context, status, typ string, offset int, opts ...CallOption) (*RequestPage, error) {
	q := url.Values{}
	if status != "" {
		q.Set("filters[status]", status)
	}
	if typ != "" {
		q.Set("filters[type]", typ)
	}
	q.Set("limit", strconv.Itoa(ListPageSize))
	q.Set("offset", strconv.Itoa(offset))
	var page struct {
		Requests []Request `json:"requests"`
		Page     struct {
			Total int `json:"total"`
		} `json:"page"`
	}
	if err := c.get(ctx, l10n.Msgf("list requests (offset %d)", offset), "/request", q, &page, opts); err != nil {
		return nil, err
	}
	return &RequestPage{Requests: page.Requests, Total: page.Page.Total}, nil
}

// maxRequestPages bounds a walk of the request list.
const maxRequestPages = 1000

// AllRequests walks every page of the request list with the filters of
// [Client.ListRequests] and returns the requests and the number of
// requests it sent.
func (c *Client) AllRequests(ctx context.Context, status, typ string, opts ...CallOption) ([]Request, int, error) {
	var out []Request
	seen := map[int64]bool{}
	sent := 0
	for offset := 0; sent < maxRequestPages; {
		p, err := c.ListRequests(ctx, status, typ, offset, opts...)
		sent++
		if err != nil {
			return nil, sent, err
		}
		for _, r := range p.Requests {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
		offset += len(p.Requests)
		if len(p.Requests) == 0 || offset >= p.Total {
			return out, sent, nil
		}
	}
	return nil, sent, l10n.Errorf("list requests: longer than %d pages", maxRequestPages)
}

// GetRequest fetches GET /request/{id}.
func (c *Client) GetRequest(ctx context.Context, id int64, opts ...CallOption) (*Request, error) {
	var r Request
	if err := c.get(ctx, l10n.Msgf("get request %d", id), "/request/"+strconv.FormatInt(id, 10), nil, &r, opts); err != nil {
		return nil, err
	}
	return &r, nil
}

// ErrRequestProcessed means a request is no longer pending and was
// processed the other way (approved when rejecting, or rejected when
// approving); it is wrapped with the request's status.
var ErrRequestProcessed = l10n.Errorf("the request was already processed")

// UpdateRequestStatus approves or rejects a pending request: PUT
// /request/{id}/status with {"status": status, "processor_comment":
// comment}, which answers 204
// (https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/:
// status "submitted, pending, approved, rejected", processor_comment
// optional). status is RequestApproved or RequestRejected.
//
// nil means the request has that status now, whoever set it: an answer
// that does not say what happened (5xx, a connection lost after sending)
// and a refusal (a request already processed answers 4xx) are resolved
// by reading the request (GET /request/{id}); a request still pending is
// sent again, at most 3 times in all. Errors: ErrRequestProcessed (it has
// the other status), an *APIError (404: no such request; ErrAuth for 401
// and 403, e.g. a key whose user may not approve), ErrRateLimited, "not
// sent" errors, or an error saying the outcome could not be found out
// (sending again is safe).
func (c *Client) UpdateRequestStatus(ctx context.Context, id int64, status, comment string, opts ...CallOption) error {
	op := l10n.Msgf("set request %d to %s", id, status)
	if id <= 0 || status != RequestApproved && status != RequestRejected {
		return l10n.Errorf("%s: not sent: invalid request or status", op)
	}
	body, err := json.Marshal(map[string]string{"status": status, "processor_comment": comment})
	if err != nil {
		return l10n.Errorf("%s: not sent: %w", op, err)
	}
	path := "/request/" + strconv.FormatInt(id, 10) + "/status"
	for puts := 1; ; puts++ {
		a, unclear, err := c.send(ctx, op, http.MethodPut, path, body, opts)
		switch {
		case err != nil:
			return err
		case unclear == nil && a.status >= 200 && a.status < 300:
			return nil
		case unclear == nil && (a.status == http.StatusUnauthorized || a.status == http.StatusForbidden || a.status == http.StatusNotFound):
			return l10n.Errorf("%s: %w", op, decodeError(a, c.key()))
		case unclear == nil && a.status >= 400 && a.status < 500:
			unclear = decodeError(a, c.key())
		case unclear == nil:
			unclear = decodeError(a, c.key()) // 5xx, 1xx, 3xx
		}
		r, gerr := c.GetRequest(ctx, id, opts...)
		switch {
		case gerr != nil:
			return l10n.Errorf("%s: outcome unknown (%w); reading the request to check failed: %w", op, unclear, gerr)
		case r.Status == status:
			return nil
		case r.Status != RequestPending && r.Status != "submitted":
			return l10n.Errorf("%s: %w: it is %s (%w)", op, ErrRequestProcessed, r.Status, unclear)
		case puts >= maxCancelPuts || ctx.Err() != nil:
			return l10n.Errorf("%s: still %s after %d attempts: %w", op, r.Status, puts, unclear)
		}
		wctx, done := waitContext(ctx, opts)
		err = sleep(wctx, backoffNet(puts))
		done()
		if err != nil {
			return l10n.Errorf("%s: still %s (%w) (stopped waiting to retry: %w)", op, r.Status, unclear, err)
		}
	}
}

// send performs one change (PUT or POST) that the caller resolves: it
// waits on the limiter, retries what never left the machine and 429s,
// and returns the answer read (any status but 429), or unclear when the
// request was sent and no answer came back, or err when it was never
// sent (or 429s ran out).
func (c *Client) send(ctx context.Context, op l10n.Msg, method, path string, body []byte, opts []CallOption) (a *attempt, unclear, err error) {
	wctx, done := waitContext(ctx, opts)
	defer done()
	var last429 *APIError
	n429, nNet := 0, 0
	for {
		release, err := c.waitLimiter(wctx, op, last429)
		if err != nil {
			return nil, nil, err
		}
		a := c.do(ctx, method, path, nil, body)
		release()
		switch {
		case a.err != nil && !a.sent:
			nNet++
			if err := c.retryUnsent(ctx, wctx, op, nNet, a.err); err != nil {
				return nil, nil, err
			}
			continue
		case a.err != nil:
			return a, a.err, nil
		case a.status == http.StatusTooManyRequests:
			n429++
			last429 = decodeError(a, c.key())
			if err := c.rateLimited(op, n429, last429); err != nil {
				return nil, nil, err
			}
			continue
		}
		return a, nil, nil
	}
}

// EmailValidation is what GET /order/certificate/{id}/email-validation
// says about an S/MIME order's mailboxes.
type EmailValidation struct {
	// DeliveryOptions are how validation emails can be sent: "api"
	// (CertCentral Services API), "browser" (CertCentral UI).
	DeliveryOptions []string           `json:"delivery_options"`
	Emails          []EmailValidStatus `json:"emails"`
}

// EmailValidStatus is one mailbox of an order.
type EmailValidStatus struct {
	Email string `json:"email"`
	// Status is "validated" or "unvalidated".
	Status string `json:"status"`
	// DateEmailed is when the validation email was sent, YYYY-MM-DD.
	DateEmailed string `json:"date_emailed"`
}

// Unvalidated returns the mailboxes not validated yet.
func (v *EmailValidation) Unvalidated() []EmailValidStatus {
	var out []EmailValidStatus
	for _, e := range v.Emails {
		if e.Status != "validated" {
			out = append(out, e)
		}
	}
	return out
}

// GetEmailValidation fetches GET
// /order/certificate/{order_id}/email-validation: "the validation status
// for all email addresses on a client certificate order"
// (https://dev.digicert.com/certcentral-apis/services-api/orders/email-validation-status.html).
func (c *Client) GetEmailValidation(ctx context.Context, orderID int64, opts ...CallOption) (*EmailValidation, error) {
	var v EmailValidation
	if err := c.get(ctx, l10n.Msgf("get the email validation of order %d", orderID),
		"/order/certificate/"+strconv.FormatInt(orderID, 10)+"/email-validation", nil, &v, opts); err != nil {
		return nil, err
	}
	return &v, nil
}
