// Package results writes and reads certbatch's results files, and writes
// the empty input templates users fill in.
//
// A results file holds every input column in its original order and
// header text, then the fixed [Columns]: each row's spreadsheet row
// number, product, outcome, order, request and certificate IDs, statuses
// and error text.
//
// [Create] picks the format from the file name:
//
//   - .xlsx: a "Results" sheet with a bold, frozen, filterable header and
//     problem rows tinted (light red for invalid and rejected rows, amber
//     for failed and uncertain ones), and a "Summary" sheet counting rows
//     by outcome and by product. Every cell is a plain value, never a
//     formula. Input cells are always text (so "00123" stays "00123");
//     the row number, and IDs that are plain integers of at most 15
//     digits, are numbers so they sort numerically and still read back
//     exactly. Text longer than Excel's 32,767-character cell limit is
//     cut visibly, ending in "… [truncated]".
//   - .csv: UTF-8 with a byte order mark and CRLF line endings, which is
//     what Excel expects of a "CSV UTF-8" file and lets it show non-ASCII
//     names correctly. Every cell is escaped with [Escape], so that no
//     piece of it can start a formula even when a spreadsheet splits the
//     line on ';' or tab instead of ','; [Read] undoes that with
//     [Unescape], and so must any other reader of a results CSV file
//     (see [Escape] for the scheme).
//
// Both formats are written to a temporary file beside the destination and
// renamed into place by Commit, with mode 0600: results hold personal
// data. [Read] reads either format back; [WriteTemplate] writes an input
// template.
package results

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/certbatch/certbatch/order"
)

// Columns are the fixed result columns appended after the input columns.
var Columns = []string{"row", "product", "outcome", "order_id", "request_id", "request_status", "order_status", "certificate_id", "error"}

// nFixed is len(Columns).
const nFixed = 9

// fixed returns the result's fixed columns in [Columns] order, as text.
func fixed(r *order.Result) [nFixed]string {
	row := ""
	if r.Row != 0 {
		row = strconv.Itoa(r.Row)
	}
	return [nFixed]string{row, r.Product, string(r.Outcome), order.ID(r.OrderID), order.ID(r.RequestID), r.RequestStatus, r.OrderStatus, order.ID(r.CertificateID), r.Error}
}

// Writer writes results in the order Write is called; the caller restores
// input order. It is not safe for concurrent use: one goroutine owns it.
type Writer interface {
	// Write adds a row. A record with more input cells than the header
	// has columns is refused (nothing is written for it); fewer are
	// padded with empty cells. Any other error is final: later calls
	// return it again, and Commit fails.
	Write(rec *order.Result) error
	// Commit finishes the file (for .xlsx, adds the Summary sheet), syncs
	// it and renames it into place with mode 0600. Nothing exists at the
	// destination before Commit succeeds.
	Commit() error
	// Abort discards the temporary data; it is a no-op after Commit, so
	// `defer w.Abort()` is the usual pattern.
	Abort()
}

// Create starts a results file at path for input files with the given
// header. The format follows path's extension, .xlsx or .csv (in any
// case); any other extension is an error. Nothing appears at path until
// Commit.
func Create(path string, inputHeader []string) (Writer, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return newXLSXWriter(path, inputHeader)
	case ".csv":
		return newCSVWriter(path, inputHeader)
	}
	return nil, fmt.Errorf("create results %s: unknown file type %q; want .xlsx or .csv", path, filepath.Ext(path))
}

// inputCells returns rec's input cells checked against the header width.
func inputCells(path string, rec *order.Result, width int) error {
	if len(rec.Input) > width {
		return fmt.Errorf("write %s: row %d: %d input cells for %d input columns", path, rec.Row, len(rec.Input), width)
	}
	return nil
}
