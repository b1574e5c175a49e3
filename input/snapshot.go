package input

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"

	"github.com/certbatch/certbatch/internal/l10n"
)

// A Snap is a private copy of an input file, taken once, so that what a
// person confirmed is what is sent: the copy lives in an unlinked
// temporary file (nothing is left behind, even after kill -9) and can be
// read any number of times, however the original changes.
type Snap struct {
	name string
	f    *os.File
	size int64
	sum  string
	info os.FileInfo
}

// Snapshot copies path (a regular file or a FIFO; directories and
// devices are refused) into an unlinked temporary file, at most maxBytes,
// computing its SHA-256 on the way.
func Snapshot(path string, maxBytes int64) (*Snap, error) {
	src, err := os.Open(path)
	if err != nil {
		return nil, l10n.Errorf("snapshot input: %w", err)
	}
	defer src.Close()
	info, err := src.Stat()
	if err != nil {
		return nil, l10n.Errorf("snapshot input: %w", err)
	}
	if m := info.Mode(); !m.IsRegular() && m&os.ModeNamedPipe == 0 {
		return nil, l10n.Errorf("snapshot %s: not a regular file (%s)", path, m.Type())
	}
	tmp, err := os.CreateTemp("", "certbatch-input-*")
	if err != nil {
		return nil, l10n.Errorf("snapshot %s: %w", path, err)
	}
	// Unlinked at once: the open file is the only reference. Where an
	// open file cannot be removed, Close removes it.
	removed := os.Remove(tmp.Name()) == nil
	fail := func(err error) (*Snap, error) {
		tmp.Close()
		if !removed {
			os.Remove(tmp.Name())
		}
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(src, maxBytes+1))
	if err != nil {
		return fail(l10n.Errorf("snapshot %s: %w", path, err))
	}
	if n > maxBytes {
		return fail(l10n.Errorf("snapshot %s: the file is larger than %s", path, size(maxBytes)))
	}
	s := &Snap{name: filepath.Base(path), f: tmp, size: n, sum: hex.EncodeToString(h.Sum(nil)), info: info}
	return s, nil
}

// Name returns the original file's base name.
func (s *Snap) Name() string { return s.name }

// SHA256 returns the hex SHA-256 of the content.
func (s *Snap) SHA256() string { return s.sum }

// Size returns the content's size in bytes.
func (s *Snap) Size() int64 { return s.size }

// Info returns the original file's stat, taken when it was opened, for
// os.SameFile checks against output paths.
func (s *Snap) Info() os.FileInfo { return s.info }

// Open returns a fresh Reader over the snapshot, by the original name's
// extension, as [Open] does. Readers may be open at the same time.
func (s *Snap) Open(opts Options) (Reader, error) {
	return OpenAt(s.f, s.size, s.name, opts)
}

// Close releases the copy; Readers from Open stop working.
func (s *Snap) Close() error {
	name := s.f.Name()
	err := s.f.Close()
	if _, serr := os.Lstat(name); serr == nil {
		os.Remove(name)
	}
	return err
}
