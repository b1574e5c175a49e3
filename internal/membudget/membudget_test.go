package membudget

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

var keep [][]byte

// When live data outgrows the budget, the budget grows with it.
func TestBudgetGrowsWithLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	stop := Start(16 << 20)
	defer stop()
	if old := debug.SetGCPercent(-1); old != -1 {
		t.Fatalf("GC percent %d under the budget, want -1 (off)", old)
	}
	for i := 0; i < 24; i++ {
		keep = append(keep, make([]byte, 1<<20)) // 24 MiB live
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		time.Sleep(60 * time.Millisecond)
		if lim := debug.SetMemoryLimit(-1); lim >= 36<<20 {
			break // 1.5 x 24 MiB
		}
		if time.Now().After(deadline) {
			t.Fatalf("limit %d MiB with 24 MiB live over a 16 MiB budget", debug.SetMemoryLimit(-1)>>20)
		}
	}
	keep = nil
}

func TestEnvironmentWins(t *testing.T) {
	t.Setenv("GOGC", "50")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	Start(16 << 20)()
	if old := debug.SetGCPercent(100); old != 100 {
		t.Errorf("Start changed the GC percent although GOGC is set: %d", old)
	}
}
