package journal

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

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
	Batch    string // batch ID (must exist)
	Row      int    // spreadsheet row number
	Identity string // product|key:<value> or product|email:<lowercased address>, for people to read
	// ProductKey is the product the order is for, the same for a
	// product's aliases; PersonKey the normalized key column value ("":
	// none). Email is the normalized primary email (AddIntent records
	// the row's other emails too). A person is one person when
	// ProductKey and either an email or PersonKey match.
	ProductKey, PersonKey string
	Product               string
	Email                 string
	CommonName            string
	PayloadHash           string // hash of the request body
}

// Result is the recorded answer to an order attempt.
type Result struct {
	State State // ordered, rejected, failed or uncertain
	order.Answer
	Recovered bool // found at DigiCert by reconciliation
}

// Entry is an order attempt: its intent and, once known, its answer.
type Entry struct {
	ID int64
	Intent
	IntentAt, CompletedAt time.Time // CompletedAt is zero while unanswered
	Result
}

// Outcome is the row outcome an attempt in state s stands for: ordered,
// rejected and failed are themselves; an attempt still waiting for its
// answer (intent, uncertain) is uncertain. It is the one place journal
// states become outcomes.
func (s State) Outcome() order.Outcome {
	switch s {
	case StateOrdered:
		return order.Ordered
	case StateRejected:
		return order.Rejected
	case StateFailed:
		return order.Failed
	}
	return order.Uncertain
}

const entryCols = "id, batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at, completed_at, order_id, request_id, request_status, order_status, certificate_id, error, recovered, product_key, person_key"

