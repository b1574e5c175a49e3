// Package certcentral is a client for the parts of the DigiCert
// CertCentral Services API v2 that certbatch uses: placing certificate
// orders, reading an order, and listing orders (for reconciliation).
//
// Placing an order is not idempotent and CertCentral has no idempotency
// key, so [Client.PlaceOrder] retries only when the request provably
// created nothing (429, or a connection that never carried the request);
// anything that may have reached the server unanswered is an
// [UncertainError], never retried. GETs retry freely. Every attempt waits
// on the shared rate limiter first, and a 429 pauses that limiter for
// every worker. The API key is sent only in the X-DC-DEVKEY header; it
// never appears in errors, logs or formatted values.
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
	"time"

	"github.com/certbatch/certbatch/ratelimit"
)

// Base URLs of CertCentral.
const (
	DefaultBaseURL = "https://www.digicert.com/services/v2"
	EUBaseURL      = "https://certcentral.digicert.eu/services/v2"
)

// Config configures a Client.
type Config struct {
	BaseURL             string // "" means DefaultBaseURL; http:// only for loopback hosts
	APIKey              string // required; sent only as X-DC-DEVKEY
	UserAgent           string
	Concurrency         int                // sizes the connection pool
	Limiter             *ratelimit.Limiter // shared by every request; nil means unlimited
	Transport           http.RoundTripper  // nil means a tuned *http.Transport
	RequestTimeout      time.Duration      // per attempt; 0 means 90 s
	MaxRateLimitRetries int                // 429 retries per call; 0 means 8
	Logger              *slog.Logger
}

// secret hides the API key from every formatting verb.
type secret string

func (secret) String() string   { return "[redacted]" }
func (secret) GoString() string { return "[redacted]" }

// Client talks to CertCentral. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	key     secret
	ua      string
	hc      *http.Client
	limiter *ratelimit.Limiter
	timeout time.Duration
	max429  int
	log     *slog.Logger
}

// String describes the client without its key.
func (c *Client) String() string { return "certcentral.Client(" + c.base.String() + ")" }

// GoString describes the client without its key.
func (c *Client) GoString() string { return c.String() }

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	if cfg.APIKey == "" {
		return nil, errors.New("certcentral: no API key")
	}
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("base URL %q is not an absolute URL", base)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base URL %q: plain http is allowed only for loopback addresses (a local sandbox); use https", base)
		}
	default:
		return nil, fmt.Errorf("base URL %q: want https://", base)
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
			MaxIdleConns:          conc * 2,
			MaxIdleConnsPerHost:   conc * 2,
			IdleConnTimeout:       90 * time.Second,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2:     true,
		}
	}
	c := &Client{base: u, key: secret(cfg.APIKey), ua: cfg.UserAgent, hc: &http.Client{Transport: tr},
		limiter: cfg.Limiter, timeout: cfg.RequestTimeout, max429: cfg.MaxRateLimitRetries, log: cfg.Logger}
	if c.ua == "" {
		c.ua = "certbatch"
	}
	if c.timeout <= 0 {
		c.timeout = 90 * time.Second
	}
	if c.max429 <= 0 {
		c.max429 = 8
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

func waitContext(ctx context.Context) context.Context {
	if w, ok := ctx.Value(waitCtxKey{}).(context.Context); ok {
		return w
	}
	return ctx
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
// exponential from 2 s to 60 s with equal jitter.
func backoff429(n int) time.Duration {
	d := 2 * time.Second << min(n-1, 5)
	d = min(d, 60*time.Second)
	return d/2 + rand.N(d/2+1)
}

// attempt is the outcome of one HTTP exchange.
type attempt struct {
	status  int
	header  http.Header
	body    []byte
	err     error // transport error
	written bool  // the request was written to the connection
}

func (c *Client) do(ctx context.Context, method, path string, query url.Values, body []byte) attempt {
	u := *c.base
	u.Path += path
	if query != nil {
		u.RawQuery = query.Encode()
	}
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var a attempt
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			a.written = true
		}
	}}
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(rctx, trace), method, u.String(), rdr)
	if err != nil {
		a.err = err
		return a
	}
	req.Header.Set("X-DC-DEVKEY", string(c.key))
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		a.err = scrub(err, string(c.key))
		c.log.Debug("certcentral request", "method", method, "path", path, "error", a.err.Error(), "sent", a.written, "duration", time.Since(start))
		return a
	}
	defer resp.Body.Close()
	a.status, a.header = resp.StatusCode, resp.Header
	a.body, err = io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		a.err = scrub(fmt.Errorf("read response: %w", err), string(c.key))
	}
	a.written = true
	c.log.Debug("certcentral request", "method", method, "path", path, "status", a.status, "duration", time.Since(start))
	return a
}

// scrub makes sure no error text carries the key (defence in depth: the
// key is only in a header, which net/http does not put in errors).
func scrub(err error, key string) error {
	if key != "" && strings.Contains(err.Error(), key) {
		return &scrubbed{msg: strings.ReplaceAll(err.Error(), key, "[redacted]"), err: err}
	}
	return err
}

type scrubbed struct {
	msg string
	err error
}

func (s *scrubbed) Error() string { return s.msg }
func (s *scrubbed) Unwrap() error { return s.err }

