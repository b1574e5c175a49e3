package journal

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// accountTable caches what order info said about orders of the account
// that certbatch did not place (or does not remember placing): the
// account check reads each such order once, ever. Emails of an order
// never change, so the cache never goes stale on what matters.
const accountTable = `CREATE TABLE IF NOT EXISTS account_orders (
  order_id    INTEGER PRIMARY KEY,
  product_key TEXT NOT NULL,  -- the product it is (aliases share one)
  emails      TEXT NOT NULL,  -- normalized, separated by newlines ('' when order info names none)
  checked_at  TEXT NOT NULL
)`

// AccountOrder is what order info said about an order of the account.
type AccountOrder struct {
	OrderID    int64
	ProductKey string
	Emails     []string // normalized; empty when order info names none
}

// AccountOrder returns the cached order info of orderID, or nil.
func (j *Journal) AccountOrder(orderID int64) (*AccountOrder, error) {
	var a AccountOrder
	var emails string
	err := j.db.QueryRow("SELECT order_id, product_key, emails FROM account_orders WHERE order_id=?", orderID).Scan(&a.OrderID, &a.ProductKey, &emails)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil && strings.Contains(err.Error(), "no such table"):
		return nil, nil
	case err != nil:
		return nil, j.fail(fmt.Sprintf("look up account order %d", orderID), err)
	}
	if emails != "" {
		a.Emails = strings.Split(emails, "\n")
	}
	return &a, nil
}

// PutAccountOrder caches a's order info.
func (j *Journal) PutAccountOrder(a AccountOrder) error {
	op := fmt.Sprintf("record account order %d", a.OrderID)
	return j.write(op, func() error {
		if _, err := j.db.Exec(accountTable); err != nil {
			return j.fail(op, err)
		}
		if _, err := j.db.Exec("INSERT OR REPLACE INTO account_orders(order_id, product_key, emails, checked_at) VALUES(?,?,?,?)",
			a.OrderID, a.ProductKey, strings.Join(a.Emails, "\n"), ts(j.now())); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
}
