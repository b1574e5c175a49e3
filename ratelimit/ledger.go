package ratelimit

import (
	"context"
	"time"
)

// Ledger is a rate budget kept outside the process: the admissions of
// every process that uses one API key, and the pause a 429 calls for.
// DigiCert counts requests per key, not per process
// (https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html:
// the limits apply per API key, and a 429 blocks every request on that
// key), so every certbatch process sharing a key must draw from one
// window: on one machine a locked file beside the journal, for a team
// the shared journal's database.
//
// A ledger keeps time by its own clock (the file ledger by the machine's,
// a database ledger by the server's), so hosts whose clocks disagree
// still share one window; that is why it answers with durations.
//
// Implementations must be safe for concurrent use by goroutines and by
// processes: Admit's check and record are one atomic step. They decide
// with [WaitFor], so that every ledger counts alike, and take times
// recorded after their clock's now (the clock was set back) as now, so a
// clock moved back never holds the budget for as long as it moved
// ([FileLedger] is the reference).
type Ledger interface {
	// Admit records one request starting now if, counting every
	// admission the ledger holds (from any process), no window would be
	// exceeded and no pause is in force; it then returns the admission's
	// id and wait == 0. Otherwise it records nothing and returns how
	// long to wait before trying again (> 0).
	//
	// An admission counts in every window from its start until Per after
	// its [Ledger.Finish]. One never finished (its process was killed)
	// counts as finishing Lease after its start.
	Admit(ctx context.Context, windows []Window) (id string, wait time.Duration, err error)
	// Finish records that the request admitted as id has its answer
	// (or failed). Finishing an unknown or finished id does nothing.
	Finish(ctx context.Context, id string) error
	// Pause records that no request may start for d from now, for every
	// process; it extends an earlier pause but never shortens it.
	Pause(ctx context.Context, d time.Duration) error
	// Close releases the ledger's resources (not its records).
	Close() error
}

// Lease is how long after its start an admission whose end was never
// recorded keeps counting as in flight: longer than any request
// certbatch sends may take.
const Lease = 5 * time.Minute
