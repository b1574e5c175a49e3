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
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
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
const SchemaVersion = 1

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
	lock     *os.File
	// wmu serialises writes: SQLite has one writer at a time, and waiting
	// here hands over at once instead of polling in the busy handler.
	wmu sync.Mutex
	now func() time.Time // the clock; tests replace it
	// lookup is Lookup's statement, prepared once: it runs for every row.
	lookup *sql.Stmt
}

const lookupQuery = "SELECT " + entryCols + " FROM orders WHERE identity=? AND state IN ('ordered','intent','uncertain') ORDER BY state='ordered' DESC, id DESC LIMIT 1"

// Path returns the journal's file path.
func (j *Journal) Path() string { return j.path }

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
		if err := j.acquire(); err != nil {
			return nil, err
		}
		// Create the file ourselves for its mode; SQLite's -wal and -shm
		// files copy it. O_EXCL: an existing file is never opened here,
		// since closing a descriptor would drop SQLite's POSIX locks on
		// it in this process.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case err == nil:
			if err := f.Close(); err != nil {
				j.release()
				return nil, fmt.Errorf("open journal %s: %w", path, err)
			}
		case !errors.Is(err, fs.ErrExist):
			j.release()
			return nil, fmt.Errorf("open journal %s: %w", path, err)
		}
		dsn += "&_txlock=immediate"
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
	case version != SchemaVersion:
		return fmt.Errorf("%w: it is an SQLite database of something else (schema version %d)", ErrCorrupt, version)
	}
	// Every column this package reads and writes must be there.
	for _, q := range []string{
		"SELECT " + batchCols + " FROM batches LIMIT 0",
		"SELECT " + entryCols + " FROM orders LIMIT 0",
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
	if !j.readOnly && j.path != Memory {
		if err := j.setWAL(); err != nil {
			return err
		}
	}
	return j.prepare()
}

