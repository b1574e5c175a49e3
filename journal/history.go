package journal

import (
	"fmt"
	"time"

	"github.com/certbatch/certbatch/order"
)

// HistoryFilter selects history entries; zero fields match everything.
type HistoryFilter struct {
	Email string    // any email of the attempt, in any spelling (order.NormalizeEmail)
	Key   string    // the key column value of identities built from a key (product|key:<Key>)
	Batch string    // batch ID
	Since time.Time // attempts whose intent was recorded at or after Since
}

// History returns the order attempts (every state) that match f, oldest
// first.
func (j *Journal) History(f HistoryFilter) ([]Entry, error) {
	q := "SELECT " + entryCols + " FROM orders WHERE 1=1"
	var args []any
	if f.Email != "" {
		if j.personEmails {
			q += " AND (" + j.d.emailIs + " OR id IN (SELECT entry_id FROM person_emails WHERE email=?))"
			args = append(args, f.Email, order.NormalizeEmail(f.Email))
		} else {
			q += " AND " + j.d.emailIs
			args = append(args, f.Email)
		}
	}
	if f.Key != "" {
		q += fmt.Sprintf(" AND %[1]s(identity, '|key:')>0 AND substr(identity, %[1]s(identity, '|key:')+5)=?", j.d.instr)
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
	return j.entries("read history", q+" ORDER BY intent_at, id", args)
}

// PruneRows deletes the row records (input cells and results) of batches
// that started before t, and returns how many rows went. Order attempts
// stay: they are what stops a person being ordered twice, and the audit
// trail. The space is reused by later batches.
func (j *Journal) PruneRows(before time.Time) (int64, error) {
	var n int64
	err := j.write("prune rows", func() error {
		res, err := j.exec("DELETE FROM rows WHERE batch_id IN (SELECT id FROM batches WHERE started_at < ?)", ts(before))
		if err != nil {
			return j.fail("prune rows", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return j.fail("prune rows", err)
		}
		return nil
	})
	return n, err
}
