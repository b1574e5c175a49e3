package cli

import (
	"fmt"
	"os"
	"time"
)

// A FIFO writer that serves different content to each reader, for tests
// that check certbatch reads its input once (TestPlanIsWhatIsSent).

// serveFIFO gives first to the first reader of fifo and other to every
// later one, until stop. certbatch reads in this process, so its reads
// are seen in /proc/self/fd: first is written once the reader's open has
// returned, and other only once that reader has closed the FIFO (it saw
// the end of first); written earlier, other would join first in the
// same read.
func serveFIFO(fifo string, first, other []byte, stop <-chan struct{}) error {
	f, err := os.OpenFile(fifo, os.O_WRONLY, 0) // returns once a reader opens
	if err != nil {
		return err
	}
	// The reader's descriptor and ours.
	err = waitFDs(fifo, stop, func(n int) bool { return n >= 2 })
	if err == nil {
		_, err = f.Write(first)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := waitFDs(fifo, stop, func(n int) bool { return n == 0 }); err != nil {
		return err
	}
	for {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		select {
		case <-stop:
			return f.Close()
		default:
		}
		f.Write(other)
		f.Close()
	}
}

// waitFDs waits until ok holds for the number of this process's open
// descriptors on path, or stop. The generous bound only turns a hang
// into a failure; nothing depends on how long the wait takes.
func waitFDs(path string, stop <-chan struct{}, ok func(int) bool) error {
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Millisecond) {
		n, err := fdsOn(path)
		switch {
		case err != nil:
			return err
		case ok(n):
			return nil
		case time.Now().After(deadline):
			return fmt.Errorf("%d descriptors still open on %s after two minutes", n, path)
		}
		select {
		case <-stop:
			return nil
		default:
		}
	}
}

// fdsOn counts this process's open file descriptors on the file at path
// (Linux: /proc/self/fd).
func fdsOn(path string) (int, error) {
	want, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range ents {
		if fi, err := os.Stat("/proc/self/fd/" + e.Name()); err == nil && os.SameFile(fi, want) {
			n++
		}
	}
	return n, nil
}
