package certcentral

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// CallOption adjusts one call of a [Client] method.
type CallOption func(*callOpts)

type callOpts struct {
	stop context.Context
}

// StopWaiting ends the waiting parts of a call (the rate limiter,
// backoff between retries) when stop ends, without ending a request
// already on the wire: that one still gets its answer, bounded by the
// call's own context. certbatch uses it so Ctrl-C stops new requests at
// once while requests in flight get their answer.
func StopWaiting(stop context.Context) CallOption {
	return func(o *callOpts) { o.stop = stop }
}

// waitContext returns the context that bounds waiting in a call made
// with opts: ctx, or the StopWaiting context, ending also when ctx ends.
func waitContext(ctx context.Context, opts []CallOption) (context.Context, context.CancelFunc) {
	var o callOpts
	for _, f := range opts {
		f(&o)
	}
	if o.stop == nil {
		return ctx, func() {}
	}
	wctx, cancel := context.WithCancelCause(o.stop)
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
		u.RawQuery = encodeQuery(query)
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
		a.err = l10n.Errorf("build request: %w", err)
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
	c.clock.note(resp.Header.Get("Date"), time.Now())
	a.sent = true
	a.status, a.header = resp.StatusCode, resp.Header
	a.body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		a.err = c.scrub(l10n.Errorf("read answer (status %d): %w", a.status, err))
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
func (c *Client) rateLimited(op l10n.Msg, n int, apiErr *APIError) error {
	if n > c.max429 {
		return l10n.Errorf("%s: %w: gave up after %d answers 429: %w", op, ErrRateLimited, n, apiErr)
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
func (c *Client) waitLimiter(wctx context.Context, op l10n.Msg, last429 *APIError) (func(), error) {
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
		return done, l10n.Errorf("%s: %w: stopped while backing off (%w): %w", op, ErrRateLimited, err, last429)
	default:
		return done, l10n.Errorf("%s: not sent: %w", op, err)
	}
}

// retryUnsent decides about the nNet-th attempt of a call that never
// left the machine (no connection, or writing it failed: the server has
// nothing): nil means wait a backoff and try again; an error is what the
// call returns ("OP: not sent ...").
func (c *Client) retryUnsent(ctx, wctx context.Context, op l10n.Msg, nNet int, cause error) error {
	switch {
	case ctx.Err() != nil:
		return l10n.Errorf("%s: not sent after %d attempts: %w", op, nNet, cause)
	case nNet >= maxNetAttempts:
		return l10n.Errorf("%s: not sent after %d attempts: %w", op, nNet, &unavailable{cause})
	}
	if err := sleep(wctx, backoffNet(nNet)); err != nil {
		return l10n.Errorf("%s: not sent: %w (stopped waiting to retry: %w)", op, cause, err)
	}
	return nil
}

// encodeQuery is url.Values.Encode with the brackets of parameter names
// left as they are: DigiCert's pages spell filters as filters[status],
// and whether it decodes filters%5Bstatus%5D is not documented
// (certcentral-today.md §3). Values are escaped as usual.
func encodeQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		name := strings.NewReplacer("%5B", "[", "%5D", "]").Replace(url.QueryEscape(k))
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}
