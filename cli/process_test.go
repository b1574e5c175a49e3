package cli

import (
	"errors"
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
// interrupt or kill.
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
		out, err := exec.Command("go", "build", "-o", binPath, "..").CombinedOutput()
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

// waitOrders waits until the sandbox holds at least n orders.
func waitOrders(t *testing.T, s *sandbox.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(s.Orders()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d orders after 20 s", len(s.Orders()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestInterruptFinishesInFlightAndWritesResults(t *testing.T) {
	bin := binary(t)
	e := newEnv(t, 30, sandbox.Config{Latency: 150 * time.Millisecond})
	cmd := e.command(bin, "--concurrency", "2")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitOrders(t, e.sb, 4)
	cmd.Process.Signal(syscall.SIGINT)
	start := time.Now()
	code := procExit(cmd.Wait())
	if code != ExitInterrupted || !strings.Contains(stderr.String(), "certbatch: interrupted: every row has a result") {
		t.Fatalf("exit %d, want 130\n%s", code, stderr.String())
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %v to stop", time.Since(start))
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
// flight, so the run ends at once, results written.
func TestRepeatedSignalsStillWriteResults(t *testing.T) {
	bin := binary(t)
	e := newEnv(t, 4, sandbox.Config{Latency: 3 * time.Second})
	cmd := e.command(bin, "--no-account-check")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until an order is in flight: its intent is journaled.
	for deadline := time.Now().Add(30 * time.Second); !hasIntent(e.state); {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no order sent after 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	for range 4 {
		time.Sleep(100 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGTERM)
	}
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan int)
	go func() { done <- procExit(cmd.Wait()) }()
	select {
	case code := <-done:
		if code != ExitInterrupted {
			t.Errorf("exit %d", code)
		}
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatal("a second signal did not end the run at once")
	}
	f := readResults(t, filepath.Join(e.dir, "results.csv"))
	if len(f.Records) != 4 {
		t.Fatalf("%d result rows, want 4", len(f.Records))
	}
	for _, x := range f.Records {
		if x.Outcome != "uncertain" && x.Outcome != "failed" {
			t.Errorf("row %d: %s (%s)", x.Row, x.Outcome, x.Error)
		}
	}
}

// Kill -9 at many points while the API drops answers and fails after
// creating orders; run again until nothing is uncertain. Every person
// ends with exactly one order, and the final results match the sandbox.
func TestKillNineNeverOrdersTwice(t *testing.T) {
	bin := binary(t)
	const rows = 120
	e := newEnv(t, rows, sandbox.Config{Latency: 100 * time.Millisecond, FailAfterCreateEvery: 7, DropEvery: 5})
	rng := rand.New(rand.NewPCG(1, 2))
	for kill := 0; kill < 10; kill++ {
		// No account check here, so the kills land among the orders;
		// the runs after them check the account.
		cmd := e.command(bin, "--concurrency", "2", "--no-account-check")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(150+rng.IntN(350)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	killed := len(e.sb.Orders())
	// The kills must have hit runs in the middle: their batches never
	// finished (a run killed before its batch began leaves none).
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
	if midRun < 8 || killed >= rows {
		t.Fatalf("only %d of 10 kills hit a run in the middle (%d orders placed by then): the test proves little", midRun, killed)
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
	e := newEnv(t, 10, sandbox.Config{Latency: 300 * time.Millisecond})
	first := e.command(bin, "--concurrency", "1")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitOrders(t, e.sb, 1)
	second := e.command(bin)
	var stderr strings.Builder
	second.Stderr = &stderr
	if code := procExit(second.Run()); code != ExitUsage || !strings.Contains(stderr.String(), "in use by another certbatch process") {
		t.Errorf("second submit: exit %d\n%s", code, stderr.String())
	}
	if code := procExit(first.Wait()); code != 0 {
		t.Fatalf("first submit: exit %d", code)
	}
	if st := e.sb.Stats(); st.OrderPOSTs != 10 || len(e.sb.Orders()) != 10 {
		t.Errorf("stats %+v", st)
	}
}

// hasIntent reports whether the journal at path records an order attempt.
func hasIntent(path string) bool {
	j, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		return false
	}
	defer j.Close()
	h, err := j.History(journal.HistoryFilter{})
	return err == nil && len(h) > 0
}
