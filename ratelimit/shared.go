package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Share makes the limiter draw from ledger too, the budget every process
// of one API key shares (see [Ledger]): a request is admitted when it
// fits this process's windows and then the ledger's (the same windows,
// counting every process's requests), and it is finished in both; a
// [Limiter.Pause] is recorded in the ledger, so a 429 seen by one
// process pauses them all. Errors of the ledger fail the request
// (nothing is sent): a budget that cannot be read cannot be kept.
//
// This is the seam a shared budget plugs into; the ledger stays the
// caller's to close, after the limiter's last request.
func (l *Limiter) Share(ledger Ledger) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ledger = ledger
}

func (l *Limiter) shared() Ledger {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ledger
}

// ledgerTimeout bounds the ledger calls that run without a caller's
// context (finishing a request, recording a pause).
const ledgerTimeout = 10 * time.Second

// acquireShared is Acquire with a ledger: this process's place first,
// then the ledger's, waiting as long as the ledger says.
func (l *Limiter) acquireShared(ctx context.Context, ld Ledger) (func(), error) {
	local, err := l.acquireLocal(ctx)
	if err != nil {
		return local, err
	}
	for {
		id, wait, err := ld.Admit(ctx, l.windows)
		if err != nil {
			local()
			if ctx.Err() != nil {
				return noop, ctx.Err()
			}
			return noop, fmt.Errorf("rate budget shared with other processes: %w", err)
		}
		if wait <= 0 {
			var once sync.Once
			return func() {
				once.Do(func() {
					local()
					fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ledgerTimeout)
					defer cancel()
					// A finish that fails leaves the request counting
					// until its lease ends: a slower budget, never a
					// larger one.
					ld.Finish(fctx, id)
				})
			}, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			local()
			return noop, ctx.Err()
		}
	}
}

// pauseShared records a pause in the ledger; this process's pause holds
// whatever becomes of it.
func (l *Limiter) pauseShared(ld Ledger, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), ledgerTimeout)
	defer cancel()
	ld.Pause(ctx, d)
}
