package certcentral

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// hang answers nothing until the attempt's own deadline ends it.
func hang(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

func dnsFailure(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "www.digicert.com", IsNotFound: true}}
}

// ErrUnavailable marks what "run again later" fixes: the service could
// not be reached or answered 5xx on every attempt; not a refusal, a
// 429 storm, an unreadable success or the caller's own stop.
func TestUnavailable(t *testing.T) {
	get := func(c *Client, ctx context.Context) error { _, err := c.GetOrder(ctx, 5); return err }
	place := func(c *Client, ctx context.Context) error {
		_, err := c.PlaceOrder(ctx, "client_premium", orderBody)
		return err
	}
	tests := []struct {
		name string
		call func(*Client, context.Context) error
		step func(*http.Request) (*http.Response, error)
		want bool
	}{
		{"connection refused", get, refused, true},
		{"DNS", get, dnsFailure, true},
		{"attempts time out", get, hang, true},
		{"503", get, status(503, ``), true},
		{"500 with an error body", get, status(500, `{"errors":[{"code":"internal_error","message":"x"}]}`), true},
		{"order POST never sent", place, refused, true},
		{"order POST answered 503: uncertain, not unavailable", place, status(503, ``), false},
		{"404", get, status(404, `{"errors":[{"code":"not_found|order","message":"Order not found."}]}`), false},
		{"403", get, status(403, `{"errors":[{"code":"access_denied|access_denied_invalid_key","message":"x"}]}`), false},
		{"429 every time", get, status(429, apiError429), false},
		{"unreadable success", get, status(200, `{"id":`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, _ := newClient(t, "", &script{steps: []func(*http.Request) (*http.Response, error){tt.step}},
					func(c *Config) { c.RequestTimeout = 10 * time.Second; c.MaxRateLimitRetries = 2 })
				err := tt.call(c, context.Background())
				if err == nil || errors.Is(err, ErrUnavailable) != tt.want {
					t.Errorf("error %v: errors.Is(err, ErrUnavailable) = %v, want %v", err, errors.Is(err, ErrUnavailable), tt.want)
				}
			})
		})
	}
	t.Run("the caller stopped", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, _ := newClient(t, "", &script{steps: []func(*http.Request) (*http.Response, error){refused}})
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			if err := get(c, ctx); err == nil || errors.Is(err, ErrUnavailable) {
				t.Errorf("error %v: a stop is not an outage", err)
			}
		})
	})
}