func (j *Journal) prepare() error {
	var err error
	if j.lookup, err = j.db.Prepare(lookupQuery); err != nil {
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
	if j.lookup != nil {
		j.lookup.Close()
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

// Batch is one run of submit.
type Batch struct {
	ID                    string // sortable and readable: 20261123T073310Z-3f9a
	StartedAt, FinishedAt time.Time
	Command, Input        string
	InputSHA256           string
	Header                []string // the input's column headers
	Status                string   // running | finished | interrupted
}

// Batch statuses.
const (
	BatchRunning     = "running"
	BatchFinished    = "finished"
	BatchInterrupted = "interrupted"
)

// BeginBatch records the start of a run (status running) and returns it.
func (j *Journal) BeginBatch(command, input, inputSHA256 string, header []string) (Batch, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return Batch{}, fmt.Errorf("journal: begin batch: %w", err)
	}
	var b Batch
	err = j.write("begin batch", func() error {
		for attempt := 0; ; attempt++ {
			now := j.now().UTC()
			rb := make([]byte, 2)
			rand.Read(rb) // never fails (crypto/rand)
			b = Batch{ID: now.Format("20060102T150405Z") + "-" + hex.EncodeToString(rb), StartedAt: now, Command: command,
				Input: input, InputSHA256: inputSHA256, Header: header, Status: BatchRunning}
			_, err := j.db.Exec("INSERT INTO batches(id, started_at, command, input, input_sha256, header, status) VALUES(?,?,?,?,?,?,?)",
				b.ID, ts(now), command, input, inputSHA256, string(h), b.Status)
			if err == nil {
				return nil
			}
			if sqliteCode(err) != sqlite3.SQLITE_CONSTRAINT || attempt == 9 {
				return j.fail("begin batch", err)
			}
			// Same second, same random suffix: draw again.
		}
	})
	if err != nil {
		return Batch{}, err
	}
	return b, nil
}

// FinishBatch records the end of a run with status finished or
// interrupted. An unknown id is an error wrapping ErrNotFound.
func (j *Journal) FinishBatch(id, status string) error {
	switch status {
	case BatchFinished, BatchInterrupted, BatchRunning:
	default:
		return fmt.Errorf("journal: finish batch %s: unknown status %q", id, status)
	}
	return j.write("finish batch", func() error {
		res, err := j.db.Exec("UPDATE batches SET finished_at=?, status=? WHERE id=?", ts(j.now()), status, id)
		if err != nil {
			return j.fail("finish batch "+id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return j.fail("finish batch "+id, err)
		} else if n == 0 {
			return fmt.Errorf("journal: finish batch %s: %w", id, ErrNotFound)
		}
		return nil
	})
}

const batchCols = "id, started_at, finished_at, command, input, input_sha256, header, status"

func scanBatch(sc interface{ Scan(...any) error }) (Batch, error) {
	var b Batch
	var started, finished sql.NullString
	var header string
	if err := sc.Scan(&b.ID, &started, &finished, &b.Command, &b.Input, &b.InputSHA256, &header, &b.Status); err != nil {
		return Batch{}, err
	}
	var err error
	if b.StartedAt, err = parseTS(started); err != nil {
		return Batch{}, err
	}
	if b.FinishedAt, err = parseTS(finished); err != nil {
		return Batch{}, err
	}
	if err := json.Unmarshal([]byte(header), &b.Header); err != nil {
		return Batch{}, fmt.Errorf("%w: batch %s: header: %v", ErrCorrupt, b.ID, err)
	}
	return b, nil
}

// Batch returns the batch with the given ID; an unknown ID is an error
// wrapping ErrNotFound.
func (j *Journal) Batch(id string) (Batch, error) {
	b, err := scanBatch(j.db.QueryRow("SELECT "+batchCols+" FROM batches WHERE id=?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, fmt.Errorf("journal: batch %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Batch{}, j.fail("read batch "+id, err)
	}
	return b, nil
}

// Batches returns every batch, oldest first.
func (j *Journal) Batches() ([]Batch, error) {
	rows, err := j.db.Query("SELECT " + batchCols + " FROM batches ORDER BY started_at, id")
	if err != nil {
		return nil, j.fail("list batches", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, j.fail("list batches", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, j.fail("list batches", err)
	}
	return out, nil
}

// State is the state of an order attempt.
type State string

// Order attempt states.
const (
	StateIntent    State = "intent"    // the request is (being) sent; no answer recorded
	StateOrdered   State = "ordered"   // an order exists
	StateRejected  State = "rejected"  // the API refused it; nothing created
	StateFailed    State = "failed"    // nothing was created
	StateUncertain State = "uncertain" // sent, no trustworthy answer
)

// Intent is what is recorded before a request is sent.
type Intent struct {
	Batch       string // batch ID (must exist)
	Row         int    // spreadsheet row number
	Identity    string // product|key:<value> or product|email:<lowercased address>
	Product     string
	Email       string
	CommonName  string
	PayloadHash string // hash of the request body
}

// Result is the answer to an order attempt.
type Result struct {
	State                             State // ordered, rejected, failed or uncertain
	OrderID, RequestID, CertificateID int64 // 0: unknown
	RequestStatus, OrderStatus, Error string
	Recovered                         bool // found at DigiCert by reconciliation
}

// Entry is an order attempt: its intent and, once known, its answer.
type Entry struct {
	ID int64
	Intent
	State                             State
	IntentAt, CompletedAt             time.Time // CompletedAt is zero while unanswered
	OrderID, RequestID, CertificateID int64
	RequestStatus, OrderStatus, Error string
	Recovered                         bool
}

const entryCols = "id, batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at, completed_at, order_id, request_id, request_status, order_status, certificate_id, error, recovered"

func scanEntry(sc interface{ Scan(...any) error }) (*Entry, error) {
	var e Entry
	var intentAt, completedAt, reqStatus, ordStatus, errText sql.NullString
	var orderID, requestID, certID sql.NullInt64
	var recovered int
	if err := sc.Scan(&e.ID, &e.Batch, &e.Row, &e.Identity, &e.Product, &e.Email, &e.CommonName, &e.PayloadHash, &e.State,
		&intentAt, &completedAt, &orderID, &requestID, &reqStatus, &ordStatus, &certID, &errText, &recovered); err != nil {
		return nil, err
	}
	var err error
	if e.IntentAt, err = parseTS(intentAt); err != nil {
		return nil, err
	}
	if e.CompletedAt, err = parseTS(completedAt); err != nil {
		return nil, err
	}
	e.OrderID, e.RequestID, e.CertificateID = orderID.Int64, requestID.Int64, certID.Int64
	e.RequestStatus, e.OrderStatus, e.Error = reqStatus.String, ordStatus.String, errText.String
	e.Recovered = recovered != 0
	return &e, nil
}

// AddIntent records that a request for in is about to be sent and returns
// the entry's ID. When it returns nil the record is durable (committed
// and synced to disk).
func (j *Journal) AddIntent(in Intent) (int64, error) {
	if in.Identity == "" {
		return 0, fmt.Errorf("journal: record intent: row %d: empty identity", in.Row)
	}
	var id int64
	err := j.write("record intent", func() error {
		res, err := j.db.Exec("INSERT INTO orders(batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at) VALUES(?,?,?,?,?,?,?,?,?)",
			in.Batch, in.Row, in.Identity, in.Product, in.Email, in.CommonName, in.PayloadHash, StateIntent, ts(j.now()))
		if err != nil {
			return j.fail(fmt.Sprintf("record intent: batch %s row %d", in.Batch, in.Row), err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return j.fail("record intent", err)
		}
		return nil
	})
	return id, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Complete records the answer to an attempt; it is durable when Complete
// returns nil. Only an attempt still waiting for an answer (intent or
// uncertain) can be completed: an answer never overwrites another. An
// unknown entry is an error wrapping ErrNotFound.
func (j *Journal) Complete(entryID int64, r Result) error {
	switch r.State {
	case StateOrdered, StateRejected, StateFailed, StateUncertain:
	default:
		return fmt.Errorf("journal: record answer: entry %d: invalid state %q", entryID, r.State)
	}
	return j.write("record answer", func() error {
		res, err := j.db.Exec("UPDATE orders SET state=?, completed_at=?, order_id=?, request_id=?, request_status=?, order_status=?, certificate_id=?, error=?, recovered=? WHERE id=? AND state IN ('intent','uncertain')",
			r.State, ts(j.now()), nullID(r.OrderID), nullID(r.RequestID), r.RequestStatus, r.OrderStatus, nullID(r.CertificateID), r.Error, boolInt(r.Recovered), entryID)
		if err != nil {
			return j.fail(fmt.Sprintf("record answer: entry %d", entryID), err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return j.fail("record answer", err)
		}
		if n == 1 {
			return nil
		}
		var state State
		err = j.db.QueryRow("SELECT state FROM orders WHERE id=?", entryID).Scan(&state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("journal: record answer: entry %d: %w", entryID, ErrNotFound)
		case err != nil:
			return j.fail(fmt.Sprintf("record answer: entry %d", entryID), err)
		}
		return fmt.Errorf("journal: record answer: entry %d is already %s", entryID, state)
	})
}

// Lookup returns the entry that decides what to do with identity: the
// newest ordered entry if there is one, else the newest entry still
// waiting for an answer (intent or uncertain), else nil. Rejected and
// failed attempts never block a new order. It uses the
// (identity, state) index.
func (j *Journal) Lookup(identity string) (*Entry, error) {
	e, err := scanEntry(j.lookup.QueryRow(identity))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, j.fail("look up "+identity, err)
	}
	return e, nil
}

// Unresolved returns every attempt still waiting for an answer (intent or
// uncertain), oldest first.
func (j *Journal) Unresolved() ([]Entry, error) {
	return j.entries("list unresolved", "SELECT "+entryCols+" FROM orders WHERE state IN ('intent','uncertain') ORDER BY id", nil)
}

func (j *Journal) entries(op, q string, args []any) ([]Entry, error) {
	rows, err := j.db.Query(q, args...)
	if err != nil {
		return nil, j.fail(op, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, j.fail(op, err)
		}
		out = append(out, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, j.fail(op, err)
	}
	return out, nil
}

// UpdateStatus records a refreshed order status and, when certificateID
// is not 0, the certificate ID, on the order's entries and row records.
func (j *Journal) UpdateStatus(orderID int64, orderStatus string, certificateID int64) error {
	op := fmt.Sprintf("update status of order %d", orderID)
	return j.write(op, func() error {
		tx, err := j.db.Begin()
		if err != nil {
			return j.fail(op, err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec("UPDATE orders SET order_status=?, certificate_id=COALESCE(?, certificate_id) WHERE order_id=?",
			orderStatus, nullID(certificateID), orderID); err != nil {
			return j.fail(op, err)
		}
		cert := idString(certificateID)
		if _, err := tx.Exec("UPDATE rows SET order_status=?1, certificate_id=CASE WHEN ?2='' THEN certificate_id ELSE ?2 END WHERE order_id=?3",
			orderStatus, cert, strconv.FormatInt(orderID, 10)); err != nil {
			return j.fail(op, err)
		}
		if err := tx.Commit(); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// RowRecord is one row's result in a batch, as the results file shows it.
type RowRecord struct {
	Batch                                                                                  string
	Row                                                                                    int
	Cells                                                                                  []string // the input cells
	Product, Outcome, OrderID, RequestID, RequestStatus, OrderStatus, CertificateID, Error string
}

const rowCols = "row, cells, product, outcome, order_id, request_id, request_status, order_status, certificate_id, error"

// PutRows stores row results in one transaction, replacing earlier ones
// for the same batch and row.
func (j *Journal) PutRows(rows []RowRecord) error {
	if len(rows) == 0 {
		return nil
	}
	return j.write("store rows", func() error {
		tx, err := j.db.Begin()
		if err != nil {
			return j.fail("store rows", err)
		}
		defer tx.Rollback()
		st, err := tx.Prepare("INSERT OR REPLACE INTO rows(batch_id, " + rowCols + ") VALUES(?,?,?,?,?,?,?,?,?,?,?)")
		if err != nil {
			return j.fail("store rows", err)
		}
		defer st.Close()
		for _, r := range rows {
			cells, err := json.Marshal(r.Cells)
			if err != nil {
				return fmt.Errorf("journal: store rows: batch %s row %d: %w", r.Batch, r.Row, err)
			}
			if _, err := st.Exec(r.Batch, r.Row, string(cells), r.Product, r.Outcome, r.OrderID, r.RequestID, r.RequestStatus, r.OrderStatus, r.CertificateID, r.Error); err != nil {
				return j.fail(fmt.Sprintf("store rows: batch %s row %d", r.Batch, r.Row), err)
			}
		}
		if err := tx.Commit(); err != nil {
			return j.fail("store rows", err)
		}
		return nil
	})
}

// Rows calls fn for every row result of a batch, in row order, reading
// them as it goes. An error from fn stops it and is returned as is.
func (j *Journal) Rows(batch string, fn func(RowRecord) error) error {
	op := "read rows of batch " + batch
	rows, err := j.db.Query("SELECT "+rowCols+" FROM rows WHERE batch_id=? ORDER BY row", batch)
	if err != nil {
		return j.fail(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		r := RowRecord{Batch: batch}
		var cells string
		if err := rows.Scan(&r.Row, &cells, &r.Product, &r.Outcome, &r.OrderID, &r.RequestID, &r.RequestStatus, &r.OrderStatus, &r.CertificateID, &r.Error); err != nil {
			return j.fail(op, err)
		}
		if err := json.Unmarshal([]byte(cells), &r.Cells); err != nil {
			return fmt.Errorf("journal: %s: row %d: %w: cells: %v", op, r.Row, ErrCorrupt, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return j.fail(op, err)
	}
	return nil
}

// HistoryFilter selects history entries; zero fields match everything.
type HistoryFilter struct {
	Email string    // case-insensitive (ASCII letters)
	Key   string    // the key column value of identities built from a key (product|key:<Key>)
	Batch string    // batch ID
	Since time.Time // attempts whose intent was recorded at or after Since
}

// HistoryEntry is one order attempt in the audit trail.
type HistoryEntry struct {
	When                                        time.Time // when the intent was recorded
	Batch, Identity, Product, Email, CommonName string
	Row                                         int
	State                                       State
	OrderID, RequestID, CertificateID           int64
	RequestStatus, OrderStatus                  string
	Recovered                                   bool
	Error                                       string
}

// History returns the order attempts (every state) that match f, oldest
// first.
func (j *Journal) History(f HistoryFilter) ([]HistoryEntry, error) {
	q := "SELECT " + entryCols + " FROM orders WHERE 1=1"
	var args []any
	if f.Email != "" {
		q += " AND email=? COLLATE NOCASE"
		args = append(args, f.Email)
	}
	if f.Key != "" {
		q += " AND instr(identity, '|key:')>0 AND substr(identity, instr(identity, '|key:')+5)=?"
		args = append(args, f.Key)
	}
	if f.Batch != "" {
		q += " AND batch_id=?"
		args = append(args, f.Batch)
	}
	if !f.Since.IsZero() {
		q += " AND intent_at>=?"
		args = append(args, ts(f.Since))
	}
	es, err := j.entries("read history", q+" ORDER BY intent_at, id", args)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryEntry, len(es))
	for i, e := range es {
		out[i] = HistoryEntry{When: e.IntentAt, Batch: e.Batch, Identity: e.Identity, Product: e.Product, Email: e.Email,
			CommonName: e.CommonName, Row: e.Row, State: e.State, OrderID: e.OrderID, RequestID: e.RequestID,
			CertificateID: e.CertificateID, RequestStatus: e.RequestStatus, OrderStatus: e.OrderStatus, Error: e.Error, Recovered: e.Recovered}
	}
	return out, nil
}

// PruneRows deletes the row records (input cells and results) of batches
// that started before t, and returns how many rows went. Order attempts
// stay: they are what stops a person being ordered twice, and the audit
// trail. The space is reused by later batches.
func (j *Journal) PruneRows(before time.Time) (int64, error) {
	var n int64
	err := j.write("prune rows", func() error {
		res, err := j.db.Exec("DELETE FROM rows WHERE batch_id IN (SELECT id FROM batches WHERE started_at < ?)", ts(before))
		if err != nil {
			return j.fail("prune rows", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return j.fail("prune rows", err)
		}
		return nil
	})
	return n, err
}
