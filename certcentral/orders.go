package certcentral

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// PlaceOrder sends POST /order/certificate/{product} with body, a JSON
// order request, and returns the decoded 2xx answer.
//
// Errors:
//   - *APIError: the order was rejected with a 4xx answer (nothing
//     created); errors.Is(err, ErrAuth) for 401 and 403.
//   - *UncertainError: the request was or may have been delivered
//     without a trustworthy answer (5xx, timeout or dropped connection
//     after writing, unreadable 2xx, unexpected 1xx/3xx). Not retried.
//   - ErrRateLimited (wrapping the last 429's *APIError): every allowed
//     attempt got 429, or waiting after one was cancelled. Nothing
//     created.
//   - other errors, starting "place order PRODUCT: not sent": the
//     request never left (connection failures after 3 attempts, or ctx
//     ended before sending). Nothing created.
func (c *Client) PlaceOrder(ctx context.Context, product string, body []byte, opts ...CallOption) (*OrderResponse, error) {
	op := "place order " + product
	if product == "" || strings.ContainsAny(product, "/?#") {
		return nil, fmt.Errorf("%s: not sent: invalid product name %q", op, product)
	}
	if body == nil {
		body = []byte{}
	}
	path := "/order/certificate/" + url.PathEscape(product)
	wctx, done := waitContext(ctx, opts)
	defer done()
	var last429 *APIError
	n429, nNet := 0, 0
	for {
		release, err := c.waitLimiter(wctx, op, last429)
		if err != nil {
			return nil, err
		}
		a := c.do(ctx, http.MethodPost, path, nil, body)
		release()
		switch {
		case a.err != nil && !a.sent:
			nNet++
			if err := c.retryUnsent(ctx, wctx, op, nNet, a.err); err != nil {
				return nil, err
			}
			continue
		case a.err != nil:
			return nil, &UncertainError{Op: op, Err: a.err}
		case a.status == http.StatusTooManyRequests:
			n429++
			last429 = decodeError(a, c.key())
			if err := c.rateLimited(op, n429, last429); err != nil {
				return nil, err
			}
			continue
		case a.status >= 500:
			return nil, &UncertainError{Op: op, Err: decodeError(a, c.key())}
		case a.status >= 400:
			return nil, fmt.Errorf("%s: %w", op, decodeError(a, c.key()))
		case a.status < 200 || a.status >= 300:
			return nil, &UncertainError{Op: op, Err: decodeError(a, c.key())}
		}
		var r OrderResponse
		if err := json.Unmarshal(a.body, &r); err != nil || r.ID == 0 {
			if err == nil {
				err = errors.New("no order id in the answer")
			}
			return nil, &UncertainError{Op: op, Err: fmt.Errorf("unreadable answer (status %d): %w", a.status, err)}
		}
		return &r, nil
	}
}

// get performs an idempotent GET with retries and decodes the JSON
// answer into v.
func (c *Client) get(ctx context.Context, op, path string, q url.Values, v any, opts []CallOption) error {
	return c.getWith(ctx, op, path, q, opts, func(b []byte) error { return json.Unmarshal(b, v) })
}

