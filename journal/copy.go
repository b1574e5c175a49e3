package journal

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// CopyCount is what Copy did with one table: Source records were read,
// New of them added, Updated brought up to date (an unanswered attempt
// answered since), and Present of them are in the destination after the
// copy (the verification: it must equal Source).
type CopyCount struct {
	Table                         string
	Source, New, Updated, Present int64
}

// Copy copies every record of src into dst (an SQLite journal into the
// shared one, `certbatch journal migrate`) in one transaction of dst, so
// that a failure leaves dst as it was. It is idempotent: a record dst
// already has is not added again; order attempts are matched by batch,
// row, identity and intent time (dst numbers them itself), and one dst
// holds unanswered is given the answer src has. Afterwards every record
// of src is looked up in dst, and the counts say how many were found.
func Copy(ctx context.Context, dst, src *Journal) ([]CopyCount, error) {
	if dst.readOnly {
		return nil, l10n.Errorf("journal: copy: %w", ErrReadOnly)
	}
	var counts []CopyCount
	err := dst.write("copy", func() error {
		tx, err := dst.db.BeginTx(ctx, nil)
		if err != nil {
			return dst.fail("copy", err)
		}
		defer tx.Rollback()
		c := &copier{ctx: ctx, dst: dst, src: src, tx: tx}
		for _, t := range copyTables {
			n, err := c.table(t)
			if err != nil {
				return err
			}
			counts = append(counts, n)
		}
		if err := c.personEmails(); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return dst.fail("copy", err)
		}
		for i, t := range copyTables {
			if counts[i].Present, err = c.verify(t); err != nil {
				return err
			}
		}
		return nil
	})
	return counts, err
}

// copyTable is how one table is copied: its columns, the columns that
// identify a record across journals, and what to bring up to date.
type copyTable struct {
	name, cols string
	key        string // WHERE clause on the key columns, ? in key order
	keyIdx     []int  // positions of the key columns in cols
	optional   bool   // may be missing from an older src
	// update brings a dst record up to date from src's ("": never);
	// its arguments are src's columns at the positions updateArgs.
	update     string
	updateArgs []int
}

var copyTables = []copyTable{
	{name: "batches", cols: batchCols, key: "id=?", keyIdx: []int{0},
		update: "UPDATE batches SET finished_at=?, status=? WHERE id=? AND status='running' AND ?<>'running'", updateArgs: []int{2, 7, 0, 7}},
	{name: "orders", cols: "batch_id, row, identity, product, email, common_name, payload_sha256, state, intent_at, completed_at, order_id, request_id, request_status, order_status, certificate_id, error, recovered, product_key, person_key",
		key: "batch_id=? AND row=? AND identity=? AND intent_at=?", keyIdx: []int{0, 1, 2, 8},
		update: "UPDATE orders SET state=?, completed_at=?, order_id=?, request_id=?, request_status=?, order_status=?, certificate_id=?, error=?, recovered=?" +
			" WHERE batch_id=? AND row=? AND identity=? AND intent_at=? AND state IN ('intent','uncertain') AND state<>?",
		updateArgs: []int{7, 9, 10, 11, 12, 13, 14, 15, 16, 0, 1, 2, 8, 7}},
	{name: "rows", cols: "batch_id, " + rowCols, key: "batch_id=? AND row=?", keyIdx: []int{0, 1}},
	{name: "downloads", cols: "certificate_id, format, order_id, path, sha256, downloaded_at", key: "certificate_id=? AND format=?", keyIdx: []int{0, 1}},
	{name: "certificate_chains", cols: "certificate_id, order_id, pem, received_at", key: "certificate_id=?", keyIdx: []int{0}, optional: true},
	{name: "account_orders", cols: "order_id, product_key, emails, checked_at", key: "order_id=?", keyIdx: []int{0}, optional: true},
}

type copier struct {
	ctx      context.Context
	dst, src *Journal
	tx       *sql.Tx
}

