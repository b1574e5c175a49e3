// Package journal is certbatch's durable order journal: it records every
// attempt to order a person before its request leaves the machine and
// its answer after, so that nobody is ever ordered twice, whatever
// crashes, kill -9s or re-runs happen. It also keeps every row's result
// per batch, to rebuild a results file after a crash, serves the order
// history (audit trail), the account check's cache and the downloads.
//
// Two backends hold the same tables ([Open] picks one by its location):
//
//   - SQLite (modernc.org/sqlite, pure Go; WAL, synchronous=FULL), one
//     file per user and endpoint: the zero-setup default. Writers hold
//     an exclusive advisory lock (flock) on the file until
//     [Journal.Close]; a second writer, in this process or another,
//     fails at once with [ErrLocked]; PATH.lock records the holder's PID
//     for that message and is never written through a symbolic or hard
//     link. Readers ([Options.ReadOnly]) take no lock and never create
//     the file. The file and its lock file are created with mode 0600,
//     and an existing journal that others may read is tightened to 0600
//     when it is opened.
//   - PostgreSQL (github.com/jackc/pgx/v5 through database/sql), for a
//     team and its cron hosts: a postgres:// URL. Any number of hosts
//     write at once; what must not happen twice is serialised per person
//     in the database ([Journal.LockPerson]), times come from the
//     database's clock, and the rate budget of an API key is shared
//     ([Journal.RateLedger]). The URL's password never appears in an
//     error or in [Journal.Path].
//
// The schema is built by versioned migrations (migrations/*.sql,
// embedded), applied in order on both backends; see migrate.go.
package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Errors callers tell apart with errors.Is.
var (
	// ErrLocked means another writer holds the journal; it is wrapped with
	// the path and, when known, the holder's PID.
	ErrLocked = l10n.Errorf("journal is in use by another certbatch process")
	// ErrCorrupt means the file or database is not a journal, is damaged,
	// or holds something other than a certbatch journal; it is wrapped
	// with the location and the underlying error.
	ErrCorrupt = l10n.Errorf("journal is not a valid certbatch journal")
	// ErrNotFound means a batch or entry is not in the journal.
	ErrNotFound = l10n.Errorf("not found in the journal")
	// ErrReadOnly means a write was attempted on a journal opened with
	// [Options.ReadOnly].
	ErrReadOnly = l10n.Errorf("journal is open read-only")
	// ErrOtherEndpoint means a shared journal belongs to another
	// CertCentral endpoint than [Options.Endpoint].
	ErrOtherEndpoint = l10n.Errorf("the journal belongs to another CertCentral endpoint")
	// ErrRefused means the database server refused the journal's role:
	// a wrong password, an unknown role or database, missing privileges.
	ErrRefused = l10n.Errorf("the journal's database refused the connection")
	// ErrUnavailable means the journal's database server could not be
	// reached (down, unreachable, timed out): nothing was done; run
	// again later.
	ErrUnavailable = l10n.Errorf("the journal's database server cannot be reached")
)

// Options adjust Open.
type Options struct {
	// ReadOnly opens an existing journal for reading (history, results,
	// status while a submit runs): no lock is taken, nothing is created
	// (a missing file is an error wrapping fs.ErrNotExist) and writes
	// fail with ErrReadOnly.
	ReadOnly bool
	// Endpoint, when set, names the CertCentral endpoint the journal is
	// for (e.g. "www.digicert.com"). The first writer records it; a
	// journal that recorded another is refused with ErrOtherEndpoint, so
	// sandbox orders never stand in for production ones.
	Endpoint string
}

