// Package journal is certbatch's durable order journal: an SQLite
// database (modernc.org/sqlite, pure Go; WAL, synchronous=FULL) that
// records every attempt to order a person before its request leaves the
// machine and its answer after, so that nobody is ever ordered twice,
// whatever crashes, kill -9s or re-runs happen. It also keeps every row's
// result per batch, to rebuild a results file after a crash, and serves
// the order history (audit trail).
//
// The schema (schema.sql, embedded, also in [Schema]) is plain so
// operators can read the file with the sqlite3 tool. PRAGMA user_version
// holds [SchemaVersion] so later versions can migrate. The file and its
// lock file are created with mode 0600.
//
// Writers hold an exclusive advisory lock (flock) on PATH.lock, which
// also records the holder's PID, until [Journal.Close]; a second writer,
// in this process or another, fails at once with [ErrLocked]. Readers
// ([Options.ReadOnly]) take no lock and never create the file.
package journal

import (
	"crypto/rand"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Schema is the SQL that creates a journal (schema.sql).
//
//go:embed schema.sql
var Schema string

// SchemaVersion is the PRAGMA user_version this package writes and reads.
// Version 3 added person_emails; version 2 product_key and person_key.
const SchemaVersion = 3

// applicationID marks the file as a certbatch journal (PRAGMA
// application_id, "CBTC").
const applicationID = 0x43425443

// Errors callers tell apart with errors.Is.
var (
	// ErrLocked means another writer holds the journal; it is wrapped with
	// the path and, when known, the holder's PID.
	ErrLocked = errors.New("journal is in use by another certbatch process")
	// ErrCorrupt means the file is not an SQLite database, is damaged, or
	// holds something other than a certbatch journal; it is wrapped with
	// the path and the underlying error.
	ErrCorrupt = errors.New("journal is not a valid certbatch journal")
	// ErrNotFound means a batch or entry is not in the journal.
	ErrNotFound = errors.New("not found in the journal")
	// ErrReadOnly means a write was attempted on a journal opened with
	// [Options.ReadOnly].
	ErrReadOnly = errors.New("journal is open read-only")
)

// Options adjust Open.
type Options struct {
	// ReadOnly opens an existing journal for reading (history, results,
	// status while a submit runs): no lock is taken, the file is never
	// created (a missing file is an error wrapping fs.ErrNotExist) and
	// writes fail with ErrReadOnly.
	ReadOnly bool
}

// Journal is an open journal. It is safe for concurrent use.
type Journal struct {
	db       *sql.DB
	path     string
	readOnly bool
	lock     *os.File // the journal file, flocked (writers)
	id       fileID   // its device and inode
	real     string   // the path SQLite opens: symlinks resolved
	created  bool     // Open created the file
	// wmu serialises writes: SQLite has one writer at a time, and waiting
	// here hands over at once instead of polling in the busy handler.
	wmu sync.Mutex
	now func() time.Time // the clock; tests replace it
	// lookup is Lookup's statement, prepared once.
	lookup *sql.Stmt
	// findPerson is FindPerson's statement (findPersonQuery), prepared
	// once: it runs for every row.
	findPerson *sql.Stmt
	// v2 is set for a version 2 journal opened read-only: it has no
	// person_emails yet.
	v2 bool
}

const lookupQuery = "SELECT " + entryCols + " FROM orders WHERE identity=? AND state IN ('ordered','intent','uncertain') ORDER BY state='ordered' DESC, id DESC LIMIT 1"

// Path returns the journal's file path as given to Open.
func (j *Journal) Path() string { return j.path }

// Created reports whether Open created the journal file: no earlier
// order is known to it.
func (j *Journal) Created() bool { return j.created }

// Memory is the path of a journal that lives in memory and remembers
// nothing after Close: for benchmarks and tests, never for real orders.
const Memory = ":memory:"

// Open opens the journal at path. Writers create it (mode 0600) when it
// does not exist and take the writer lock; see [Options] for readers.
func Open(path string, opts Options) (*Journal, error) {
	j := &Journal{path: path, readOnly: opts.ReadOnly, now: time.Now}
	if path == Memory {
		return j.openMemory()
	}
	const pragmas = "_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	dsn := "file:" + path + "?" + pragmas
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open journal %s: the path must not contain '?' or '#'", path)
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open journal %s: %w", path, err)
		}
		dsn += "&_pragma=query_only(1)"
	} else {
		// The lock creates the file (mode 0600; SQLite's -wal and -shm
		// files copy it) and resolves its real name.
		if err := j.acquire(); err != nil {
			return nil, err
		}
		if strings.ContainsAny(j.real, "?#") {
			j.release()
			return nil, fmt.Errorf("open journal %s: the path must not contain '?' or '#'", path)
		}
		dsn = "file:" + j.real + "?" + pragmas + "&_txlock=immediate"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		j.release()
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	j.db = db
	if err := j.init(); err != nil {
		db.Close()
		j.release()
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	return j, nil
}

func (j *Journal) openMemory() (*Journal, error) {
	db, err := sql.Open("sqlite", "file:certbatch-"+rand.Text()+"?mode=memory&cache=shared&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		return nil, fmt.Errorf("open journal in memory: %w", err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4) // the database lives as long as a connection does
	j.db = db
	if err := j.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open journal in memory: %w", err)
	}
	return j, nil
}

// init checks that the database is a journal of a version this package
// reads, or creates the schema in an empty database (writers only). It
// reads before it writes, so a file that is not a journal is never
// changed.
func (j *Journal) init() error {
	var version, appID, objects int
	err := j.db.QueryRow("PRAGMA user_version").Scan(&version)
	if err == nil {
		err = j.db.QueryRow("PRAGMA application_id").Scan(&appID)
	}
	if err == nil {
		err = j.db.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&objects)
	}
	if err != nil {
		return j.classify(err)
	}
	switch {
	case version == 0 && appID == 0 && objects == 0:
		if j.readOnly {
			return fmt.Errorf("%w: the file is empty (no certbatch run has written it yet)", ErrCorrupt)
		}
		return j.create()
	case appID != 0 && appID != applicationID:
		return fmt.Errorf("%w: it is an SQLite database of another application (application_id %d)", ErrCorrupt, appID)
	case version > SchemaVersion:
		return fmt.Errorf("%w: schema version %d is newer than this certbatch understands (%d); upgrade certbatch", ErrCorrupt, version, SchemaVersion)
	case version == 1 && j.readOnly:
		return fmt.Errorf("%w: it has schema version 1; run `certbatch reconcile` (or submit) on it once to upgrade it to version %d", ErrCorrupt, SchemaVersion)
	case version == 1:
		if err := j.checkColumns(v1EntryCols); err != nil {
			return err
		}
		if err := j.migrate1(); err != nil {
			return err
		}
		if err := j.migrate2(); err != nil {
			return err
		}
	case version == 2 && j.readOnly:
		// Readers never look a person up: a version 2 journal reads as
		// it is (history matches primary emails only) until a writer
		// upgrades it.
		j.v2 = true
	case version == 2:
		if err := j.checkColumns(entryCols); err != nil {
			return err
		}
		if err := j.migrate2(); err != nil {
			return err
		}
	case version != SchemaVersion:
		return fmt.Errorf("%w: it is an SQLite database of something else (schema version %d)", ErrCorrupt, version)
	}
	if err := j.checkColumns(entryCols); err != nil {
		return err
	}
	if !j.readOnly && j.path != Memory {
		if err := j.setWAL(); err != nil {
			return err
		}
	}
	return j.prepare()
}

