package journal

import (
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
