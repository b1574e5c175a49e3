package ratelimit

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		spec string
		want []Window
	}{
		{"published", "100/5s,1000/3m", []Window{{100, 5 * time.Second}, {1000, 3 * time.Minute}}},
		{"spaces", " 100 / 5s , 1000/3m ", []Window{{100, 5 * time.Second}, {1000, 3 * time.Minute}}},
		{"bare unit", "10/s", []Window{{10, time.Second}}},
		{"milliseconds", "3/250ms", []Window{{3, 250 * time.Millisecond}}},
		{"hours", "5000/1h", []Window{{5000, time.Hour}}},
		{"fraction", "10/1.5s", []Window{{10, 1500 * time.Millisecond}}},
		{"upper case unit", "10/5S", []Window{{10, 5 * time.Second}}},
		{"none", "none", nil},
		{"off", " OFF ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.spec)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.spec, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Parse(%q) = %v, want %v", tt.spec, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		spec string
		want string // must appear in the error: the bad part
	}{
		{"empty", "", "empty"},
		{"no slash", "100", `"100"`},
		{"count not a number", "x/5s", `"x"`},
		{"zero count", "0/5s", `"0"`},
		{"negative count", "-1/5s", `"-1"`},
		{"huge count", "2000000/5s", `"2000000"`},
		{"no unit", "100/5", `"5"`},
		{"unknown unit", "100/5d", `"5d"`},
		{"negative duration", "100/-1s", `"-1s"`},
		{"zero duration", "100/0s", `"0s"`},
		{"below a millisecond", "100/0.1ms", `"0.1ms"`},
		{"compound duration", "100/1m30s", `"1m30s"`},
		{"second part bad", "100/5s,abc", `part 2 "abc"`},
		{"trailing comma", "100/5s,", "part 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := Parse(tt.spec)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tt.spec, ws)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error %q does not mention %s", tt.spec, err, tt.want)
			}
		})
	}
}

func TestWindowString(t *testing.T) {
	tests := []struct {
		w    Window
		want string
	}{
		{Window{100, 5 * time.Second}, "100/5s"},
		{Window{1000, 3 * time.Minute}, "1000/3m"},
		{Window{7, 2 * time.Hour}, "7/2h"},
		{Window{3, 250 * time.Millisecond}, "3/250ms"},
		{Window{90, 90 * time.Second}, "90/90s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.w.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			back, err := Parse(tt.w.String())
			if err != nil || len(back) != 1 || back[0] != tt.w {
				t.Errorf("Parse(String()) = %v, %v; want %v", back, err, tt.w)
			}
		})
	}
}

func TestDefaultKeepsAMarginBelowPublished(t *testing.T) {
	if len(Default) != len(Published) {
		t.Fatalf("Default has %d windows, Published %d", len(Default), len(Published))
	}
	for i := range Published {
		if Default[i].Per != Published[i].Per || Default[i].Limit >= Published[i].Limit {
			t.Errorf("Default window %v is not strictly inside published %v", Default[i], Published[i])
		}
	}
}

