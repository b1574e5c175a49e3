//go:build unix

package journal

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// acquire takes the writer lock: an exclusive, non-blocking flock on
// PATH.lock, held by an open file description until release. flock
// belongs to the open file description, so a second Open in the same
// process conflicts too. The file then holds the holder's PID, for the
// message others get.
func (j *Journal) acquire() error {
	lp := j.path + ".lock"
	lf, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open journal %s: lock: %w", j.path, err)
	}
	for {
		err = syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		lf.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("open journal %s: lock %s: %w", j.path, lp, err)
		}
		holder := ""
		if b, rerr := os.ReadFile(lp); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil && pid > 0 {
				holder = " (pid " + strconv.Itoa(pid) + ")"
			}
		}
		return fmt.Errorf("open journal %s: %w%s", j.path, ErrLocked, holder)
	}
	// The PID is only informative: failing to write it is no reason to
	// refuse the journal.
	if lf.Truncate(0) == nil {
		_, _ = lf.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	j.lock = lf
	return nil
}

// release drops the writer lock, if held.
func (j *Journal) release() {
	if j.lock != nil {
		j.lock.Close() // closing the last descriptor releases the flock
		j.lock = nil
	}
}
