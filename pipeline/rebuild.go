package pipeline

import (
	"slices"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/results"
)

// BatchRecords rebuilds a batch's results from the journal: the row
// records the run wrote, plus any order attempt whose row record was lost
// because the run was killed before it was written (shown as uncertain
// when its answer never arrived).
func BatchRecords(j *journal.Journal, b journal.Batch) ([]results.Record, error) {
	var recs []results.Record
	have := map[int]bool{}
	err := j.Rows(b.ID, func(r journal.RowRecord) error {
		have[r.Row] = true
		cells := r.Cells
		if len(cells) != len(b.Header) {
			c := make([]string, len(b.Header))
			copy(c, cells)
			cells = c
		}
		recs = append(recs, results.Record{Row: r.Row, Input: cells, Product: r.Product, Outcome: r.Outcome, OrderID: r.OrderID,
			RequestID: r.RequestID, RequestStatus: r.RequestStatus, OrderStatus: r.OrderStatus, CertificateID: r.CertificateID, Error: r.Error})
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
		rec := results.Record{Row: h.Row, Input: make([]string, len(b.Header)), Product: h.Product,
			OrderID: idText(h.OrderID), RequestID: idText(h.RequestID), RequestStatus: h.RequestStatus,
			OrderStatus: h.OrderStatus, CertificateID: idText(h.CertificateID), Error: h.Error}
		switch h.State {
		case journal.StateOrdered:
			rec.Outcome = results.Ordered
		case journal.StateRejected:
			rec.Outcome = results.Rejected
		case journal.StateFailed:
			rec.Outcome = results.Failed
		default:
			rec.Outcome = results.Uncertain
			if rec.Error == "" {
				rec.Error = "the run ended before the answer arrived; the next submit or `certbatch reconcile` checks DigiCert"
			}
		}
		have[h.Row] = true
		recs = append(recs, rec)
	}
	sortRecords(recs)
	return recs, nil
}

func sortRecords(recs []results.Record) {
	slices.SortStableFunc(recs, func(a, b results.Record) int { return a.Row - b.Row })
}
