// Package atomicfile writes files so that readers see either the old
// content or the complete new content, never a partial file.
//
// A [File] is a temporary file created beside its destination with mode
// 0600. [File.Commit] flushes it to stable storage and renames it over the
// destination; [File.Abort] removes it. Every file certbatch writes for a
// user (results, payloads, templates, history) goes through this package.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Mode is the permission every committed file gets: readable and writable
// by its owner only, because results hold personal data.
const Mode os.FileMode = 0o600

// File is a pending atomic write. It embeds the temporary *os.File, so it
// can be used as an io.Writer.
type File struct {
	*os.File
	dest string
	done bool
}

// Create starts an atomic write of path. The temporary file lives in the
// same directory, so the final rename never crosses file systems.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if err := f.Chmod(Mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{File: f, dest: path}, nil
}

// Dest returns the path the file will have once committed.
func (f *File) Dest() string { return f.dest }

// Commit syncs the temporary file, closes it and renames it to its
// destination. After Commit, Abort is a no-op.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: commit after commit or abort")
	}
	f.done = true
	tmp := f.File.Name()
	if err := f.File.Sync(); err != nil {
		f.File.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", f.dest, err)
	}
	if err := f.File.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", f.dest, err)
	}
	if err := os.Rename(tmp, f.dest); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", f.dest, err)
	}
	if d, err := os.Open(filepath.Dir(f.dest)); err == nil {
		d.Sync() // best effort: make the rename itself durable
		d.Close()
	}
	return nil
}

// Abort discards the temporary file. It is safe to call after Commit, which
// makes `defer f.Abort()` the usual pattern.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.File.Name())
}

// WriteFile atomically replaces path with data.
func WriteFile(path string, data []byte) error {
	return WriteWith(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteWith atomically replaces path with what write writes, for instance
// an excelize workbook; when write fails nothing is left behind.
func WriteWith(path string, write func(io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
