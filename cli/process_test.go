package cli

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/sandbox"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds certbatch once for tests that need a real process to
// interrupt or kill, with the test hooks compiled in.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "certbatch-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "certbatch")
		// The tag lets tests hold the process at a named step
		// (internal/testhook); without CERTBATCH_TESTHOOK it changes nothing.
		out, err := exec.Command("go", "build", "-tags", "certbatch_testhooks", "-o", binPath, "..").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("build: %v", binErr)
	}
	return binPath
}

func (e *env) command(bin string, extra ...string) *exec.Cmd {
	args := append([]string{"submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base,
		"-o", filepath.Join(e.dir, "results.csv"), "--yes", "--quiet", "--settle", "0s"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"DIGICERT_API_KEY=" + testKey, "PATH=" + os.Getenv("PATH")}
	return cmd
}

func procExit(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func TestInterruptFinishesInFlightAndWritesResults(t *testing.T) {
	bin := binary(t)
	e, gate := newGatedEnv(t, 30, sandbox.Config{})
	// The fourth order is held in flight when the signal comes; the run
	// must wait for its answer (--grace is far longer than the test).
	// The other worker's order, if it sent one, is held too, so neither
	// worker gets further before the run has taken the signal in.
	held := gate.armFrom(4, pass)
	cmd := e.command(bin, "--concurrency", "2", "--grace", "1h")
	stderr := newWatchWriter("certbatch: interrupted: no new requests")
	cmd.Stderr = stderr
	exited := startHeld(t, cmd, held, "interrupt")
	cmd.Process.Signal(syscall.SIGINT)
	// main says so once it has stopped dispatch (main.go).
	stderr.wait(t, "interrupt")
	// The held requests are the only ones left in flight: the fourth
	// and at most one other worker's.
	gate.open()
	code := <-exited
	if code != ExitInterrupted || !strings.Contains(stderr.String(), "certbatch: interrupted: every row has a result") {
		t.Fatalf("exit %d, want 130\n%s", code, stderr.String())
	}
	res := e.results()
	if len(res) != 30 {
		t.Fatalf("results hold %d of 30 rows", len(res))
	}
	n := map[string]int{}
	for _, x := range res {
		n[x.outcome]++
		if x.outcome == "failed" && !strings.Contains(x.err, "interrupted") {
			t.Errorf("failed row without the reason: %+v", x)
		}
	}
	if n["ordered"] != len(e.sb.Orders()) || n["ordered"]+n["failed"] != 30 || n["uncertain"] != 0 {
		t.Errorf("outcomes %v, sandbox holds %d orders: requests in flight must finish", n, len(e.sb.Orders()))
	}
	if n["ordered"] < 4 || n["ordered"] > 5 || n["failed"] == 0 {
		t.Errorf("outcomes %v: the held fourth order (and at most one other in flight) should finish, the rest stop", n)
	}
	e.checkMatchesSandbox(res)
	// Running again orders the rest.
	if code := procExit(e.command(bin, "--concurrency", "4").Run()); code != 0 {
		t.Fatalf("second run exit %d", code)
	}
	if got := len(e.sb.Orders()); got != 30 {
		t.Errorf("%d orders after the second run, want 30", got)
	}
}

// Any number of SIGINT/SIGTERM (GNU timeout and cron send more than one)
// still write the results: the second stops waiting for the answers in
// flight, so the run ends at once, results written. The answer it waits
// for never comes and --grace is an hour, so only the second signal can
// end the run.
func TestRepeatedSignalsStillWriteResults(t *testing.T) {
	bin := binary(t)
	e, gate := newGatedEnv(t, 4, sandbox.Config{})
	held := gate.arm(1, dropUnsent)
	cmd := e.command(bin, "--no-account-check", "--concurrency", "1", "--grace", "1h")
	done := startHeld(t, cmd, held, "signals")
	for range 5 {
		cmd.Process.Signal(syscall.SIGTERM)
	}
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case code := <-done:
		if code != ExitInterrupted {
			t.Errorf("exit %d", code)
		}
	case <-time.After(5 * time.Minute): // the grace is an hour
		cmd.Process.Kill()
		t.Fatal("a second signal did not end the run")
	}
	f := readResults(t, e.resultsPath())
	if len(f.Records) != 4 {
		t.Fatalf("%d result rows, want 4", len(f.Records))
	}
	for _, x := range f.Records {
		if x.Outcome != "uncertain" && x.Outcome != "failed" {
			t.Errorf("row %d: %s (%s)", x.Row, x.Outcome, x.Error)
		}
	}
	if f.Records[0].Outcome != "uncertain" {
		t.Errorf("row %d, whose order was in flight: %s, want uncertain", f.Records[0].Row, f.Records[0].Outcome)
	}
}

// Kill -9 at many steps while the API drops answers and fails after
// creating orders; run again until nothing is uncertain. Every person
// ends with exactly one order, and the final results match the sandbox.
// Each kill lands while one of the run's order POSTs is held at the
// sandbox's door (before it is placed, or placed with its answer lost),
// so every kill hits a run in the middle, whatever the machine's load.
func TestKillNineNeverOrdersTwice(t *testing.T) {
	bin := binary(t)
	const rows, kills = 120, 10
	e, gate := newGatedEnv(t, rows, sandbox.Config{FailAfterCreateEvery: 7, DropEvery: 5})
	rng := rand.New(rand.NewPCG(1, 2))
	for kill := range kills {
		mode := dropUnsent
		if kill%2 == 1 {
			mode = dropAnswer
		}
		held := gate.arm(1+rng.IntN(6), mode)
		// No account check here, so the kills land among the orders;
		// the runs after them check the account.
		cmd := e.command(bin, "--concurrency", "2", "--no-account-check")
		exited := startHeld(t, cmd, held, fmt.Sprintf("kill %d", kill+1))
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		gate.open()
		gate.quiesce(t)
	}
	killed := len(e.sb.Orders())
	j, err := journal.Open(e.state, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	bs, _ := j.Batches()
	j.Close()
	midRun := 0
	for _, b := range bs {
		if b.Status == "running" {
			midRun++
		}
	}
	if midRun != kills || killed >= rows {
		t.Fatalf("%d of %d killed runs left a running batch (%d orders placed by then)", midRun, kills, killed)
	}
	var last int
	for run := 0; ; run++ {
		if run == 15 {
			t.Fatalf("still not done after 15 runs (last exit %d)", last)
		}
		var stderr strings.Builder
		cmd := e.command(bin, "--concurrency", "4")
		cmd.Stderr = &stderr
		last = procExit(cmd.Run())
		if last == 0 {
			break
		}
		if last != ExitRowsRetry {
			t.Fatalf("run %d: exit %d\n%s", run, last, stderr.String())
		}
	}
	byEmail := e.ordersByEmail()
	if len(byEmail) != rows {
		t.Errorf("%d people have orders, want %d", len(byEmail), rows)
	}
	for email, ids := range byEmail {
		if len(ids) != 1 {
			t.Errorf("%s has %d orders: %v", email, len(ids), ids)
		}
	}
	res := e.results()
	if len(res) != rows {
		t.Fatalf("final results hold %d rows", len(res))
	}
	for row, x := range res {
		if x.outcome != "skipped" && x.outcome != "ordered" {
			t.Errorf("row %d: %+v", row, x)
		}
	}
	e.checkMatchesSandbox(res)
	t.Logf("%d kills hit a run in the middle; %d orders existed after them; %d POSTs in all, %d dropped, %d 500s after create", midRun, killed, e.sb.Stats().OrderPOSTs, e.sb.Stats().Dropped, e.sb.Stats().Failed5xx)
}

// A second submit on the same journal while one runs is refused at once,
// sends nothing, and leaves the first run alone.
func TestConcurrentSubmitsOnOneJournal(t *testing.T) {
	bin := binary(t)
	e, gate := newGatedEnv(t, 10, sandbox.Config{})
	held := gate.arm(2, pass) // the first run is in the middle while the second starts
	first := e.command(bin, "--concurrency", "1")
	firstExit := startHeld(t, first, held, "first submit")
	second := e.command(bin)
	var stderr strings.Builder
	second.Stderr = &stderr
	if code := procExit(second.Run()); code != ExitUsage || !strings.Contains(stderr.String(), "in use by another certbatch process") {
		t.Errorf("second submit: exit %d\n%s", code, stderr.String())
	}
	gate.open()
	if code := <-firstExit; code != 0 {
		t.Fatalf("first submit: exit %d", code)
	}
	if st := e.sb.Stats(); st.OrderPOSTs != 10 || len(e.sb.Orders()) != 10 {
		t.Errorf("stats %+v", st)
	}
}
