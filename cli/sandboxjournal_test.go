package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/journal"
)

// With several journals in the state directory (a demo's sandbox.db
// beside production's), history says how to choose, and --sandbox reads
// the sandbox runs' journal.
func TestHistorySandboxJournal(t *testing.T) {
	dir := t.TempDir()
	states := filepath.Join(dir, "state", "certbatch")
	if err := os.MkdirAll(states, 0o700); err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(filepath.Join(states, "sandbox.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	// Not a journal: reading it would fail.
	if err := os.WriteFile(filepath.Join(states, "www.digicert.com.db"), []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state")}
	r := run(t, env, "history")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--journal FILE") || !strings.Contains(r.stderr, "--sandbox") {
		t.Errorf("history with two journals: exit %d, stderr %q; want a usage error naming --journal and --sandbox", r.code, r.stderr)
	}
	r = run(t, env, "history", "--sandbox")
	if r.code != 0 || !strings.Contains(r.stdout, "(no orders match)") {
		t.Errorf("history --sandbox: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
