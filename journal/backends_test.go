package journal

import (
	"net/url"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// both runs fn once per backend: on SQLite files, and on PostgreSQL
// databases of a private server (skipped, saying why, where none can be
// started). newJournal opens a new, empty journal on that backend.
func both(t *testing.T, fn func(t *testing.T, newJournal func(testing.TB) *Journal)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteJournal) })
	t.Run("postgres", func(t *testing.T) {
		pgtest.Require(t)
		fn(t, pgJournal)
	})
}

func sqliteJournal(t testing.TB) *Journal { return tempJournal(t) }

// pgJournal opens a journal in a new database of the test server.
func pgJournal(t testing.TB) *Journal {
	t.Helper()
	s := pgtest.Require(t)
	return open(t, s.URL(s.NewDatabase(t)))
}

// TLS is used when the URL asks for it: with sslmode=verify-full and the
// server's CA the session is encrypted; a server on another machine
// without sslmode gets sslmode=require, never libpq's "prefer" that
// would fall back to plain text.
func TestPostgresTLS(t *testing.T) {
	s := pgtest.Require(t)
	u := s.URL(s.NewDatabase(t))
	j := open(t, strings.Replace(u, "sslmode=disable", "sslmode=verify-full&sslrootcert="+url.QueryEscape(s.CAFile), 1))
	var ssl bool
	if err := j.db.QueryRow("SELECT ssl FROM pg_stat_ssl WHERE pid=pg_backend_pid()").Scan(&ssl); err != nil || !ssl {
		t.Errorf("sslmode=verify-full: ssl %v, %v", ssl, err)
	}
	plain := open(t, u)
	if err := plain.db.QueryRow("SELECT ssl FROM pg_stat_ssl WHERE pid=pg_backend_pid()").Scan(&ssl); err != nil || ssl {
		t.Errorf("sslmode=disable: ssl %v, %v", ssl, err)
	}
	// A server elsewhere (an address nobody answers: 192.0.2.0/24 is
	// for documentation) without sslmode: TLS is demanded, with no
	// plain-text fallback.
	t.Setenv("PGSSLMODE", "")
	for _, c := range []struct {
		url     string
		tlsOnly bool
	}{
		{"postgres://u@192.0.2.1:5432/db", true},
		{"postgres://u@db.example.com/db", true},
		{"postgres://u@192.0.2.1/db?sslmode=disable", false},
		{"postgres://u@localhost/db", false},
		{"postgres://u@127.0.0.1/db", false},
		{"postgres:///db?host=/var/run/postgresql", false},
	} {
		cc, err := pgConfig(c.url)
		if err != nil {
			t.Fatal(err)
		}
		tlsOnly := cc.TLSConfig != nil
		for _, fb := range cc.Fallbacks {
			if fb.TLSConfig == nil {
				tlsOnly = false
			}
		}
		if tlsOnly != c.tlsOnly {
			t.Errorf("%s: TLS only %v, want %v", c.url, tlsOnly, c.tlsOnly)
		}
	}
}
