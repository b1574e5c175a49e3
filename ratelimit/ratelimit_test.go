package ratelimit

import (
	"context"
	"sort"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestParse(t *testing.T) {
	ws, err := Parse("100/5s, 1000/3m")
	if err != nil || len(ws) != 2 || ws[0] != (Window{100, 5 * time.Second}) || ws[1] != (Window{1000, 3 * time.Minute}) {
		t.Fatalf("%v %v", ws, err)
	}
	if ws, err := Parse("10/s"); err != nil || ws[0].Per != time.Second {
		t.Fatalf("10/s: %v %v", ws, err)
	}
	if ws, err := Parse("none"); err != nil || ws != nil {
		t.Fatalf("none: %v %v", ws, err)
	}
	for _, bad := range []string{"", "100", "x/5s", "0/5s", "100/5", "100/-1s", "100/5s,"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if s := (Window{1000, 3 * time.Minute}).String(); s != "1000/3m" {
		t.Errorf("String = %s", s)
	}
}

// admissions runs n goroutines that each take per admissions and returns
// the sorted admission times.
func admissions(l *Limiter, n, per int) []time.Time {
	var mu sync.Mutex
	var at []time.Time
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Go(func() {
			for k := 0; k < per; k++ {
				done, err := l.Wait(context.Background())
				if err != nil {
					panic(err)
				}
				done()
				mu.Lock()
				at = append(at, time.Now())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	return at
}

// maxInWindow returns the most admissions in any interval of length per
// ending at an admission (half-open (t-per, t]).
func maxInWindow(at []time.Time, per time.Duration) int {
	best, lo := 0, 0
	for hi := range at {
		for !at[lo].After(at[hi].Add(-per)) {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

func TestWindowsNeverExceeded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ws := []Window{{10, time.Second}, {30, 10 * time.Second}}
		l := New(ws)
		start := time.Now()
		at := admissions(l, 8, 10) // 80 admissions
		for _, w := range ws {
			if got := maxInWindow(at, w.Per); got > w.Limit {
				t.Errorf("window %v: %d admissions", w, got)
			}
		}
		// Burst: 10 at 0s, 1s and 2s; then the 30/10s window frees ten
		// slots at 10s, 11s, 12s (10/1s still binds), and 20s, 21s.
		if !at[9].Equal(start) || at[10].Equal(start) {
			t.Errorf("burst: 10th at %v, 11th at %v", at[9].Sub(start), at[10].Sub(start))
		}
		if got := at[79].Sub(start); got != 21*time.Second {
			t.Errorf("80 admissions took %v, want 21s", got)
		}
	})
}

func TestSustainedRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(Default)
		start := time.Now()
		at := admissions(l, 4, 1500)
		el := at[len(at)-1].Sub(start)
		// After the first full windows, 950 per 3 minutes binds.
		rate := float64(len(at)-950) / (el - 0).Seconds()
		want := l.Rate()
		if el < 3*time.Minute || rate > want*1.01 {
			t.Errorf("%d admissions in %v: %.3f/s beyond %.3f/s", len(at), el, rate, want)
		}
		for _, w := range Default {
			if got := maxInWindow(at, w.Per); got > w.Limit {
				t.Errorf("window %v: %d", w, got)
			}
		}
		if got := float64(len(at)) / el.Seconds(); got < want*0.97 {
			t.Errorf("sustained %.3f/s, want at least 97%% of %.3f", got, want)
		}
	})
}

func TestPauseBlocksEveryoneAndOnlyExtends(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New([]Window{{100, time.Second}})
		start := time.Now()
		l.Pause(5 * time.Second)
		l.Pause(2 * time.Second) // must not shorten
		if got := l.PausedUntil().Sub(start); got != 5*time.Second {
			t.Fatalf("paused until +%v", got)
		}
		at := admissions(l, 3, 1)
		for _, a := range at {
			if a.Sub(start) != 5*time.Second {
				t.Errorf("admitted at +%v during the pause", a.Sub(start))
			}
		}
		if !l.PausedUntil().IsZero() {
			t.Error("still paused after the pause ended")
		}
	})
}

func TestCancelDoesNotConsume(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New([]Window{{1, time.Second}})
		done, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done()
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := l.Wait(ctx); err == nil {
			t.Fatal("wait beyond the deadline succeeded")
		}
		if time.Since(start) != 100*time.Millisecond {
			t.Errorf("cancel took %v", time.Since(start))
		}
		// The cancelled waiter took no slot: the next admission is at 1s.
		l.Wait(context.Background())
		if got := time.Since(start); got != time.Second {
			t.Errorf("next admission after %v, want 1s", got)
		}
	})
}

func TestUnlimited(t *testing.T) {
	l := New(nil)
	for i := 0; i < 1000; i++ {
		if _, err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// A request counts until Per after it finished: a slow request delays
// the next admission, so late arrivals can never crowd a window.
func TestWindowCountsFromCompletion(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New([]Window{{2, time.Second}})
		start := time.Now()
		d1, _ := l.Wait(context.Background())
		d2, _ := l.Wait(context.Background())
		got := make(chan time.Duration)
		go func() {
			d, _ := l.Wait(context.Background())
			d()
			got <- time.Since(start)
		}()
		time.Sleep(300 * time.Millisecond)
		d1() // the first request took 300 ms
		time.Sleep(2 * time.Second)
		d2() // the second is still in flight until 2.3 s
		if at := <-got; at != 1300*time.Millisecond {
			t.Errorf("third admitted at %v, want 1.3s (first finished at 0.3s + 1s)", at)
		}
	})
}
