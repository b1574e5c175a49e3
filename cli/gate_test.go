package cli

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// orderGate sits in front of a sandbox and, once armed, holds one order
// POST until the test releases it: the process that sent it is then
// provably in the middle of a run (its intent is journaled, its batch is
// running, an answer is awaited), whatever the machine's speed. A kill
// sent while a POST is held lands at that exact step, so tests that
// kill or interrupt a run depend on events, never on sleeps.
type orderGate struct {
	next http.Handler

	mu        sync.Mutex
	countdown int  // hold the countdown-th order POST from now; 0: off
	rest      bool // hold every later order POST too, until open
	holding   bool // the countdown-th is held and rest is set
	mode      gateMode
	held      chan struct{}
	release   chan struct{}
	conns     map[net.Conn]bool // open client connections
}

// gateMode is what becomes of the POST an orderGate holds.
type gateMode int

const (
	// dropUnsent: the request never reaches the sandbox; once released,
	// its connection is closed unanswered (nothing was ordered).
	dropUnsent gateMode = iota
	// dropAnswer: the sandbox places the order first; once released, the
	// connection is closed unanswered (an order whose answer is lost).
	dropAnswer
	// pass: once released, the request goes on to the sandbox and its
	// answer to the client (a slow answer).
	pass
)

// arm makes the gate hold the nth order POST it sees from now on, as
// mode says. held is closed when the POST is held.
func (g *orderGate) arm(n int, mode gateMode) (held <-chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.countdown, g.mode, g.rest, g.holding = n, mode, false, false
	g.held, g.release = make(chan struct{}), make(chan struct{})
	return g.held
}

// armFrom is arm, but every order POST after the nth is held too (in
// pass mode) until open: a run cannot get past the nth order while the
// test acts, however many workers it has.
func (g *orderGate) armFrom(n int, mode gateMode) (held <-chan struct{}) {
	held = g.arm(n, mode)
	g.mu.Lock()
	g.rest = true
	g.mu.Unlock()
	return held
}

// track is the server's ConnState hook: it keeps the open connections.
func (g *orderGate) track(c net.Conn, st http.ConnState) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch st {
	case http.StateNew:
		g.conns[c] = true
	case http.StateClosed, http.StateHijacked:
		delete(g.conns, c)
	}
}

// quiesce waits until every connection is closed: after a client is
// killed, the requests it had written (still in the socket's buffer)
// have then been served, so none of them can be counted against the
// next arm.
func (g *orderGate) quiesce(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(5 * time.Millisecond) {
		g.mu.Lock()
		n := len(g.conns)
		g.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still open two minutes after their client died", n)
		}
	}
}

// open lets the held POST go on and disarms the gate.
func (g *orderGate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.release != nil {
		close(g.release)
		g.release = nil
	}
	g.countdown, g.rest, g.holding = 0, false, false
}

func (g *orderGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	isOrder := r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/order/certificate/")
	g.mu.Lock()
	hold := false
	var held, release chan struct{}
	var mode gateMode
	switch {
	case isOrder && g.holding:
		// A later order while armFrom's nth is held: it waits too.
		release := g.release
		g.mu.Unlock()
		<-release
		g.next.ServeHTTP(w, r)
		return
	case isOrder && g.countdown > 0:
		g.countdown--
		if g.countdown == 0 {
			hold, held, release, mode = true, g.held, g.release, g.mode
			g.holding = g.rest
		}
	}
	g.mu.Unlock()
	if !hold {
		g.next.ServeHTTP(w, r)
		return
	}
	if mode == dropAnswer {
		// The order is placed; its answer goes nowhere (the sandbox's own
		// faults may drop it first: that panic is the answer's end too).
		func() {
			defer func() { recover() }()
			g.next.ServeHTTP(httptest.NewRecorder(), r)
		}()
	}
	close(held)
	<-release
	if mode == pass {
		g.next.ServeHTTP(w, r)
		return
	}
	panic(http.ErrAbortHandler) // the connection closes unanswered
}

// newGatedEnv is newEnv with an orderGate in front of the sandbox.
func newGatedEnv(t *testing.T, rows int, cfg sandbox.Config) (*env, *orderGate) {
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
	g := &orderGate{next: s, conns: map[net.Conn]bool{}}
	srv := httptest.NewUnstartedServer(g)
	srv.Config.ConnState = g.track
	srv.Start()
	t.Cleanup(func() {
		g.open()
		srv.Close()
	})
	e.sb, e.base = s, srv.URL+"/services/v2"
	e.vars = map[string]string{"DIGICERT_API_KEY": testKey}
	return e, g
}

// startHeld starts cmd and waits until the gate holds its POST. The
// generous bound only turns a run that never sends that POST (a bug)
// into a failure instead of a hang; no assertion depends on how long
// it takes. It returns a channel that yields the exit code once the
// process ends; a run that ends before its POST is held fails the test
// with its output.
func startHeld(t *testing.T, cmd *exec.Cmd, held <-chan struct{}, what string) <-chan int {
	t.Helper()
	var out strings.Builder
	if cmd.Stderr == nil {
		cmd.Stderr = &out
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() { exited <- procExit(cmd.Wait()) }()
	select {
	case <-held:
		return exited
	case code := <-exited:
		t.Fatalf("%s: the run ended (exit %d) before sending the order POST the gate waits for\n%s", what, code, out.String())
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("%s: the run never sent the order POST the gate waits for\n%s", what, out.String())
	}
	return nil
}

// watchWriter collects a process's output and closes seen once it
// contains want: a test waits for what the process says it did.
type watchWriter struct {
	want string
	seen chan struct{}

	mu  sync.Mutex
	buf strings.Builder
}

func newWatchWriter(want string) *watchWriter {
	return &watchWriter{want: want, seen: make(chan struct{})}
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.want)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// wait waits until the output says want. The generous bound only turns
// a process that never says it into a failure instead of a hang.
func (w *watchWriter) wait(t *testing.T, what string) {
	t.Helper()
	select {
	case <-w.seen:
	case <-time.After(2 * time.Minute):
		t.Fatalf("%s: the process never wrote %q\n%s", what, w.want, w.String())
	}
}
