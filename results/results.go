// Package results writes and reads certbatch's results files, and writes
// the empty input templates users fill in.
//
// A results file holds the fixed [Columns] first, in the order a person
// reads them (each row's spreadsheet row number and outcome, who the row
// is (name and email, as the input wrote them), a note on what happened
// and the error text, then product, order and request IDs, statuses and
// certificate ID), then every input column in its original order and
// header text. Files written by earlier versions, without the name,
// email and note columns ([Columns2]) or with the fixed columns after
// the inputs ([LegacyColumns]), are still read: [Read] finds columns by
// name, and takes their error text as a note where it says what
// happened rather than what went wrong.
//
// [Create] (or [CreateWith], which also takes the run's [Meta]) picks
// the format from the file name:
//
//   - .xlsx: a "Results" sheet with a bold, filterable header, the header
//     row and the row, outcome, name and email columns frozen, column widths
//     fitted to the longest value of each column (8 to 60 characters, CJK
//     characters counting double), and problem rows tinted (light red for
//     invalid and rejected rows, amber for failed and uncertain ones); and
//     a "Summary" sheet naming the batch, start time, input file and
//     endpoint and counting rows by outcome and by product, new and
//     recovered orders apart. It prints landscape, one page wide, with the
//     header repeated on every page. Every cell is a plain value, never a
//     formula, so no escaping is needed. Input cells are text (so "00123"
//     stays "00123") unless the writer is told the input held a number,
//     date or boolean there ([Writer.WriteKinds]); the row number, and IDs
//     that are plain integers of at most 15 digits, are numbers so they
//     sort numerically and still read back exactly. Text longer than
//     Excel's 32,767-character cell limit is cut visibly, ending in
//     "… [truncated]". Characters XML cannot hold (control characters
//     other than tab, CR and LF) become U+FFFD.
//   - .csv: UTF-8 with a byte order mark and CRLF line endings, which is
//     what Excel expects of a "CSV UTF-8" file and lets it show non-ASCII
//     names correctly; the same column order as .xlsx.
//
// # CSV escaping
//
// A CSV file has no cell types, so a spreadsheet opening one runs any
// cell that starts with = + - @, tab or CR as a formula, and it splits
// lines on its locale's separator, which may be ';' or tab rather than
// ','. Every cell of every CSV file this package writes (results files,
// and tables from [WriteTable]) is therefore escaped with [Escape]: a
// single quote goes in front of each piece of the value that could start
// a cell under any of those splittings (after ',', ';', tab, CR or LF)
// and would start with a trigger character, possibly behind quote
// characters. [Unescape] undoes it exactly; [Read] applies it, and any
// other reader that takes a results CSV file as input must too, or the
// values it sees differ from those certbatch wrote. A line break written
// CR LF inside a cell is stored as LF.
//
// Both formats are written to a temporary file beside the destination and
// renamed into place by Commit, with mode 0600: results hold personal
// data. [Read] reads either format back; [WriteTemplate] writes an input
// template.
package results

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// Columns are the fixed result columns, written before the input
// columns in this order: who the row is (name, email) beside what
// happened to it, then what happened in words (note: what certbatch did
// or found, such as "recovered: ..." or "downloaded: FILE"; error: what
// went wrong), then the order's IDs and statuses.
var Columns = []string{"row", "outcome", "name", "email", "note", "error", "product", "order_id", "request_id", "request_status", "order_status", "certificate_id"}

// Columns2 are the fixed columns as files written before the name,
// email and note columns existed hold them, before the input columns;
// their error column holds notes too. [Read] still reads them.
var Columns2 = []string{"row", "outcome", "error", "product", "order_id", "request_id", "request_status", "order_status", "certificate_id"}

// LegacyColumns are the fixed columns as the first files held them: after
// the input columns, in this order.
var LegacyColumns = []string{"row", "product", "outcome", "order_id", "request_id", "request_status", "order_status", "certificate_id", "error"}

// Indexes into [Columns].
const (
	colRow = iota
	colOutcome
	colName
	colEmail
	colNote
	colError
	colProduct
	colOrderID
	colRequestID
	colRequestStatus
	colOrderStatus
	colCertificateID
	nFixed // len(Columns)
)

// optional reports whether fixed column k may be missing from a file
// (one written before it existed).
func optional(k int) bool { return k == colName || k == colEmail || k == colNote }

// nFrozen is how many leading columns stay in view when scrolling right:
// row, outcome, name and email.
const nFrozen = 4

// fixed returns the result's fixed columns in [Columns] order, as text.
func fixed(p l10n.Printer, r *order.Result) [nFixed]string {
	row := ""
	if r.Row != 0 {
		row = strconv.Itoa(r.Row)
	}
	return [nFixed]string{row, Outcome(p, r.Outcome), r.Name, r.Email, r.Note, r.Error, r.Product, order.ID(r.OrderID), order.ID(r.RequestID),
		r.RequestStatus, r.OrderStatus, order.ID(r.CertificateID)}
}

