// Package pipenet is an in-memory network for tests: an http.Server and
// an http.Transport joined by net.Pipe connections. A testing/synctest
// bubble forbids real network I/O (a goroutine waiting on a socket is
// not durably blocked, so the bubble's clock would never move); over
// pipenet, net/http's own client transport and server run unchanged
// inside a bubble, trace callbacks (which tell whether a request was
// sent) and dropped connections included, and time is the bubble's.
//
// It is written by hand because net/http's fake network for synctest is
// internal to the standard library's tests, and the few lines here are
// all a test needs.
package pipenet

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// Network is an in-memory network with one listener: every dial is a new
// net.Pipe whose other end Accept returns. It is a net.Listener.
type Network struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

// New returns an open Network. In a synctest bubble, create it inside
// the bubble.
func New() *Network {
	return &Network{conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept returns the server end of the next dial; after Close it returns
// net.ErrClosed.
func (n *Network) Accept() (net.Conn, error) {
	select {
	case c := <-n.conns:
		return c, nil
	case <-n.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; dials fail from then on. Connections already
// made stay open.
func (n *Network) Close() error {
	n.once.Do(func() { close(n.done) })
	return nil
}

// Addr is the listener's address.
func (n *Network) Addr() net.Addr { return addr{} }

// DialContext connects to the listener, whatever network and address
// are asked for. It waits for Accept, and fails when ctx ends or the
// Network is closed first.
func (n *Network) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case n.conns <- server:
		return client, nil
	case <-n.done:
		return nil, &net.OpError{Op: "dial", Net: "pipe", Err: net.ErrClosed}
	case <-ctx.Done():
		return nil, &net.OpError{Op: "dial", Net: "pipe", Err: ctx.Err()}
	}
}

type addr struct{}

func (addr) Network() string { return "pipe" }
func (addr) String() string  { return "pipenet" }

// Serve serves h over a new Network and returns a transport whose every
// request reaches h (any URL: the host is not looked up), and stop,
// which closes the transport's idle connections and the server and
// returns once the server has stopped. Call stop before a bubble ends
// (t.Cleanup inside the bubble runs inside it): then no goroutine of
// either side is left.
func Serve(h http.Handler) (tr *http.Transport, stop func()) {
	n := New()
	srv := &http.Server{Handler: h}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(n)
	}()
	tr = &http.Transport{DialContext: n.DialContext, MaxIdleConnsPerHost: 16}
	return tr, func() {
		tr.CloseIdleConnections()
		srv.Close()
		<-served
	}
}
