package cli

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// outage sits in front of a sandbox: once armed, it answers the next n
// order-info reads with 503 (the sandbox is down), then calls back and
// lets everything through: an outage measured in failed requests, not
// in time.
type outage struct {
	next http.Handler

	mu    sync.Mutex
	down  int    // order-info reads still to fail
	back  func() // called once when the outage ends
	fails int
}

func (o *outage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/services/v2/order/certificate/1")
	o.mu.Lock()
	fail := info && o.down > 0
	var back func()
	if fail {
		o.down--
		o.fails++
	} else if info && o.back != nil {
		back, o.back = o.back, nil
	}
	o.mu.Unlock()
	if back != nil {
		back()
	}
	if fail {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("<html>Service Unavailable</html>"))
		return
	}
	o.next.ServeHTTP(w, r)
}

// status --wait and download --wait ride out an outage: failed
// order-info reads (each poll is tried three times by the client) cost
// them nothing but time; they say so on stderr, then find the order
// issued and exit 0. Before, a 25-second outage failed a two-hour cron
// wait (exit 1), and download had no deadline to wait for.
func TestWaitRidesOutAnOutage(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  func(e *env) []string
		polls int // failed polls
		check func(t *testing.T, e *env, r result)
	}{
		{"status --wait", func(e *env) []string {
			return []string{"status", e.resultsPath(), "--wait", "1h", "--interval", "10ms", "--json"}
		}, 2, func(t *testing.T, e *env, r result) {
			var js JSONStatus
			if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || js.OrdersByStatus["issued"] != 1 || js.ExitCode != 0 {
				t.Errorf("--json: %+v %v\n%s", js, err, r.stdout)
			}
		}},
		{"download --wait", func(e *env) []string {
			return []string{"download", e.resultsPath(), "--dir", filepath.Join(e.dir, "certs"), "--wait", "1h", "--interval", "10ms"}
		}, 1, func(t *testing.T, e *env, r result) {
			if !strings.Contains(r.stdout, "download: 1 written") {
				t.Errorf("download:\n%s", r.stdout)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, 1, sandbox.Config{ManualPickup: true})
			o := &outage{next: e.sb}
			srv := httptest.NewServer(o)
			t.Cleanup(srv.Close)
			e.base = srv.URL + "/services/v2"
			if r := e.submit(); r.code != 0 {
				t.Fatalf("submit: %d %s", r.code, r.stderr)
			}
			id := e.sb.Orders()[0].ID
			o.mu.Lock()
			o.down = 3 * c.polls
			o.back = func() { // the recipient picks the certificate up during the outage
				if err := e.sb.Pickup(id); err != nil {
					t.Error(err)
				}
			}
			o.mu.Unlock()
			r := e.cmd(c.args(e)...)
			if r.code != 0 {
				t.Fatalf("exit %d through an outage\n%s%s", r.code, r.stdout, r.stderr)
			}
			if n := strings.Count(r.stderr, "CertCentral did not answer: polling again until the deadline"); n != c.polls {
				t.Errorf("stderr tells %d failed polls, want %d:\n%s", n, c.polls, r.stderr)
			}
			c.check(t, e, r)
			if x := readResults(t, e.resultsPath()).Records[0]; x.OrderStatus != "issued" {
				t.Errorf("results: %+v", x)
			}
			if o.fails != 3*c.polls {
				t.Errorf("%d failed reads, want %d", o.fails, 3*c.polls)
			}
		})
	}
}

// copyState copies the journal and the results of e into a new folder,
// so commands can run in parallel, each on its own journal.
func copyState(t *testing.T, e *env) (dir string) {
	t.Helper()
	dir = t.TempDir()
	ents, _ := os.ReadDir(e.dir)
	for _, x := range ents {
		if x.Type().IsRegular() {
			b, err := os.ReadFile(filepath.Join(e.dir, x.Name()))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, x.Name()), string(b))
		}
	}
	return dir
}

// CertCentral unreachable (connection refused) or failing (5xx) is exit
// 4, "run again later", in every command; with --json the one object on
// stdout says why. Before, submit exited 4 but status, download, cancel
// and validate --check-account exited 1.
func TestUnreachableIsExitFourEverywhere(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{IssueDelay: 24 * time.Hour, DropEvery: 2})
	if r := e.submit(); r.code != ExitRowsRetry { // one order's answer is lost: uncertain
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String() + "/services/v2"
	l.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(failing.Close)
	endpoints := map[string]string{"connection refused": refused, "502": failing.URL + "/services/v2"}
	// json: the command has --json; failure: its object is JSONFailure
	// (the run failed before its summary), which names the error.
	commands := []struct {
		name          string
		args          func(dir string) []string
		json, failure bool
	}{
		{"validate --check-account", func(dir string) []string {
			return []string{"validate", e.input, "--config", e.config, "--check-account", "-o", filepath.Join(dir, "check.csv"), "--json"}
		}, true, true},
		{"status", func(dir string) []string { return []string{"status", filepath.Join(dir, "results.csv"), "--json"} }, true, true},
		{"download", func(dir string) []string {
			return []string{"download", filepath.Join(dir, "results.csv"), "--dir", filepath.Join(dir, "certs")}
		}, false, false},
		{"cancel", func(dir string) []string { return []string{"cancel", filepath.Join(dir, "results.csv"), "--yes"} }, false, false},
		{"reconcile", func(string) []string { return []string{"reconcile", "--json"} }, true, false},
		{"submit", func(dir string) []string {
			return []string{"submit", e.input, "--config", e.config, "-o", filepath.Join(dir, "again.csv"), "--yes", "--json"}
		}, true, false},
	}
	for ename, base := range endpoints {
		for _, c := range commands {
			t.Run(ename+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				dir := copyState(t, e)
				args := append(c.args(dir), "--state", filepath.Join(dir, "certbatch.db"), "--base-url", base, "--quiet", "--settle", "0s")
				r := run(t, e.vars, args...)
				if r.code != ExitRowsRetry {
					t.Fatalf("exit %d, want 4\n%s%s", r.code, r.stdout, r.stderr)
				}
				if !c.json {
					return
				}
				var js struct {
					Command  string `json:"command"`
					Error    string `json:"error"`
					ExitCode int    `json:"exit_code"`
					Meaning  string `json:"exit_meaning"`
				}
				if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || js.ExitCode != 4 || !strings.Contains(js.Meaning, "run again later") ||
					c.failure && (js.Command != strings.Fields(c.name)[0] || !strings.Contains(js.Error, "after 3 attempts")) {
					t.Fatalf("--json: %+v %v\n%s", js, err, r.stdout)
				}
				if strings.Count(strings.TrimSpace(r.stdout), "\n") != 0 {
					t.Errorf("--json printed more than one line:\n%s", r.stdout)
				}
			})
		}
	}
}
