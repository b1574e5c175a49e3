package cli

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

// Tests whose subject is time (rate limits, --wait, issuance delays,
// backoffs) run certbatch in a testing/synctest bubble: the clock is
// fake and moves only when every goroutine of the run (certbatch, its
// HTTP transport, the sandbox) is blocked, so what they assert holds
// however fast or loaded the machine is. A bubble forbids real network
// I/O, so the sandbox is served over in-memory connections (net.Pipe)
// with net/http's own client transport and server on either side: the
// transport's trace callbacks, which decide whether a request was sent,
// work as they do over TCP.

// pipeNet is an in-memory network with one server: a net.Listener for
// an http.Server and a DialContext for an http.Transport. Every dial is
// a new net.Pipe whose other end the listener accepts.
type pipeNet struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeNet() *pipeNet {
	return &pipeNet{conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept returns the server end of the next dial.
func (n *pipeNet) Accept() (net.Conn, error) {
	select {
	case c := <-n.conns:
		return c, nil
	case <-n.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; dials fail from then on.
func (n *pipeNet) Close() error {
	n.once.Do(func() { close(n.done) })
	return nil
}

// Addr is the listener's address.
func (n *pipeNet) Addr() net.Addr { return pipeAddr{} }

// DialContext connects to the server, whatever the address.
func (n *pipeNet) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
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

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "sandbox.pipe" }

// pipeBase is the base URL certbatch is given in a bubble: a loopback
// host (plain http is allowed only for those); the pipeNet carries every
// request, whatever the address.
const pipeBase = "http://127.0.0.1/services/v2"

// serveInBubble serves h over a new pipeNet and returns the transport
// that reaches it. It must be called inside the bubble; everything it
// starts is stopped by a cleanup (which runs inside the bubble too), so
// the bubble ends with no goroutine left.
func serveInBubble(t *testing.T, h http.Handler) http.RoundTripper {
	t.Helper()
	pn := newPipeNet()
	srv := &http.Server{Handler: h}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(pn)
	}()
	tr := &http.Transport{DialContext: pn.DialContext, MaxIdleConnsPerHost: 16}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
		<-served
	})
	return tr
}

// newBubbleEnv is newEnv for a synctest bubble: the same files, a
// sandbox on the bubble's clock, served over in-memory connections.
// Commands run through e.run (and e.submit, e.cmd) use that transport.
func newBubbleEnv(t *testing.T, rows int, cfg sandbox.Config) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir()}
	e.input = writeCSV(t, filepath.Join(e.dir, "staff.csv"), staff(rows, 1))
	e.config = writeFile(t, filepath.Join(e.dir, "batch.yaml"), clientConfigYAML)
	e.state = filepath.Join(e.dir, "certbatch.db")
	if cfg.APIKey == "" {
		cfg.APIKey = testKey
	}
	if cfg.Windows == nil {
		cfg.Windows = []sandbox.Window{}
	}
	s, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.sb, e.base, e.tr = s, pipeBase, serveInBubble(t, s)
	e.vars = map[string]string{"DIGICERT_API_KEY": testKey}
	return e
}
