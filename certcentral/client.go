// Package certcentral is a client for the parts of the DigiCert
// CertCentral Services API v2 that certbatch uses: placing certificate
// orders, reading an order, and listing orders (for reconciliation).
//
// # Retries
//
// Placing an order is not idempotent and CertCentral has no idempotency
// key, so [Client.PlaceOrder] retries only when the request provably
// created nothing: a 429 answer, or a failure before the request was
// written to a connection (refused, DNS, TLS). Anything that may have
// reached the server without a trustworthy answer (5xx, a timeout or
// dropped connection after writing, an unreadable success answer) is an
// [*UncertainError] and is never retried. GETs retry 429, 5xx and
// network errors.
//
// Every attempt first waits on the shared [ratelimit.Limiter], and a 429
// pauses that limiter so every worker backs off together.
//
// # The API key
//
// The key is sent only in the X-DC-DEVKEY header. It never appears in
// errors, log records, or any fmt output of a [Config] or [Client].
// Redirects are not followed, so the header never travels to another
// host.
package certcentral

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/certbatch/certbatch/ratelimit"
)

// Base URLs of CertCentral: the US platform, and CertCentral Europe.
const (
	DefaultBaseURL = "https://www.digicert.com/services/v2"
	EUBaseURL      = "https://certcentral.digicert.eu/services/v2"
)

// Defaults for zero Config fields.
const (
	DefaultRequestTimeout      = 90 * time.Second
	DefaultMaxRateLimitRetries = 8
)

// Limits of the retry policy.
const (
	// maxNetAttempts bounds attempts when the request was not sent
	// (PlaceOrder) or failed in a retryable way (GETs).
	maxNetAttempts = 3
	// maxBody bounds how much of an answer is read.
	maxBody = 32 << 20
)

// Config configures a Client. Formatting a Config with fmt never shows
// the API key.
type Config struct {
	// BaseURL is the API root; "" means DefaultBaseURL. It must be
	// https, except that http is allowed for loopback hosts (127.0.0.0/8,
	// ::1, localhost), e.g. a local sandbox.
	BaseURL string
	// APIKey is required. It is sent only as X-DC-DEVKEY.
	APIKey string
	// UserAgent is sent with every request; "" means "certbatch".
	UserAgent string
	// Concurrency is how many requests run at once; it sizes the
	// connection pool. Values below 1 mean 1.
	Concurrency int
	// Limiter is shared by every request of the client, and ideally by
	// every client using the same key; nil means unlimited.
	Limiter *ratelimit.Limiter
	// Transport replaces the default tuned *http.Transport (for tests).
	Transport http.RoundTripper
	// RequestTimeout bounds each attempt, including reading the answer;
	// 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxRateLimitRetries is how many 429 answers one call retries
	// before it gives up with ErrRateLimited; 0 means
	// DefaultMaxRateLimitRetries, negative means none.
	MaxRateLimitRetries int
	// Logger receives a debug record per attempt (method, path, status,
	// duration) and a warning per 429; nil discards them. Neither the
	// key nor request bodies are logged.
	Logger *slog.Logger
}

// String describes the configuration with the key redacted.
func (c Config) String() string {
	return fmt.Sprintf("certcentral.Config{BaseURL:%q APIKey:%s UserAgent:%q Concurrency:%d RequestTimeout:%v MaxRateLimitRetries:%d}",
		c.BaseURL, redactedKey(c.APIKey), c.UserAgent, c.Concurrency, c.RequestTimeout, c.MaxRateLimitRetries)
}

// GoString is String, so %#v does not show the key either.
func (c Config) GoString() string { return c.String() }

// Format makes every fmt verb print String, so no verb shows the key.
func (c Config) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

func redactedKey(k string) string {
	if k == "" {
		return "(none)"
	}
	return "[redacted]"
}

// keyFunc returns the API key. The key lives in a closure because fmt,
// even when it formats a struct's fields by reflection, prints a func
// only as an address.
type keyFunc func() string

