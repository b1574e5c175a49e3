package journal

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// What happens to an order after it is placed: renewals (a new order
// linked to the order it renews) and actions on an order (approve,
// reject, revoke), each journaled before its request leaves the machine
// and answered after, like an order. The two tables are created on first
// use, so journals of schema version 2 need no migration:
//
//	renewals       one row per order attempt that renews an order
//	order_actions  one row per approve, reject or revoke attempt

const renewalsTable = `CREATE TABLE IF NOT EXISTS renewals (
  entry_id   INTEGER PRIMARY KEY REFERENCES orders(id), -- the renewal's order attempt
  renewal_of INTEGER NOT NULL,                           -- the order it renews
  valid_till TEXT NOT NULL DEFAULT ''                    -- that order's expiry when planned (yyyy-mm-dd)
)`

const renewalsIndex = `CREATE INDEX IF NOT EXISTS renewals_of ON renewals(renewal_of)`

const actionsTable = `CREATE TABLE IF NOT EXISTS order_actions (
  id           INTEGER PRIMARY KEY,
  batch_id     TEXT NOT NULL DEFAULT '',  -- the run that acted ('' when none)
  order_id     INTEGER NOT NULL,
  kind         TEXT NOT NULL,             -- approve | reject | revoke
  who          TEXT NOT NULL DEFAULT '',  -- the person (email or key), for people to read
  reason       TEXT NOT NULL DEFAULT '',  -- revoke: the revocation reason
  comment      TEXT NOT NULL DEFAULT '',  -- sent with the request
  state        TEXT NOT NULL,             -- intent | done | requested | failed | uncertain
  request_id   INTEGER,                   -- approve/reject: the request processed; revoke: the request created
  intent_at    TEXT NOT NULL,
  completed_at TEXT,
  error        TEXT NOT NULL DEFAULT ''
)`

const actionsIndex = `CREATE INDEX IF NOT EXISTS order_actions_order ON order_actions(order_id, kind)`

// ensure creates a table (and its index) once per journal.
func (j *Journal) ensure(stmts ...string) error {
	for _, s := range stmts {
		if _, err := j.db.Exec(s); err != nil {
			return err
		}
	}
	return nil
}

