package journal

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

const rowCols = "row, cells, product, outcome, order_id, request_id, request_status, order_status, certificate_id, error"

// rowPeopleCols are the rows columns of migration 6: who the row is,
// and its note. A reader of an older journal sees them empty.
const rowPeopleCols = "name, email, note"

// putRowQuery stores a row's result, replacing an earlier one of the
// same batch and row.
const putRowQuery = "INSERT INTO rows(batch_id, " + rowCols + ", " + rowPeopleCols + ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)" +
	" ON CONFLICT (batch_id, row) DO UPDATE SET cells=excluded.cells, product=excluded.product, outcome=excluded.outcome," +
	" order_id=excluded.order_id, request_id=excluded.request_id, request_status=excluded.request_status," +
	" order_status=excluded.order_status, certificate_id=excluded.certificate_id, error=excluded.error," +
	" name=excluded.name, email=excluded.email, note=excluded.note"

// hasTable reports whether the journal has the table (a reader may open
// a journal older than the migration that made it).
func (j *Journal) hasTable(name string) bool {
	rows, err := j.db.Query("SELECT 1 FROM " + name + " LIMIT 0")
	if err != nil {
		return false
	}
	rows.Close()
	return true
}

// hasRowPeople reports whether the rows table has the rowPeopleCols (a
// reader may open a journal older than migration 6).
func (j *Journal) hasRowPeople() bool {
	rows, err := j.db.Query("SELECT " + rowPeopleCols + " FROM rows LIMIT 0")
	if err != nil {
		return false
	}
	rows.Close()
	return true
}

// PutRows stores row results in one transaction, replacing earlier ones
// for the same batch and row.
func (j *Journal) PutRows(batch string, rows []order.Result) error {
	if len(rows) == 0 {
		return nil
	}
	return j.write("store rows", func() error {
		tx, err := j.db.Begin()
		if err != nil {
			return j.fail("store rows", err)
		}
		defer tx.Rollback()
		st, err := tx.Prepare(j.d.rebind(putRowQuery))
		if err != nil {
			return j.fail("store rows", err)
		}
		defer st.Close()
		for _, r := range rows {
			cells, err := json.Marshal(r.Input)
			if err != nil {
				return l10n.Errorf("journal: store rows: batch %s row %d: %w", batch, r.Row, err)
			}
			if _, err := st.Exec(batch, r.Row, string(cells), r.Product, string(r.Outcome), order.ID(r.OrderID), order.ID(r.RequestID),
				r.RequestStatus, r.OrderStatus, order.ID(r.CertificateID), r.Error, r.Name, r.Email, r.Note); err != nil {
				return j.fail(fmt.Sprintf("store rows: batch %s row %d", batch, r.Row), err)
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
func (j *Journal) Rows(batch string, fn func(order.Result) error) error {
	op := "read rows of batch " + batch
	people := rowPeopleCols
	if !j.rowPeople {
		people = "'', '', ''"
	}
	rows, err := j.db.Query(j.d.rebind("SELECT "+rowCols+", "+people+" FROM rows WHERE batch_id=? ORDER BY row"), batch)
	if err != nil {
		return j.fail(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r                             order.Result
			cells, outcome, oid, rid, cid string
		)
		if err := rows.Scan(&r.Row, &cells, &r.Product, &outcome, &oid, &rid, &r.RequestStatus, &r.OrderStatus, &cid, &r.Error,
			&r.Name, &r.Email, &r.Note); err != nil {
			return j.fail(op, err)
		}
		r.Outcome = order.Outcome(outcome)
		for _, id := range []struct {
			s   string
			dst *int64
		}{{oid, &r.OrderID}, {rid, &r.RequestID}, {cid, &r.CertificateID}} {
			if id.s == "" {
				continue
			}
			n, err := strconv.ParseInt(id.s, 10, 64)
			if err != nil {
				return l10n.Errorf("journal: %s: row %d: %w: ID %q", op, r.Row, ErrCorrupt, id.s)
			}
			*id.dst = n
		}
		if err := json.Unmarshal([]byte(cells), &r.Input); err != nil {
			return l10n.Errorf("journal: %s: row %d: %w: cells: %v", op, r.Row, ErrCorrupt, err)
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