// each calls fn with every record of table t in src, as scanned values.
func (c *copier) each(t copyTable, fn func(vals []any) error) error {
	rows, err := c.src.db.QueryContext(c.ctx, "SELECT "+t.cols+" FROM "+t.name)
	if err != nil {
		if t.optional && c.src.d.isUndefined(err) {
			return nil // an older journal without the table
		}
		return c.src.fail("copy: read "+t.name, err)
	}
	defer rows.Close()
	cols, err := rows.ColumnTypes()
	if err != nil {
		return c.src.fail("copy: read "+t.name, err)
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return c.src.fail("copy: read "+t.name, err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b) // SQLite hands text back as bytes at times
			}
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return c.src.fail("copy: read "+t.name, err)
	}
	return nil
}

func keyOf(t copyTable, vals []any) []any {
	k := make([]any, len(t.keyIdx))
	for i, x := range t.keyIdx {
		k[i] = vals[x]
	}
	return k
}

func (c *copier) table(t copyTable) (CopyCount, error) {
	n := CopyCount{Table: t.name}
	op := "copy " + t.name
	d := c.dst.d
	marks := "?" + strings.Repeat(",?", strings.Count(t.cols, ","))
	ins := d.rebind("INSERT INTO " + t.name + "(" + t.cols + ") VALUES(" + marks + ")")
	exists := d.rebind("SELECT count(*) FROM " + t.name + " WHERE " + t.key)
	err := c.each(t, func(vals []any) error {
		n.Source++
		var found int
		if err := c.tx.QueryRowContext(c.ctx, exists, keyOf(t, vals)...).Scan(&found); err != nil {
			return c.dst.fail(op, err)
		}
		if found == 0 {
			if _, err := c.tx.ExecContext(c.ctx, ins, vals...); err != nil {
				return c.dst.fail(op, err)
			}
			n.New++
			return nil
		}
		if t.update == "" {
			return nil
		}
		args := make([]any, len(t.updateArgs))
		for i, x := range t.updateArgs {
			args[i] = vals[x]
		}
		res, err := c.tx.ExecContext(c.ctx, d.rebind(t.update), args...)
		if err != nil {
			return c.dst.fail(op, err)
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n.Updated++
		}
		return nil
	})
	return n, err
}

// verify counts the records of t in src that dst has.
func (c *copier) verify(t copyTable) (int64, error) {
	exists := c.dst.d.rebind("SELECT count(*) FROM " + t.name + " WHERE " + t.key)
	var present int64
	err := c.each(t, func(vals []any) error {
		var found int
		if err := c.dst.db.QueryRowContext(c.ctx, exists, keyOf(t, vals)...).Scan(&found); err != nil {
			return c.dst.fail("verify "+t.name, err)
		}
		if found > 0 {
			present++
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	return present, nil
}

// personEmails records in dst the emails of every attempt copied (dst
// numbers attempts itself, so they are matched by batch, row, identity
// and intent time): what src's person_emails holds, and the primary
// email, normalized, which is all a journal older than person_emails
// kept.
func (c *copier) personEmails() error {
	const natural = "o.batch_id, o.row, o.identity, o.intent_at"
	q := "SELECT " + natural + ", o.product_key, o.email FROM orders o WHERE o.email<>''"
	if c.src.hasTable("person_emails") {
		q += " UNION SELECT " + natural + ", pe.product_key, pe.email FROM person_emails pe JOIN orders o ON o.id=pe.entry_id"
	}
	rows, err := c.src.db.QueryContext(c.ctx, q)
	if err != nil {
		return c.src.fail("copy person_emails", err)
	}
	type rec struct {
		batch, identity, at, product, email string
		row                                 int64
	}
	var recs []rec
	for rows.Next() {
		var r rec
		if err := rows.Scan(&r.batch, &r.row, &r.identity, &r.at, &r.product, &r.email); err != nil {
			rows.Close()
			return c.src.fail("copy person_emails", err)
		}
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c.src.fail("copy person_emails", err)
	}
	ins := c.dst.d.rebind("INSERT INTO person_emails(entry_id, product_key, email) SELECT id, ?, ? FROM orders" +
		" WHERE batch_id=? AND row=? AND identity=? AND intent_at=? ON CONFLICT DO NOTHING")
	for _, r := range recs {
		if _, err := c.tx.ExecContext(c.ctx, ins, r.product, order.NormalizeEmail(r.email), r.batch, r.row, r.identity, r.at); err != nil {
			return c.dst.fail("copy person_emails", err)
		}
	}
	return nil
}
