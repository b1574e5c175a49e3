// Package membudget gives certbatch a fixed heap budget: no garbage
// collection until the heap reaches the budget, so the process has the
// same size for ten thousand rows as for a million (everything streams;
// what is left is garbage). When the live heap itself outgrows the
// budget (a duplicate index over millions of rows, a huge shared-strings
// table), collecting at the limit would run the collector nonstop, so
// the budget grows with it: to one and a half times the live heap, which
// leaves each collection half the live heap to reclaim.
package membudget

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Start applies the budget unless GOGC or GOMEMLIMIT is set, and watches
// the live heap until stop is called.
func Start(budget int64) (stop func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	debug.SetMemoryLimit(budget)
	debug.SetGCPercent(-1)
	done := make(chan struct{})
	go watch(budget, 50*time.Millisecond, done)
	return func() { close(done) }
}

// watch raises the limit to 1.5 times the live heap whenever that is
// above the budget; it never lowers it.
func watch(budget int64, every time.Duration, done <-chan struct{}) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	t := time.NewTicker(every)
	defer t.Stop()
	limit := budget
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		if want := int64(sample[0].Value.Uint64()) / 2 * 3; want > limit {
			limit = want
			debug.SetMemoryLimit(limit)
		}
	}
}
