package cli

import (
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

// checkStoppedRun checks what a stopped submit of rows people left: exit
// 130, a results file with every row, the order in flight finished and
// the rest not sent.
func checkStoppedRun(t *testing.T, e *env, code, rows int, stderr string) {
	t.Helper()
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInterrupted, stderr)
	}
	res := e.results()
	if len(res) != rows {
		t.Fatalf("results hold %d of %d rows", len(res), rows)
	}
	n := map[string]int{}
	for _, x := range res {
		n[x.outcome]++
	}
	if n["ordered"] != len(e.sb.Orders()) || n["ordered"]+n["failed"] != rows || n["failed"] == 0 {
		t.Errorf("outcomes %v, sandbox holds %d orders: the order in flight finishes, the rest are not sent", n, len(e.sb.Orders()))
	}
	e.checkMatchesSandbox(res)
}

// SIGHUP (the SSH session running submit closed) stops the run like
// SIGTERM: no new orders, the one in flight finishes, every row gets a
// result, exit 130. Before, SIGHUP killed the process with no results.
func TestHangupStopsTheRunAndWritesResults(t *testing.T) {
	bin := binary(t)
	e, gate := newGatedEnv(t, 12, sandbox.Config{})
	held := gate.arm(3, pass)
	cmd := e.command(bin, "--concurrency", "1", "--grace", "1h", "--no-account-check")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	exited := startHeld(t, cmd, held, "hangup")
	cmd.Process.Signal(syscall.SIGHUP)
	gate.open()
	checkStoppedRun(t, e, <-exited, 12, stderr.String())
	if !strings.Contains(stderr.String(), "hangup") {
		t.Errorf("stderr does not say why the run stopped:\n%s", stderr.String())
	}
}

// `certbatch submit ... 2>&1 | head` : once head has exited, the next
// line certbatch writes meets a closed pipe. That stops the run like
// SIGTERM (results written, exit 130) instead of killing it with
// SIGPIPE. The pipe is closed while an order is held in flight; -v logs
// that order's answer, which is the first write to meet the closed pipe.
func TestClosedOutputPipeStopsTheRunAndWritesResults(t *testing.T) {
	bin := binary(t)
	e, gate := newGatedEnv(t, 12, sandbox.Config{})
	held := gate.arm(3, pass)
	cmd := e.command(bin, "--concurrency", "1", "--grace", "1h", "--no-account-check", "-v")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = w
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		io.Copy(io.Discard, r)
	}()
	exited := startHeld(t, cmd, held, "closed pipe")
	w.Close() // the child holds its own copy
	r.Close() // the reader goes away, like head
	<-drained
	gate.open()
	checkStoppedRun(t, e, <-exited, 12, "")
}
