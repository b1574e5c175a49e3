package journal

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// What happens to an order after it is placed: renewals (a new order
// linked to the order it renews) and actions on an order (approve,
// reject, revoke), each journaled before its request leaves the machine
// and answered after, like an order (migration 8):
//
//	renewals       one row per order attempt that renews an order
//	order_actions  one row per approve, reject or revoke attempt

// AddRenewalIntent records, in one transaction, the intent of an order
// attempt (as [Journal.AddIntent]) and that it renews order renewalOf,
// whose certificate expires on validTill. It returns the attempt's ID;
// it is durable when it returns nil.
func (j *Journal) AddRenewalIntent(in Intent, renewalOf int64, validTill string, emails ...string) (int64, error) {
	if in.Identity == "" || renewalOf <= 0 {
		return 0, l10n.Errorf("journal: record renewal intent: row %d: empty identity or order", in.Row)
	}
	var id int64
	op := fmt.Sprintf("record renewal of order %d", renewalOf)
	err := j.write(op, func() error {
		tx, err := j.db.Begin()
		if err != nil {
			return j.fail(op, err)
		}
		defer tx.Rollback()
		if id, err = j.insertIntent(tx, in, emails); err != nil {
			return err
		}
		if _, err := tx.Exec(j.d.rebind("INSERT INTO renewals(entry_id, renewal_of, valid_till) VALUES(?,?,?)"), id, renewalOf, validTill); err != nil {
			return j.fail(op, err)
		}
		if err := tx.Commit(); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
	return id, err
}

// noTable reports whether err says a table does not exist: a reader of a
// journal older than migration 8 (nothing recorded in it).
func (j *Journal) noTable(err error) bool { return err != nil && j.d.isUndefined(err) }

// Renewal returns the attempt that decides whether order orderID still
// needs renewing: the newest renewal that stands (ordered, and not
// canceled or rejected by DigiCert), else the newest renewal attempt
// still waiting for its answer (intent, uncertain), else nil.
func (j *Journal) Renewal(orderID int64) (*Entry, error) {
	q := "SELECT " + prefixed("o.", entryCols) + " FROM orders o JOIN renewals r ON r.entry_id=o.id WHERE r.renewal_of=?" +
		" AND (o.state IN ('intent','uncertain') OR (o.state='ordered' AND COALESCE(o.order_status,'') NOT IN (" + releasedStatuses + ")))" +
		" ORDER BY o.state='ordered' DESC, o.id DESC LIMIT 1"
	e, err := scanEntry(j.queryRow(q, orderID))
	switch {
	case errors.Is(err, sql.ErrNoRows), j.noTable(err):
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
	err := j.queryRow("SELECT renewal_of FROM renewals WHERE entry_id=?", entryID).Scan(&of)
	switch {
	case errors.Is(err, sql.ErrNoRows), j.noTable(err):
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
		return 0, l10n.Errorf("journal: %s: unknown action", op)
	}
	var id int64
	err := j.write(op, func() error {
		now, err := j.stamp()
		if err != nil {
			return j.fail(op, err)
		}
		err = j.queryRow("INSERT INTO order_actions(batch_id, order_id, kind, who, reason, comment, state, request_id, intent_at) VALUES(?,?,?,?,?,?,?,?,?) RETURNING id",
			a.Batch, a.OrderID, a.Kind, a.Who, a.Reason, a.Comment, ActionIntent, nullID(a.RequestID), now).Scan(&id)
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
		return l10n.Errorf("journal: record action %d: invalid state %q", id, state)
	}
	op := fmt.Sprintf("record the answer of action %d", id)
	return j.write(op, func() error {
		now, err := j.stamp()
		if err != nil {
			return j.fail(op, err)
		}
		res, err := j.exec("UPDATE order_actions SET state=?, request_id=COALESCE(?, request_id), completed_at=?, error=? WHERE id=? AND state IN ('intent','uncertain','requested')",
			state, nullID(requestID), now, errText, id)
		if err != nil {
			return j.fail(op, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return j.fail(op, err)
		} else if n == 0 {
			return l10n.Errorf("journal: %s: %w or already answered", op, ErrNotFound)
		}
		return nil
	})
}

// LastAction returns the newest action of a kind on an order, or nil.
func (j *Journal) LastAction(orderID int64, kind string) (*Action, error) {
	a, err := scanAction(j.queryRow("SELECT "+actionCols+" FROM order_actions WHERE order_id=? AND kind=? ORDER BY id DESC LIMIT 1", orderID, kind))
	switch {
	case errors.Is(err, sql.ErrNoRows), j.noTable(err):
		return nil, nil
	case err != nil:
		return nil, j.fail(fmt.Sprintf("look up the %s of order %d", kind, orderID), err)
	}
	return a, nil
}

// Actions returns every action, oldest first (the audit trail).
func (j *Journal) Actions() ([]Action, error) {
	rows, err := j.db.Query("SELECT " + actionCols + " FROM order_actions ORDER BY id")
	if j.noTable(err) {
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
	return j.entries("look up the orders of "+cmpOr(email, key), "SELECT "+entryCols+" FROM orders WHERE state='ordered' AND order_id IS NOT NULL AND ((?1<>'' AND "+j.emailOrAny("?1")+") OR (?2<>'' AND person_key=?2)) ORDER BY id",
		[]any{email, key})
}

// emailOrAny is the condition that an order attempt has the email
// param: its primary email, or any of its emails where the journal keeps
// them (person_emails).
func (j *Journal) emailOrAny(param string) string {
	if !j.personEmails {
		return "email=" + param
	}
	return "(email=" + param + " OR id IN (SELECT entry_id FROM person_emails WHERE email=" + param + "))"
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
