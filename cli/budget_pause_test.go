package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/sandbox"
)

// The key's rate budget is one file beside the journal, mode 0600, named
// by a hash of the key, which appears in neither its name nor its
// content; a symbolic link planted at its name is refused, never
// followed.
func TestRateBudgetFileBesideTheJournal(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{IssueDelay: time.Hour})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	p := ratelimit.LedgerPath(e.dir, testKey)
	body, err := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 || strings.Contains(string(body)+p, testKey) {
		t.Fatalf("the rate budget file %s: %v, mode %v", p, err, fi)
	}
	// Another folder's journal, a symlink planted where its budget goes.
	other := filepath.Join(e.dir, "other")
	os.Mkdir(other, 0o700)
	victim := writeFile(t, filepath.Join(e.dir, "victim.txt"), "keep me")
	os.Symlink(victim, ratelimit.LedgerPath(other, testKey))
	r := run(t, e.vars, "status", e.resultsPath(), "--state", filepath.Join(other, "j.db"), "--base-url", e.base, "--quiet")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "symbolic link") {
		t.Errorf("status with a planted symlink: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Errorf("the symlink's target was written: %q", b)
	}
}

// A 429 one process gets pauses every process of the key: another
// admin's run that starts during the pause sends nothing until it ends.
func TestA429PausesEveryProcess(t *testing.T) {
	b := newBudgetEnv(t, 3, sandbox.Config{Windows: []sandbox.Window{}, IssueDelay: time.Hour})
	res := filepath.Join(b.dir, "results.csv")
	b.mustRun(0, "submit", b.input, "--config", b.config, "-o", res, "--yes", "--settle", "0s")
	b.gate.mu.Lock()
	b.gate.fake429 = true
	b.gate.mu.Unlock()
	first := b.proc("status", res, "--concurrency", "1")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.gate.served:
	case <-time.After(2 * time.Minute):
		first.Process.Kill()
		t.Fatal("the first run never read an order")
	}
	// The other admin starts once the first run has recorded its pause
	// in the shared budget (an event the test watches for, not a time).
	led, err := ratelimit.OpenFileLedger(ratelimit.LedgerPath(b.dir, testKey), ratelimit.FileLedgerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(5 * time.Millisecond) {
		id, wait, err := led.Admit(context.Background(), nil)
		if err != nil || wait > 0 {
			break
		}
		led.Finish(context.Background(), id)
		if time.Now().After(deadline) {
			t.Fatal("the run that got the 429 never recorded a pause")
		}
	}
	led.Close()
	b.mustRun(0, "status", res, "-o", filepath.Join(b.dir, "other.csv"))
	if code := procExit(first.Wait()); code != 0 {
		t.Fatalf("the run that got the 429: exit %d", code)
	}
	b.gate.mu.Lock()
	defer b.gate.mu.Unlock()
	for _, a := range b.gate.arrivals {
		if a.After(b.gate.at429) && a.Before(b.gate.at429.Add(3*time.Second)) {
			t.Fatalf("a request arrived %v after the 429 that asked for a 3 s pause", a.Sub(b.gate.at429))
		}
	}
}
