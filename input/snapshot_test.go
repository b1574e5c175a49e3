package input

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSnapshotWorkbookAndRefusals(t *testing.T) {
	p := makeWorkbook(t)
	st, _ := os.Stat(p)
	s, err := Snapshot(p, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !os.SameFile(s.Info(), st) {
		t.Error("Info is not the original file's")
	}
	os.WriteFile(p, []byte("changed"), 0o600) // the copy does not change
	for range 2 {
		r, err := s.Open(Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rows := readAll(t, r); len(rows) != 4 || rows[0].Cells[0] != "1234567" {
			t.Fatalf("rows %+v", rows)
		}
		r.Close()
	}
	for _, c := range []struct {
		path, want string
	}{
		{t.TempDir(), "not a regular file"},
		{"/dev/null", "not a regular file"},
		{filepath.Join(t.TempDir(), "missing.csv"), "no such file"},
	} {
		if _, err := Snapshot(c.path, 1<<20); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Snapshot(%s) = %v, want %q", c.path, err, c.want)
		}
	}
	big := filepath.Join(t.TempDir(), "big.csv")
	os.WriteFile(big, []byte(strings.Repeat("x", 2000)), 0o600)
	if _, err := Snapshot(big, 1000); err == nil || !strings.Contains(err.Error(), "larger than 1000 bytes") {
		t.Errorf("over maxBytes: %v", err)
	}
}
