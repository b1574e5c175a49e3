package journal

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/ratelimit"
)

// ErrNoLedger means the journal cannot keep a rate budget for other
// hosts: it is an SQLite file (each machine keeps its own).
var ErrNoLedger = l10n.Errorf("only a PostgreSQL journal keeps a rate budget shared by hosts")

// RateLedger returns the rate budget of scope kept in the journal's
// database: a [ratelimit.Ledger] every host that uses this journal and
// the same scope draws from, by the database server's clock. scope names
// the budget: the endpoint and the API key, since DigiCert's limits are
// "based on the authenticated user's API key", rolling windows checked
// when a request arrives, and a request over either window blocks the
// key's access with 429 request_limit_exceeded
// (https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html).
// Only a hash of scope is stored, so it may hold the key itself.
// The ledger uses the journal's connections: close it before the
// journal. On SQLite it returns ErrNoLedger.
func (j *Journal) RateLedger(scope string) (ratelimit.Ledger, error) {
	if j.d != postgresDialect {
		return nil, ErrNoLedger
	}
	if j.readOnly {
		return nil, l10n.Errorf("journal: rate budget: %w", ErrReadOnly)
	}
	sum := sha256.Sum256([]byte("certbatch rate budget\x00" + scope))
	return &pgLedger{j: j, scope: hex.EncodeToString(sum[:16]), lock: int64(binary.BigEndian.Uint64(sum[16:24]))}, nil
}

// OpenLedger opens the PostgreSQL journal at location and returns its
// rate budget of scope (see [Journal.RateLedger]); closing the ledger
// closes that journal. It is for commands that draw from the budget
// without writing the journal otherwise.
func OpenLedger(location, scope string) (ratelimit.Ledger, error) {
	if !IsURL(location) {
		return nil, ErrNoLedger
	}
	j, err := Open(location, Options{})
	if err != nil {
		return nil, err
	}
	l, err := j.RateLedger(scope)
	if err != nil {
		j.Close()
		return nil, err
	}
	l.(*pgLedger).owns = true
	return l, nil
}

// pgLedger is the rate budget in PostgreSQL (tables rate_admissions and
// rate_pauses, schema version 4). Admit's check and record are one
// transaction holding an advisory lock of the scope, so admissions of
// every host are counted one at a time; every time is the server's
// clock_timestamp().
type pgLedger struct {
	j     *Journal
	scope string // hash of the scope
	lock  int64  // advisory lock key of the scope
	owns  bool   // Close closes j
}

// ledgerPoll is how long Admit asks a caller to wait when the window is
// full of requests still in flight: one may finish any moment, and the
// ledger cannot tell when.
const ledgerPoll = 50 * time.Millisecond

// ledgerKeep is how long admissions are kept after they stop counting
// in the longest window of an Admit (at least): older ones are deleted.
const ledgerKeep = time.Hour

func micros(d time.Duration) int64 { return d.Microseconds() }

// Admit implements [ratelimit.Ledger].
func (l *pgLedger) Admit(ctx context.Context, windows []ratelimit.Window) (id string, wait time.Duration, err error) {
	err = l.tx(ctx, "admit a request", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", l.lock); err != nil {
			return err
		}
		// The time is read after the lock: waiting for it takes time.
		var now time.Time
		var paused sql.NullTime
		if err := tx.QueryRowContext(ctx, "SELECT clock_timestamp(), (SELECT until FROM rate_pauses WHERE scope=$1)", l.scope).Scan(&now, &paused); err != nil {
			return err
		}
		if paused.Valid && paused.Time.After(now) {
			wait = paused.Time.Sub(now)
			return nil
		}
		keep := ledgerKeep
		if len(windows) > 0 {
			// One query counts every window: how many admissions still
			// count in it (free_at + Per is ahead).
			var q strings.Builder
			q.WriteString("SELECT ")
			args := []any{l.scope, now}
			var longest time.Duration
			for i, w := range windows {
				if i > 0 {
					q.WriteString(", ")
				}
				args = append(args, micros(w.Per))
				fmt.Fprintf(&q, "count(*) FILTER (WHERE free_at > $2::timestamptz - $%d * interval '1 microsecond')", len(args))
				longest = max(longest, w.Per)
				keep = max(keep, w.Per+ratelimit.Lease)
			}
			args = append(args, micros(longest))
			fmt.Fprintf(&q, " FROM rate_admissions WHERE scope=$1 AND free_at > $2::timestamptz - $%d * interval '1 microsecond'", len(args))
			counts := make([]int64, len(windows))
			dst := make([]any, len(windows))
			for i := range counts {
				dst[i] = &counts[i]
			}
			if err := tx.QueryRowContext(ctx, q.String(), args...).Scan(dst...); err != nil {
				return err
			}
			for i, w := range windows {
				if counts[i] < int64(w.Limit) {
					continue
				}
				// The admission whose end frees a place: the
				// (count-Limit+1)-th oldest to stop counting.
				var freeAt time.Time
				var finished bool
				if err := tx.QueryRowContext(ctx, "SELECT free_at, finished FROM rate_admissions WHERE scope=$1 AND free_at > $2::timestamptz - $3 * interval '1 microsecond' ORDER BY free_at OFFSET $4 LIMIT 1",
					l.scope, now, micros(w.Per), counts[i]-int64(w.Limit)).Scan(&freeAt, &finished); err != nil {
					return err
				}
				d := freeAt.Add(w.Per).Sub(now)
				if !finished {
					d = min(d, ledgerPoll)
				}
				wait = max(wait, d, time.Microsecond)
			}
			if wait > 0 {
				return nil
			}
		}
		var n int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO rate_admissions(scope, started_at, free_at) VALUES($1, $2, $2::timestamptz + $3 * interval '1 microsecond') RETURNING id",
			l.scope, now, micros(ratelimit.Lease)).Scan(&n); err != nil {
			return err
		}
		id = strconv.FormatInt(n, 10)
		_, err := tx.ExecContext(ctx, "DELETE FROM rate_admissions WHERE scope=$1 AND free_at < $2::timestamptz - $3 * interval '1 microsecond'",
			l.scope, now, micros(keep))
		return err
	})
	if err != nil {
		return "", 0, err
	}
	return id, wait, nil
}

// Finish implements [ratelimit.Ledger].
func (l *pgLedger) Finish(ctx context.Context, id string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil // not one of ours: nothing to finish
	}
	if _, err := l.j.db.ExecContext(ctx, "UPDATE rate_admissions SET free_at=clock_timestamp(), finished=true WHERE id=$1 AND scope=$2 AND NOT finished", n, l.scope); err != nil {
		return l.j.fail("finish a request of the rate budget", err)
	}
	return nil
}

// Pause implements [ratelimit.Ledger].
func (l *pgLedger) Pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if _, err := l.j.db.ExecContext(ctx, "INSERT INTO rate_pauses(scope, until) VALUES($1, clock_timestamp() + $2 * interval '1 microsecond')"+
		" ON CONFLICT (scope) DO UPDATE SET until=GREATEST(rate_pauses.until, excluded.until)", l.scope, micros(d)); err != nil {
		return l.j.fail("pause the rate budget", err)
	}
	return nil
}

// Close implements [ratelimit.Ledger]: it closes the journal it opened
// (OpenLedger), else nothing.
func (l *pgLedger) Close() error {
	if l.owns {
		return l.j.Close()
	}
	return nil
}

func (l *pgLedger) tx(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := l.j.db.BeginTx(ctx, nil)
	if err != nil {
		return l.j.fail(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return l.j.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return l.j.fail(op, err)
	}
	return nil
}