// Client talks to CertCentral. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	key     keyFunc
	ua      string
	hc      *http.Client
	limiter *ratelimit.Limiter
	timeout time.Duration
	max429  int
	log     *slog.Logger
}

// String describes the client without its key.
func (c Client) String() string {
	if c.base == nil {
		return "certcentral.Client(unconfigured)"
	}
	return "certcentral.Client(" + c.base.String() + ")"
}

// GoString is String.
func (c Client) GoString() string { return c.String() }

// Format makes every fmt verb print String.
func (c Client) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// New checks cfg and returns a client. It fails when the key is missing
// or the base URL is not https (or http on a loopback host).
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.APIKey) == "" {
		return nil, errors.New("new certcentral client: no API key")
	}
	if strings.ContainsAny(cfg.APIKey, "\r\n\x00") {
		return nil, errors.New("new certcentral client: the API key contains a line break or NUL")
	}
	key := cfg.APIKey
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil {
		return nil, fmt.Errorf("new certcentral client: base URL: %w", err)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("new certcentral client: base URL %q: want an absolute URL such as %s, without user, query or fragment", base, DefaultBaseURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("new certcentral client: base URL %q: plain http is allowed only for loopback hosts (a local sandbox); use https", base)
		}
	default:
		return nil, fmt.Errorf("new certcentral client: base URL %q: want https://", base)
	}
	conc := max(cfg.Concurrency, 1)
	tr := cfg.Transport
	if tr == nil {
		tr = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			ExpectContinueTimeout: time.Second,
			MaxIdleConns:          conc + 4,
			MaxIdleConnsPerHost:   conc + 4,
			MaxConnsPerHost:       2 * (conc + 4),
			IdleConnTimeout:       90 * time.Second,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2:     true,
		}
	}
	c := &Client{
		base:    u,
		key:     func() string { return key },
		ua:      cfg.UserAgent,
		limiter: cfg.Limiter,
		timeout: cfg.RequestTimeout,
		max429:  cfg.MaxRateLimitRetries,
		log:     cfg.Logger,
		hc: &http.Client{
			Transport: tr,
			// Never follow redirects: a POST would turn into a GET, and
			// net/http forwards custom headers such as X-DC-DEVKEY to
			// any host a redirect names.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	if c.ua == "" {
		c.ua = "certbatch"
	}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	switch {
	case c.max429 == 0:
		c.max429 = DefaultMaxRateLimitRetries
	case c.max429 < 0:
		c.max429 = 0
	}
	if c.limiter == nil {
		c.limiter = ratelimit.New(nil)
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type waitCtxKey struct{}

// WithWaitContext returns ctx carrying a second context, wait, that ends
// the waiting parts of a call (the rate limiter, backoff between
// retries) without ending a request already on the wire. certbatch uses
// it so Ctrl-C stops new requests at once while requests in flight get
// their answer.
func WithWaitContext(ctx, wait context.Context) context.Context {
	return context.WithValue(ctx, waitCtxKey{}, wait)
}

// waitContext returns the context that bounds waiting: the wait context
// if one was attached, ending also when ctx ends.
func waitContext(ctx context.Context) (context.Context, context.CancelFunc) {
	w, ok := ctx.Value(waitCtxKey{}).(context.Context)
	if !ok {
		return ctx, func() {}
	}
	wctx, cancel := context.WithCancelCause(w)
	stop := context.AfterFunc(ctx, func() { cancel(context.Cause(ctx)) })
	return wctx, func() { stop(); cancel(nil) }
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// backoff429 is the pause after the n-th 429 in a row (n from 1):
// exponential from 2 s doubling to a 60 s cap, with equal jitter (a
// random duration between half and all of it).
func backoff429(n int) time.Duration {
	d := min(2*time.Second<<min(max(n-1, 0), 5), 60*time.Second)
	return d/2 + rand.N(d/2+1)
}

// backoffNet is the wait after the n-th failed attempt of another kind:
// 1 s, 2 s, 4 s... with equal jitter.
func backoffNet(n int) time.Duration {
	d := min(time.Second<<min(max(n-1, 0), 5), 30*time.Second)
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Duration(min(max(n, 0), 3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), time.Hour)
	}
	return 0
}

// attempt is the outcome of one HTTP exchange.
type attempt struct {
	status int
	header http.Header
	body   []byte
	err    error // transport or read error; nil when an answer was read
	// sent is false only when the request provably never left: no
	// connection was obtained, or writing it failed.
	sent bool
}

// do performs one attempt, bounded by the client's request timeout.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body []byte) *attempt {
	u := *c.base
	u.Path += path
	u.RawPath = ""
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var gotConn, wroteOK, wroteErr atomic.Bool
	trace := &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { gotConn.Store(true) },
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				wroteOK.Store(true)
			} else {
				wroteErr.Store(true)
			}
		},
	}
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	a := &attempt{}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(rctx, trace), method, u.String(), rdr)
	if err != nil {
		a.err = fmt.Errorf("build request: %w", err)
		return a
	}
	req.Header.Set("X-DC-DEVKEY", c.key())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		// Not sent: no connection at all, or the write itself failed
		// (the server cannot have a complete request). A connection
		// with neither outcome recorded may be mid-write: uncertain.
		a.sent = wroteOK.Load() || (gotConn.Load() && !wroteErr.Load())
		a.err = c.scrub(err)
		c.log.Debug("certcentral attempt", "method", method, "path", path, "error", a.err.Error(),
			"sent", a.sent, "duration", time.Since(start))
		return a
	}
	defer resp.Body.Close()
	a.sent = true
	a.status, a.header = resp.StatusCode, resp.Header
	a.body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		a.err = c.scrub(fmt.Errorf("read answer (status %d): %w", a.status, err))
	}
	c.log.Debug("certcentral attempt", "method", method, "path", path, "status", a.status,
		"bytes", len(a.body), "duration", time.Since(start))
	return a
}

