// Package ratelimit is a client-side limiter shaped like DigiCert's rate
// limits: several rolling windows per API key (today 100 requests per
// 5 seconds and 1000 per 3 minutes), all of which every request must
// fit, plus a shared pause for when the server answers 429 anyway.
//
// A [Limiter] remembers the start times of the last Limit admissions of
// each window in a ring buffer: a request may start at t when, for every
// window, the Limit-th most recent admission is at least Per before t.
// That is exactly the server's rolling check, so a limiter configured with
// the server's windows never provokes a 429 (the default keeps a margin).
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Window is one rolling window: at most Limit requests in any Per.
type Window struct {
	Limit int
	Per   time.Duration
}

// String formats the window as Parse reads it, e.g. "100/5s".
func (w Window) String() string {
	per := w.Per.String()
	switch {
	case w.Per%time.Hour == 0:
		per = strconv.FormatInt(int64(w.Per/time.Hour), 10) + "h"
	case w.Per%time.Minute == 0:
		per = strconv.FormatInt(int64(w.Per/time.Minute), 10) + "m"
	case w.Per%time.Second == 0:
		per = strconv.FormatInt(int64(w.Per/time.Second), 10) + "s"
	}
	return strconv.Itoa(w.Limit) + "/" + per
}

// Published are DigiCert's published limits per API key.
var Published = []Window{{100, 5 * time.Second}, {1000, 3 * time.Minute}}

// Default keeps a margin under Published: another tool may share the
// key, the two clocks tick differently, and requests sent in order may
// arrive closer together than they left.
var Default = []Window{{90, 5 * time.Second}, {950, 3 * time.Minute}}

// Parse reads windows like "100/5s,1000/3m" (units ms, s, m, h).
// "none" or "off" means no limit.
func Parse(spec string) ([]Window, error) {
	spec = strings.TrimSpace(spec)
	if spec == "none" || spec == "off" {
		return nil, nil
	}
	if spec == "" {
		return nil, errors.New("empty rate limit; want e.g. 100/5s,1000/3m or none")
	}
	var ws []Window
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		n, per, ok := strings.Cut(part, "/")
		if !ok {
			return nil, fmt.Errorf("rate limit %q: want REQUESTS/DURATION such as 100/5s", part)
		}
		limit, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil || limit < 1 {
			return nil, fmt.Errorf("rate limit %q: %q is not a positive whole number of requests", part, n)
		}
		per = strings.TrimSpace(per)
		if per != "" && per[0] >= 'a' && per[0] <= 'z' {
			per = "1" + per // "100/s" means per second
		}
		d, err := time.ParseDuration(per)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("rate limit %q: %q is not a duration such as 5s or 3m", part, per)
		}
		ws = append(ws, Window{Limit: limit, Per: d})
	}
	return ws, nil
}

// Limiter admits requests so that no window is exceeded. It is safe for
// concurrent use. Waiters are admitted in arrival order.
type Limiter struct {
	mu      sync.Mutex
	windows []Window
	rings   [][]time.Time // per window: the last Limit admission times
	next    []int         // per window: index of the oldest entry
	paused  time.Time
	queue   []chan struct{} // waiters in arrival order; the head may try
}

// New returns a limiter for the windows; none means unlimited.
func New(windows []Window) *Limiter {
	l := &Limiter{windows: append([]Window(nil), windows...)}
	for _, w := range windows {
		l.rings = append(l.rings, make([]time.Time, w.Limit))
		l.next = append(l.next, 0)
	}
	return l
}

// Windows returns the configured windows.
func (l *Limiter) Windows() []Window { return append([]Window(nil), l.windows...) }

// Rate returns the sustained admissions per second the windows allow:
// the smallest Limit/Per. It is +Inf without windows.
func (l *Limiter) Rate() float64 {
	r := 0.0
	for i, w := range l.windows {
		x := float64(w.Limit) / w.Per.Seconds()
		if i == 0 || x < r {
			r = x
		}
	}
	if len(l.windows) == 0 {
		return 1e308
	}
	return r
}

// earliest returns when the next request may start, given now. Callers
// hold mu.
func (l *Limiter) earliest(now time.Time) time.Time {
	t := now
	if l.paused.After(t) {
		t = l.paused
	}
	for i, w := range l.windows {
		oldest := l.rings[i][l.next[i]]
		if !oldest.IsZero() {
			if free := oldest.Add(w.Per); free.After(t) {
				t = free
			}
		}
	}
	return t
}

func (l *Limiter) admit(now time.Time) {
	for i := range l.windows {
		l.rings[i][l.next[i]] = now
		l.next[i] = (l.next[i] + 1) % len(l.rings[i])
	}
}

// Wait blocks until one more request may start without exceeding any
// window, and records it. It returns ctx's error, recording nothing, if
// ctx ends first.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	if len(l.windows) == 0 && !l.paused.After(time.Now()) {
		l.mu.Unlock()
		return nil
	}
	me := make(chan struct{}, 1)
	l.queue = append(l.queue, me)
	if len(l.queue) == 1 {
		me <- struct{}{}
	}
	l.mu.Unlock()

	select {
	case <-me: // our turn at the head of the queue
	case <-ctx.Done():
		l.leave(me)
		return ctx.Err()
	}
	for {
		l.mu.Lock()
		now := time.Now()
		at := l.earliest(now)
		if !at.After(now) {
			l.admit(now)
			l.popHead()
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		t := time.NewTimer(at.Sub(now))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			l.mu.Lock()
			l.popHead()
			l.mu.Unlock()
			return ctx.Err()
		case <-me: // woken early: a pause changed; look again
			t.Stop()
		}
	}
}

// popHead removes the head waiter and hands the turn to the next one.
// Callers hold mu.
func (l *Limiter) popHead() {
	l.queue = l.queue[1:]
	if len(l.queue) > 0 {
		select {
		case l.queue[0] <- struct{}{}:
		default:
		}
	}
}

// leave removes a waiter that gave up before its turn (or just as it got
// it, in which case the turn passes on).
func (l *Limiter) leave(me chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, c := range l.queue {
		if c == me {
			if i == 0 {
				l.popHead()
				return
			}
			l.queue = append(l.queue[:i], l.queue[i+1:]...)
			return
		}
	}
}

// Pause admits nobody before now+d. It extends an earlier pause but
// never shortens it.
func (l *Limiter) Pause(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := time.Now().Add(d); until.After(l.paused) {
		l.paused = until
	}
}

// PausedUntil returns the end of the current pause, or the zero time.
func (l *Limiter) PausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.paused.After(time.Now()) {
		return l.paused
	}
	return time.Time{}
}
