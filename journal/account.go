package journal

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// AccountOrder is what order info said about an order of the account
// that certbatch did not place (or does not remember placing), cached in
// the account_orders table: the account check reads each such order
// once, ever. Emails of an order never change, so the cache never goes
// stale on what matters.
//
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
	err := j.queryRow("SELECT order_id, product_key, emails FROM account_orders WHERE order_id=?", orderID).Scan(&a.OrderID, &a.ProductKey, &emails)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil && j.d.isUndefined(err):
		return nil, nil // a journal read before its upgrade to version 3
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
		now, err := j.stamp()
		if err != nil {
			return err
		}
		if _, err := j.exec("INSERT INTO account_orders(order_id, product_key, emails, checked_at) VALUES(?,?,?,?)"+
			" ON CONFLICT (order_id) DO UPDATE SET product_key=excluded.product_key, emails=excluded.emails, checked_at=excluded.checked_at",
			a.OrderID, a.ProductKey, strings.Join(a.Emails, "\n"), now); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
}
