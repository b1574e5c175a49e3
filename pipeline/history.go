package pipeline

import (
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/results"
)

// HistoryHeader names the columns of an exported history.
var HistoryHeader = []string{"when", "batch", "row", "product", "email", "common_name", "identity", "state", "order_id", "request_id",
	"request_status", "order_status", "certificate_id", "recovered", "error"}

// HistoryRows returns the journal entries as table rows in
// [HistoryHeader] order; all lists every attempt, otherwise only orders.
func HistoryRows(entries []journal.Entry, all bool) [][]any {
	var rows [][]any
	for _, e := range entries {
		if !all && e.State != journal.StateOrdered {
			continue
		}
		rows = append(rows, []any{e.IntentAt.UTC().Format(time.RFC3339), e.Batch, e.Row, e.Product, e.Email, e.CommonName, e.Identity,
			string(e.State), e.OrderID, e.RequestID, e.RequestStatus, e.OrderStatus, e.CertificateID, e.Recovered, e.Error})
	}
	return rows
}

// ExportHistory writes history rows to a .csv or .xlsx file (formula
// cells escaped, header frozen).
func ExportHistory(path string, rows [][]any) error {
	return results.WriteTable(path, "History", HistoryHeader, rows)
}
