package certcentral

import (
	"net/http"
	"sync/atomic"
	"time"
)

// serverClock remembers how far the server's clock is from this
// machine's, from the Date header of the latest answer (RFC 9110
// §6.6.1; every HTTP server sends one). DigiCert's list dates are the
// server's, the journal's are this machine's: reconciliation compares
// the two through [Client.ServerSkew] instead of trusting this machine's
// clock (issue 20).
type serverClock struct {
	skew  atomic.Int64 // server minus local, in nanoseconds
	known atomic.Bool
}

// note records the Date header of an answer received at local time at.
func (c *serverClock) note(date string, at time.Time) {
	if date == "" {
		return
	}
	d, err := http.ParseTime(date)
	if err != nil {
		return
	}
	c.skew.Store(int64(d.Sub(at)))
	c.known.Store(true)
}

// ServerSkew returns how far the server's clock is ahead of this
// machine's (negative: behind), as the Date header of the latest answer
// tells it, to the second; ok is false before any answer carried a
// Date.
func (c *Client) ServerSkew() (skew time.Duration, ok bool) {
	if !c.clock.known.Load() {
		return 0, false
	}
	return time.Duration(c.clock.skew.Load()), true
}