// AddRenewalIntent records, in one transaction, the intent of an order
// attempt (as [Journal.AddIntent]) and that it renews order renewalOf,
// whose certificate expires on validTill. It returns the attempt's ID;
// it is durable when it returns nil.
func (j *Journal) AddRenewalIntent(in Intent, renewalOf int64, validTill string) (int64, error) {
	if in.Identity == "" || renewalOf <= 0 {
		return 0, fmt.Errorf("journal: record renewal intent: row %d: empty identity or order", in.Row)
	}
	var id int64
	op := fmt.Sprintf("record renewal of order %d", renewalOf)
	err := j.write(op, func() error {
		if err := j.ensure(renewalsTable, renewalsIndex); err != nil {
			return j.fail(op, err)
		}
		tx, err := j.db.Begin()
		if err != nil {
			return j.fail(op, err)
		}
		defer tx.Rollback()
		pk := in.ProductKey
		if pk == "" {
			pk = in.Product
		}
		res, err := tx.Exec("INSERT INTO orders(batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at, product_key, person_key) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
			in.Batch, in.Row, in.Identity, in.Product, in.Email, in.CommonName, in.PayloadHash, StateIntent, ts(j.now()), pk, in.PersonKey)
		if err != nil {
			return j.fail(op, err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return j.fail(op, err)
		}
		if _, err := tx.Exec("INSERT INTO renewals(entry_id, renewal_of, valid_till) VALUES(?,?,?)", id, renewalOf, validTill); err != nil {
			return j.fail(op, err)
		}
		if err := tx.Commit(); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
	return id, err
}

// noTable reports whether err says a table created on first use does
// not exist yet (nothing recorded in it).
func noTable(err error) bool { return err != nil && strings.Contains(err.Error(), "no such table") }

// Renewal returns the attempt that decides whether order orderID still
// needs renewing: the newest renewal that stands (ordered, and not
// canceled or rejected by DigiCert), else the newest renewal attempt
// still waiting for its answer (intent, uncertain), else nil.
func (j *Journal) Renewal(orderID int64) (*Entry, error) {
	q := "SELECT " + prefixed("o.", entryCols) + " FROM orders o JOIN renewals r ON r.entry_id=o.id WHERE r.renewal_of=?" +
		" AND (o.state IN ('intent','uncertain') OR (o.state='ordered' AND COALESCE(o.order_status,'') NOT IN (" + releasedStatuses + ")))" +
		" ORDER BY o.state='ordered' DESC, o.id DESC LIMIT 1"
	e, err := scanEntry(j.db.QueryRow(q, orderID))
	switch {
	case errors.Is(err, sql.ErrNoRows), noTable(err):
		return nil, nil
	case err != nil:
		return nil, j.fail(fmt.Sprintf("look up the renewal of order %d", orderID), err)
	}
	return e, nil
}

// RenewalOf returns the order an attempt renews, or 0 when it is not a
// renewal.
func (j *Journal) RenewalOf(entryID int64) (int64, error) {
	var of int64
	err := j.db.QueryRow("SELECT renewal_of FROM renewals WHERE entry_id=?", entryID).Scan(&of)
	switch {
	case errors.Is(err, sql.ErrNoRows), noTable(err):
		return 0, nil
	case err != nil:
		return 0, j.fail(fmt.Sprintf("look up renewal entry %d", entryID), err)
	}
	return of, nil
}

// Action kinds.
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
	ActionRevoke  = "revoke"
)

// Action states.
const (
	ActionIntent    = "intent"    // about to be sent; no answer recorded
	ActionDone      = "done"      // approved, rejected, or revoked
	ActionRequested = "requested" // revoke: a request awaits an approver
	ActionFailed    = "failed"    // refused or not sent: nothing changed
	ActionUncertain = "uncertain" // sent, and what happened is not known
)

// Action is one approve, reject or revoke attempt on an order.
type Action struct {
	ID        int64
	Batch     string
	OrderID   int64
	Kind      string
	Who       string
	Reason    string
	Comment   string
	State     string
	RequestID int64
	IntentAt  time.Time
	// CompletedAt is zero while unanswered.
	CompletedAt time.Time
	Error       string
}

const actionCols = "id, batch_id, order_id, kind, who, reason, comment, state, request_id, intent_at, completed_at, error"

func scanAction(sc interface{ Scan(...any) error }) (*Action, error) {
	var a Action
	var req sql.NullInt64
	var intent, completed sql.NullString
	if err := sc.Scan(&a.ID, &a.Batch, &a.OrderID, &a.Kind, &a.Who, &a.Reason, &a.Comment, &a.State, &req, &intent, &completed, &a.Error); err != nil {
		return nil, err
	}
	a.RequestID = req.Int64
	var err error
	if a.IntentAt, err = parseTS(intent); err != nil {
		return nil, err
	}
	if a.CompletedAt, err = parseTS(completed); err != nil {
		return nil, err
	}
	return &a, nil
}

// AddAction records that an action is about to be sent (state intent)
// and returns its ID; it is durable when it returns nil.
func (j *Journal) AddAction(a Action) (int64, error) {
	op := fmt.Sprintf("record %s of order %d", a.Kind, a.OrderID)
	switch a.Kind {
	case ActionApprove, ActionReject, ActionRevoke:
	default:
		return 0, fmt.Errorf("journal: %s: unknown action", op)
	}
	var id int64
	err := j.write(op, func() error {
		if err := j.ensure(actionsTable, actionsIndex); err != nil {
			return j.fail(op, err)
		}
		res, err := j.db.Exec("INSERT INTO order_actions(batch_id, order_id, kind, who, reason, comment, state, request_id, intent_at) VALUES(?,?,?,?,?,?,?,?,?)",
			a.Batch, a.OrderID, a.Kind, a.Who, a.Reason, a.Comment, ActionIntent, nullID(a.RequestID), ts(j.now()))
		if err != nil {
			return j.fail(op, err)
		}
		id, err = res.LastInsertId()
		if err != nil {
			return j.fail(op, err)
		}
		return nil
	})
	return id, err
}

// CompleteAction records the answer to an action: its state, the
// request it concerns (0 keeps the one recorded) and an error text.
func (j *Journal) CompleteAction(id int64, state string, requestID int64, errText string) error {
	switch state {
	case ActionDone, ActionRequested, ActionFailed, ActionUncertain:
	default:
		return fmt.Errorf("journal: record action %d: invalid state %q", id, state)
	}
	op := fmt.Sprintf("record the answer of action %d", id)
	return j.write(op, func() error {
		res, err := j.db.Exec("UPDATE order_actions SET state=?, request_id=COALESCE(?, request_id), completed_at=?, error=? WHERE id=? AND state IN ('intent','uncertain','requested')",
			state, nullID(requestID), ts(j.now()), errText, id)
		if err != nil {
			return j.fail(op, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return j.fail(op, err)
		} else if n == 0 {
			return fmt.Errorf("journal: %s: %w or already answered", op, ErrNotFound)
		}
		return nil
	})
}

// LastAction returns the newest action of a kind on an order, or nil.
func (j *Journal) LastAction(orderID int64, kind string) (*Action, error) {
	a, err := scanAction(j.db.QueryRow("SELECT "+actionCols+" FROM order_actions WHERE order_id=? AND kind=? ORDER BY id DESC LIMIT 1", orderID, kind))
	switch {
	case errors.Is(err, sql.ErrNoRows), noTable(err):
		return nil, nil
	case err != nil:
		return nil, j.fail(fmt.Sprintf("look up the %s of order %d", kind, orderID), err)
	}
	return a, nil
}

// Actions returns every action, oldest first (the audit trail).
func (j *Journal) Actions() ([]Action, error) {
	rows, err := j.db.Query("SELECT " + actionCols + " FROM order_actions ORDER BY id")
	if noTable(err) {
		return nil, nil
	}
	if err != nil {
		return nil, j.fail("list actions", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, j.fail("list actions", err)
		}
		out = append(out, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, j.fail("list actions", err)
	}
	return out, nil
}

// PersonOrders returns the answered order attempts (state ordered) of a
// person in any product: those whose email is email or whose key is key
// (both normalized; "" matches nothing), oldest first.
func (j *Journal) PersonOrders(email, key string) ([]Entry, error) {
	return j.entries("look up the orders of "+cmpOr(email, key), "SELECT "+entryCols+" FROM orders WHERE state='ordered' AND order_id IS NOT NULL AND ((?1<>'' AND email=?1) OR (?2<>'' AND person_key=?2)) ORDER BY id",
		[]any{email, key})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// StandingOrders returns every answered order attempt whose order still
// stands as far as the journal knows (not canceled, rejected, revoked or
// expired), oldest first: the people the journal holds certificates
// for.
func (j *Journal) StandingOrders() ([]Entry, error) {
	return j.entries("list standing orders", "SELECT "+entryCols+" FROM orders WHERE state='ordered' AND order_id IS NOT NULL AND COALESCE(order_status,'') NOT IN ("+releasedStatuses+",'expired') ORDER BY id", nil)
}
