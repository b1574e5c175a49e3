// Package ratelimit is a client-side limiter shaped like DigiCert's rate
// limits: several rolling windows per API key (today 100 requests per
// 5 seconds and 1000 per 3 minutes), all of which every request must
// fit, plus a shared pause for when the server answers 429 anyway.
//
// A [Limiter] keeps the last Limit admissions of each window in a ring
// buffer: a request may start at t when, for every window, the Limit-th
// most recent admission ended at or before t-Per. With [Limiter.Wait] a
// request ends when it starts: that is the server's rolling check. The
// server counts a request when it arrives, though, and a request sent
// first can arrive after one sent later (a new connection, a slow hop),
// so certbatch's client uses [Limiter.Acquire], where a request ends when
// its answer is back: whatever the delays, the server then never sees
// more than Limit requests in a window. [Default] also keeps a margin
// under DigiCert's published limits for what no client can see.
//
// DigiCert counts per API key, not per process, so a limiter made with
// [NewShared] keeps its budget in a [Ledger] every process of the key
// shares: a [FileLedger] beside the journal on one machine, a database
// for a team; [WaitFor] is the rule every ledger applies.
//
// golang.org/x/time/rate is a token bucket: it cannot say "at most N in
// any rolling window" for two windows at once, nor count a request until
// its answer, nor share a window between processes, hence this package.
//
// The limiter reads time.Now and sleeps on time.Timer, so tests can run
// it under testing/synctest's fake clock.
package ratelimit

