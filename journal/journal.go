// Package journal is certbatch's durable order journal: an SQLite
// database (pure Go, WAL, synchronous=FULL) that records every attempt to
// order a person before its request leaves the machine and its answer
// after, so that nobody is ever ordered twice, whatever crashes or
// re-runs happen. It also keeps every row's result per batch, to rebuild
// a results file after a crash, and serves the order history.
//
// The schema (schema.sql, embedded) is plain so operators can read the
// file with the sqlite3 tool. Writers hold an exclusive advisory lock on
// PATH.lock while the journal is open; a second writer fails at once
// with [ErrLocked].
package journal

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"crypto/rand"
	"encoding/hex"

	_ "modernc.org/sqlite"
)

//go:embed schema.sql
var schema string

// SchemaVersion is the user_version this package writes and reads.
const SchemaVersion = 1

// Errors callers tell apart.
var (
	ErrLocked   = errors.New("journal is in use by another certbatch process")
	ErrCorrupt  = errors.New("journal is not a valid certbatch journal")
	ErrNotFound = errors.New("not found in the journal")
)

// Options adjust Open.
type Options struct {
	// ReadOnly opens an existing journal for reading without taking the
	// writer lock (history, results while a submit runs).
	ReadOnly bool
}

// Journal is an open journal. It is safe for concurrent use.
type Journal struct {
	db   *sql.DB
	path string
	lock *os.File
}

// Path returns the journal's file path.
func (j *Journal) Path() string { return j.path }

// Memory is the path of a journal that lives in memory and remembers
// nothing after Close: for benchmarks and tests, never for real orders.
const Memory = ":memory:"

// Open opens (and for writers, creates) the journal at path.
func Open(path string, opts Options) (*Journal, error) {
	j := &Journal{path: path}
	if path == Memory {
		rb := make([]byte, 8)
		rand.Read(rb)
		db, err := sql.Open("sqlite", "file:certbatch-"+hex.EncodeToString(rb)+"?mode=memory&cache=shared&_pragma=busy_timeout(10000)")
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(4)
		db.SetMaxIdleConns(4) // the database lives as long as a connection does
		j.db = db
		if err := j.init(false); err != nil {
			db.Close()
			return nil, fmt.Errorf("open journal in memory: %w", err)
		}
		return j, nil
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open journal %s: %w", path, err)
		}
	} else {
		lf, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open journal %s: %w", path, err)
		}
		if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			holder, _ := os.ReadFile(path + ".lock")
			lf.Close()
			msg := ""
			if pid := strings.TrimSpace(string(holder)); pid != "" {
				msg = " (pid " + pid + ")"
			}
			return nil, fmt.Errorf("open journal %s: %w%s; wait for it to finish", path, ErrLocked, msg)
		}
		lf.Truncate(0)
		lf.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		j.lock = lf
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			j.unlock()
			return nil, fmt.Errorf("open journal %s: %w", path, err)
		}
		f.Close()
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	if opts.ReadOnly {
		dsn += "&_pragma=query_only(1)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		j.unlock()
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	j.db = db
	if err := j.init(opts.ReadOnly); err != nil {
		db.Close()
		j.unlock()
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		os.Chmod(path+side, 0o600)
	}
	return j, nil
}

func (j *Journal) unlock() {
	if j.lock != nil {
		j.lock.Close()
		j.lock = nil
	}
}

