package ratelimit

import (
	"slices"
	"time"
)

// Admission is one request a [Ledger] holds: when it started and, once
// its answer is back (or it failed), when it finished.
type Admission struct {
	ID    uint64
	Start time.Time
	// End is when the request finished; zero while it is in flight.
	End time.Time
}

// ended returns when a counts as finished: End, or for one never
// finished Start+Lease (its process was killed); ok is false while it
// may still be in flight at now.
func (a Admission) ended(now time.Time) (end time.Time, ok bool) {
	if !a.End.IsZero() {
		return a.End, true
	}
	if lease := a.Start.Add(Lease); lease.After(now) {
		return time.Time{}, false
	}
	return a.Start.Add(Lease), true
}

// WaitFor is the rule every ledger applies, in one place so that a file
// ledger and a database ledger decide alike: how long a request that
// wants to start at now must wait, given the admissions held (from any
// process) and a pause in force until paused. Zero means it may start
// now. An admission counts in a window from its start until Per after it
// ended, so at most Limit admissions are ever "active" at once: however
// late a request arrives at the server (which counts it on arrival,
// https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html:
// "the service checks how many requests have occurred in the preceding 5
// seconds and then checks the preceding 3 minutes"), the server never
// sees more than Limit in a window.
//
// An admission still in flight can free its place no sooner than Per
// from now, so the wait returned is a lower bound there: the caller asks
// again then, and never sleeps past the first moment a place could be
// free.
//
// Times after now (the clock was set back since they were recorded) are
// taken as now: those requests happened no later than now, so they
// count for at most a window more, never for as long as the clock moved.
func WaitFor(now time.Time, windows []Window, held []Admission, paused time.Time) time.Duration {
	var wait time.Duration
	if paused.After(now) {
		wait = paused.Sub(now)
	}
	var frees []time.Time
	for _, w := range windows {
		if w.Limit < 1 || w.Per <= 0 {
			continue
		}
		frees = frees[:0]
		for _, a := range held {
			if a.Start.After(now) {
				a.Start = now
			}
			if a.End.After(now) {
				a.End = now
			}
			end, ok := a.ended(now)
			if !ok {
				end = now // in flight: its place frees no sooner than now+Per
			}
			if free := end.Add(w.Per); free.After(now) {
				frees = append(frees, free)
			}
		}
		if len(frees) < w.Limit {
			continue
		}
		// len(frees)-Limit+1 of them must free their place first.
		slices.SortFunc(frees, func(a, b time.Time) int { return a.Compare(b) })
		wait = max(wait, frees[len(frees)-w.Limit].Sub(now))
	}
	return wait
}

// stale reports whether a no longer matters to any window up to retain
// long at now.
func (a Admission) stale(now time.Time, retain time.Duration) bool {
	end, ok := a.ended(now)
	return ok && !end.Add(retain).After(now)
}

// longest is the longest Per of windows.
func longest(windows []Window) time.Duration {
	var d time.Duration
	for _, w := range windows {
		d = max(d, w.Per)
	}
	return d
}
