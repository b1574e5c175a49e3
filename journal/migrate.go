package journal

import (
	"strings"

	"github.com/certbatch/certbatch/order"
)

// migrate1 upgrades a version 1 journal to version 2 in one transaction:
// the orders get their product and person keys (from the identity
// column, where version 1 kept them), the new indexes and the downloads
// table are created. Nothing else changes.
func (j *Journal) migrate1() error {
	tx, err := j.db.Begin()
	if err != nil {
		return j.fail("upgrade schema 1 to 2", err)
	}
	defer tx.Rollback()
	for _, q := range []string{
		"ALTER TABLE orders ADD COLUMN product_key TEXT NOT NULL DEFAULT ''",
		"ALTER TABLE orders ADD COLUMN person_key TEXT NOT NULL DEFAULT ''",
	} {
		if _, err := tx.Exec(q); err != nil {
			return j.fail("upgrade schema 1 to 2", err)
		}
	}
	rows, err := tx.Query("SELECT id, identity FROM orders")
	if err != nil {
		return j.fail("upgrade schema 1 to 2", err)
	}
	type upd struct {
		id            int64
		product, pkey string
	}
	var ups []upd
	for rows.Next() {
		var u upd
		var ident string
		if err := rows.Scan(&u.id, &ident); err != nil {
			rows.Close()
			return j.fail("upgrade schema 1 to 2", err)
		}
		product, rest, _ := strings.Cut(ident, "|")
		u.product = product
		if k, ok := strings.CutPrefix(rest, "key:"); ok {
			u.pkey = order.NormalizeKey(k)
		}
		ups = append(ups, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return j.fail("upgrade schema 1 to 2", err)
	}
	for _, u := range ups {
		if _, err := tx.Exec("UPDATE orders SET product_key=?, person_key=? WHERE id=?", u.product, u.pkey, u.id); err != nil {
			return j.fail("upgrade schema 1 to 2", err)
		}
	}
	for _, q := range []string{Schema, "PRAGMA user_version = 2"} {
		if _, err := tx.Exec(q); err != nil {
			return j.fail("upgrade schema 1 to 2", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return j.fail("upgrade schema 1 to 2", err)
	}
	return nil
}

// migrate2 upgrades a version 2 journal to version 3 in one transaction:
// every attempt's primary email is normalized again (Unicode NFC, the
// domain in A-labels: order.NormalizeEmail) and recorded in
// person_emails, the table a person is found by. Version 2 kept no other
// email of an attempt, so an earlier order is found by its primary email
// only. Nothing else changes.
func (j *Journal) migrate2() error {
	const op = "upgrade schema 2 to 3"
	tx, err := j.db.Begin()
	if err != nil {
		return j.fail(op, err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(Schema); err != nil { // creates person_emails
		return j.fail(op, err)
	}
	rows, err := tx.Query("SELECT id, product_key, email FROM orders WHERE email<>''")
	if err != nil {
		return j.fail(op, err)
	}
	type upd struct {
		id                 int64
		product, old, norm string
	}
	var ups []upd
	for rows.Next() {
		var u upd
		if err := rows.Scan(&u.id, &u.product, &u.old); err != nil {
			rows.Close()
			return j.fail(op, err)
		}
		u.norm = order.NormalizeEmail(u.old)
		ups = append(ups, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return j.fail(op, err)
	}
	for _, u := range ups {
		if u.norm != u.old {
			if _, err := tx.Exec("UPDATE orders SET email=? WHERE id=?", u.norm, u.id); err != nil {
				return j.fail(op, err)
			}
		}
		if _, err := tx.Exec("INSERT OR IGNORE INTO person_emails(entry_id, product_key, email) VALUES(?,?,?)", u.id, u.product, u.norm); err != nil {
			return j.fail(op, err)
		}
	}
	if _, err := tx.Exec("PRAGMA user_version = 3"); err != nil {
		return j.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return j.fail(op, err)
	}
	return nil
}
