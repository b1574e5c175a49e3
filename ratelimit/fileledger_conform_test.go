package ratelimit_test

import (
	"runtime"
	"testing"

	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/ratelimit/ledgertest"
)

// The file ledger (one machine) passes the checks every ledger must,
// the same ones the PostgreSQL ledger of a shared journal passes: two
// handles on one file behave as two processes of one key.
func TestFileLedgerConforms(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	ledgertest.Run(t, func(t *testing.T) (a, b ratelimit.Ledger) {
		path := ratelimit.LedgerPath(t.TempDir(), "KEY")
		open := func() ratelimit.Ledger {
			l, err := ratelimit.OpenFileLedger(path, ratelimit.FileLedgerOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			return l
		}
		return open(), open()
	})
}
