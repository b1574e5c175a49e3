package certcentral

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
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
	op := l10n.Msgf("place order %s", product)
	if product == "" || strings.ContainsAny(product, "/?#") {
		return nil, l10n.Errorf("%s: not sent: invalid product name %q", op, product)
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
			return nil, l10n.Errorf("%s: %w", op, decodeError(a, c.key()))
		case a.status < 200 || a.status >= 300:
			return nil, &UncertainError{Op: op, Err: decodeError(a, c.key())}
		}
		var r OrderResponse
		if err := json.Unmarshal(a.body, &r); err != nil || r.ID == 0 {
			if err == nil {
				err = l10n.Errorf("no order id in the answer")
			}
			return nil, &UncertainError{Op: op, Err: l10n.Errorf("unreadable answer (status %d): %w", a.status, err)}
		}
		return &r, nil
	}
}

// get performs an idempotent GET with retries and decodes the JSON
// answer into v.
func (c *Client) get(ctx context.Context, op l10n.Msg, path string, q url.Values, v any, opts []CallOption) error {
	return c.getWith(ctx, op, path, q, opts, func(b []byte) error { return json.Unmarshal(b, v) })
}

// getWith performs an idempotent GET with retries (429, 5xx, network
// errors, an answer decode refuses) and hands the 2xx body to decode.
func (c *Client) getWith(ctx context.Context, op l10n.Msg, path string, q url.Values, opts []CallOption, decode func([]byte) error) error {
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
			return l10n.Errorf("%s: %w", op, decodeError(a, c.key()))
		default:
			if err = decode(a.body); err == nil {
				return nil
			}
			err, down = l10n.Errorf("decode answer: %w", err), false
		}
		nOther++
		if nOther >= maxNetAttempts || ctx.Err() != nil {
			if down && ctx.Err() == nil {
				err = &unavailable{err}
			}
			return l10n.Errorf("%s: after %d attempts: %w", op, nOther, err)
		}
		if serr := sleep(wctx, backoffNet(nOther)); serr != nil {
			return l10n.Errorf("%s: %w (stopped waiting to retry: %w)", op, err, serr)
		}
	}
}

// GetOrder fetches GET /order/certificate/{id}. A missing order is an
// *APIError with StatusCode 404.
func (c *Client) GetOrder(ctx context.Context, id int64, opts ...CallOption) (*Order, error) {
	var o Order
	if err := c.get(ctx, l10n.Msgf("get order %d", id), "/order/certificate/"+strconv.FormatInt(id, 10), nil, &o, opts); err != nil {
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
	// Total is page.total, the orders of the whole list; Limit is
	// page.limit, the page size the server used. Either is 0 when the
	// answer does not say. Neither ends a walk: a list read ends at a
	// short page ([Pager]).
	Total, Limit int
}

// ListPage fetches one page of GET /order/certificate, newest first
// (sort=-date_created), from offset. It relies only on what DigiCert
// documents about the list (certcentral-today.md §3): sort, offset and
// limit, and the list item's id, status, date_created, certificate
// (id, common_name), organization and product
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html).
// No filter is sent: their matching (the case of an email, a product's
// legacy ID, date operators) is not documented, so a filter could only
// find candidates, never prove that a person has no order. An answer
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
			Limit int `json:"limit"`
		} `json:"page"`
	}
	if err := c.get(ctx, l10n.Msgf("list orders (offset %d)", offset), "/order/certificate", q, &page, opts); err != nil {
		return nil, err
	}
	return &OrderPage{Orders: page.Orders, Total: page.Page.Total, Limit: page.Page.Limit}, nil
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

// StatusPageSize is the page size StatusChanges asks for. The server may
// use a smaller one: the feed is read until a short page all the same.
const StatusPageSize = 1000

// maxFeedPages bounds one read of the feed (a million changes).
const maxFeedPages = 1000

// StatusFeed is what the status-change feed said about one window.
type StatusFeed struct {
	// Changes lists every order the feed named, once, with the status
	// the last page naming it gave.
	Changes []StatusChange
	// Complete reports that the whole feed was read and its pages fit
	// together: each page after the first began with the last order of
	// the page before, so nothing slid between two pages unseen. Only
	// then does an order the feed does not name prove unchanged. False
	// when the feed moved while it was read (orders changed status
	// meanwhile and the window slid), when the server ignored the offset,
	// or when the read was cut at maxFeedPages.
	Complete bool
	// Requests is the number of pages read.
	Requests int
}

