package journal

import (
	"errors"
	"testing"

	"github.com/certbatch/certbatch/internal/pgtest"
	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/ratelimit/ledgertest"
)

// The PostgreSQL rate budget passes the ledger conformance test, with
// two journals on one database standing for two hosts.
func TestPostgresLedgerConforms(t *testing.T) {
	s := pgtest.Require(t)
	ledgertest.Run(t, func(t *testing.T) (a, b ratelimit.Ledger) {
		u := s.URL(s.NewDatabase(t))
		scope := "https://example.test/services/v2\x00KEY-" + t.Name()
		for i, dst := range []*ratelimit.Ledger{&a, &b} {
			j := open(t, u)
			l, err := j.RateLedger(scope)
			if err != nil {
				t.Fatalf("journal %d: %v", i, err)
			}
			t.Cleanup(func() { l.Close() })
			*dst = l
		}
		return a, b
	})
}

// The budget is per scope (per key): another key's admissions do not
// count, and the key is never stored.
func TestPostgresLedgerScopes(t *testing.T) {
	s := pgtest.Require(t)
	j := open(t, s.URL(s.NewDatabase(t)))
	ws := []ratelimit.Window{{Limit: 1, Per: 3600e9}}
	one, _ := j.RateLedger("endpoint\x00KEY-one-do-not-store")
	two, _ := j.RateLedger("endpoint\x00KEY-two-do-not-store")
	for _, l := range []ratelimit.Ledger{one, two} {
		if _, wait, err := l.Admit(t.Context(), ws); err != nil || wait != 0 {
			t.Fatalf("Admit = %v, %v", wait, err)
		}
	}
	var n int
	if err := j.db.QueryRow("SELECT count(*) FROM rate_admissions WHERE scope LIKE '%KEY%' OR scope LIKE '%do-not-store%'").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d admissions name the key (%v)", n, err)
	}
	if _, err := tempJournal(t).RateLedger("x"); !errors.Is(err, ErrNoLedger) {
		t.Errorf("an SQLite journal's RateLedger = %v, want ErrNoLedger", err)
	}
}
