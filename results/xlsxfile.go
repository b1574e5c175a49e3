package results

import (
	"fmt"
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/atomicfile"
)

// Sheet names of an .xlsx results file.
const (
	SheetResults = "Results"
	SheetSummary = "Summary"
)

// maxCell is Excel's limit on characters (UTF-16 units) in a cell.
const maxCell = 32767

const truncNote = "… [truncated]"

type xlsxWriter struct {
	path   string
	f      *excelize.File
	sw     *excelize.StreamWriter
	width  int
	row    int
	cells  []any
	vals   []excelize.Cell
	styles map[string]int // outcome -> row style
	sum    Summary
	err    error
	done   bool
}

// Tints for rows that need attention.
var tints = map[string]string{
	Invalid:   "FFC7CE", // light red: fix the data
	Rejected:  "FFC7CE",
	Failed:    "FFE4B5", // amber: run again
	Uncertain: "FFE4B5",
}

func newXLSXWriter(path string, header []string) (*xlsxWriter, error) {
	f := excelize.NewFile()
	x := &xlsxWriter{path: path, f: f, width: len(header) + len(Columns), styles: map[string]int{}, sum: newSummary()}
	fail := func(err error) (*xlsxWriter, error) {
		f.Close()
		return nil, fmt.Errorf("create results %s: %w", path, err)
	}
	if err := f.SetSheetName("Sheet1", SheetResults); err != nil {
		return fail(err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}})
	if err != nil {
		return fail(err)
	}
	for oc, color := range tints {
		id, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}})
		if err != nil {
			return fail(err)
		}
		x.styles[oc] = id
	}
	last, _ := excelize.ColumnNumberToName(x.width)
	if err := f.AutoFilter(SheetResults, "A1:"+last+"1", nil); err != nil {
		return fail(err)
	}
	sw, err := f.NewStreamWriter(SheetResults)
	if err != nil {
		return fail(err)
	}
	x.sw = sw
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return fail(err)
	}
	for i, h := range append(append([]string{}, header...), Columns...) {
		w := float64(utf8.RuneCountInString(h))*1.2 + 4
		switch h {
		case "error":
			w = 60
		case "row":
			w = 7
		}
		w = min(max(w, 10), 60)
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fail(err)
		}
	}
	x.cells = make([]any, x.width)
	x.vals = make([]excelize.Cell, x.width)
	head := make([]any, x.width)
	for i, h := range append(append([]string{}, header...), Columns...) {
		head[i] = excelize.Cell{StyleID: bold, Value: clipCell(h)}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return fail(err)
	}
	x.row = 1
	return x, nil
}

// clipCell keeps a value within Excel's cell limit, visibly.
func clipCell(s string) string {
	if len(s) <= maxCell {
		return s
	}
	n := 0
	limit := maxCell - len(utf16.Encode([]rune(truncNote)))
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > limit {
			return s[:i] + truncNote
		}
	}
	return s
}

func (x *xlsxWriter) Write(r Record) error {
	if x.err != nil {
		return x.err
	}
	x.sum.add(&r)
	style := x.styles[r.Outcome]
	i := 0
	for ; i < len(x.vals)-len(Columns); i++ {
		v := ""
		if i < len(r.Input) {
			v = r.Input[i]
		}
		x.vals[i] = excelize.Cell{StyleID: style, Value: clipCell(v)}
	}
	fixed := r.fixed()
	for k, v := range fixed {
		c := excelize.Cell{StyleID: style, Value: clipCell(v)}
		if k == 0 && r.Row > 0 {
			c.Value = r.Row // the row number is a number, for sorting
		}
		x.vals[i+k] = c
	}
	for k := range x.vals {
		x.cells[k] = x.vals[k]
	}
	x.row++
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	if err := x.sw.SetRow(cell, x.cells); err != nil {
		x.err = fmt.Errorf("write %s: row %d: %w", x.path, x.row, err)
	}
	return x.err
}

func (x *xlsxWriter) Commit() error {
	defer x.f.Close()
	if x.err != nil {
		return x.err
	}
	// The filter covers every written row; it was set over the header
	// first because the stream writer takes the sheet's settings at start.
	last, _ := excelize.ColumnNumberToName(x.width)
	if err := x.f.AutoFilter(SheetResults, fmt.Sprintf("A1:%s%d", last, max(x.row, 2)), nil); err != nil {
		return fmt.Errorf("write %s: %w", x.path, err)
	}
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", x.path, err)
	}
	if err := x.writeSummary(); err != nil {
		return fmt.Errorf("write %s: summary: %w", x.path, err)
	}
	af, err := atomicfile.Create(x.path)
	if err != nil {
		return err
	}
	defer af.Abort()
	if _, err := x.f.WriteTo(af); err != nil {
		return fmt.Errorf("write %s: %w", x.path, err)
	}
	x.done = true
	return af.Commit()
}

func (x *xlsxWriter) Abort() {
	if !x.done {
		x.done = true
		x.f.Close() // removes excelize's temporary files
	}
}

// outcomeOrder lists outcomes in the order the summary shows them.
var outcomeOrder = []string{Valid, Ordered, Skipped, Invalid, Rejected, Failed, Uncertain}

func (x *xlsxWriter) writeSummary() error {
	f := x.f
	if _, err := f.NewSheet(SheetSummary); err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	var outcomes []string
	seen := map[string]bool{}
	for _, o := range outcomeOrder {
		if x.sum.ByOutcome[o] > 0 {
			outcomes = append(outcomes, o)
			seen[o] = true
		}
	}
	for o := range x.sum.ByOutcome {
		if !seen[o] {
			outcomes = append(outcomes, o)
		}
	}
	rows := [][]any{{"outcome", "rows"}}
	for _, o := range outcomes {
		rows = append(rows, []any{o, x.sum.ByOutcome[o]})
	}
	rows = append(rows, []any{"total", x.sum.Total}, nil)
	head := []any{"product"}
	for _, o := range outcomes {
		head = append(head, o)
	}
	head = append(head, "total")
	rows = append(rows, head)
	prods := make([]string, 0, len(x.sum.ByProduct))
	for p := range x.sum.ByProduct {
		prods = append(prods, p)
	}
	sort.Strings(prods)
	for _, p := range prods {
		line := []any{p}
		total := 0
		for _, o := range outcomes {
			line = append(line, x.sum.ByProduct[p][o])
			total += x.sum.ByProduct[p][o]
		}
		rows = append(rows, append(line, total))
	}
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(SheetSummary, cell, &r); err != nil {
			return err
		}
	}
	f.SetRowStyle(SheetSummary, 1, 1, bold)
	f.SetRowStyle(SheetSummary, len(outcomes)+4, len(outcomes)+4, bold)
	f.SetColWidth(SheetSummary, "A", "A", 36)
	return nil
}