// scrub makes sure no error text carries the key. net/http does not put
// headers in errors; this is defence in depth.
func (c *Client) scrub(err error) error {
	if strings.Contains(err.Error(), c.key()) {
		return &scrubbed{msg: redact(err.Error(), c.key()), err: err}
	}
	return err
}

type scrubbed struct {
	msg string
	err error
}

func (s *scrubbed) Error() string { return s.msg }
func (s *scrubbed) Unwrap() error { return s.err }

// rateLimited handles the n-th 429 answer of a call: it returns the
// error to give up with, or pauses the limiter and returns nil.
func (c *Client) rateLimited(op string, n int, apiErr *APIError) error {
	if n > c.max429 {
		return fmt.Errorf("%s: %w: gave up after %d answers 429: %w", op, ErrRateLimited, n, apiErr)
	}
	d := max(backoff429(n), apiErr.RetryAfter)
	c.limiter.Pause(d)
	c.log.Warn("rate limited by CertCentral: pausing every request", "op", op,
		"pause", d.Round(time.Millisecond).String(), "attempt", n)
	return nil
}

// waitLimiter waits for the limiter before an attempt and returns the
// function to call when the attempt is over (the request counts in the
// limiter's windows until then, and a window longer). After a 429
// (last429 != nil) an end of the wait is reported as ErrRateLimited.
func (c *Client) waitLimiter(wctx context.Context, op string, last429 *APIError) (func(), error) {
	done, err := c.limiter.Acquire(wctx)
	if err == nil {
		if err = wctx.Err(); err != nil {
			done()
		}
	}
	switch {
	case err == nil:
		return done, nil
	case last429 != nil:
		return done, fmt.Errorf("%s: %w: stopped while backing off (%w): %w", op, ErrRateLimited, err, last429)
	default:
		return done, fmt.Errorf("%s: not sent: %w", op, err)
	}
}

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
func (c *Client) PlaceOrder(ctx context.Context, product string, body []byte) (*OrderResponse, error) {
	op := "place order " + product
	if product == "" || strings.ContainsAny(product, "/?#") {
		return nil, fmt.Errorf("%s: not sent: invalid product name %q", op, product)
	}
	if body == nil {
		body = []byte{}
	}
	path := "/order/certificate/" + url.PathEscape(product)
	wctx, done := waitContext(ctx)
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
			if nNet >= maxNetAttempts || ctx.Err() != nil {
				return nil, fmt.Errorf("%s: not sent after %d attempts: %w", op, nNet, a.err)
			}
			if err := sleep(wctx, backoffNet(nNet)); err != nil {
				return nil, fmt.Errorf("%s: not sent: %w (stopped waiting to retry: %w)", op, a.err, err)
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
func (c *Client) get(ctx context.Context, op, path string, q url.Values, v any) error {
	wctx, done := waitContext(ctx)
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
			if err = json.Unmarshal(a.body, v); err == nil {
				return nil
			}
			err = fmt.Errorf("decode answer: %w", err)
		}
		nOther++
		if nOther >= maxNetAttempts || ctx.Err() != nil {
			return fmt.Errorf("%s: after %d attempts: %w", op, nOther, err)
		}
		if serr := sleep(wctx, backoffNet(nOther)); serr != nil {
			return fmt.Errorf("%s: %w (stopped waiting to retry: %w)", op, err, serr)
		}
	}
}