// Journal is an open journal. It is safe for concurrent use.
type Journal struct {
	db       *sql.DB
	d        *dialect
	path     string // as given to Open; a URL's password masked
	readOnly bool
	created  bool // Open created the journal
	// secrets are what errors must never show (a URL's password).
	secrets []string

	// SQLite's writer lock.
	lock *os.File // the journal file, flocked (writers)
	id   fileID   // its device and inode
	real string   // the path SQLite opens: symlinks resolved
	// wmu serialises writes on SQLite: it has one writer at a time, and
	// waiting here hands over at once instead of polling in the busy
	// handler. PostgreSQL writes concurrently.
	wmu sync.Mutex

	// now is the clock: time.Now on SQLite, nil on PostgreSQL (the
	// database's clock). Tests replace it.
	now func() time.Time
	// lookup is Lookup's statement, prepared once.
	lookup *sql.Stmt
	// findPerson is FindPerson's statement (findPersonQuery), prepared
	// once: it runs for every row.
	findPerson *sql.Stmt
	// rowPeople: the rows table has the name, email and note columns
	// (ensureRowPeople).
	rowPeople bool
	// personEmails: the journal has the person_emails table (migration
	// 7); a reader of an older one finds people by their primary email.
	personEmails bool
}

const lookupQuery = "SELECT " + entryCols + " FROM orders WHERE identity=? AND state IN ('ordered','intent','uncertain') ORDER BY state='ordered' DESC, id DESC LIMIT 1"

// Path returns the journal's location as given to Open: a file path, or
// a PostgreSQL URL with its password masked.
func (j *Journal) Path() string { return j.path }

// Created reports whether Open created the journal: no earlier order is
// known to it.
func (j *Journal) Created() bool { return j.created }

// Shared reports whether the journal is a database server's that other
// hosts may write at the same time (PostgreSQL).
func (j *Journal) Shared() bool { return j.d == postgresDialect }

// Memory is the path of a journal that lives in memory and remembers
// nothing after Close: for benchmarks and tests, never for real orders.
const Memory = ":memory:"

