package journal

import (
	"strconv"
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
	for _, q := range []string{Schema, "PRAGMA user_version = " + strconv.Itoa(SchemaVersion)} {
		if _, err := tx.Exec(q); err != nil {
			return j.fail("upgrade schema 1 to 2", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return j.fail("upgrade schema 1 to 2", err)
	}
	return nil
}