// GetOrder fetches GET /order/certificate/{id}. A missing order is an
// *APIError with StatusCode 404.
func (c *Client) GetOrder(ctx context.Context, id int64) (*Order, error) {
	var o Order
	if err := c.get(ctx, fmt.Sprintf("get order %d", id), "/order/certificate/"+strconv.FormatInt(id, 10), nil, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// ListFilter selects orders for ListOrders. Empty fields do not filter.
type ListFilter struct {
	Email         string // filters[email]
	ProductNameID string // filters[product_name_id]
	Status        string // filters[status], e.g. "pending"
	CommonName    string // filters[common_name], exact
	// CreatedSince sends filters[date_created]=>=yyyy-MM-dd with the
	// day before CreatedSince's UTC date, so that whatever time zone
	// the server counts days in, no order created at or after
	// CreatedSince is left out. The list may therefore contain older
	// orders: compare Order.DateCreated yourself.
	CreatedSince time.Time
	Sort         string // e.g. "-date_created"
}

// listPageSize is the page size ListOrders asks for.
const listPageSize = 1000

// maxListPages bounds ListOrders against a server that never reaches
// its own total.
const maxListPages = 1000

// ListOrders fetches every page of GET /order/certificate for f (limit
// 1000, offset advancing by the orders received, until page.total is
// reached or a page is empty).
func (c *Client) ListOrders(ctx context.Context, f ListFilter) ([]Order, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("filters[email]", f.Email)
	set("filters[product_name_id]", f.ProductNameID)
	set("filters[status]", f.Status)
	set("filters[common_name]", f.CommonName)
	if !f.CreatedSince.IsZero() {
		set("filters[date_created]", ">="+f.CreatedSince.UTC().AddDate(0, 0, -1).Format("2006-01-02"))
	}
	set("sort", f.Sort)
	q.Set("limit", strconv.Itoa(listPageSize))
	var out []Order
	offset := 0
	for range maxListPages {
		q.Set("offset", strconv.Itoa(offset))
		var page struct {
			Orders []Order `json:"orders"`
			Page   struct {
				Total int `json:"total"`
			} `json:"page"`
		}
		if err := c.get(ctx, fmt.Sprintf("list orders (offset %d)", offset), "/order/certificate", q, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Orders...)
		offset += len(page.Orders)
		if len(page.Orders) == 0 || offset >= page.Page.Total {
			return out, nil
		}
	}
	return nil, fmt.Errorf("list orders: more than %d pages", maxListPages)
}
