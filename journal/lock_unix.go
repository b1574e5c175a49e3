//go:build unix

package journal

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/certbatch/certbatch/internal/l10n"
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
			return l10n.Errorf("open journal %s: %w", j.path, err)
		}
		path = real
	}
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return l10n.Errorf("open journal %s: not a regular file (%s): a journal must be a file", j.path, fi.Mode().Type())
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
			return l10n.Errorf("open journal %s: the file has %d names (hard links); SQLite keeps its write-ahead log per name, so two names could lose orders: remove the other links", j.path, st.Nlink)
		}
		if id, ok := idOf(fi); ok && held[id] {
			return l10n.Errorf("open journal %s: %w (pid %d, this process)", j.path, ErrLocked, os.Getpid())
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		j.created = true
	} else if errors.Is(err, fs.ErrExist) {
		f, err = os.OpenFile(path, os.O_RDWR, 0)
	}
	if err != nil {
		return l10n.Errorf("open journal %s: %w", j.path, err)
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
			return l10n.Errorf("open journal %s: lock: %w", j.path, err)
		}
		holder := ""
		if pid := readPID(path + ".lock"); pid > 0 {
			holder = " (pid " + strconv.Itoa(pid) + ")"
		}
		return l10n.Errorf("open journal %s: %w%s", j.path, ErrLocked, holder)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return l10n.Errorf("open journal %s: %w", j.path, err)
	}
	// The journal holds personal data: a file others can read (made by
	// hand, restored from a backup, an earlier version's umask) is
	// tightened to 0600 before anything is written to it, and so are
	// SQLite's -wal and -shm files beside it.
	if err := tightenFile(f, fi); err != nil {
		f.Close()
		return l10n.Errorf("open journal %s: %w", j.path, err)
	}
	for _, side := range []string{path + "-wal", path + "-shm"} {
		if err := tighten(side); err != nil {
			f.Close()
			return l10n.Errorf("open journal %s: %w", j.path, err)
		}
	}
	if err := writePID(path + ".lock"); err != nil {
		f.Close()
		return l10n.Errorf("open journal %s: %w", j.path, err)
	}
	j.id, _ = idOf(fi)
	held[j.id] = true
	j.lock = f
	j.real = path
	return nil
}

// privateMode is the mode of the journal and every file beside it.
const privateMode fs.FileMode = 0o600

// tightenFile sets the open file f (whose Stat is fi) to mode 0600 when
// anyone but its owner may read or write it.
func tightenFile(f *os.File, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := f.Chmod(privateMode); err != nil {
		return l10n.Errorf("%s is readable by others (mode %04o) and could not be made private: %w; chmod 600 it", f.Name(), fi.Mode().Perm(), err)
	}
	return nil
}

// tighten is tightenFile for a file that may exist at path. It never
// follows a symbolic link there (O_NOFOLLOW): a link is refused, so a
// planted one cannot redirect the change.
func tighten(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, syscall.ELOOP):
		return l10n.Errorf("%s is a symbolic link: remove it (certbatch never writes through one)", path)
	case err != nil:
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return l10n.Errorf("%s is not a regular file (%s): remove it", path, fi.Mode().Type())
	}
	return tightenFile(f, fi)
}

// writePID records this process's PID in the lock file at path, for the
// message another process gets while this one holds the journal. The
// file is never followed through a symbolic link (O_NOFOLLOW) and never
// written when it has another name (a hard link): either could point
// the write at a file of the user's (PATH.lock -> ~/.bashrc). Such a
// file is refused rather than removed: someone put it there.
func writePID(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, privateMode)
	if errors.Is(err, syscall.ELOOP) {
		return l10n.Errorf("%s is a symbolic link: remove it (certbatch never writes through one)", path)
	}
	if err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !fi.Mode().IsRegular() || ok && st.Nlink > 1 {
		return l10n.Errorf("%s is not a plain file of its own (a hard link or a special file): remove it", path)
	}
	if err := tightenFile(f, fi); err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	return nil
}

// readPID returns the PID a lock file records (0: none), without
// following a symbolic link.
func readPID(path string) int {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return 0
	}
	defer f.Close()
	b := make([]byte, 32)
	n, _ := f.Read(b)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
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

// tightenReader makes the journal at path (through a symbolic link, which
// a reader may be given) private when this process may: a reader that
// cannot change it still reads it.
func tightenReader(path string) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		_ = tighten(real)
	}
}