func TestRate(t *testing.T) {
	tests := []struct {
		name    string
		windows []Window
		want    float64
	}{
		{"published: the 3 minute window binds", Published, 1000.0 / 180},
		{"short window binds", []Window{{10, time.Second}, {1000, time.Minute}}, 10},
		{"single", []Window{{5, 2 * time.Second}}, 2.5},
		{"none", nil, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.windows).Rate(); got != tt.want && !(math.Abs(got-tt.want) <= 1e-9) {
				t.Errorf("Rate() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewIgnoresInvalidWindows(t *testing.T) {
	l := New([]Window{{0, time.Second}, {5, 0}, {-1, -time.Second}, {3, time.Second}})
	if got := l.Windows(); !slices.Equal(got, []Window{{3, time.Second}}) {
		t.Errorf("Windows() = %v, want only 3/1s", got)
	}
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		for range 4 {
			if err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if got := time.Since(start); got != time.Second {
			t.Errorf("4 admissions under 3/1s took %v, want 1s", got)
		}
	})
}

// admissions runs n goroutines that each take per admissions and returns
// the admission times, sorted.
func admissions(t *testing.T, l *Limiter, n, per int) []time.Time {
	t.Helper()
	var (
		mu sync.Mutex
		at []time.Time
		wg sync.WaitGroup
	)
	for range n {
		wg.Go(func() {
			for range per {
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				at = append(at, time.Now())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	return at
}

// checkWindows fails t if more than w.Limit admissions fall in the
// interval (a-w.Per, a] ending at any admission a, for any window.
func checkWindows(t *testing.T, at []time.Time, windows []Window) {
	t.Helper()
	for _, w := range windows {
		for i, a := range at {
			n := 0
			for j := i; j >= 0 && at[j].After(a.Add(-w.Per)); j-- {
				n++
			}
			if n > w.Limit {
				t.Errorf("window %v: %d admissions in the %v ending at admission %d", w, n, w.Per, i)
				return
			}
		}
	}
}

func TestWindowsNeverExceeded(t *testing.T) {
	tests := []struct {
		name       string
		windows    []Window
		goroutines int
		each       int
		// wantLast is when the last admission should happen, counted
		// by hand for a limiter that admits as early as the windows allow.
		wantLast time.Duration
	}{
		// 10 at 0s, 1s, 2s fill 30/10s; 10 more at 10s, 11s, 12s,
		// 20s, 21s.
		{"two windows", []Window{{10, time.Second}, {30, 10 * time.Second}}, 8, 10, 21 * time.Second},
		// 250 admissions: 100 at 0s, 100 at 5s, 50 at 10s.
		{"published burst", Published, 5, 50, 10 * time.Second},
		// 1000 in the first 50 s (100 per 5 s), then the 3 minute window
		// frees them again from 3m: 1200 end at 3m+5s.
		{"published long window", Published, 12, 100, 3*time.Minute + 5*time.Second},
		{"one at a time", []Window{{1, time.Second}}, 3, 4, 11 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := New(tt.windows)
				start := time.Now()
				at := admissions(t, l, tt.goroutines, tt.each)
				if len(at) != tt.goroutines*tt.each {
					t.Fatalf("%d admissions, want %d", len(at), tt.goroutines*tt.each)
				}
				checkWindows(t, at, tt.windows)
				if got := at[len(at)-1].Sub(start); got != tt.wantLast {
					t.Errorf("last admission at +%v, want +%v", got, tt.wantLast)
				}
			})
		})
	}
}

func TestBurstAllowedAtStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(Published)
		start := time.Now()
		for i := range 100 {
			if err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			if time.Since(start) != 0 {
				t.Fatalf("admission %d waited %v; the first 100 should not wait", i+1, time.Since(start))
			}
		}
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 5*time.Second {
			t.Errorf("admission 101 at +%v, want +5s", got)
		}
	})
}

func TestSustainedRate(t *testing.T) {
	tests := []struct {
		name    string
		windows []Window
		period  time.Duration
	}{
		{"default", Default, time.Hour},
		{"published", Published, time.Hour},
		{"short window binds", []Window{{20, time.Second}, {2000, time.Minute}}, 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := New(tt.windows)
				start := time.Now()
				var (
					mu sync.Mutex
					at []time.Time
					wg sync.WaitGroup
				)
				for range 6 {
					wg.Go(func() {
						for {
							if err := l.Wait(context.Background()); err != nil {
								t.Error(err)
								return
							}
							now := time.Now()
							if now.Sub(start) >= tt.period {
								return
							}
							mu.Lock()
							at = append(at, now)
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				got := float64(len(at)) / tt.period.Seconds()
				want := l.Rate()
				if math.Abs(got-want) > 0.01*want {
					t.Errorf("%d admissions in %v: %.4f/s, want %.4f/s within 1%%", len(at), tt.period, got, want)
				}
				slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
				checkWindows(t, at, tt.windows)
			})
		})
	}
}

func TestAdmitsInArrivalOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New([]Window{{1, time.Second}})
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		var (
			mu    sync.Mutex
			order []int
			wg    sync.WaitGroup
		)
		for i := range 5 {
			wg.Go(func() {
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
				}
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
			})
			synctest.Wait() // goroutine i is queued before i+1 starts
		}
		wg.Wait()
		if !slices.Equal(order, []int{0, 1, 2, 3, 4}) {
			t.Errorf("admission order %v, want arrival order", order)
		}
	})
}

func TestPause(t *testing.T) {
	tests := []struct {
		name    string
		windows []Window
		pauses  []time.Duration // issued one after another at the start
		want    time.Duration   // the pause's end
	}{
		{"single", []Window{{100, time.Second}}, []time.Duration{3 * time.Second}, 3 * time.Second},
		{"later pause extends", []Window{{100, time.Second}}, []time.Duration{2 * time.Second, 5 * time.Second}, 5 * time.Second},
		{"shorter pause does not shorten", []Window{{100, time.Second}}, []time.Duration{5 * time.Second, 2 * time.Second}, 5 * time.Second},
		{"unlimited limiter pauses too", nil, []time.Duration{4 * time.Second}, 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := New(tt.windows)
				start := time.Now()
				if !l.PausedUntil().IsZero() {
					t.Fatal("a new limiter is paused")
				}
				for _, d := range tt.pauses {
					l.Pause(d)
				}
				if got := l.PausedUntil().Sub(start); got != tt.want {
					t.Errorf("PausedUntil = +%v, want +%v", got, tt.want)
				}
				at := admissions(t, l, 4, 2)
				for i, a := range at {
					if got := a.Sub(start); got != tt.want {
						t.Errorf("admission %d at +%v, want +%v (the end of the pause)", i, got, tt.want)
					}
				}
				if !l.PausedUntil().IsZero() {
					t.Error("PausedUntil is not zero after the pause ended")
				}
			})
		})
	}
}

func TestPauseStopsASleepingWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New([]Window{{1, time.Second}})
		start := time.Now()
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		done := make(chan time.Duration)
		go func() {
			if err := l.Wait(context.Background()); err != nil {
				t.Error(err)
			}
			done <- time.Since(start)
		}()
		time.Sleep(500 * time.Millisecond) // the waiter sleeps until +1s
		l.Pause(3 * time.Second)
		if got := <-done; got != 3500*time.Millisecond {
			t.Errorf("waiter admitted at +%v, want +3.5s (end of the pause)", got)
		}
	})
}

func TestCancel(t *testing.T) {
	tests := []struct {
		name   string
		queued int // waiters queued ahead of the cancelled one
	}{
		{"cancelled at the head of the queue", 0},
		{"cancelled behind other waiters", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := New([]Window{{1, time.Second}})
				start := time.Now()
				if err := l.Wait(context.Background()); err != nil {
					t.Fatal(err)
				}
				var (
					mu sync.Mutex
					at []time.Duration
					wg sync.WaitGroup
				)
				wait := func() {
					wg.Go(func() {
						if err := l.Wait(context.Background()); err != nil {
							t.Error(err)
						}
						mu.Lock()
						at = append(at, time.Since(start))
						mu.Unlock()
					})
					synctest.Wait()
				}
				for range tt.queued {
					wait()
				}
				ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
				defer cancel()
				errc := make(chan error)
				go func() { errc <- l.Wait(ctx) }()
				synctest.Wait()
				wait() // queued behind the one to be cancelled
				if err := <-errc; err != context.DeadlineExceeded {
					t.Errorf("Wait = %v, want context.DeadlineExceeded", err)
				}
				if got := time.Since(start); got != 300*time.Millisecond {
					t.Errorf("cancelled Wait returned at +%v, want +300ms", got)
				}
				wg.Wait()
				// The cancelled waiter took no slot: the others go at
				// 1s, 2s, ...
				for i, got := range at {
					if want := time.Duration(i+1) * time.Second; got != want {
						t.Errorf("waiter %d admitted at +%v, want +%v", i, got, want)
					}
				}
				if len(at) != tt.queued+1 {
					t.Errorf("%d admissions, want %d", len(at), tt.queued+1)
				}
			})
		})
	}
}

func TestCancelledContextRecordsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New([]Window{{1, time.Second}})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := l.Wait(ctx); err != context.Canceled {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		start := time.Now()
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 0 {
			t.Errorf("first real admission waited %v; the cancelled one took a slot", got)
		}
	})
}

func TestUnlimitedNeverBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(nil)
		start := time.Now()
		at := admissions(t, l, 4, 2500)
		if len(at) != 10000 || time.Since(start) != 0 {
			t.Errorf("%d admissions took %v, want 10000 at once", len(at), time.Since(start))
		}
	})
}

// With Acquire a request counts until Per after it finished: a slow
// request delays the next admission, so late arrivals can never crowd a
// server's window.
func TestAcquireCountsUntilPerAfterDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New([]Window{{2, time.Second}})
		start := time.Now()
		d1, _ := l.Acquire(context.Background())
		d2, _ := l.Acquire(context.Background())
		got := make(chan time.Duration)
		go func() {
			d, _ := l.Acquire(context.Background())
			d()
			got <- time.Since(start)
		}()
		time.Sleep(300 * time.Millisecond)
		d1() // the first request took 300 ms
		time.Sleep(2 * time.Second)
		d2() // the second was in flight until 2.3 s
		d1() // a second call does nothing
		if at := <-got; at != 1300*time.Millisecond {
			t.Errorf("third admitted at %v, want 1.3s (first done at 0.3s + 1s)", at)
		}
	})
}

// A waiter blocked behind a request in flight takes its slot when that
// request finishes, not before.
func TestAcquireWaitsForInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New([]Window{{1, 100 * time.Millisecond}})
		start := time.Now()
		d, _ := l.Acquire(context.Background())
		go func() {
			time.Sleep(5 * time.Second)
			d()
		}()
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 5100*time.Millisecond {
			t.Errorf("admitted after %v, want 5.1s", got)
		}
	})
}
