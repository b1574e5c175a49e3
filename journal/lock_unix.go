//go:build unix

package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// held lists the journal files (by device and inode) this process holds
// the writer lock on. A second Open of the same file, under any name, is
// refused from it without opening the file again: closing a second
// descriptor of the file would drop SQLite's own POSIX locks on it.
var (
	heldMu sync.Mutex
	held   = map[fileID]bool{}
)

type fileID struct{ dev, ino uint64 }

func idOf(fi fs.FileInfo) (fileID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}, true
}

// acquire takes the writer lock: an exclusive, non-blocking flock on the
// journal file itself, so every name of the file (a symlink, a hard
// link) is the same lock. It resolves symlinks first (SQLite keeps its
// write-ahead log beside the name it opens, so it must always open the
// same name) and refuses a file with more than one hard link, a file
// that is not a regular file, and a name it cannot resolve. The
// descriptor is held until release. PATH.lock records the holder's PID,
// for the message other processes get; it is not the lock.
func (j *Journal) acquire() error {
	heldMu.Lock()
	defer heldMu.Unlock()
	path := j.path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return fmt.Errorf("open journal %s: %w", j.path, err)
		}
		path = real
	}
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("open journal %s: not a regular file (%s): a journal must be a file", j.path, fi.Mode().Type())
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
			return fmt.Errorf("open journal %s: the file has %d names (hard links); SQLite keeps its write-ahead log per name, so two names could lose orders: remove the other links", j.path, st.Nlink)
		}
		if id, ok := idOf(fi); ok && held[id] {
			return fmt.Errorf("open journal %s: %w (pid %d, this process)", j.path, ErrLocked, os.Getpid())
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		j.created = true
	} else if errors.Is(err, fs.ErrExist) {
		f, err = os.OpenFile(path, os.O_RDWR, 0)
	}
	if err != nil {
		return fmt.Errorf("open journal %s: %w", j.path, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("open journal %s: lock: %w", j.path, err)
		}
		holder := ""
		if b, rerr := os.ReadFile(path + ".lock"); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil && pid > 0 {
				holder = " (pid " + strconv.Itoa(pid) + ")"
			}
		}
		return fmt.Errorf("open journal %s: %w%s", j.path, ErrLocked, holder)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("open journal %s: %w", j.path, err)
	}
	j.id, _ = idOf(fi)
	held[j.id] = true
	j.lock = f
	j.real = path
	// The PID is only informative: failing to write it is no reason to
	// refuse the journal.
	_ = os.WriteFile(path+".lock", []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return nil
}

// release drops the writer lock, if held. It runs after the database is
// closed.
func (j *Journal) release() {
	if j.lock == nil {
		return
	}
	heldMu.Lock()
	delete(held, j.id)
	heldMu.Unlock()
	j.lock.Close() // closing the descriptor releases the flock
	j.lock = nil
}
