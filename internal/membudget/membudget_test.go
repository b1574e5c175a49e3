package membudget

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"testing/synctest"
	"time"
)

var keep [][]byte

// When live data outgrows the budget, the budget grows with it. In a
// synctest bubble: the watcher's ticker is on the bubble's clock, so the
// sleep below lets its ticks (every 50 ms) happen after the collection
// that measured the live heap, however loaded the machine is.
func TestBudgetGrowsWithLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	synctest.Test(t, func(t *testing.T) {
		stop := Start(16 << 20)
		defer stop()
		if old := debug.SetGCPercent(-1); old != -1 {
			t.Fatalf("GC percent %d under the budget, want -1 (off)", old)
		}
		if lim := debug.SetMemoryLimit(-1); lim != 16<<20 {
			t.Fatalf("limit %d MiB before any tick, want the 16 MiB budget", lim>>20)
		}
		for i := 0; i < 24; i++ {
			keep = append(keep, make([]byte, 1<<20)) // 24 MiB live
		}
		runtime.GC() // the live heap is measured
		time.Sleep(time.Second)
		if lim := debug.SetMemoryLimit(-1); lim < 36<<20 {
			t.Fatalf("limit %d MiB with 24 MiB live over a 16 MiB budget, want at least 36 (1.5 x 24)", lim>>20)
		}
		keep = nil
	})
}

func TestEnvironmentWins(t *testing.T) {
	t.Setenv("GOGC", "50")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	Start(16 << 20)()
	if old := debug.SetGCPercent(100); old != 100 {
		t.Errorf("Start changed the GC percent although GOGC is set: %d", old)
	}
}
