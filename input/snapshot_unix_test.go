//go:build unix

package input

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

func TestSnapshotFIFOReadOnceOpenedTwice(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	p := filepath.Join(dir, "staff.csv")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	data := "Name;Email\nKim;k@x.com\nLee;l@x.com\n"
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(data)
		f.Close()
	}()
	s, err := Snapshot(p, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("the copy is visible in the temporary directory: %v", ents)
	}
	sum := sha256.Sum256([]byte(data))
	if s.Name() != "staff.csv" || s.Size() != int64(len(data)) || s.SHA256() != hex.EncodeToString(sum[:]) || s.Info().Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("name %q size %d sum %s mode %v", s.Name(), s.Size(), s.SHA256(), s.Info().Mode())
	}
	var got [][][]string
	for range 2 {
		r, err := s.Open(Options{})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, cellsOf(readAll(t, r)))
		r.Close()
	}
	want := [][]string{{"Kim", "k@x.com"}, {"Lee", "l@x.com"}}
	if !reflect.DeepEqual(got[0], want) || !reflect.DeepEqual(got[1], want) {
		t.Fatalf("opens gave %q", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
