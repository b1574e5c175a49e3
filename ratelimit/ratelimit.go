// Package ratelimit is a client-side limiter shaped like DigiCert's rate
// limits: several rolling windows per API key (today 100 requests per
// 5 seconds and 1000 per 3 minutes), all of which every request must
// fit, plus a shared pause for when the server answers 429 anyway.
//
// The server counts a request when it arrives, which the client cannot
// see: a request sent earlier may arrive later than one sent after it
// (a new connection, a slow hop). So a [Limiter] counts each request from
// the moment it starts until Per after it is done (its answer came back,
// the latest it can have arrived): a request may start at t when, for
// every window, fewer than Limit requests are in flight or finished after
// t-Per. Whatever the delays, the server then never sees more than Limit
// requests in any window; the cost is the latency divided by Per (1% at
// 50 ms for a 5 s window).
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
	rings   [][]*slot // per window: the last Limit admissions
	next    []int     // per window: index of the oldest entry
	paused  time.Time
	queue   []chan struct{} // waiters in arrival order; the head may try
	changed chan struct{}   // closed when a request finishes
}

// slot is one admitted request.
type slot struct {
	inFlight bool
	end      time.Time // when it finished
}

// New returns a limiter for the windows; none means unlimited.
func New(windows []Window) *Limiter {
	l := &Limiter{windows: append([]Window(nil), windows...), changed: make(chan struct{})}
	for _, w := range windows {
		l.rings = append(l.rings, make([]*slot, w.Limit))
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

// earliest returns when the next request may start, given now, and
// whether it must wait for a request in flight to finish first. Callers
// hold mu.
func (l *Limiter) earliest(now time.Time) (time.Time, bool) {
	t := now
	if l.paused.After(t) {
		t = l.paused
	}
	for i, w := range l.windows {
		oldest := l.rings[i][l.next[i]]
		switch {
		case oldest == nil:
		case oldest.inFlight:
			return t, true
		default:
			if free := oldest.end.Add(w.Per); free.After(t) {
				t = free
			}
		}
	}
	return t, false
}

func (l *Limiter) admit() func() {
	s := &slot{inFlight: true}
	for i := range l.windows {
		l.rings[i][l.next[i]] = s
		l.next[i] = (l.next[i] + 1) % len(l.rings[i])
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			s.inFlight, s.end = false, time.Now()
			close(l.changed)
			l.changed = make(chan struct{})
			l.mu.Unlock()
		})
	}
}

func noop() {}

// Wait blocks until one more request may start without exceeding any
// window, and records it. The caller must call done when the request is
// finished (its answer arrived, or it failed); the request counts until
// Per after that. It returns ctx's error, recording nothing, if ctx ends
// first.
func (l *Limiter) Wait(ctx context.Context) (done func(), err error) {
	if err := ctx.Err(); err != nil {
		return noop, err
	}
	l.mu.Lock()
	if len(l.windows) == 0 && !l.paused.After(time.Now()) {
		l.mu.Unlock()
		return noop, nil
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
		return noop, ctx.Err()
	}
	for {
		l.mu.Lock()
		now := time.Now()
		at, blocked := l.earliest(now)
		if !blocked && !at.After(now) {
			done := l.admit()
			l.popHead()
			l.mu.Unlock()
			return done, nil
		}
		changed := l.changed
		l.mu.Unlock()
		var timeout <-chan time.Time
		var t *time.Timer
		if !blocked {
			t = time.NewTimer(at.Sub(now))
			timeout = t.C
		}
		select {
		case <-timeout:
		case <-changed: // a request finished: look again
		case <-ctx.Done():
			if t != nil {
				t.Stop()
			}
			l.mu.Lock()
			l.popHead()
			l.mu.Unlock()
			return noop, ctx.Err()
		}
		if t != nil {
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
