package pipenet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"testing"
	"testing/synctest"
	"time"
)

// A request goes through net/http's transport and server in a bubble,
// with the trace callbacks a real connection gives, and time is the
// bubble's: a handler that waits a minute answers a minute later, at
// once. synctest.Test fails if stop leaves a goroutine behind.
func TestServeInABubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr, stop := Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(time.Minute)
			fmt.Fprint(w, "answer to "+r.URL.Path)
		}))
		t.Cleanup(stop)
		var gotConn, wrote bool
		ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
			GotConn:      func(httptrace.GotConnInfo) { gotConn = true },
			WroteRequest: func(i httptrace.WroteRequestInfo) { wrote = i.Err == nil },
		})
		start := time.Now()
		for i := range 3 { // the second and third reuse the connection
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1/x", nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(b) != "answer to /x" || !gotConn || !wrote {
				t.Errorf("request %d: %q, got a connection %v, wrote the request %v", i+1, b, gotConn, wrote)
			}
		}
		if d := time.Since(start); d != 3*time.Minute {
			t.Errorf("three answers took %v on the bubble's clock, want 3m", d)
		}
	})
}

// A dial after Close fails, and so does one whose context ends first.
func TestDialFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := n.DialContext(ctx, "tcp", "x:1"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("dial nobody accepts: %v, want the context's deadline", err)
		}
		n.Close()
		if _, err := n.DialContext(context.Background(), "tcp", "x:1"); !errors.Is(err, net.ErrClosed) {
			t.Errorf("dial after Close: %v, want net.ErrClosed", err)
		}
		if _, err := n.Accept(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v, want net.ErrClosed", err)
		}
	})
}
