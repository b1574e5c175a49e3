//go:build !unix

package ratelimit

import (
	"context"
	"errors"
	"os"
)

// errNoFlock: the file ledger needs flock, which this platform lacks;
// certbatch then limits each process on its own.
var errNoFlock = errors.New("a rate budget shared by processes needs flock, which this platform does not have")

func openLedgerFile(string) (*os.File, error) { return nil, errNoFlock }

func lockFile(context.Context, *os.File) error { return errNoFlock }

func unlockFile(*os.File) {}
