// Package results writes and reads certbatch's results files: every input
// column in its original order and header text, then the fixed [Columns]
// with each row's outcome, order, request and certificate IDs and error.
//
// [Create] picks the format from the file name: .xlsx (a "Results" sheet
// with a bold frozen header, filters and tinted problem rows, and a
// "Summary" sheet) or .csv (UTF-8 with a BOM and CRLF line endings, as
// Excel expects). Files are written to a temporary file and renamed into
// place, mode 0600. [WriteTemplate] writes an empty input workbook.
package results

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Columns are the fixed result columns appended after the input columns.
var Columns = []string{"row", "product", "outcome", "order_id", "request_id", "request_status", "order_status", "certificate_id", "error"}

// Outcome values.
const (
	Valid     = "valid"     // validate: the row passes every rule
	Invalid   = "invalid"   // the row breaks a rule; not sent
	Ordered   = "ordered"   // the order was placed (or recovered by reconciliation)
	Rejected  = "rejected"  // the API refused the row: fix the data
	Failed    = "failed"    // nothing was created: safe to run again
	Uncertain = "uncertain" // sent, no answer: the next run checks DigiCert first
	Skipped   = "skipped"   // the person already has an order
)

// Record is one result row.
type Record struct {
	Row           int      // spreadsheet row number of the input row
	Input         []string // the input cells, one per input header
	Product       string
	Outcome       string
	OrderID       string // "" when absent
	RequestID     string
	RequestStatus string
	OrderStatus   string
	CertificateID string
	Error         string
}

// fixed returns the record's fixed columns in [Columns] order.
func (r *Record) fixed() [9]string {
	row := ""
	if r.Row > 0 {
		row = fmt.Sprint(r.Row)
	}
	return [9]string{row, r.Product, r.Outcome, r.OrderID, r.RequestID, r.RequestStatus, r.OrderStatus, r.CertificateID, r.Error}
}

// Writer writes results in the order Write is called; the caller restores
// input order. One goroutine owns a Writer.
type Writer interface {
	// Write adds a row.
	Write(rec Record) error
	// Commit finishes the file and renames it into place.
	Commit() error
	// Abort discards the temporary file; it is a no-op after Commit.
	Abort()
}

// Summary counts rows by outcome and by product.
type Summary struct {
	Total     int
	ByOutcome map[string]int
	ByProduct map[string]map[string]int // product -> outcome -> rows
}

func newSummary() Summary {
	return Summary{ByOutcome: map[string]int{}, ByProduct: map[string]map[string]int{}}
}

func (s *Summary) add(r *Record) {
	s.Total++
	s.ByOutcome[r.Outcome]++
	p := r.Product
	if p == "" {
		p = "(none)"
	}
	if s.ByProduct[p] == nil {
		s.ByProduct[p] = map[string]int{}
	}
	s.ByProduct[p][r.Outcome]++
}

// Create starts a results file; the format follows the extension.
func Create(path string, inputHeader []string) (Writer, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return newXLSXWriter(path, inputHeader)
	case ".csv":
		return newCSVWriter(path, inputHeader)
	}
	return nil, fmt.Errorf("create results %s: unknown file type %q; want .xlsx or .csv", path, filepath.Ext(path))
}

// needsQuote reports whether a spreadsheet could run s as a formula.
func needsQuote(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
