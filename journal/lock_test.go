//go:build unix

package journal

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/order"
)

// The lock file records the holder's PID. A symbolic link planted at its
// name (PATH.lock -> a file of the user's) is never written through
// (O_NOFOLLOW), and neither is a second name of another file (a hard
// link): the journal is refused, naming the file, and the target keeps
// its content.
func TestLockFileIsNeverWrittenThroughALink(t *testing.T) {
	for _, kind := range []string{"symlink", "hard link"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "j.db")
			victim := filepath.Join(dir, "bashrc")
			if err := os.WriteFile(victim, []byte("precious\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			link := os.Symlink
			if kind == "hard link" {
				link = os.Link
			}
			if err := link(victim, p+".lock"); err != nil {
				t.Fatal(err)
			}
			j, err := Open(p, Options{})
			if err == nil {
				j.Close()
				t.Fatal("a journal whose lock file is a link was opened")
			}
			if !strings.Contains(err.Error(), p+".lock") {
				t.Errorf("the error does not name the lock file: %v", err)
			}
			if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
				t.Errorf("the link's target was written: %q", b)
			}
			// Once the link is gone the journal opens, and the lock file
			// holds this process's PID.
			os.Remove(p + ".lock")
			j = open(t, p)
			b, err := os.ReadFile(p + ".lock")
			if err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
				t.Errorf("lock file = %q, %v; want the PID", b, err)
			}
			j.Close()
		})
	}
}

// A journal others may read (an earlier version's umask, a file restored
// from a backup) is made private when it is opened, by a writer and by a
// reader, and so are the lock file and SQLite's files beside it.
func TestOpenTightensTheJournalTo0600(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "j.db")
	j := open(t, p)
	if _, err := j.BeginBatch("submit", "in.csv", "abc", []string{"Email"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	loosen := func() {
		t.Helper()
		for _, f := range []string{p, p + ".lock"} {
			if err := os.Chmod(f, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// A -shm file left by a crash, readable by everyone.
		if err := os.WriteFile(p+"-shm", nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p+"-shm", 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(who string, files ...string) {
		t.Helper()
		for _, f := range files {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s has mode %04o after open, want 0600", who, filepath.Base(f), st.Mode().Perm())
			}
		}
	}
	loosen()
	j = open(t, p)
	check("writer", p, p+".lock", p+"-shm", p+"-wal")
	j.Close()

	loosen()
	r, err := Open(p, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	check("reader", p)
}

// A journal made before the rows' name, email and note columns
// (migration 6) is read as it is (those cells empty) and gains them when
// a writer upgrades it; its rows keep what they held.
func TestRowsGainNameEmailNoteInPlace(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.db")
	j := open(t, p)
	b, err := j.BeginBatch("submit", "in.csv", "abc", []string{"Email"})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.PutRows(b.ID, []order.Result{{Row: 2, Input: []string{"a@x"}, Outcome: order.Ordered, Answer: order.Answer{OrderID: 5}}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"ALTER TABLE rows DROP COLUMN name", "ALTER TABLE rows DROP COLUMN email", "ALTER TABLE rows DROP COLUMN note", "PRAGMA user_version=5"} {
		if _, err := j.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	rows := func(j *Journal) []order.Result {
		t.Helper()
		var got []order.Result
		if err := j.Rows(b.ID, func(r order.Result) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	r, err := Open(p, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(r); len(got) != 1 || got[0].OrderID != 5 || got[0].Name != "" {
		t.Errorf("reader: %+v", got)
	}
	r.Close()
	w := open(t, p)
	if err := w.PutRows(b.ID, []order.Result{{Row: 3, Input: []string{"b@x"}, Outcome: order.Skipped, Name: "Bo Kim", Email: "B@x", Note: "already ordered"}}); err != nil {
		t.Fatal(err)
	}
	got := rows(w)
	if len(got) != 2 || got[0].OrderID != 5 || got[1].Name != "Bo Kim" || got[1].Email != "B@x" || got[1].Note != "already ordered" {
		t.Errorf("writer: %+v", got)
	}
}