// getWith performs an idempotent GET with retries (429, 5xx, network
// errors, an answer decode refuses) and hands the 2xx body to decode.
func (c *Client) getWith(ctx context.Context, op, path string, q url.Values, opts []CallOption, decode func([]byte) error) error {
	wctx, done := waitContext(ctx, opts)
	defer done()
	var last429 *APIError
	n429, nOther := 0, 0
	for {
		release, werr := c.waitLimiter(wctx, op, last429)
		if werr != nil {
			return werr
		}
		a := c.do(ctx, http.MethodGet, path, q, nil)
		release()
		var err error
		down := true // unreachable, timed out or 5xx: ErrUnavailable once attempts run out
		switch {
		case a.err != nil:
			err = a.err
		case a.status == http.StatusTooManyRequests:
			n429++
			last429 = decodeError(a, c.key())
			if err := c.rateLimited(op, n429, last429); err != nil {
				return err
			}
			continue
		case a.status >= 500:
			err = decodeError(a, c.key())
		case a.status < 200 || a.status >= 300:
			return fmt.Errorf("%s: %w", op, decodeError(a, c.key()))
		default:
			if err = decode(a.body); err == nil {
				return nil
			}
			err, down = fmt.Errorf("decode answer: %w", err), false
		}
		nOther++
		if nOther >= maxNetAttempts || ctx.Err() != nil {
			if down && ctx.Err() == nil {
				err = &unavailable{err}
			}
			return fmt.Errorf("%s: after %d attempts: %w", op, nOther, err)
		}
		if serr := sleep(wctx, backoffNet(nOther)); serr != nil {
			return fmt.Errorf("%s: %w (stopped waiting to retry: %w)", op, err, serr)
		}
	}
}

// GetOrder fetches GET /order/certificate/{id}. A missing order is an
// *APIError with StatusCode 404.
func (c *Client) GetOrder(ctx context.Context, id int64, opts ...CallOption) (*Order, error) {
	var o Order
	if err := c.get(ctx, fmt.Sprintf("get order %d", id), "/order/certificate/"+strconv.FormatInt(id, 10), nil, &o, opts); err != nil {
		return nil, err
	}
	return &o, nil
}

// ListPageSize is the page size ListPage asks for (what public clients
// use; certcentral-api.md §5.4).
const ListPageSize = 1000

// OrderPage is one page of the order list.
type OrderPage struct {
	Orders []Order
	Total  int // page.total: orders in the whole list
}

// ListPage fetches one page of GET /order/certificate, newest first
// (sort=-date_created), from offset. It relies only on what DigiCert
// documents about the list (certcentral-today.md §3): sort, offset and
// limit, and the list item's id, status, date_created, certificate and
// product. No filter is sent: their matching (the case of an email, a
// product's legacy ID, date operators) is not documented, so the caller
// confirms every candidate with [Client.GetOrder] instead. An answer
// without an "orders" key is an empty page.
func (c *Client) ListPage(ctx context.Context, offset int, opts ...CallOption) (*OrderPage, error) {
	q := url.Values{}
	q.Set("sort", "-date_created")
	q.Set("limit", strconv.Itoa(ListPageSize))
	q.Set("offset", strconv.Itoa(offset))
	var page struct {
		Orders []Order `json:"orders"`
		Page   struct {
			Total int `json:"total"`
		} `json:"page"`
	}
	if err := c.get(ctx, fmt.Sprintf("list orders (offset %d)", offset), "/order/certificate", q, &page, opts); err != nil {
		return nil, err
	}
	return &OrderPage{Orders: page.Orders, Total: page.Page.Total}, nil
}

// StatusChange is one entry of the status-change feed.
type StatusChange struct {
	OrderID       int64  `json:"order_id"`
	CertificateID int64  `json:"certificate_id"`
	Status        string `json:"status"`
}

// MaxStatusWindow is the longest window the status-change feed serves
// (certcentral-api.md §5.5).
const MaxStatusWindow = 7 * 24 * time.Hour

// StatusChanges fetches GET /order/certificate/status-changes?minutes=N:
// every order whose status changed in the last window (rounded up to a
// minute, at most [MaxStatusWindow]), in one request
// (certcentral-today.md §2).
func (c *Client) StatusChanges(ctx context.Context, window time.Duration, opts ...CallOption) ([]StatusChange, error) {
	minutes := int((min(max(window, time.Minute), MaxStatusWindow) + time.Minute - 1) / time.Minute)
	q := url.Values{}
	q.Set("minutes", strconv.Itoa(minutes))
	var feed struct {
		Orders []StatusChange `json:"orders"`
	}
	if err := c.get(ctx, "list status changes", "/order/certificate/status-changes", q, &feed, opts); err != nil {
		return nil, err
	}
	return feed.Orders, nil
}
