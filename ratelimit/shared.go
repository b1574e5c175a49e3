package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// NewShared returns a limiter for windows whose budget is ledger's: the
// admissions of every process that uses the ledger count, and a pause
// one of them records (after a 429) holds them all. DigiCert counts
// requests per API key, and a 429 blocks every request on the key
// (https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html),
// so every certbatch process of a key must draw from one window: status
// right after submit, two admins' runs at once.
//
// Waiters of this process still go first come, first served; the head
// of the queue asks the ledger, and sleeps as long as the ledger says
// before asking again. A request counts in the windows until Per after
// its done function is called (see [Limiter.Acquire]); one whose done
// is never called (the process was killed) counts until [Lease] after
// its start, then Per more. A ledger that fails makes Acquire fail
// (nothing is sent); a done or a Pause the ledger cannot record errs on
// the slow side (the admission counts until its lease ends; the pause
// holds this process only). The limiter does not close the ledger.
func NewShared(windows []Window, ledger Ledger) *Limiter {
	l := New(windows)
	l.ledger = ledger
	return l
}

// acquireShared is Acquire through the ledger.
func (l *Limiter) acquireShared(ctx context.Context) (func(), error) {
	me := make(chan struct{}, 1)
	l.mu.Lock()
	l.queue = append(l.queue, me)
	if len(l.queue) == 1 {
		me <- struct{}{}
	}
	l.mu.Unlock()
	select {
	case <-me: // our turn at the head of the queue
	case <-ctx.Done():
		l.leave(me)
		return noop, ctx.Err()
	}
	defer func() {
		l.mu.Lock()
		l.popHead()
		l.mu.Unlock()
	}()
	for {
		l.mu.Lock()
		wait := time.Until(l.paused)
		l.mu.Unlock()
		if wait <= 0 {
			id, w, err := l.ledger.Admit(ctx, l.windows)
			if err != nil {
				return noop, l10n.Errorf("rate limit: %w", err)
			}
			if w <= 0 {
				return l.finisher(id), nil
			}
			wait = w
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return noop, ctx.Err()
		}
	}
}

// finisher returns the done function of the ledger admission id:
// Finish, once.
func (l *Limiter) finisher(id string) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), ledgerTimeout)
			defer cancel()
			_ = l.ledger.Finish(ctx, id)
		})
	}
}

// ledgerTimeout bounds a Finish or Pause: a ledger that cannot record one
// in that time leaves the admission counting until its lease ends, or
// the pause to this process.
const ledgerTimeout = 30 * time.Second
