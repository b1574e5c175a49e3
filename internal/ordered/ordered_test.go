package ordered

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestInputOrder puts values from many goroutines in random order and
// checks the consumer sees them in reservation order. In a synctest
// bubble, the random sleeps decide the order of the Puts exactly,
// whatever the scheduler does on a loaded machine.
func TestInputOrder(t *testing.T) {
	for _, capacity := range []int{1, 3, 64} {
		synctest.Test(t, func(t *testing.T) { inputOrder(t, capacity) })
	}
}

func inputOrder(t *testing.T, capacity int) {
	q := New[int](capacity)
	const n = 500
	var wg sync.WaitGroup
	go func() {
		defer q.Close()
		for i := range n {
			s, err := q.Reserve(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			wg.Go(func() {
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
				s.Put(i)
			})
		}
	}()
	next := 0
	for {
		s, ok := q.Next()
		if !ok {
			break
		}
		v, _ := s.Wait(context.Background())
		if v != next {
			t.Fatalf("capacity %d: got %d, want %d", capacity, v, next)
		}
		next++
	}
	wg.Wait()
	if next != n {
		t.Errorf("capacity %d: consumed %d of %d", capacity, next, n)
	}
}

// TestReserveBlocksWhenFull: capacity bounds the slots outstanding. In
// a synctest bubble: the third Reserve waits out its deadline on the
// bubble's clock.
func TestReserveBlocksWhenFull(t *testing.T) {
	synctest.Test(t, reserveBlocksWhenFull)
}

func reserveBlocksWhenFull(t *testing.T) {
	q := New[string](2)
	ctx := context.Background()
	if _, err := q.Reserve(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Reserve(ctx); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := q.Reserve(short); err != context.DeadlineExceeded {
		t.Fatalf("third Reserve on a full queue = %v, want DeadlineExceeded", err)
	}
	s, _ := q.Next()
	s.Put("x")
	if _, err := q.Reserve(ctx); err != nil {
		t.Fatalf("Reserve after Next = %v", err)
	}
}

func TestWaitEndsWithContext(t *testing.T) {
	q := New[int](1)
	s, _ := q.Reserve(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := s.Wait(ctx); ok {
		t.Error("Wait on an empty slot with a done context reported a value")
	}
	s.Put(7)
	if v, ok := s.Wait(context.Background()); !ok || v != 7 {
		t.Errorf("Wait = %d, %v", v, ok)
	}
}

func TestPutTwicePanics(t *testing.T) {
	q := New[int](1)
	s, _ := q.Reserve(context.Background())
	s.Put(1)
	defer func() {
		if recover() == nil {
			t.Error("second Put did not panic")
		}
	}()
	s.Put(2)
}