// IsURL reports whether location names a PostgreSQL journal
// (postgres:// or postgresql://) rather than a file.
func IsURL(location string) bool {
	l := strings.ToLower(location)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Open opens the journal at location: a postgres:// URL, or an SQLite
// file path (or [Memory]). Writers create it when it does not exist
// (a file with mode 0600, the tables in a database) and bring its schema
// up to date; see [Options] for readers.
func Open(location string, opts Options) (*Journal, error) {
	var (
		j   *Journal
		err error
	)
	if IsURL(location) {
		j, err = openPostgres(location, opts)
	} else {
		j, err = openSQLite(location, opts)
	}
	if err != nil {
		return nil, err
	}
	if err := j.checkEndpoint(opts.Endpoint); err != nil {
		j.Close()
		return nil, err
	}
	return j, nil
}

// checkEndpoint records the endpoint in a journal that has none and
// refuses a journal that recorded another.
func (j *Journal) checkEndpoint(endpoint string) error {
	if endpoint == "" {
		return nil
	}
	var got string
	err := j.db.QueryRow(j.d.rebind("SELECT value FROM journal_meta WHERE name='endpoint'")).Scan(&got)
	switch {
	case errors.Is(err, sql.ErrNoRows) && !j.readOnly:
		if _, err := j.db.Exec(j.d.rebind("INSERT INTO journal_meta(name, value) VALUES('endpoint', ?) ON CONFLICT (name) DO NOTHING"), endpoint); err != nil {
			return j.fail("record the endpoint", err)
		}
		return j.checkEndpoint(endpoint) // another host may have won
	case errors.Is(err, sql.ErrNoRows), err != nil && j.d.isUndefined(err):
		return nil // a reader of a journal that never recorded one
	case err != nil:
		return j.fail("read the endpoint", err)
	case got != endpoint:
		return l10n.Errorf("open journal %s: %w: it holds the orders of %s, and this run talks to %s; use another database (or schema) for %s",
			j.path, ErrOtherEndpoint, got, endpoint, endpoint)
	}
	return nil
}

// Close closes the database and releases the writer lock.
func (j *Journal) Close() error {
	for _, st := range []*sql.Stmt{j.lookup, j.findPerson} {
		if st != nil {
			st.Close()
		}
	}
	err := j.db.Close()
	j.release()
	if err != nil {
		return l10n.Errorf("close journal %s: %w", j.path, j.redact(err))
	}
	return nil
}

func (j *Journal) prepare() error {
	j.rowPeople = j.hasRowPeople()
	j.personEmails = j.hasTable("person_emails")
	var err error
	if j.lookup, err = j.db.Prepare(j.d.rebind(lookupQuery)); err != nil {
		return j.classify(err)
	}
	fp := findPersonLegacyQuery
	if j.personEmails {
		fp = findPersonQuery(j.d)
	}
	if j.findPerson, err = j.db.Prepare(j.d.rebind(fp)); err != nil {
		return j.classify(err)
	}
	return nil
}

// v1EntryCols are the orders columns of schema version 1.
const v1EntryCols = "id, batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at, completed_at, order_id, request_id, request_status, order_status, certificate_id, error, recovered"

// checkColumns makes sure every column this package reads and writes is
// there (orders with ordersCols), so a foreign database is never changed.
func (j *Journal) checkColumns(ordersCols string) error {
	for _, q := range []string{
		"SELECT " + batchCols + " FROM batches LIMIT 0",
		"SELECT " + ordersCols + " FROM orders LIMIT 0",
		"SELECT batch_id, " + rowCols + " FROM rows LIMIT 0",
	} {
		rows, err := j.db.Query(q)
		if err != nil {
			if j.d.isUndefined(err) {
				return fmt.Errorf("%w: %v", ErrCorrupt, j.redact(err))
			}
			return j.classify(err)
		}
		rows.Close()
	}
	return nil
}

// classify wraps a database error, marking damage as ErrCorrupt and
// masking secrets.
func (j *Journal) classify(err error) error {
	if j.d == sqliteDialect {
		return classifySQLite(err)
	}
	if lostConnection(err) && !errors.Is(err, ErrUnavailable) {
		err = fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return j.redact(err)
}

// fail wraps the error of operation op.
func (j *Journal) fail(op string, err error) error {
	return l10n.Errorf("journal: %s: %w", op, j.classify(err))
}

// write runs fn, holding the write mutex on SQLite; it refuses on a
// read-only journal.
func (j *Journal) write(op string, fn func() error) error {
	if j.readOnly {
		return l10n.Errorf("journal: %s: %w", op, ErrReadOnly)
	}
	if j.d == sqliteDialect {
		j.wmu.Lock()
		defer j.wmu.Unlock()
	}
	return fn()
}

// exec is db.Exec with the query in the journal's dialect.
func (j *Journal) exec(q string, args ...any) (sql.Result, error) {
	return j.db.Exec(j.d.rebind(q), args...)
}

// queryRow is db.QueryRow with the query in the journal's dialect.
func (j *Journal) queryRow(q string, args ...any) *sql.Row {
	return j.db.QueryRow(j.d.rebind(q), args...)
}

// Now returns the journal's time: the database server's clock on
// PostgreSQL, so every host compares the journal's times with one
// clock; the machine's on SQLite.
func (j *Journal) Now(ctx context.Context) (time.Time, error) {
	if j.now != nil {
		return j.now(), nil
	}
	var t time.Time
	if err := j.db.QueryRowContext(ctx, "SELECT clock_timestamp()").Scan(&t); err != nil {
		return time.Time{}, j.fail("read the database's clock", err)
	}
	return t, nil
}

// stamp is Now as the text stored in the journal's time columns.
func (j *Journal) stamp() (string, error) {
	t, err := j.Now(context.Background())
	if err != nil {
		return "", err
	}
	return ts(t), nil
}

// tsFormat is RFC 3339 with a fixed width, so times compare as text.
const tsFormat = "2006-01-02T15:04:05.000000000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(tsFormat) }

func parseTS(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, l10n.Errorf("%w: bad time %q", ErrCorrupt, s.String)
	}
	return t, nil
}