func (j *Journal) init(readOnly bool) error {
	var v int
	if err := j.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	switch {
	case v == SchemaVersion:
		// Opening a journal reads it: check the tables are ours.
		var n int
		if err := j.db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('batches','orders','rows')").Scan(&n); err != nil || n != 3 {
			return fmt.Errorf("%w: tables are missing", ErrCorrupt)
		}
		return nil
	case v > SchemaVersion:
		return fmt.Errorf("%w: schema version %d is newer than this certbatch understands (%d); upgrade certbatch", ErrCorrupt, v, SchemaVersion)
	}
	var tables int
	if err := j.db.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&tables); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if tables > 0 {
		return fmt.Errorf("%w: it is an SQLite database of something else", ErrCorrupt)
	}
	if readOnly {
		return fmt.Errorf("%w: the journal is empty", ErrCorrupt)
	}
	tx, err := j.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(schema); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if _, err := tx.Exec("PRAGMA user_version = " + strconv.Itoa(SchemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// Close closes the database and releases the lock.
func (j *Journal) Close() error {
	err := j.db.Close()
	j.unlock()
	return err
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s.String)
	return t
}

// Batch is one run of submit.
type Batch struct {
	ID                    string
	StartedAt, FinishedAt time.Time
	Command, Input        string
	InputSHA256           string
	Header                []string
	Status                string // running | finished | interrupted
}

// BeginBatch records the start of a run and returns it.
func (j *Journal) BeginBatch(command, input, inputSHA256 string, header []string) (Batch, error) {
	now := time.Now().UTC()
	rb := make([]byte, 2)
	rand.Read(rb)
	b := Batch{ID: now.Format("20060102T150405Z") + "-" + hex.EncodeToString(rb), StartedAt: now, Command: command,
		Input: input, InputSHA256: inputSHA256, Header: header, Status: "running"}
	h, _ := json.Marshal(header)
	_, err := j.db.Exec("INSERT INTO batches(id, started_at, command, input, input_sha256, header, status) VALUES(?,?,?,?,?,?,?)",
		b.ID, ts(now), command, input, inputSHA256, string(h), b.Status)
	if err != nil {
		return Batch{}, fmt.Errorf("journal: begin batch: %w", err)
	}
	return b, nil
}

// FinishBatch records the end of a run.
func (j *Journal) FinishBatch(id, status string) error {
	if _, err := j.db.Exec("UPDATE batches SET finished_at=?, status=? WHERE id=?", ts(time.Now()), status, id); err != nil {
		return fmt.Errorf("journal: finish batch: %w", err)
	}
	return nil
}

func scanBatch(sc interface{ Scan(...any) error }) (Batch, error) {
	var b Batch
	var started, finished sql.NullString
	var header string
	if err := sc.Scan(&b.ID, &started, &finished, &b.Command, &b.Input, &b.InputSHA256, &header, &b.Status); err != nil {
		return Batch{}, err
	}
	b.StartedAt, b.FinishedAt = parseTS(started), parseTS(finished)
	json.Unmarshal([]byte(header), &b.Header)
	return b, nil
}

const batchCols = "id, started_at, finished_at, command, input, input_sha256, header, status"

// Batch returns the batch with the given ID.
func (j *Journal) Batch(id string) (Batch, error) {
	b, err := scanBatch(j.db.QueryRow("SELECT "+batchCols+" FROM batches WHERE id=?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, fmt.Errorf("batch %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Batch{}, fmt.Errorf("journal: read batch: %w", err)
	}
	return b, nil
}

// Batches returns every batch, oldest first.
func (j *Journal) Batches() ([]Batch, error) {
	rows, err := j.db.Query("SELECT " + batchCols + " FROM batches ORDER BY started_at, id")
	if err != nil {
		return nil, fmt.Errorf("journal: list batches: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
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
	Batch       string
	Row         int
	Identity    string
	Product     string
	Email       string
	CommonName  string
	PayloadHash string
}

// Result is the answer to an order attempt.
type Result struct {
	State                             State
	OrderID, RequestID, CertificateID int64
	RequestStatus, OrderStatus, Error string
	Recovered                         bool
}

// Entry is an order attempt.
type Entry struct {
	ID int64
	Intent
	State                             State
	IntentAt, CompletedAt             time.Time
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
	e.IntentAt, e.CompletedAt = parseTS(intentAt), parseTS(completedAt)
	e.OrderID, e.RequestID, e.CertificateID = orderID.Int64, requestID.Int64, certID.Int64
	e.RequestStatus, e.OrderStatus, e.Error = reqStatus.String, ordStatus.String, errText.String
	e.Recovered = recovered != 0
	return &e, nil
}

// AddIntent records that a request for in is about to be sent. When it
// returns nil the record is durable (committed and synced).
func (j *Journal) AddIntent(in Intent) (int64, error) {
	res, err := j.db.Exec("INSERT INTO orders(batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at) VALUES(?,?,?,?,?,?,?,?,?)",
		in.Batch, in.Row, in.Identity, in.Product, in.Email, in.CommonName, in.PayloadHash, StateIntent, ts(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("journal: record intent: %w", err)
	}
	return res.LastInsertId()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Complete records the answer to an attempt; durable when it returns.
func (j *Journal) Complete(entryID int64, r Result) error {
	rec := 0
	if r.Recovered {
		rec = 1
	}
	res, err := j.db.Exec("UPDATE orders SET state=?, completed_at=?, order_id=?, request_id=?, request_status=?, order_status=?, certificate_id=?, error=?, recovered=? WHERE id=?",
		r.State, ts(time.Now()), nullID(r.OrderID), nullID(r.RequestID), r.RequestStatus, r.OrderStatus, nullID(r.CertificateID), r.Error, rec, entryID)
	if err != nil {
		return fmt.Errorf("journal: record answer: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("journal: record answer: entry %d: %w", entryID, ErrNotFound)
	}
	return nil
}

// Lookup returns the entry that decides what to do with identity: the
// newest ordered entry if there is one, else the newest entry still
// waiting for an answer (intent or uncertain), else nil. Rejected and
// failed attempts never block a new order.
func (j *Journal) Lookup(identity string) (*Entry, error) {
	for _, q := range []string{
		"SELECT " + entryCols + " FROM orders WHERE identity=? AND state='ordered' ORDER BY id DESC LIMIT 1",
		"SELECT " + entryCols + " FROM orders WHERE identity=? AND state IN ('intent','uncertain') ORDER BY id DESC LIMIT 1",
	} {
		e, err := scanEntry(j.db.QueryRow(q, identity))
		if err == nil {
			return e, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("journal: look up: %w", err)
		}
	}
	return nil, nil
}

// Unresolved returns every attempt still waiting for an answer, oldest first.
func (j *Journal) Unresolved() ([]Entry, error) {
	return j.entries("SELECT "+entryCols+" FROM orders WHERE state IN ('intent','uncertain') ORDER BY id", nil)
}

func (j *Journal) entries(q string, args []any) ([]Entry, error) {
	rows, err := j.db.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("journal: query: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("journal: query: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// UpdateStatus records a refreshed order status and certificate ID.
func (j *Journal) UpdateStatus(orderID int64, orderStatus string, certificateID int64) error {
	_, err := j.db.Exec("UPDATE orders SET order_status=?, certificate_id=COALESCE(?, certificate_id) WHERE order_id=?", orderStatus, nullID(certificateID), orderID)
	if err != nil {
		return fmt.Errorf("journal: update status: %w", err)
	}
	_, err = j.db.Exec("UPDATE rows SET order_status=?, certificate_id=CASE WHEN ?='' THEN certificate_id ELSE ? END WHERE order_id=?",
		orderStatus, idString(certificateID), idString(certificateID), strconv.FormatInt(orderID, 10))
	if err != nil {
		return fmt.Errorf("journal: update status: %w", err)
	}
	return nil
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// RowRecord is one row's result in a batch.
type RowRecord struct {
	Batch                                                                                  string
	Row                                                                                    int
	Cells                                                                                  []string
	Product, Outcome, OrderID, RequestID, RequestStatus, OrderStatus, CertificateID, Error string
}

// PutRows stores row results (replacing earlier ones for the same batch
// and row) in one transaction.
func (j *Journal) PutRows(rows []RowRecord) error {
	if len(rows) == 0 {
		return nil
	}
	tx, err := j.db.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("journal: store rows: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.Prepare("INSERT OR REPLACE INTO rows(batch_id, row, cells, product, outcome, order_id, request_id, request_status, order_status, certificate_id, error) VALUES(?,?,?,?,?,?,?,?,?,?,?)")
	if err != nil {
		return fmt.Errorf("journal: store rows: %w", err)
	}
	defer st.Close()
	for _, r := range rows {
		cells, _ := json.Marshal(r.Cells)
		if _, err := st.Exec(r.Batch, r.Row, string(cells), r.Product, r.Outcome, r.OrderID, r.RequestID, r.RequestStatus, r.OrderStatus, r.CertificateID, r.Error); err != nil {
			return fmt.Errorf("journal: store rows: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("journal: store rows: %w", err)
	}
	return nil
}

// Rows calls fn for every row result of a batch, in row order.
func (j *Journal) Rows(batch string, fn func(RowRecord) error) error {
	rows, err := j.db.Query("SELECT row, cells, product, outcome, order_id, request_id, request_status, order_status, certificate_id, error FROM rows WHERE batch_id=? ORDER BY row", batch)
	if err != nil {
		return fmt.Errorf("journal: read rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := RowRecord{Batch: batch}
		var cells string
		if err := rows.Scan(&r.Row, &cells, &r.Product, &r.Outcome, &r.OrderID, &r.RequestID, &r.RequestStatus, &r.OrderStatus, &r.CertificateID, &r.Error); err != nil {
			return fmt.Errorf("journal: read rows: %w", err)
		}
		json.Unmarshal([]byte(cells), &r.Cells)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// HistoryFilter selects history entries; zero fields match everything.
type HistoryFilter struct {
	Email string // case-insensitive
	Key   string // the key column value of identities built from a key
	Batch string
	Since time.Time // attempts at or after
}

// HistoryEntry is one order attempt in the audit trail.
type HistoryEntry struct {
	When                                        time.Time
	Batch, Identity, Product, Email, CommonName string
	Row                                         int
	State                                       State
	OrderID, RequestID, CertificateID           int64
	RequestStatus, OrderStatus, Error           string
	Recovered                                   bool
}

// History returns matching order attempts, oldest first.
func (j *Journal) History(f HistoryFilter) ([]HistoryEntry, error) {
	q := "SELECT " + entryCols + " FROM orders WHERE 1=1"
	var args []any
	if f.Email != "" {
		q += " AND email=?"
		args = append(args, strings.ToLower(f.Email))
	}
	if f.Key != "" {
		q += " AND substr(identity, instr(identity, '|key:')+5)=? AND instr(identity, '|key:')>0"
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
	es, err := j.entries(q+" ORDER BY intent_at, id", args)
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
	res, err := j.db.Exec("DELETE FROM rows WHERE batch_id IN (SELECT id FROM batches WHERE started_at < ?)", ts(before))
	if err != nil {
		return 0, fmt.Errorf("journal: prune rows: %w", err)
	}
	return res.RowsAffected()
}
