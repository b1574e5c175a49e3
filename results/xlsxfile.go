package results

import (
	"fmt"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/order"
)

// Sheet names of an .xlsx results file.
const (
	SheetResults = "Results"
	SheetSummary = "Summary"
)

// maxCell is Excel's limit on characters (UTF-16 code units) in a cell.
const maxCell = excelize.TotalCellChars

// truncNote ends a cell that was cut to fit Excel's limit.
const truncNote = "… [truncated]"

// Tints of rows that need attention, by outcome.
var tints = map[order.Outcome]string{
	order.Invalid:   "FFC7CE", // light red: fix the data
	order.Rejected:  "FFC7CE",
	order.Failed:    "FFE0B2", // amber: run again, or wait for reconciliation
	order.Uncertain: "FFE0B2",
}

// idColumns are the fixed columns (indexes into [Columns]) written as
// numbers when they hold a plain integer, so they sort numerically.
var idColumns = [nFixed]bool{3: true, 4: true, 7: true}

// xlsxWriter streams the Results sheet through excelize's StreamWriter,
// which keeps at most 16 MB of sheet data in memory and spills the rest to
// a temporary file; the Summary sheet is added at Commit.
type xlsxWriter struct {
	path   string
	af     *atomicfile.File // created at once, so a bad path fails before any work
	f      *excelize.File
	sw     *excelize.StreamWriter
	nIn    int
	row    int
	cells  []any
	styles map[order.Outcome]int // outcome -> row style
	sum    order.Summary
	err    error
	done   bool
}

func newXLSXWriter(path string, header []string) (w *xlsxWriter, err error) {
	af, err := atomicfile.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create results: %w", err)
	}
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			f.Close()
			af.Abort()
			err = fmt.Errorf("create results %s: %w", path, err)
		}
	}()
	x := &xlsxWriter{path: path, af: af, f: f, nIn: len(header), styles: map[order.Outcome]int{}}
	if err := f.SetSheetName("Sheet1", SheetResults); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	if err != nil {
		return nil, err
	}
	for oc, color := range tints {
		id, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}})
		if err != nil {
			return nil, err
		}
		x.styles[oc] = id
	}
	if x.sw, err = f.NewStreamWriter(SheetResults); err != nil {
		return nil, err
	}
	// Panes and widths must precede the first SetRow.
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	all := slices.Concat(header, Columns)
	head := make([]any, len(all))
	for i, h := range all {
		if err := x.sw.SetColWidth(i+1, i+1, colWidth(h, i-len(header))); err != nil {
			return nil, err
		}
		head[i] = excelize.Cell{StyleID: bold, Value: clipCell(h)}
	}
	if err := x.sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	x.row = 1
	x.cells = make([]any, len(all))
	return x, nil
}

// colWidth is a column's width in characters: wide enough for its header,
// with room for the error text and IDs. fixed is the index into [Columns],
// or negative for an input column.
func colWidth(header string, fixed int) float64 {
	switch fixed {
	case 0: // row
		return 7
	case 8: // error
		return 60
	case 3, 4, 7: // IDs
		return 14
	}
	return min(max(float64(utf8.RuneCountInString(header))*1.2+4, 10), 50)
}

// clipCell keeps a value within Excel's cell limit, visibly: a longer
// value is cut and ends in truncNote, so nobody mistakes it for the whole.
func clipCell(s string) string {
	if len(s) <= maxCell { // UTF-16 units never outnumber UTF-8 bytes
		return s
	}
	limit := maxCell - len(utf16.Encode([]rune(truncNote)))
	n := 0
	for i, r := range s {
		n += max(utf16.RuneLen(r), 1)
		if n > limit {
			return s[:i] + truncNote
		}
	}
	return s
}