import (
	"context"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// MaxLimit is the largest Limit Parse accepts. A limiter keeps one
// timestamp per allowed request, so an absurd limit would allocate
// absurd memory.
const MaxLimit = 1_000_000

// Window is one rolling window: at most Limit requests start in any
// interval of length Per.
type Window struct {
	Limit int
	Per   time.Duration
}

// String formats the window as Parse reads it, e.g. "100/5s" or "1000/3m".
func (w Window) String() string {
	per := w.Per.String()
	switch {
	case w.Per <= 0:
	case w.Per%time.Hour == 0:
		per = strconv.FormatInt(int64(w.Per/time.Hour), 10) + "h"
	case w.Per%time.Minute == 0:
		per = strconv.FormatInt(int64(w.Per/time.Minute), 10) + "m"
	case w.Per%time.Second == 0:
		per = strconv.FormatInt(int64(w.Per/time.Second), 10) + "s"
	case w.Per%time.Millisecond == 0:
		per = strconv.FormatInt(int64(w.Per/time.Millisecond), 10) + "ms"
	}
	return strconv.Itoa(w.Limit) + "/" + per
}

// Published are DigiCert's published limits per API key: 100 requests
// per 5 seconds and 1000 per 3 minutes, both rolling.
var Published = []Window{{100, 5 * time.Second}, {1000, 3 * time.Minute}}

// Default is what certbatch uses unless told otherwise: [Published] with
// a margin of 10% on the short window and 5% on the long one. The
// margin absorbs what a client-side limiter cannot see: the server's
// clock and window boundaries differ slightly from ours, requests that
// leave evenly spaced can arrive bunched up (connection setup, TLS,
// proxies), and another tool or person may be using the same API key.
// Hitting the real limit blocks the whole key for seconds to minutes,
// so giving up a few percent of throughput is the cheaper side.
var Default = []Window{{90, 5 * time.Second}, {950, 3 * time.Minute}}

// Parse reads a comma-separated list of windows such as
// "100/5s,1000/3m". Durations take the units ms, s, m and h ("10/s"
// means per second). "none" or "off" means no limiting and returns nil.
func Parse(spec string) ([]Window, error) {
	s := strings.TrimSpace(spec)
	if strings.EqualFold(s, "none") || strings.EqualFold(s, "off") {
		return nil, nil
	}
	if s == "" {
		return nil, l10n.Errorf("parse rate limit: empty; want e.g. 100/5s,1000/3m, or none")
	}
	var ws []Window
	for i, part := range strings.Split(s, ",") {
		w, err := parseWindow(strings.TrimSpace(part))
		if err != nil {
			return nil, l10n.Errorf("parse rate limit %q: part %d %q: %w", s, i+1, strings.TrimSpace(part), err)
		}
		ws = append(ws, w)
	}
	return ws, nil
}

func parseWindow(part string) (Window, error) {
	if part == "" {
		return Window{}, l10n.Errorf("empty; want REQUESTS/DURATION such as 100/5s")
	}
	n, per, ok := strings.Cut(part, "/")
	if !ok {
		return Window{}, l10n.Errorf("no '/'; want REQUESTS/DURATION such as 100/5s")
	}
	n, per = strings.TrimSpace(n), strings.ToLower(strings.TrimSpace(per))
	limit, err := strconv.Atoi(n)
	if err != nil || limit < 1 || limit > MaxLimit {
		return Window{}, l10n.Errorf("request count %q is not a whole number from 1 to %d", n, MaxLimit)
	}
	num := strings.TrimRight(per, "abcdefghijklmnopqrstuvwxyz")
	unit := per[len(num):]
	if num == "" {
		num = "1" // "10/s" means 10 per second
	}
	var u time.Duration
	switch unit {
	case "ms":
		u = time.Millisecond
	case "s":
		u = time.Second
	case "m":
		u = time.Minute
	case "h":
		u = time.Hour
	default:
		return Window{}, l10n.Errorf("duration %q: want a number with a unit ms, s, m or h, such as 5s or 3m", per)
	}
	x, err := strconv.ParseFloat(num, 64)
	if err != nil || x <= 0 || math.IsInf(x, 0) || x*float64(u) > float64(1000*time.Hour) {
		return Window{}, l10n.Errorf("duration %q: want a positive number up to 1000h with a unit ms, s, m or h", per)
	}
	d := time.Duration(x * float64(u))
	if d < time.Millisecond {
		return Window{}, l10n.Errorf("duration %q: shorter than 1ms", per)
	}
	return Window{Limit: limit, Per: d}, nil
}

// Limiter admits requests so that no window is exceeded. It is safe for
// concurrent use; waiters are admitted in arrival order. The zero value
// is not usable: call [New].
type Limiter struct {
	windows []Window // valid windows only

	mu      sync.Mutex
	rings   [][]*slot // per window: the last Limit admissions
	next    []int     // per window: index of the oldest entry
	paused  time.Time
	queue   []chan struct{} // waiters in arrival order; the head may try
	changed chan struct{}   // closed when an admitted request finishes

	// ledger, when set, holds the budget instead of the rings: shared
	// with every process of the key (see NewShared).
	ledger Ledger
}

// slot is one admitted request. It counts in every window from its start
// until Per after it finished.
type slot struct {
	inFlight bool
	end      time.Time
}

// New returns a limiter for windows. With no windows it never blocks
// (except during a [Limiter.Pause]). Windows with a Limit below 1 or a
// non-positive Per are ignored; Parse never returns such windows.
func New(windows []Window) *Limiter {
	l := &Limiter{changed: make(chan struct{})}
	for _, w := range windows {
		if w.Limit < 1 || w.Per <= 0 {
			continue
		}
		l.windows = append(l.windows, w)
		l.rings = append(l.rings, make([]*slot, w.Limit))
		l.next = append(l.next, 0)
	}
	return l
}

// Windows returns a copy of the windows the limiter enforces.
func (l *Limiter) Windows() []Window { return append([]Window(nil), l.windows...) }

// Rate returns the sustained admissions per second the windows allow:
// the smallest Limit/Per. It is +Inf when there are no windows.
func (l *Limiter) Rate() float64 {
	r := math.Inf(1)
	for _, w := range l.windows {
		r = min(r, float64(w.Limit)/w.Per.Seconds())
	}
	return r
}

// earliest returns when the next request may start, given now, and
// whether it must first wait for a request in flight to finish. Callers
// hold mu.
func (l *Limiter) earliest(now time.Time) (time.Time, bool) {
	t := now
	if l.paused.After(t) {
		t = l.paused
	}
	for i, w := range l.windows {
		switch oldest := l.rings[i][l.next[i]]; {
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

// admit records a request starting now and returns its done function.
// Callers hold mu.
func (l *Limiter) admit() func() {
	if len(l.windows) == 0 {
		return noop
	}
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
// window over the preceding Per, and records that start; the request
// counts from its start. If ctx ends first it returns ctx's error and
// records nothing. Use [Limiter.Acquire] for requests whose answer
// takes time.
func (l *Limiter) Wait(ctx context.Context) error {
	done, err := l.Acquire(ctx)
	done()
	return err
}

// Acquire is Wait for a request that takes time: the request counts in
// every window from its start until Per after done is called, when its
// answer has arrived (or it failed). The server counts a request when it
// arrives, which can be any time until then, so with Acquire the server
// never sees more than Limit requests in a window, however unevenly
// requests travel (a new connection, a slow hop); the price is the
// latency divided by Per. done must be called exactly once; further
// calls do nothing. Waiters are served first come, first served: only
// the oldest waiter sleeps on a timer, the others wait for their turn.
func (l *Limiter) Acquire(ctx context.Context) (done func(), err error) {
	if err := ctx.Err(); err != nil {
		return noop, err
	}
	if l.ledger != nil {
		return l.acquireShared(ctx)
	}
	l.mu.Lock()
	if now := time.Now(); len(l.queue) == 0 {
		if at, blocked := l.earliest(now); !blocked && !at.After(now) {
			// Fast path: nobody waiting and room now.
			done := l.admit()
			l.mu.Unlock()
			return done, nil
		}
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
	l.queue[0] = nil
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
// never shortens it. Waiters already sleeping notice the pause when they
// wake up, before they are admitted. A shared limiter records the pause
// in its ledger too, so every process of the key pauses (a ledger that
// cannot be written leaves the pause to this process).
func (l *Limiter) Pause(d time.Duration) {
	l.mu.Lock()
	if until := time.Now().Add(d); until.After(l.paused) {
		l.paused = until
	}
	l.mu.Unlock()
	if l.ledger != nil {
		ctx, cancel := context.WithTimeout(context.Background(), ledgerTimeout)
		defer cancel()
		_ = l.ledger.Pause(ctx, d)
	}
}

// PausedUntil returns the end of the current pause, or the zero time
// when the limiter is not paused.
func (l *Limiter) PausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.paused.After(time.Now()) {
		return l.paused
	}
	return time.Time{}
}