// v1EntryCols are the orders columns of schema version 1.
const v1EntryCols = "id, batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at, completed_at, order_id, request_id, request_status, order_status, certificate_id, error, recovered"

// checkColumns makes sure every column this package reads and writes is
// there (orders with ordersCols), so a foreign file is never changed.
func (j *Journal) checkColumns(ordersCols string) error {
	for _, q := range []string{
		"SELECT " + batchCols + " FROM batches LIMIT 0",
		"SELECT " + ordersCols + " FROM orders LIMIT 0",
		"SELECT batch_id, " + rowCols + " FROM rows LIMIT 0",
	} {
		rows, err := j.db.Query(q)
		if err != nil {
			if c := sqliteCode(err); c == sqlite3.SQLITE_ERROR {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			return j.classify(err)
		}
		rows.Close()
	}
	return nil
}

func (j *Journal) prepare() error {
	var err error
	if j.lookup, err = j.db.Prepare(lookupQuery); err != nil {
		return j.classify(err)
	}
	if j.v2 {
		return nil // no person_emails: FindPerson is for writers
	}
	if j.findPerson, err = j.db.Prepare(findPersonQuery); err != nil {
		return j.classify(err)
	}
	return nil
}

func (j *Journal) setWAL() error {
	var mode string
	if err := j.db.QueryRow("PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return j.classify(err)
	}
	// SQLite keeps the old mode where WAL is impossible (some network
	// file systems); synchronous=FULL keeps commits durable there too.
	return nil
}

func (j *Journal) create() error {
	if j.path != Memory {
		if err := j.setWAL(); err != nil {
			return err
		}
	}
	tx, err := j.db.Begin()
	if err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	defer tx.Rollback()
	for _, s := range []string{Schema,
		"PRAGMA user_version = " + strconv.Itoa(SchemaVersion),
		"PRAGMA application_id = " + strconv.Itoa(applicationID)} {
		if _, err := tx.Exec(s); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	return j.prepare()
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
		return fmt.Errorf("close journal %s: %w", j.path, err)
	}
	return nil
}

func sqliteCode(err error) int {
	if e, ok := errors.AsType[*sqlite.Error](err); ok {
		return e.Code() & 0xff
	}
	return 0
}

// classify wraps a database error, marking damage as ErrCorrupt.
func (j *Journal) classify(err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}

// fail wraps the error of operation op.
func (j *Journal) fail(op string, err error) error {
	return fmt.Errorf("journal: %s: %w", op, j.classify(err))
}

// write runs fn holding the write mutex; it refuses on a read-only journal.
func (j *Journal) write(op string, fn func() error) error {
	if j.readOnly {
		return fmt.Errorf("journal: %s: %w", op, ErrReadOnly)
	}
	j.wmu.Lock()
	defer j.wmu.Unlock()
	return fn()
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
		return time.Time{}, fmt.Errorf("%w: bad time %q", ErrCorrupt, s.String)
	}
	return t, nil
}