// idValue returns an ID cell's value: a number when s is a plain decimal
// integer that a spreadsheet holds exactly (at most 15 digits, no leading
// zero), otherwise the text itself.
func idValue(s string) any {
	if len(s) == 0 || len(s) > 15 || (s[0] == '0' && len(s) > 1) {
		return s
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n
}

func (x *xlsxWriter) Write(r *order.Result) error {
	if x.done {
		return fmt.Errorf("write %s: %w", x.path, errClosed)
	}
	if x.err != nil {
		return x.err
	}
	if err := inputCells(x.path, r, x.nIn); err != nil {
		return err
	}
	x.sum.Add(r)
	clear(x.cells)
	for i, v := range r.Input {
		if v != "" {
			x.cells[i] = clipCell(v)
		}
	}
	for k, v := range fixed(r) {
		switch {
		case k == 0 && r.Row != 0:
			x.cells[x.nIn] = r.Row // a number, for sorting
		case v == "":
		case idColumns[k]:
			x.cells[x.nIn+k] = idValue(v)
		default:
			x.cells[x.nIn+k] = clipCell(v)
		}
	}
	if style, ok := x.styles[r.Outcome]; ok {
		// Style each cell, empty ones included, rather than the row, so
		// the tint stops at the table's edge.
		for i, v := range x.cells {
			x.cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
	}
	x.row++
	if err := x.sw.SetRow("A"+strconv.Itoa(x.row), x.cells); err != nil {
		x.err = fmt.Errorf("write %s: row %d: %w", x.path, r.Row, err)
	}
	return x.err
}

func (x *xlsxWriter) Commit() error {
	if x.done {
		return fmt.Errorf("write %s: %w", x.path, errClosed)
	}
	x.done = true
	defer x.f.Close() // removes excelize's temporary files
	defer x.af.Abort()
	if x.err != nil {
		return x.err
	}
	last, _ := excelize.ColumnNumberToName(len(x.cells))
	if err := x.f.AutoFilter(SheetResults, fmt.Sprintf("A1:%s%d", last, max(x.row, 2)), nil); err != nil {
		return fmt.Errorf("write %s: filter: %w", x.path, err)
	}
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", x.path, err)
	}
	if err := writeSummary(x.f, &x.sum); err != nil {
		return fmt.Errorf("write %s: summary: %w", x.path, err)
	}
	if _, err := x.f.WriteTo(x.af); err != nil {
		return fmt.Errorf("write %s: %w", x.path, err)
	}
	return x.af.Commit()
}

func (x *xlsxWriter) Abort() {
	if !x.done {
		x.done = true
		x.f.Close()
		x.af.Abort()
	}
}

// outcomeOrder lists outcomes in the order the summary shows them.
var outcomeOrder = order.Outcomes

// writeSummary adds the Summary sheet: rows per outcome with a total, then
// a product x outcome table with a total column and a total row.
func writeSummary(f *excelize.File, sum *order.Summary) error {
	if _, err := f.NewSheet(SheetSummary); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	var outcomes []order.Outcome
	for _, o := range outcomeOrder {
		if sum.ByOutcome[o] > 0 {
			outcomes = append(outcomes, o)
		}
	}
	var other []order.Outcome
	for o := range sum.ByOutcome {
		if !slices.Contains(outcomeOrder, o) {
			other = append(other, o)
		}
	}
	slices.Sort(other)
	outcomes = append(outcomes, other...)

	var rows [][]any
	var boldRows []int
	add := func(strong bool, cells ...any) {
		rows = append(rows, cells)
		if strong {
			boldRows = append(boldRows, len(rows))
		}
	}
	add(true, "outcome", "rows")
	for _, o := range outcomes {
		add(false, text(string(o)), sum.ByOutcome[o])
	}
	add(true, "total", sum.Rows)
	add(false)
	head := []any{"product"}
	for _, o := range outcomes {
		head = append(head, text(string(o)))
	}
	add(true, append(head, "total")...)
	prods := make([]string, 0, len(sum.ByProduct))
	for p := range sum.ByProduct {
		prods = append(prods, p)
	}
	slices.Sort(prods)
	colTotals := make([]int, len(outcomes))
	for _, p := range prods {
		line, total := []any{text(p)}, 0
		for i, o := range outcomes {
			n := sum.ByProduct[p][o]
			line = append(line, n)
			total += n
			colTotals[i] += n
		}
		add(false, append(line, total)...)
	}
	line := []any{"total"}
	for _, n := range colTotals {
		line = append(line, n)
	}
	add(true, append(line, sum.Rows)...)

	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		if err := f.SetSheetRow(SheetSummary, "A"+strconv.Itoa(i+1), &r); err != nil {
			return err
		}
	}
	for _, r := range boldRows {
		if err := f.SetRowStyle(SheetSummary, r, r, bold); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(SheetSummary, "A", "A", 36); err != nil {
		return err
	}
	return f.SetColWidth(SheetSummary, "B", "Z", 12)
}

// text is a summary label, clipped to Excel's limit like every cell.
func text(s string) string { return clipCell(s) }
