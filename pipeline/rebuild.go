package pipeline

import (
	"slices"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// BatchRecords rebuilds a batch's results from the journal: every row of
// the batch's input. A row the run wrote its result for has that result;
// a row whose order attempt the run recorded but not its result (it was
// killed in between) has the attempt's outcome (uncertain when the
// answer never arrived); a row the run never reached has the record
// written before sending (not_reached, or invalid), which says so.
// Batches of earlier versions hold no such records: their rows never
// reached are not known and cannot be listed.
func BatchRecords(p l10n.Printer, j *journal.Journal, b journal.Batch) ([]order.Result, error) {
	var recs []order.Result
	at := map[int]int{} // row -> index in recs
	err := j.Rows(b.ID, func(r order.Result) error {
		if len(r.Input) != len(b.Header) {
			c := make([]string, len(b.Header))
			copy(c, r.Input)
			r.Input = c
		}
		at[r.Row] = len(recs)
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	hs, err := j.History(journal.HistoryFilter{Batch: b.ID})
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		i, have := at[h.Row]
		if have && recs[i].Outcome != order.NotReached {
			continue // the run wrote this row's result
		}
		rec := order.Result{Row: h.Row, Input: make([]string, len(b.Header)), Product: h.Product, Outcome: h.State.Outcome(), Answer: h.Answer,
			Name: h.CommonName, Email: h.Email}
		if have {
			// Sent before the run died: the attempt says what happened;
			// the record written before sending keeps who and the cells.
			rec.Input, rec.Name, rec.Email = recs[i].Input, recs[i].Name, recs[i].Email
		}
		if h.Recovered && rec.Outcome == order.Ordered {
			rec.Note = "recovered: found at DigiCert"
		}
		if rec.Outcome == order.Uncertain && rec.Error == "" {
			rec.Error = p.Sprintf("the run ended before the answer arrived; the next submit or `certbatch reconcile` checks DigiCert")
		}
		if have {
			recs[i] = rec
			continue
		}
		at[h.Row] = len(recs)
		recs = append(recs, rec)
	}
	slices.SortStableFunc(recs, func(a, b order.Result) int { return a.Row - b.Row })
	return recs, nil
}
