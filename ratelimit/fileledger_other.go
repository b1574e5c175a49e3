//go:build !unix

package ratelimit

import (
	"context"
	"os"
)

func openLedgerFile(string) (*os.File, error) { return nil, ErrNoFlock }

func lockFile(context.Context, *os.File) error { return ErrNoFlock }

func unlockFile(*os.File) {}
