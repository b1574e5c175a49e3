// Package ledgertest is the conformance test every [ratelimit.Ledger]
// must pass: the file ledger of one machine and the PostgreSQL ledger of
// a team's shared journal run the same checks.
//
// A ledger keeps its own clock (the machine's, the database server's),
// so the checks cannot move it: they use windows and pauses of an hour,
// which nothing in a test outlives, and one short window whose end is
// awaited with the waits the ledger itself hands out; every time
// assertion is a lower bound (load can only make a test slower), never a
// deadline.
package ledgertest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certbatch/certbatch/ratelimit"
)

// Open returns two handles on one new, empty ledger, as two processes
// (or hosts) sharing it would hold them; the test closes neither (Open
// registers their Close with t.Cleanup if it wants).
type Open func(t *testing.T) (a, b ratelimit.Ledger)

// Run runs every check on ledgers made by open.
func Run(t *testing.T, open Open) {
	for _, c := range []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"AdmitsUpToTheLimitAcrossHandles", admitsUpToLimit},
		{"EveryWindowCounts", everyWindowCounts},
		{"FinishedCountsForPer", finishedCountsForPer},
		{"WindowEndsAfterPer", windowEndsAfterPer},
		{"PauseIsShared", pauseIsShared},
		{"FinishUnknownOrTwice", finishUnknown},
		{"AdmitIsAtomic", admitIsAtomic},
		{"NoWindows", noWindows},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open) })
	}
}

var hour = []ratelimit.Window{{Limit: 3, Per: time.Hour}}

func admit(t *testing.T, l ratelimit.Ledger, ws []ratelimit.Window) string {
	t.Helper()
	id, wait, err := l.Admit(context.Background(), ws)
	if err != nil || wait != 0 || id == "" {
		t.Fatalf("Admit = %q, %v, %v; want admitted", id, wait, err)
	}
	return id
}

func refused(t *testing.T, l ratelimit.Ledger, ws []ratelimit.Window) time.Duration {
	t.Helper()
	id, wait, err := l.Admit(context.Background(), ws)
	if err != nil || wait <= 0 || id != "" {
		t.Fatalf("Admit = %q, %v, %v; want refused with a wait", id, wait, err)
	}
	return wait
}

// Admissions of either handle count for both; ids differ; the request
// past the limit is refused with a wait, and nothing is recorded for it.
func admitsUpToLimit(t *testing.T, open Open) {
	a, b := open(t)
	ids := map[string]bool{admit(t, a, hour): true, admit(t, b, hour): true, admit(t, a, hour): true}
	if len(ids) != 3 {
		t.Fatalf("ids %v are not distinct", ids)
	}
	for range 3 {
		if w := refused(t, b, hour); w > ratelimit.Lease+time.Hour {
			t.Errorf("wait %v, more than the lease plus the window", w)
		}
		refused(t, a, hour)
	}
}

// A request must fit every window: the tightest decides.
func everyWindowCounts(t *testing.T, open Open) {
	a, b := open(t)
	ws := []ratelimit.Window{{Limit: 5, Per: time.Hour}, {Limit: 2, Per: 2 * time.Hour}}
	admit(t, a, ws)
	admit(t, b, ws)
	refused(t, a, ws)
}

// A finished request still counts for Per after its end: the wait names
// that end, within the window.
func finishedCountsForPer(t *testing.T, open Open) {
	a, b := open(t)
	ws := []ratelimit.Window{{Limit: 2, Per: time.Hour}}
	ctx := context.Background()
	for _, l := range []ratelimit.Ledger{a, b} {
		id := admit(t, l, ws)
		if err := l.Finish(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	w := refused(t, a, ws)
	// The request finished moments ago: its place frees an hour from
	// then (a lower bound: a slow test only shortens what is left).
	if w > time.Hour || w < 30*time.Minute {
		t.Errorf("wait %v, want just under an hour", w)
	}
}

// Once Per has passed since a finished request, its place is free again:
// a request waiting as the ledger says gets in, and not before Per.
func windowEndsAfterPer(t *testing.T, open Open) {
	a, b := open(t)
	const per = 300 * time.Millisecond
	ws := []ratelimit.Window{{Limit: 1, Per: per}}
	ctx := context.Background()
	id := admit(t, a, ws)
	before := time.Now()
	if err := a.Finish(ctx, id); err != nil {
		t.Fatal(err)
	}
	for tries := 0; ; tries++ {
		if tries == 1000 {
			t.Fatal("not admitted after 1000 waits")
		}
		id, wait, err := b.Admit(ctx, ws)
		if err != nil {
			t.Fatal(err)
		}
		if wait == 0 {
			if id == "" {
				t.Fatal("admitted without an id")
			}
			break
		}
		if wait > per {
			t.Fatalf("wait %v, longer than the window %v", wait, per)
		}
		time.Sleep(wait) // the ledger's own answer: when to ask again
	}
	// Both clocks run at the same rate: at least Per has passed since
	// before the Finish (the one bound load cannot break).
	if el := time.Since(before); el < per-5*time.Millisecond {
		t.Errorf("admitted %v after the finish, before the window of %v ended", el, per)
	}
}

// A pause stops every handle; a shorter pause never shortens it.
func pauseIsShared(t *testing.T, open Open) {
	a, b := open(t)
	ctx := context.Background()
	if err := a.Pause(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := b.Pause(ctx, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	for _, l := range []ratelimit.Ledger{a, b} {
		if w := refused(t, l, hour); w < 30*time.Minute || w > time.Hour {
			t.Errorf("wait %v during an hour's pause", w)
		}
		if w := refused(t, l, nil); w < 30*time.Minute {
			t.Errorf("wait %v during an hour's pause, without windows", w)
		}
	}
}

func finishUnknown(t *testing.T, open Open) {
	a, _ := open(t)
	ctx := context.Background()
	for _, id := range []string{"", "no-such-id", "999999999"} {
		if err := a.Finish(ctx, id); err != nil {
			t.Errorf("Finish(%q) = %v", id, err)
		}
	}
	id := admit(t, a, hour)
	for range 2 {
		if err := a.Finish(ctx, id); err != nil {
			t.Errorf("Finish = %v", err)
		}
	}
}

// Many goroutines on two handles at once: exactly Limit get in.
func admitIsAtomic(t *testing.T, open Open) {
	a, b := open(t)
	ws := []ratelimit.Window{{Limit: 5, Per: time.Hour}}
	var admitted atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		l := a
		if i%2 == 1 {
			l = b
		}
		wg.Go(func() {
			for range 3 {
				_, wait, err := l.Admit(context.Background(), ws)
				if err != nil {
					errs <- err
					return
				}
				if wait == 0 {
					admitted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := admitted.Load(); n != 5 {
		t.Errorf("%d admitted by 48 concurrent tries, want exactly 5", n)
	}
}

// Without windows only a pause holds a request back.
func noWindows(t *testing.T, open Open) {
	a, _ := open(t)
	for range 10 {
		admit(t, a, nil)
	}
}
