package ratelimit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// FileLedger is a [Ledger] kept in one file on this machine, shared by
// every certbatch process that uses one API key: each operation takes an
// exclusive flock on the file, reads it, decides with [WaitFor] and
// writes it back, so check and record are one step for every process.
// The file lives beside the journal ([LedgerPath]), mode 0600; its name
// and content hold a hash of the key, never the key.
//
// The file is rewritten in place, not renamed, because the lock is on
// the file itself: the new content is written in one write at offset 0
// and carries its length and a checksum, so a process killed between
// that write and the truncation that follows leaves a readable file. It
// is not synced to disk: it describes the next few minutes, which a
// power loss ends anyway. A file that cannot be read back (a crash of
// the machine mid-write) is replaced by an empty ledger paused for
// [DigiCertLongest]: after that nothing it held could still count at
// DigiCert.
type FileLedger struct {
	path string
	now  func() time.Time
	log  *slog.Logger

	mu sync.Mutex // one operation at a time in this process; flock orders processes
	f  *os.File
}

// FileLedgerOptions configure [OpenFileLedger]; the zero value is what
// certbatch uses.
type FileLedgerOptions struct {
	// Now is the clock; nil means time.Now. Every process sharing the
	// file must use the same clock: the machine's.
	Now func() time.Time
	// Log receives a warning when an unreadable file is replaced; nil
	// discards it.
	Log *slog.Logger
}

// DigiCertLongest is the longest window DigiCert documents (1000
// requests per 3 minutes,
// https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html):
// no request older than that counts against the key any more.
const DigiCertLongest = 3 * time.Minute

// Limits of the file format.
const (
	ledgerMagic   = "CBRATE2\n"
	ledgerHeader  = 8 + 4 + 4 + 8 + 8 + 8 // magic, crc32, count, pause start and end, retain
	ledgerRecord  = 8 + 8 + 8             // id, start, end
	maxAdmissions = 1 << 20               // 24 MiB: far beyond any real window
)

// LedgerPath returns the ledger file of an API key in dir:
// dir/ratelimit-HASH.ledger, HASH being the first 32 hexadecimal digits
// of a SHA-256 over a fixed prefix and the key. The key itself is never
// written anywhere.
func LedgerPath(dir, key string) string {
	h := sha256.Sum256([]byte("certbatch rate budget v1\x00" + key))
	return filepath.Join(dir, "ratelimit-"+hex.EncodeToString(h[:16])+".ledger")
}

// OpenFileLedger opens the ledger file at path, creating it (mode 0600)
// when missing. It refuses a symbolic link at path (never followed), a
// file that is not a regular file, has other names (hard links) or
// belongs to another user; a file readable by others is made 0600. It
// needs flock, so it fails on platforms without it.
func OpenFileLedger(path string, opts FileLedgerOptions) (*FileLedger, error) {
	f, err := openLedgerFile(path)
	if err != nil {
		return nil, l10n.Errorf("open rate budget %s: %w", path, err)
	}
	l := &FileLedger{path: path, now: opts.Now, log: opts.Log, f: f}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	return l, nil
}

// Path returns the ledger's file.
func (l *FileLedger) Path() string { return l.path }

// ledgerState is the file's content.
type ledgerState struct {
	// pausedAt and paused are when the latest pause was recorded and
	// until when it holds.
	pausedAt, paused time.Time
	retain           time.Duration // the longest window any caller asked for
	held             []Admission
}

// settle moves times recorded after now (the clock was set back since)
// to now, and reports whether it moved any: a pause then lasts its own
// length from now, and those requests count for a window from now, not
// for as long as the clock moved.
func (st *ledgerState) settle(now time.Time) bool {
	moved := false
	if st.pausedAt.After(now) {
		st.pausedAt, st.paused, moved = now, now.Add(st.paused.Sub(st.pausedAt)), true
	}
	for i := range st.held {
		a := &st.held[i]
		if a.Start.After(now) {
			a.Start, moved = now, true
		}
		if a.End.After(now) {
			a.End, moved = now, true
		}
	}
	return moved
}

// Admit implements [Ledger].
func (l *FileLedger) Admit(ctx context.Context, windows []Window) (string, time.Duration, error) {
	var id uint64
	var wait time.Duration
	err := l.update(ctx, "admit", func(st *ledgerState, now time.Time) bool {
		st.retain = max(st.retain, longest(windows))
		if wait = WaitFor(now, windows, st.held, st.paused); wait > 0 {
			return false
		}
		var b [8]byte
		rand.Read(b[:])
		id = binary.LittleEndian.Uint64(b[:]) | 1 // never 0
		st.held = append(st.held, Admission{ID: id, Start: now})
		return true
	})
	if err != nil || wait > 0 {
		return "", wait, err
	}
	return strconv.FormatUint(id, 16), 0, nil
}

// Finish implements [Ledger].
func (l *FileLedger) Finish(ctx context.Context, id string) error {
	n, err := strconv.ParseUint(id, 16, 64)
	if err != nil {
		return nil // not one of ours: nothing to finish
	}
	return l.update(ctx, "finish", func(st *ledgerState, now time.Time) bool {
		for i := range st.held {
			if a := &st.held[i]; a.ID == n && a.End.IsZero() {
				a.End = now
				return true
			}
		}
		return false
	})
}