// InputColumns reports whether header is a results file's header as
// certbatch writes it (the fixed [Columns] first, or an earlier
// version's [Columns2] first or [LegacyColumns] last, exactly) and if so
// returns the indexes of its input columns, in order. A caller that
// takes a results file as input uses it to drop the result columns; it
// does not match a header a person rearranged.
func InputColumns(header []string) ([]int, bool) {
	header = englishNames(header)
	first, n := 0, 0
	switch {
	case len(header) > len(Columns) && slices.Equal(header[:len(Columns)], Columns):
		first, n = len(Columns), len(header)-len(Columns)
	case len(header) > len(Columns2) && slices.Equal(header[:len(Columns2)], Columns2):
		first, n = len(Columns2), len(header)-len(Columns2)
	case len(header) > len(LegacyColumns) && slices.Equal(header[len(header)-len(LegacyColumns):], LegacyColumns):
		n = len(header) - len(LegacyColumns)
	default:
		return nil, false
	}
	cols := make([]int, n)
	for i := range cols {
		cols[i] = first + i
	}
	return cols, true
}

// englishNames returns header with every fixed column's header, in any
// language, as its name in [Columns].
func englishNames(header []string) []string {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = columnName(h)
	}
	return out
}

// FixedColumn returns the name in [Columns] ("outcome", "error") of a
// results file's header written in any language, or "" when it names
// no fixed column.
func FixedColumn(h string) string {
	if c := columnName(h); slices.Contains(Columns, c) {
		return c
	}
	return ""
}

// CellKind is what an input cell held in the input file, so a results
// workbook can keep numbers and dates as numbers and dates.
type CellKind uint8

// Cell kinds. The zero value is Text.
const (
	// Text is written as text, whatever it looks like.
	Text CellKind = iota
	// Number is a numeric cell whose text is a plain decimal, as the
	// input package shows numbers ("12", "-3.5"). Text that is not such
	// a number, or has more than 15 significant digits (which a
	// spreadsheet cannot hold exactly), stays text.
	Number
	// Date is a date or time cell shown as yyyy-mm-dd, yyyy-mm-dd
	// hh:mm:ss or hh:mm:ss (from 1900-03-01 on); other text stays text.
	Date
	// Bool is a boolean cell, "true" or "false"; other text stays text.
	Bool
)

// Meta describes the run that wrote a results file; the Summary sheet of
// an .xlsx file shows it. Every field is optional.
type Meta struct {
	// Batch is the journal batch ID.
	Batch string
	// Started is when the run started; shown in its own time zone.
	Started time.Time
	// Input is the input file as the user named it.
	Input string
	// Endpoint is the CertCentral base URL used.
	Endpoint string
	// Sandbox means the run talked to certbatch's built-in sandbox:
	// nothing was bought.
	Sandbox bool
	// Mapping says which input column fed which order field and which
	// were ignored: the Summary sheet's last section.
	Mapping []MappingRow
	// Lang is the language the file is written in: its headers, outcome
	// words, sheet names and Summary sheet (zero: English). Read sets it
	// to the language the file was written in.
	Lang l10n.Printer
}

// MappingRow is one line of the Summary sheet's mapping section: an
// input column (empty for a constant of the config), the order fields
// it feeds (empty when ignored) and how.
type MappingRow struct {
	Column, Field, How string
}

// Writer writes results in the order Write is called; the caller restores
// input order. It is not safe for concurrent use: one goroutine owns it.
type Writer interface {
	// Write adds a row, every input cell as text. A record with more
	// input cells than the header has columns is refused (nothing is
	// written for it); fewer are padded with empty cells. Any other
	// error is final: later calls return it again, and Commit fails.
	Write(rec *order.Result) error
	// WriteKinds is Write with the kind of each input cell (kinds[i] is
	// rec.Input[i]'s; missing kinds are Text, extra ones are ignored). An
	// .xlsx file writes numbers, dates and booleans as such; a .csv file
	// has no cell types and writes the text.
	WriteKinds(rec *order.Result, kinds []CellKind) error
	// Refresh records newer answers about orders already written (order
	// info or the status-change feed, read after the rows): at Commit,
	// each row of one of those orders gets its request status, order
	// status and certificate ID. Only those cells change.
	Refresh(answers []order.Answer)
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
	return CreateWith(path, inputHeader, Meta{})
}

// CreateWith is [Create] with a description of the run for the Summary
// sheet of an .xlsx file (a .csv file has no room for it).
func CreateWith(path string, inputHeader []string, meta Meta) (Writer, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return newXLSXWriter(path, inputHeader, meta)
	case ".csv":
		return newCSVWriter(path, inputHeader, meta.Lang)
	}
	return nil, l10n.Errorf("create results %s: unknown file type %q; want .xlsx or .csv", path, filepath.Ext(path))
}

// inputCells checks rec's input cells against the header width.
func inputCells(path string, rec *order.Result, width int) error {
	if len(rec.Input) > width {
		return l10n.Errorf("write %s: row %d: %d input cells for %d input columns", path, rec.Row, len(rec.Input), width)
	}
	return nil
}

// AsInput tells how to read a results file that is given back as an
// input (to retry what failed): which columns are the original input
// columns, and, for a CSV file, the function that undoes the formula
// escaping its writer applied (the current rule, or the legacy rule for
// a file in the legacy layout), so the cells read back are exactly the
// original cells and identify the same people. ok is false when header is
// not a results file's header.
func AsInput(header []string, csv bool) (cols []int, unescape func(string) string, ok bool) {
	unesc := func(s string) string { return s }
	if csv {
		unesc = Unescape
	}
	cols, ok = InputColumns(header)
	if !ok {
		return nil, nil, false
	}
	header = englishNames(header)
	if csv && len(header) > len(LegacyColumns) && slices.Equal(header[len(header)-len(LegacyColumns):], LegacyColumns) {
		unesc = unescapeLegacy
	}
	return cols, unesc, true
}
