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
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
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
	clock   *serverClock // a pointer: a Client is formatted by value
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
		return nil, l10n.Errorf("new certcentral client: no API key")
	}
	if strings.ContainsAny(cfg.APIKey, "\r\n\x00") {
		return nil, l10n.Errorf("new certcentral client: the API key contains a line break or NUL")
	}
	key := cfg.APIKey
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	// A base URL may carry a secret (the key pasted into it, a password
	// in it): errors about it never echo more than its scheme and host.
	if strings.Contains(base, key) || strings.Contains(base, url.PathEscape(key)) || strings.Contains(base, url.QueryEscape(key)) {
		return nil, l10n.Errorf("new certcentral client: the base URL contains the API key: remove it; the key goes only in $DIGICERT_API_KEY or --api-key-file")
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil {
		return nil, errors.New("new certcentral client: the base URL is not a URL; want one such as " + DefaultBaseURL)
	}
	shown := u.Scheme + "://" + u.Host
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, l10n.Errorf("new certcentral client: base URL %s...: want an absolute URL such as %s, without user, password, query or fragment", shown, DefaultBaseURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, l10n.Errorf("new certcentral client: base URL %s: plain http is allowed only for loopback hosts (a local sandbox); use https", shown)
		}
	default:
		return nil, l10n.Errorf("new certcentral client: base URL %s: want https://", shown)
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
		clock:   &serverClock{},
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
