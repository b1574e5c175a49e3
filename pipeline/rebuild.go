package pipeline

import (
	"slices"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// BatchRecords rebuilds a batch's results from the journal: the row
// records the run wrote, plus any order attempt whose row record was lost
// because the run was killed before it was written (shown as uncertain
// when its answer never arrived).
func BatchRecords(j *journal.Journal, b journal.Batch) ([]order.Result, error) {
	var recs []order.Result
	have := map[int]bool{}
	err := j.Rows(b.ID, func(r order.Result) error {
		have[r.Row] = true
		if len(r.Input) != len(b.Header) {
			c := make([]string, len(b.Header))
			copy(c, r.Input)
			r.Input = c
		}
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
		if have[h.Row] {
			continue
		}
		rec := order.Result{Row: h.Row, Input: make([]string, len(b.Header)), Product: h.Product, Outcome: h.State.Outcome(), Answer: h.Answer,
			Name: h.CommonName, Email: h.Email}
		if h.Recovered && rec.Outcome == order.Ordered {
			rec.Note = "recovered: found at DigiCert"
		}
		if rec.Outcome == order.Uncertain && rec.Error == "" {
			rec.Error = "the run ended before the answer arrived; the next submit or `certbatch reconcile` checks DigiCert"
		}
		have[h.Row] = true
		recs = append(recs, rec)
	}
	slices.SortStableFunc(recs, func(a, b order.Result) int { return a.Row - b.Row })
	return recs, nil
}
