// Package ordered delivers the results of parallel work in the order the
// work was handed out, whatever order it finishes in: the shape of
// restic's ordered dump and gofmt's sequencer.
//
// The producer reserves a [Slot] for each piece of work, in input order,
// and hands the slot to whoever does the work; the consumer takes slots
// back in reservation order with [Queue.Next] and waits on each one's
// value. At most the queue's capacity of slots are outstanding, which
// bounds memory: Reserve blocks until the consumer catches up.
package ordered

import "context"

// Queue is a bounded queue of reserved slots. One goroutine reserves,
// one consumes; each slot is filled once, from any goroutine.
type Queue[T any] struct {
	slots chan Slot[T]
}

// Slot is the place of one piece of work in the queue.
type Slot[T any] struct {
	c chan T
}

// Put delivers the slot's value. It never blocks; a second Put on the
// same slot panics, since it is a bug.
func (s Slot[T]) Put(v T) {
	select {
	case s.c <- v:
	default:
		panic("ordered: Put called twice on one slot")
	}
}

// Value returns the channel the slot's value arrives on, for a consumer
// that selects on it together with other events.
func (s Slot[T]) Value() <-chan T { return s.c }

// New returns a queue holding at most capacity outstanding slots
// (at least 1).
func New[T any](capacity int) *Queue[T] {
	return &Queue[T]{slots: make(chan Slot[T], max(capacity, 1))}
}

// Reserve appends a slot, waiting while the queue is full. It fails only
// when ctx ends first. Reserve must not be called after Close.
func (q *Queue[T]) Reserve(ctx context.Context) (Slot[T], error) {
	s := Slot[T]{c: make(chan T, 1)}
	select {
	case q.slots <- s:
		return s, nil
	case <-ctx.Done():
		return Slot[T]{}, ctx.Err()
	}
}

// Close says no more slots will be reserved; Next reports false once the
// slots reserved before are consumed.
func (q *Queue[T]) Close() { close(q.slots) }

// Next returns the oldest slot not yet consumed, waiting for one to be
// reserved; false means the queue is closed and empty. Wait on the
// slot's Value for its result.
func (q *Queue[T]) Next() (Slot[T], bool) {
	s, ok := <-q.slots
	return s, ok
}

// Wait returns the slot's value once it is put, or false if ctx ends
// first.
func (s Slot[T]) Wait(ctx context.Context) (T, bool) {
	select {
	case v := <-s.c:
		return v, true
	case <-ctx.Done():
		var zero T
		return zero, false
	}
}
