package ratelimit_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/ratelimit/ledgertest"
)

// Two limiters sharing one ledger (two processes of one key) together
// never start more than Limit requests in any window; alone, each would
// have started Limit per window itself.
func TestSharedLedgerOneWindowForAll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ws := []ratelimit.Window{{Limit: 5, Per: time.Second}}
		ld := ledgertest.NewMemory()
		var mu sync.Mutex
		var starts []time.Time
		var wg sync.WaitGroup
		for range 2 {
			l := ratelimit.NewShared(ws, ld)
			for range 3 {
				wg.Go(func() {
					for range 10 {
						done, err := l.Acquire(context.Background())
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						starts = append(starts, time.Now())
						mu.Unlock()
						time.Sleep(10 * time.Millisecond) // the request's round trip (fake time)
						done()
					}
				})
			}
		}
		wg.Wait()
		if len(starts) != 60 {
			t.Fatalf("%d requests started", len(starts))
		}
		for i, s := range starts {
			n := 0
			for _, o := range starts {
				if !o.Before(s) && o.Before(s.Add(time.Second)) {
					n++
				}
			}
			if n > 5 {
				t.Fatalf("%d requests started within a second of request %d", n, i)
			}
		}
	})
}

// A 429 seen by one process pauses the other.
func TestSharedLedgerPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ld := ledgertest.NewMemory()
		a, b := ratelimit.NewShared(nil, ld), ratelimit.NewShared(nil, ld)
		start := time.Now()
		a.Pause(30 * time.Second)
		done, err := b.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done()
		if el := time.Since(start); el < 30*time.Second {
			t.Errorf("the other limiter admitted after %v of a 30s pause", el)
		}
	})
}
