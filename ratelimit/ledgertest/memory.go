package ledgertest

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/certbatch/certbatch/ratelimit"
)

// Memory is a ledger held in memory, by the machine's clock (time.Now,
// so testing/synctest can move it): the reference the checks are tried
// on, and a stand-in for a shared ledger in tests of its users. Handles
// of one Memory are the processes sharing it.
type Memory struct {
	mu     sync.Mutex
	next   int
	adms   map[string]*admission
	paused time.Time
}

type admission struct {
	start, end time.Time // end: zero while in flight
}

// NewMemory returns an empty ledger.
func NewMemory() *Memory { return &Memory{adms: map[string]*admission{}} }

// free is when a stops being in flight: its end, or its lease's.
func (a *admission) free() time.Time {
	if a.end.IsZero() {
		return a.start.Add(ratelimit.Lease)
	}
	return a.end
}

// Admit implements [ratelimit.Ledger].
func (m *Memory) Admit(ctx context.Context, windows []ratelimit.Window) (string, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if m.paused.After(now) {
		return "", m.paused.Sub(now), nil
	}
	var wait time.Duration
	for _, w := range windows {
		var frees []time.Time
		for _, a := range m.adms {
			if f := a.free().Add(w.Per); f.After(now) {
				frees = append(frees, f)
			}
		}
		if len(frees) < w.Limit {
			continue
		}
		// The earliest of the len-Limit+1 latest frees.
		for i := range frees {
			for k := i + 1; k < len(frees); k++ {
				if frees[k].Before(frees[i]) {
					frees[i], frees[k] = frees[k], frees[i]
				}
			}
		}
		wait = max(wait, frees[len(frees)-w.Limit].Sub(now), time.Nanosecond)
	}
	if wait > 0 {
		return "", wait, nil
	}
	m.next++
	id := strconv.Itoa(m.next)
	m.adms[id] = &admission{start: now}
	return id, 0, nil
}

// Finish implements [ratelimit.Ledger].
func (m *Memory) Finish(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if a := m.adms[id]; a != nil && a.end.IsZero() {
		a.end = time.Now()
	}
	return nil
}

// Pause implements [ratelimit.Ledger].
func (m *Memory) Pause(_ context.Context, d time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if until := time.Now().Add(d); until.After(m.paused) {
		m.paused = until
	}
	return nil
}

// Close implements [ratelimit.Ledger].
func (m *Memory) Close() error { return nil }