// Pause implements [Ledger].
func (l *FileLedger) Pause(ctx context.Context, d time.Duration) error {
	return l.update(ctx, "pause", func(st *ledgerState, now time.Time) bool {
		if until := now.Add(d); until.After(st.paused) {
			st.pausedAt, st.paused = now, until
			return true
		}
		return false
	})
}

// Close implements [Ledger]: it closes the file (the records stay).
func (l *FileLedger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// update runs change on the ledger's content under the lock and writes
// the content back when change reports a change (or stale records were
// dropped).
func (l *FileLedger) update(ctx context.Context, op string, change func(st *ledgerState, now time.Time) bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return l10n.Errorf("rate budget %s: %s: closed", l.path, op)
	}
	if err := lockFile(ctx, l.f); err != nil {
		return l10n.Errorf("rate budget %s: %s: lock: %w", l.path, op, err)
	}
	defer unlockFile(l.f)
	now := l.now().Round(0) // wall clock only: other processes read it
	st, replaced, err := l.read(now)
	if err != nil {
		return l10n.Errorf("rate budget %s: %s: %w", l.path, op, err)
	}
	n := len(st.held)
	replaced = st.settle(now) || replaced
	changed := change(st, now)
	st.held = dropStale(st.held, now, st.retain)
	if changed || replaced || len(st.held) != n {
		if err := l.write(st); err != nil {
			return l10n.Errorf("rate budget %s: %s: %w", l.path, op, err)
		}
	}
	return nil
}

// dropStale removes the admissions no window can count any more, and
// the oldest beyond maxAdmissions.
func dropStale(held []Admission, now time.Time, retain time.Duration) []Admission {
	out := held[:0]
	for _, a := range held {
		if !a.stale(now, retain) {
			out = append(out, a)
		}
	}
	if len(out) > maxAdmissions {
		out = out[len(out)-maxAdmissions:]
	}
	return out
}

// ErrNoFlock is OpenFileLedger's error where the platform has no flock:
// the caller then limits each process on its own.
var ErrNoFlock = l10n.Errorf("a rate budget shared by processes needs flock, which this platform does not have")

// errCorrupt marks a file whose content is not a ledger.
var errCorrupt = l10n.Errorf("not a readable rate budget")

// read reads the file's content. An empty file is an empty ledger; an
// unreadable one is replaced (replaced is true) by an empty ledger
// paused for DigiCertLongest (see FileLedger).
func (l *FileLedger) read(now time.Time) (st *ledgerState, replaced bool, err error) {
	if _, err := l.f.Seek(0, io.SeekStart); err != nil {
		return nil, false, err
	}
	b, err := io.ReadAll(io.LimitReader(l.f, ledgerHeader+maxAdmissions*ledgerRecord+1))
	if err != nil {
		return nil, false, err
	}
	if len(b) == 0 {
		return &ledgerState{}, false, nil
	}
	if st, err = decodeLedger(b); err != nil {
		l.log.Warn("the shared rate budget was unreadable and starts again, paused for DigiCert's longest window",
			"file", l.path, "error", err.Error(), "pause", DigiCertLongest.String())
		return &ledgerState{pausedAt: now, paused: now.Add(DigiCertLongest), retain: DigiCertLongest}, true, nil
	}
	return st, false, nil
}

func decodeLedger(b []byte) (*ledgerState, error) {
	if len(b) < ledgerHeader || string(b[:8]) != ledgerMagic {
		return nil, errCorrupt
	}
	le := binary.LittleEndian
	sum, count := le.Uint32(b[8:]), int(le.Uint32(b[12:]))
	if count > maxAdmissions || len(b) < ledgerHeader+count*ledgerRecord {
		return nil, errCorrupt
	}
	body := b[16 : ledgerHeader+count*ledgerRecord]
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errCorrupt
	}
	st := &ledgerState{pausedAt: fromNanos(int64(le.Uint64(b[16:]))), paused: fromNanos(int64(le.Uint64(b[24:]))),
		retain: time.Duration(le.Uint64(b[32:]))}
	if st.retain < 0 {
		return nil, errCorrupt
	}
	st.held = make([]Admission, count)
	for i := range st.held {
		r := b[ledgerHeader+i*ledgerRecord:]
		st.held[i] = Admission{ID: le.Uint64(r), Start: fromNanos(int64(le.Uint64(r[8:]))), End: fromNanos(int64(le.Uint64(r[16:])))}
	}
	return st, nil
}

func encodeLedger(st *ledgerState) []byte {
	le := binary.LittleEndian
	b := make([]byte, ledgerHeader+len(st.held)*ledgerRecord)
	copy(b, ledgerMagic)
	le.PutUint32(b[12:], uint32(len(st.held)))
	le.PutUint64(b[16:], uint64(toNanos(st.pausedAt)))
	le.PutUint64(b[24:], uint64(toNanos(st.paused)))
	le.PutUint64(b[32:], uint64(st.retain))
	for i, a := range st.held {
		r := b[ledgerHeader+i*ledgerRecord:]
		le.PutUint64(r, a.ID)
		le.PutUint64(r[8:], uint64(toNanos(a.Start)))
		le.PutUint64(r[16:], uint64(toNanos(a.End)))
	}
	le.PutUint32(b[8:], crc32.ChecksumIEEE(b[16:]))
	return b
}

// write replaces the content: one write at offset 0, then the length.
func (l *FileLedger) write(st *ledgerState) error {
	b := encodeLedger(st)
	if _, err := l.f.WriteAt(b, 0); err != nil {
		return err
	}
	return l.f.Truncate(int64(len(b)))
}

func toNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
