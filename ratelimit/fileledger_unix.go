//go:build unix

package ratelimit

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// openLedgerFile opens path for reading and writing, creating it mode
// 0600. O_NOFOLLOW makes a symbolic link planted at path an error
// instead of a way to make certbatch write another file; the checks on
// the open descriptor refuse what is not the owner's own regular file
// with one name.
func openLedgerFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, l10n.Errorf("it is a symbolic link: refused (remove it; certbatch creates the file itself)")
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.Mode().IsRegular():
		err = l10n.Errorf("not a regular file (%s): refused", fi.Mode().Type())
	case !ok:
	case st.Nlink != 1:
		err = l10n.Errorf("the file has %d names (hard links): refused (remove it; certbatch creates the file itself)", st.Nlink)
	case int(st.Uid) != os.Getuid():
		err = l10n.Errorf("the file belongs to user %d, not to you: refused", st.Uid)
	}
	if err == nil && fi.Mode().Perm() != 0o600 {
		err = f.Chmod(0o600)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// lockFile takes an exclusive flock on f, trying again every few
// milliseconds until ctx ends: a process holds it only while it reads
// and writes the file, so the wait is short, and a stopped process
// (Ctrl-Z) holding it cannot block another's cancellation.
func lockFile(ctx context.Context, f *os.File) error {
	delay := time.Millisecond
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case !errors.Is(err, syscall.EWOULDBLOCK):
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		delay = min(2*delay, 20*time.Millisecond)
	}
}

func unlockFile(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
