package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// budgetGate sits in front of a sandbox. Armed with n, it holds every
// request until n are held, then lets them all through at once: the
// processes that sent them are then provably all in the middle of their
// run together, whatever the machine's speed. It can also answer the
// first order-info read with a 429 of its own.
type budgetGate struct {
	next http.Handler

	mu       sync.Mutex
	waiting  int           // requests still to hold before the release; 0: off
	release  chan struct{} // closed when the last one arrives
	fake429  bool          // answer the next order-info GET with 429
	served   chan struct{} // closed when that 429 is sent
	at429    time.Time
	arrivals []time.Time // every request that reached the sandbox
}

func (g *budgetGate) arm(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.waiting, g.release = n, make(chan struct{})
}

func (g *budgetGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	var wait chan struct{}
	if g.waiting > 0 {
		wait = g.release
		if g.waiting--; g.waiting == 0 {
			close(g.release)
		}
	}
	g.mu.Unlock()
	if wait != nil {
		<-wait
	}
	g.mu.Lock()
	if g.fake429 && r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/services/v2/order/certificate/1") {
		g.fake429, g.at429 = false, time.Now()
		g.mu.Unlock()
		// DigiCert's 429 (rate-limits page); Retry-After sets the pause.
		w.Header().Set("Retry-After", "3")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"errors":[{"code":"request_limit_exceeded","message":"Service unavailable, please limit request volume"}]}`))
		close(g.served)
		return
	}
	g.arrivals = append(g.arrivals, time.Now())
	g.mu.Unlock()
	g.next.ServeHTTP(w, r)
}

// budgetEnv is an env whose sandbox enforces DigiCert's windows scaled
// down, behind a budgetGate, for real certbatch processes.
type budgetEnv struct {
	*env
	bin  string
	gate *budgetGate
}

func newBudgetEnv(t *testing.T, rows int, cfg sandbox.Config) *budgetEnv {
	t.Helper()
	bin := binary(t)
	e := &env{t: t, dir: t.TempDir()}
	e.input = writeCSV(t, filepath.Join(e.dir, "staff.csv"), staff(rows, 1))
	e.config = writeFile(t, filepath.Join(e.dir, "batch.yaml"), clientConfigYAML)
	e.state = filepath.Join(e.dir, "certbatch.db")
	cfg.APIKey = testKey
	s, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := &budgetGate{next: s, served: make(chan struct{})}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	e.sb, e.base = s, srv.URL+"/services/v2"
	return &budgetEnv{env: e, bin: bin, gate: g}
}

// proc is a certbatch process of the job: the API flags every command
// of it shares (one journal, one key, one endpoint) come first, so args
// may override them.
func (b *budgetEnv) proc(args ...string) *exec.Cmd {
	all := append([]string{args[0], "--state", b.state, "--base-url", b.base, "--quiet", "--concurrency", "4",
		"--rate-limit", "18/1s"}, args[1:]...)
	cmd := exec.Command(b.bin, all...)
	cmd.Env = []string{"DIGICERT_API_KEY=" + testKey, "PATH=" + os.Getenv("PATH")}
	return cmd
}

func (b *budgetEnv) mustRun(want int, args ...string) {
	b.t.Helper()
	cmd := b.proc(args...)
	out, err := cmd.CombinedOutput()
	if code := procExit(err); code != want {
		b.t.Fatalf("certbatch %s: exit %d, want %d\n%s", args[0], code, want, out)
	}
}

// A whole job of chained and concurrent certbatch processes on one key
// (validate --check-account, submit, status, download, two admins'
// status runs and a download at once, cancel) against a server enforcing
// DigiCert's windows, scaled down to 20 requests per second: it gets no
// 429, because every process draws from one budget kept beside the
// journal. DigiCert counts per key, and a 429 blocks the whole key
// (https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html);
// before, each process started with an empty window and the chain went
// over. The client keeps DigiCert's default margin (18 of 20).
func TestOneRateBudgetPerKey(t *testing.T) {
	const rows = 10
	b := newBudgetEnv(t, rows, sandbox.Config{Windows: []sandbox.Window{{Limit: 20, Per: time.Second}}, IssueDelay: time.Hour})
	res := func(name string) string { return filepath.Join(b.dir, name) }
	// Chained: each starts the moment the one before ends.
	b.mustRun(0, "validate", b.input, "--config", b.config, "--check-account", "-o", res("check.csv"))
	b.mustRun(0, "submit", b.input, "--config", b.config, "-o", res("results.csv"), "--yes", "--settle", "0s")
	b.mustRun(0, "status", res("results.csv"))
	b.mustRun(ExitRowsRetry, "download", res("results.csv"), "--dir", res("certs")) // pending: not issued yet
	// Concurrent: two admins' status runs and a download, each reading
	// its 10 orders 4 at a time, are held at the door until all three
	// have 4 requests in flight, then go on together.
	b.gate.arm(3 * 4)
	var (
		cmds []*exec.Cmd
		outs []*strings.Builder
	)
	for _, args := range [][]string{
		{"status", res("results.csv"), "-o", res("admin1.csv")},
		{"status", res("results.csv"), "-o", res("admin2.csv")},
		{"download", res("results.csv"), "--dir", res("certs"), "-o", res("admin3.csv")},
	} {
		cmd, out := b.proc(args...), &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		want := 0
		if i == 2 {
			want = ExitRowsRetry // download: not issued yet
		}
		if code := procExit(cmd.Wait()); code != want {
			t.Errorf("concurrent run %d: exit %d, want %d\n%s", i+1, code, want, outs[i])
		}
	}
	b.mustRun(0, "cancel", res("results.csv"), "--yes")
	st := b.sb.Stats()
	if st.RateLimited != 0 {
		t.Errorf("%d answers 429 in a job of %d requests: the processes did not share one budget", st.RateLimited, st.Requests)
	}
	if st.MaxInWindow[0] > 20 {
		t.Errorf("%d requests within one second; the window allows 20", st.MaxInWindow[0])
	}
	if st.Requests < 4*20 {
		t.Errorf("the job sent %d requests: too few to need the budget", st.Requests)
	}
	for _, o := range b.sb.Orders() {
		if o.Status != "canceled" {
			t.Errorf("order %d is %s after the job, want canceled", o.ID, o.Status)
		}
	}
	t.Logf("%d requests, at most %d within a second, %d answers 429", st.Requests, st.MaxInWindow[0], st.RateLimited)
}