// retryAfter reads a Retry-After header (seconds or an HTTP date).
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// PlaceOrder sends POST /order/certificate/{product} with body.
//
// It returns the decoded order on 201; an *APIError for a rejection
// (nothing created; errors.Is(err, ErrAuth) for 401/403); an
// *UncertainError when the request may have reached the server and no
// trustworthy answer came back (5xx, timeout, dropped connection); and
// ErrRateLimited, or the wait context's error, when nothing was sent or
// every attempt was refused with 429.
func (c *Client) PlaceOrder(ctx context.Context, product string, body []byte) (*OrderResponse, error) {
	op := "order " + product
	path := "/order/certificate/" + url.PathEscape(product)
	wctx := waitContext(ctx)
	n429, nNet := 0, 0
	for {
		done, err := c.limiter.Wait(wctx)
		if err != nil {
			return nil, fmt.Errorf("%s: not sent: %w", op, err)
		}
		a := c.do(ctx, http.MethodPost, path, nil, body)
		done()
		switch {
		case a.err != nil && !a.written:
			nNet++
			if nNet >= 3 || ctx.Err() != nil {
				return nil, fmt.Errorf("%s: not sent: %w", op, a.err)
			}
			if err := sleep(wctx, time.Duration(nNet)*time.Second); err != nil {
				return nil, fmt.Errorf("%s: not sent: %w", op, a.err)
			}
			continue
		case a.err != nil:
			return nil, &UncertainError{Op: op, Err: a.err}
		case a.status == http.StatusTooManyRequests:
			n429++
			apiErr := decodeError(a)
			if n429 > c.max429 {
				return nil, fmt.Errorf("%s: %w after %d attempts: %w", op, ErrRateLimited, n429, apiErr)
			}
			d := max(backoff429(n429), retryAfter(a.header))
			c.limiter.Pause(d)
			c.log.Warn("rate limited by CertCentral: pausing every request", "pause", d.Round(time.Millisecond).String(), "attempt", n429)
			continue
		case a.status >= 500:
			return nil, &UncertainError{Op: op, Err: decodeError(a)}
		case a.status >= 400:
			return nil, decodeError(a)
		case a.status < 200 || a.status >= 300:
			return nil, &UncertainError{Op: op, Err: fmt.Errorf("unexpected status %d", a.status)}
		}
		var r OrderResponse
		if err := json.Unmarshal(a.body, &r); err != nil || r.ID == 0 {
			if err == nil {
				err = errors.New("no order id in the answer")
			}
			return nil, &UncertainError{Op: op, Err: fmt.Errorf("undecodable answer (status %d): %w", a.status, err)}
		}
		return &r, nil
	}
}

// get performs an idempotent GET with retries and decodes JSON into v.
func (c *Client) get(ctx context.Context, op, path string, q url.Values, v any) error {
	wctx := waitContext(ctx)
	n429, nOther := 0, 0
	for {
		done, err := c.limiter.Wait(wctx)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		a := c.do(ctx, http.MethodGet, path, q, nil)
		done()
		switch {
		case a.err != nil:
			err = a.err
		case a.status == http.StatusTooManyRequests:
			n429++
			if n429 > c.max429 {
				return fmt.Errorf("%s: %w: %w", op, ErrRateLimited, decodeError(a))
			}
			c.limiter.Pause(max(backoff429(n429), retryAfter(a.header)))
			continue
		case a.status >= 500:
			err = decodeError(a)
		case a.status >= 300:
			return fmt.Errorf("%s: %w", op, decodeError(a))
		default:
			if err := json.Unmarshal(a.body, v); err != nil {
				return fmt.Errorf("%s: decode answer: %w", op, err)
			}
			return nil
		}
		nOther++
		if nOther >= 3 || ctx.Err() != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if serr := sleep(wctx, time.Duration(nOther)*time.Second); serr != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
}

// GetOrder fetches GET /order/certificate/{id}.
func (c *Client) GetOrder(ctx context.Context, id int64) (*Order, error) {
	var o Order
	if err := c.get(ctx, fmt.Sprintf("get order %d", id), "/order/certificate/"+strconv.FormatInt(id, 10), nil, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// ListFilter selects orders for ListOrders.
type ListFilter struct {
	Email         string
	ProductNameID string
	Status        string
	CommonName    string
	CreatedSince  time.Time // filters[date_created]=>=yyyy-MM-dd; callers compare exact times themselves
	Sort          string
}

// ListOrders fetches every page of GET /order/certificate for f.
func (c *Client) ListOrders(ctx context.Context, f ListFilter) ([]Order, error) {
	const limit = 1000
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
		set("filters[date_created]", ">="+f.CreatedSince.UTC().Format("2006-01-02"))
	}
	set("sort", f.Sort)
	q.Set("limit", strconv.Itoa(limit))
	var out []Order
	for offset := 0; ; {
		q.Set("offset", strconv.Itoa(offset))
		var page struct {
			Orders []Order `json:"orders"`
			Page   struct {
				Total  int `json:"total"`
				Limit  int `json:"limit"`
				Offset int `json:"offset"`
			} `json:"page"`
		}
		if err := c.get(ctx, "list orders", "/order/certificate", q, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Orders...)
		offset += len(page.Orders)
		if len(page.Orders) == 0 || offset >= page.Page.Total {
			return out, nil
		}
	}
}