// StatusChanges reads GET /order/certificate/status-changes?minutes=N
// (every order whose status changed in the last window, rounded up to a
// minute, at most [MaxStatusWindow]; certcentral-today.md §2) page by
// page until a short page: the endpoint "supports filters, sorting, and
// pagination"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/status-change-list.html),
// with the Services API's offset and limit
// (https://dev.digicert.com/en/certcentral-apis/services-api.html), and
// documents no page object, so the page size is learned ([Pager]). Each
// page after the first starts one order early, at the last order already
// read: when that order is not where it was, the feed moved between the
// two requests and the read is not Complete (see [StatusFeed]).
func (c *Client) StatusChanges(ctx context.Context, window time.Duration, opts ...CallOption) (*StatusFeed, error) {
	minutes := int((min(max(window, time.Minute), MaxStatusWindow) + time.Minute - 1) / time.Minute)
	feed := &StatusFeed{Complete: true}
	at := map[int64]int{} // order ID -> index in feed.Changes
	pg := Pager{Asked: StatusPageSize}
	var anchor int64 // the order the page asked for should begin with (0: none)
	for offset := 0; ; {
		if feed.Requests >= maxFeedPages {
			feed.Complete = false
			return feed, nil
		}
		q := url.Values{}
		q.Set("minutes", strconv.Itoa(minutes))
		q.Set("limit", strconv.Itoa(StatusPageSize))
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		var page struct {
			Orders []StatusChange `json:"orders"`
			Page   struct {
				Limit int `json:"limit"`
			} `json:"page"`
		}
		feed.Requests++
		if err := c.get(ctx, l10n.Msgf("list status changes (offset %d)", offset), "/order/certificate/status-changes", q, &page, opts); err != nil {
			return nil, err
		}
		n := len(page.Orders)
		if anchor != 0 && (n == 0 || page.Orders[0].OrderID != anchor) {
			feed.Complete = false // the feed moved between two pages
		}
		added := 0
		for _, ch := range page.Orders {
			if i, ok := at[ch.OrderID]; ok {
				feed.Changes[i] = ch
				continue
			}
			at[ch.OrderID] = len(feed.Changes)
			feed.Changes = append(feed.Changes, ch)
			added++
		}
		if pg.End(n, page.Page.Limit) {
			return feed, nil
		}
		if added == 0 { // the server ignored the offset: no end in sight
			feed.Complete = false
			return feed, nil
		}
		anchor = 0
		offset += n
		if n > 1 {
			anchor = page.Orders[n-1].OrderID
			offset--
		}
	}
}

// Pager tells when a read with offset paging has reached the end of a
// list: at an empty page, or at a page shorter than the server's page
// size. Never at page.total: a total can be missing (an answer without
// one says 0) or out of date by the next page (orders placed meanwhile).
// The page size is the one the answer reports (page.limit), else the
// longest page seen so far: a first page shorter than asked may be the
// server's own page size, so it takes one more page (empty at the end of
// the list) to tell. A page.limit of 0 says nothing: DigiCert's own
// example of a list answer carries "page": {"total": 14, "limit": 0,
// "offset": 0} with its items
// (https://dev.digicert.com/certcentral-apis/services-api/requests/list-requests.html),
// and the status-change feed documents no page object at all. The zero
// value is not usable: set Asked.
type Pager struct {
	// Asked is the limit each request asks for.
	Asked   int
	longest int
}

// End reports whether a page of n items, whose answer gave limit as its
// page size (0: not given), is the list's last.
func (p *Pager) End(n, limit int) bool {
	defer func() { p.longest = max(p.longest, n) }()
	switch {
	case n == 0:
		return true
	case limit > 0:
		return n < min(p.Asked, limit)
	case n >= p.Asked:
		return false
	}
	return p.longest > 0 && n < p.longest
}

// ListByEmail returns the orders the order list names under email:
// GET /order/certificate?filters[email]=EMAIL, read page by page until a
// short page. The filter is documented
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html,
// "filters[email]"), but not whether it folds case or matches orders
// whose order info names no email (certcentral-today.md §3): certbatch
// uses it only to find candidates, never to prove that a person has no
// order.
func (c *Client) ListByEmail(ctx context.Context, email string, opts ...CallOption) ([]Order, error) {
	var out []Order
	pager := Pager{Asked: ListPageSize}
	for offset, pages := 0, 0; pages < 100; pages++ {
		q := url.Values{}
		q.Set("filters[email]", email)
		q.Set("limit", strconv.Itoa(ListPageSize))
		q.Set("offset", strconv.Itoa(offset))
		var page struct {
			Orders []Order `json:"orders"`
			Page   struct {
				Limit int `json:"limit"`
			} `json:"page"`
		}
		if err := c.get(ctx, l10n.Msgf("list the orders of %s", email), "/order/certificate", q, &page, opts); err != nil {
			return nil, err
		}
		out = append(out, page.Orders...)
		offset += len(page.Orders)
		if pager.End(len(page.Orders), page.Page.Limit) {
			return out, nil
		}
	}
	return out, nil
}
