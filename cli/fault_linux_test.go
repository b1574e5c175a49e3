//go:build linux

package cli

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
)

// setFileSizeLimit sets another process's RLIMIT_FSIZE (prlimit(2)):
// from then on, that process cannot write a file beyond limit bytes. A
// write that would cross it is cut short and the next fails with EFBIG
// (the kernel's SIGXFSZ is ignored by Go programs that do not ask for
// it), which is what a full disk looks like to SQLite: SQLITE_FULL.
func setFileSizeLimit(t *testing.T, pid int, limit uint64) {
	t.Helper()
	var old syscall.Rlimit
	if _, _, e := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_FSIZE, 0, uintptr(unsafe.Pointer(&old)), 0, 0); e != 0 {
		t.Fatalf("prlimit: %v", e)
	}
	lim := syscall.Rlimit{Cur: limit, Max: old.Max}
	if _, _, e := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_FSIZE, uintptr(unsafe.Pointer(&lim)), 0, 0, 0); e != 0 {
		t.Fatalf("prlimit: %v", e)
	}
}

// A journal that cannot be written (its disk full, simulated by limiting
// the submit process's file size to what its journal's write-ahead log
// holds while an order is in flight) stops the run before the next
// order is sent, and every row's result is still written, to the results
// file, which the error names. The next run, with room again, checks
// DigiCert for the order whose answer the journal could not keep and
// orders the rest: nobody twice.
func TestFullJournalStopsBeforeTheNextOrderAndWritesResults(t *testing.T) {
	bin := binary(t)
	e, gate := newGatedEnv(t, 10, sandbox.Config{})
	held := gate.arm(3, pass)
	cmd := e.command(bin, "--concurrency", "1", "--no-account-check", "--grace", "1h")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	exited := startHeld(t, cmd, held, "full journal")
	// The third order is on the wire: its intent is in the journal's
	// write-ahead log. Nothing more may be written to the log from now on.
	wal, err := os.Stat(e.state + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	setFileSizeLimit(t, cmd.Process.Pid, uint64(wal.Size()))
	gate.open()
	code := <-exited
	if code != ExitError {
		t.Fatalf("exit %d, want %d\n%s", code, ExitError, stderr.String())
	}
	res := e.resultsPath()
	msg := stderr.String()
	if !strings.Contains(msg, "could not be written") || !strings.Contains(msg, "nothing more was sent") || !strings.Contains(msg, "every row's result is in "+res) {
		t.Errorf("the error does not say the run stopped and where the results are:\n%s", msg)
	}
	if n := e.sb.Stats().OrderPOSTs; n != 3 {
		t.Errorf("%d order POSTs, want 3: none after the journal failed", n)
	}
	f := readResults(t, res)
	if len(f.Records) != 10 {
		t.Fatalf("the results hold %d of 10 rows", len(f.Records))
	}
	n := map[order.Outcome]int{}
	for _, x := range f.Records {
		n[x.Outcome]++
	}
	if n[order.Ordered] != 3 || n[order.Failed] != 7 {
		t.Errorf("outcomes %v, want the 3 orders placed and 7 not sent", n)
	}
	if x := f.Records[2]; x.Outcome != order.Ordered || x.OrderID == 0 || !strings.Contains(x.Error, "could not be journaled") {
		t.Errorf("the order whose answer the journal could not keep: %+v", x)
	}
	if st, err := os.Stat(res); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("results file: %v %v", st, err)
	}

	// Room again: the next run finishes the batch, ordering nobody twice.
	if code := procExit(e.command(bin, "--concurrency", "2").Run()); code != 0 {
		t.Fatalf("the run after: exit %d", code)
	}
	for email, ids := range e.ordersByEmail() {
		if len(ids) != 1 {
			t.Errorf("%s has %d orders", email, len(ids))
		}
	}
	if got := len(e.sb.Orders()); got != 10 {
		t.Errorf("%d orders after the second run, want 10", got)
	}
}
