package pipeline

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
)

// PasswordBook is the file of the .p12 passwords, meant for a channel
// other than the .p12 files' (S/MIME BR §6.1.2: the password "must be
// delivered to the Subscriber securely and separately from the
// container holding the Private Key"): CSV with the columns row, person
// (the email, or the key column's value), file, password, written_at, one line per .p12, mode 0600. It is never
// the results file and never in the log.
//
// A password is appended and synced to disk before its .p12 is written,
// so no .p12 exists whose password was lost. A .p12 made again (its
// first writing was interrupted) gets a new line; the file is rewritten
// with only the newest line of each .p12 when opened and when closed.
type PasswordBook struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

// PasswordHeader is the first line of a passwords file.
var PasswordHeader = []string{"row", "person", "file", "password", "written_at"}

// NewPasswordBook returns the passwords file at path; it is opened
// (created when missing, tidied first) when the first password is added,
// so a run that hands nothing over leaves no file.
func NewPasswordBook(path string) *PasswordBook { return &PasswordBook{path: path} }

// open opens the file for appending; b.mu is held.
func (b *PasswordBook) open() error {
	if b.f != nil {
		return nil
	}
	if err := b.compact(); err != nil {
		return err
	}
	f, err := os.OpenFile(b.path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return l10n.Errorf("passwords file: %w", err)
	}
	b.f = f
	return nil
}

// Path returns the file's path.
func (b *PasswordBook) Path() string { return b.path }

// Add records the password of the .p12 file (a base name) of row and
// person, durably: it returns once the line is on stable storage.
func (b *PasswordBook) Add(row int, person, file, password string) error {
	var line bytes.Buffer
	w := csv.NewWriter(&line)
	w.Write([]string{fmt.Sprint(row), person, file, password, time.Now().UTC().Format(time.RFC3339)})
	w.Flush()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.open(); err != nil {
		return err
	}
	if _, err := b.f.Write(line.Bytes()); err != nil {
		return l10n.Errorf("passwords file %s: %w", b.path, err)
	}
	if err := b.f.Sync(); err != nil {
		return l10n.Errorf("passwords file %s: %w", b.path, err)
	}
	return nil
}

// Close closes the file and rewrites it with the newest line per .p12.
func (b *PasswordBook) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.f == nil {
		return nil
	}
	err := b.f.Close()
	b.f = nil
	if cerr := b.compact(); err == nil {
		err = cerr
	}
	return err
}

// ReadPasswords reads a passwords file: file name -> password (the
// newest line of each). A last line cut short by a crash is left out.
func ReadPasswords(path string) (map[string]string, error) {
	rows, err := readPasswordRows(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r[2]] = r[3]
	}
	return out, nil
}

func readPasswordRows(path string) ([][]string, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, l10n.Errorf("passwords file: %w", err)
	}
	var rows [][]string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 4096), 1<<20)
	first := true
	for sc.Scan() {
		rec, err := csv.NewReader(bytes.NewReader(sc.Bytes())).Read()
		if err != nil || len(rec) != len(PasswordHeader) {
			// Only a line whose writing was cut short can be malformed:
			// its .p12 was never written (the line is synced first).
			continue
		}
		if first && slices.Equal(rec, PasswordHeader) {
			first = false
			continue
		}
		first = false
		rows = append(rows, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, l10n.Errorf("passwords file %s: %w", path, err)
	}
	return rows, nil
}

// compact rewrites the file (atomically, mode 0600) with the header and
// the newest line of each .p12, in the order they were first written.
func (b *PasswordBook) compact() error {
	rows, err := readPasswordRows(b.path)
	if err != nil {
		return err
	}
	last := map[string]int{}
	for i, r := range rows {
		last[r[2]] = i
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(PasswordHeader)
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r[2]] {
			continue
		}
		seen[r[2]] = true
		w.Write(rows[last[r[2]]])
	}
	w.Flush()
	if err := atomicfile.WriteFile(b.path, buf.Bytes()); err != nil {
		return l10n.Errorf("passwords file: %w", err)
	}
	return nil
}