func scanEntry(sc interface{ Scan(...any) error }) (*Entry, error) {
	var e Entry
	var intentAt, completedAt, reqStatus, ordStatus, errText sql.NullString
	var orderID, requestID, certID sql.NullInt64
	var recovered int
	if err := sc.Scan(&e.ID, &e.Batch, &e.Row, &e.Identity, &e.Product, &e.Email, &e.CommonName, &e.PayloadHash, &e.State,
		&intentAt, &completedAt, &orderID, &requestID, &reqStatus, &ordStatus, &certID, &errText, &recovered, &e.ProductKey, &e.PersonKey); err != nil {
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
// the entry's ID. emails are all the row's normalized emails (in.Email
// is recorded whether or not it is among them): the person is found by
// any of them later. When it returns nil the record, emails included, is
// durable (committed and synced to disk).
func (j *Journal) AddIntent(in Intent, emails ...string) (int64, error) {
	if in.Identity == "" {
		return 0, l10n.Errorf("journal: record intent: row %d: empty identity", in.Row)
	}
	var id int64
	err := j.write("record intent", func() error {
		tx, err := j.db.Begin()
		if err != nil {
			return j.fail("record intent", err)
		}
		defer tx.Rollback()
		if id, err = j.insertIntent(tx, in, emails); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return j.fail("record intent", err)
		}
		return nil
	})
	return id, err
}

// insertIntent inserts in's intent with ex (the database or a
// transaction) and returns its entry ID.
func (j *Journal) insertIntent(tx *sql.Tx, in Intent, emails []string) (int64, error) {
	op := fmt.Sprintf("record intent: batch %s row %d", in.Batch, in.Row)
	pk := in.ProductKey
	if pk == "" {
		pk = in.Product
	}
	now, err := j.stamp()
	if err != nil {
		return 0, j.fail(op, err)
	}
	var id int64
	err = tx.QueryRow(j.d.rebind("INSERT INTO orders(batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at, product_key, person_key) VALUES(?,?,?,?,?,?,?,?,?,?,?) RETURNING id"),
		in.Batch, in.Row, in.Identity, in.Product, in.Email, in.CommonName, in.PayloadHash, StateIntent, now, pk, in.PersonKey).Scan(&id)
	if err != nil {
		return 0, j.fail(op, err)
	}
	// The attempt and its emails are one transaction: an attempt is
	// never found by fewer emails than it was sent with.
	for _, e := range append([]string{in.Email}, emails...) {
		if e == "" {
			continue
		}
		if _, err := tx.Exec(j.d.rebind("INSERT INTO person_emails(entry_id, product_key, email) VALUES(?,?,?) ON CONFLICT DO NOTHING"), id, pk, order.NormalizeEmail(e)); err != nil {
			return 0, j.fail(op, err)
		}
	}
	return id, nil
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
		return l10n.Errorf("journal: record answer: entry %d: invalid state %q", entryID, r.State)
	}
	return j.write("record answer", func() error {
		now, err := j.stamp()
		if err != nil {
			return err
		}
		res, err := j.exec("UPDATE orders SET state=?, completed_at=?, order_id=?, request_id=?, request_status=?, order_status=?, certificate_id=?, error=?, recovered=? WHERE id=? AND state IN ('intent','uncertain')",
			r.State, now, nullID(r.OrderID), nullID(r.RequestID), r.RequestStatus, r.OrderStatus, nullID(r.CertificateID), r.Error, boolInt(r.Recovered), entryID)
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
		err = j.queryRow("SELECT state FROM orders WHERE id=?", entryID).Scan(&state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return l10n.Errorf("journal: record answer: entry %d: %w", entryID, ErrNotFound)
		case err != nil:
			return j.fail(fmt.Sprintf("record answer: entry %d", entryID), err)
		}
		return l10n.Errorf("journal: record answer: entry %d is already %s", entryID, state)
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
	rows, err := j.db.Query(j.d.rebind(q), args...)
	if err != nil {
		return nil, j.fail(op, err)
	}
	return j.scanEntries(op, rows)
}

// entriesOf is entries for a prepared statement.
func (j *Journal) entriesOf(op string, st *sql.Stmt, args ...any) ([]Entry, error) {
	rows, err := st.Query(args...)
	if err != nil {
		return nil, j.fail(op, err)
	}
	return j.scanEntries(op, rows)
}

func (j *Journal) scanEntries(op string, rows *sql.Rows) ([]Entry, error) {
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

// UpdateStatus records a refreshed answer for order a.OrderID: its
// order status, and its request status and certificate ID when a has
// them, on the order's entries and row records.
func (j *Journal) UpdateStatus(a order.Answer) error {
	op := fmt.Sprintf("update status of order %d", a.OrderID)
	return j.write(op, func() error {
		tx, err := j.db.Begin()
		if err != nil {
			return j.fail(op, err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec(j.d.rebind("UPDATE orders SET order_status=?1, request_status=CASE WHEN ?2='' THEN request_status ELSE ?2 END, certificate_id=COALESCE(?3, certificate_id) WHERE order_id=?4"),
			a.OrderStatus, a.RequestStatus, nullID(a.CertificateID), a.OrderID); err != nil {
			return j.fail(op, err)
		}
		if _, err := tx.Exec(j.d.rebind("UPDATE rows SET order_status=?1, request_status=CASE WHEN ?2='' THEN request_status ELSE ?2 END, certificate_id=CASE WHEN ?3='' THEN certificate_id ELSE ?3 END WHERE order_id=?4"),
			a.OrderStatus, a.RequestStatus, order.ID(a.CertificateID), strconv.FormatInt(a.OrderID, 10)); err != nil {
			return j.fail(op, err)
		}
		if err := tx.Commit(); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
}

// OrderOwner returns the answered attempt whose order is orderID, or nil
// when no attempt in the journal has that order (it uses the order_id
// index).
func (j *Journal) OrderOwner(orderID int64) (*Entry, error) {
	e, err := scanEntry(j.queryRow("SELECT "+entryCols+" FROM orders WHERE order_id=? ORDER BY id LIMIT 1", orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, j.fail(fmt.Sprintf("look up order %d", orderID), err)
	}
	return e, nil
}

// EntryForRow returns the newest attempt recorded for the input row
// number row whose batch stored exactly these input cells, or nil. It
// ties a results file's row back to the journal without the file naming
// its batch.
func (j *Journal) EntryForRow(row int, cells []string) (*Entry, error) {
	c, err := json.Marshal(cells)
	if err != nil {
		return nil, l10n.Errorf("journal: find row %d: %w", row, err)
	}
	e, err := scanEntry(j.queryRow("SELECT "+prefixed("o.", entryCols)+" FROM orders o JOIN rows r ON r.batch_id=o.batch_id AND r.row=o.row WHERE r.row=? AND r.cells=? ORDER BY o.id DESC LIMIT 1", row, string(c)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, j.fail(fmt.Sprintf("find row %d", row), err)
	}
	return e, nil
}

// prefixed qualifies each column of a comma-separated list.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

// LearnKey records key as the person key of an order attempt that has
// none (it was placed before key: was configured), so the key protects
// that person from now on. An attempt that has a key keeps it.
func (j *Journal) LearnKey(entryID int64, key string) error {
	return j.write("record key", func() error {
		if _, err := j.exec("UPDATE orders SET person_key=? WHERE id=? AND person_key=''", key, entryID); err != nil {
			return j.fail(fmt.Sprintf("record key of entry %d", entryID), err)
		}
		return nil
	})
}
