package certcentral

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/internal/pipenet"
)

// These tests use net/http's transport, whose trace callbacks decide
// whether a request was sent: over real loopback connections, except
// where a request timeout is the subject. Those run in a synctest bubble
// over in-memory connections (internal/pipenet), where the timeout
// fires on the bubble's clock once the request is written and the
// server waits: over a real socket on a loaded machine it could fire
// while the request is still being dialled or written, a different case.

func TestPlaceOrderOverTheWire(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		timeout time.Duration
		// wantCause must be found in the error chain (errors.Is), or
		// wantStatus in an *APIError when non-zero.
		wantCause  error
		wantStatus int
	}{
		{"500 after reading the body", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			fmt.Fprint(w, `{"errors":[{"code":"internal_error","message":"Something went wrong."}]}`)
		}, 0, nil, 500},
		{"503 HTML from a proxy", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			w.WriteHeader(503)
			fmt.Fprint(w, `<html>maintenance</html>`)
		}, 0, nil, 503},
		{"connection closed after reading the body", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}, 0, io.EOF, 0},
		{"slow server past the request timeout", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			<-r.Context().Done() // the client gave up
		}, 200 * time.Millisecond, context.DeadlineExceeded, 0},
		{"success answer cut short", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			w.Header().Set("Content-Length", "200")
			w.WriteHeader(201)
			fmt.Fprint(w, `{"id":54`)
			http.NewResponseController(w).Flush()
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}, 0, io.ErrUnexpectedEOF, 0},
		{"success answer stalls", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			w.WriteHeader(201)
			fmt.Fprint(w, `{"id":54`)
			http.NewResponseController(w).Flush()
			<-r.Context().Done() // the client gave up
		}, 200 * time.Millisecond, context.DeadlineExceeded, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				x := rec.add(r)
				r.Body = io.NopCloser(strings.NewReader(string(x.body)))
				tt.handler(w, r)
			})
			check := func(t *testing.T, c *Client) {
				resp, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
				checkUncertain(t, resp, err, len(rec.all()), tt.wantCause, tt.wantStatus)
			}
			if tt.timeout != 0 {
				synctest.Test(t, func(t *testing.T) {
					tr, stop := pipenet.Serve(h)
					t.Cleanup(stop)
					c, _ := newClient(t, "http://127.0.0.1/services/v2", tr, func(c *Config) { c.RequestTimeout = tt.timeout })
					check(t, c)
				})
				return
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			c, _ := newClient(t, srv.URL+"/services/v2", nil)
			check(t, c)
		})
	}
}

// checkUncertain checks that a PlaceOrder whose answer was lost says the
// order may exist, with wantCause in its chain or the wantStatus answer,
// and that the server got the request exactly once.
func checkUncertain(t *testing.T, resp *OrderResponse, err error, requests int, wantCause error, wantStatus int) {
	t.Helper()
	var unc *UncertainError
	if !errors.As(err, &unc) {
		t.Fatalf("PlaceOrder = %+v, %v (%T); want an *UncertainError", resp, err, err)
	}
	if unc.Op.String() != "place order client_premium" || !strings.Contains(err.Error(), "may or may not exist") {
		t.Errorf("error %q (op %q) should name the operation and say the order may exist", err, unc.Op)
	}
	if wantCause != nil && !errors.Is(err, wantCause) {
		t.Errorf("error %v does not wrap %v", err, wantCause)
	}
	var apiErr *APIError
	if wantStatus != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != wantStatus) {
		t.Errorf("error %v does not carry the %d answer", err, wantStatus)
	}
	if requests != 1 {
		t.Errorf("the server got %d requests, want exactly 1 (never resent)", requests)
	}
	if errors.Is(err, ErrRateLimited) || errors.Is(err, ErrAuth) {
		t.Errorf("misclassified: %v", err)
	}
	noKey(t, err)
}

func TestConnectionRefusedIsRetriedOverTheWire(t *testing.T) {
	var rec recorder
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.WriteHeader(201)
		fmt.Fprint(w, `{"id":77}`)
	}))
	defer srv.Close()
	// A port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()

	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		if dials.Add(1) == 1 {
			return d.DialContext(ctx, network, closed) // refused
		}
		return d.DialContext(ctx, network, addr)
	}}
	defer tr.CloseIdleConnections()
	c, _ := newClient(t, srv.URL, tr)
	resp, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
	if err != nil || resp.ID != 77 {
		t.Fatalf("PlaceOrder = %+v, %v; want order 77 after a retry", resp, err)
	}
	if n := dials.Load(); n != 2 {
		t.Errorf("%d dials, want 2", n)
	}
	if n := len(rec.all()); n != 1 {
		t.Errorf("the server got %d requests, want 1", n)
	}
}

func TestConnectionRefusedIsNotUncertain(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	// Check the classification of one real refused attempt; the retry
	// count is covered in a synctest bubble.
	c, _ := newClient(t, "http://"+addr, nil)
	a := c.do(context.Background(), http.MethodPost, "/order/certificate/client_premium", nil, orderBody)
	if a.err == nil || a.sent {
		t.Errorf("refused attempt: err %v, sent %v; want an error and not sent", a.err, a.sent)
	}
	if !errors.Is(a.err, syscall.ECONNREFUSED) {
		t.Errorf("error %v is not ECONNREFUSED", a.err)
	}
	noKey(t, a.err)
}
