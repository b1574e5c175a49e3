package results

import (
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// RecoveredPrefix starts the note of an ordered row whose order an
// earlier, interrupted run placed and reconciliation found at DigiCert
// (pipeline's reconcile writes "recovered: the order from an interrupted
// run (batch …) was found at DigiCert"). The Summary sheet counts such
// rows apart from orders this run placed.
const RecoveredPrefix = "recovered:"

// IsRecovered reports whether r is an ordered row that reconciliation
// recovered, rather than an order this run placed.
func IsRecovered(r *order.Result) bool {
	return r.Outcome == order.Ordered && isRecoveredNote(r.Note)
}

// tally counts results for the Summary sheet: an [order.Summary], and
// the recovered orders among its ordered rows.
type tally struct {
	order.Summary
	recovered   int
	recoveredBy map[string]int // product -> recovered orders
}

func (t *tally) add(r *order.Result) {
	t.Summary.Add(r)
	if IsRecovered(r) {
		if t.recoveredBy == nil {
			t.recoveredBy = map[string]int{}
		}
		p := r.Product
		if p == "" {
			p = order.NoProduct
		}
		t.recovered++
		t.recoveredBy[p]++
	}
}

// column is one count of the Summary sheet: an outcome, or one of the
// two kinds of ordered rows.
type column struct {
	label string
	count func(product string) int // product "" means all rows
}

// columns lists what the Summary sheet counts, in order: the outcomes
// that occurred (ordered split into new and recovered), known ones in
// [order.Outcomes] order and others after them by name.
func (t *tally) columns(p l10n.Printer) []column {
	var outcomes []order.Outcome
	for _, o := range order.Outcomes {
		if t.ByOutcome[o] > 0 {
			outcomes = append(outcomes, o)
		}
	}
	var other []order.Outcome
	for o := range t.ByOutcome {
		if !slices.Contains(order.Outcomes, o) {
			other = append(other, o)
		}
	}
	slices.Sort(other)
	var cols []column
	for _, o := range append(outcomes, other...) {
		count := func(p string) int {
			if p == "" {
				return t.ByOutcome[o]
			}
			return t.ByProduct[p][o]
		}
		if o != order.Ordered {
			cols = append(cols, column{text(Outcome(p, o)), count})
			continue
		}
		recovered := func(p string) int {
			if p == "" {
				return t.recovered
			}
			return t.recoveredBy[p]
		}
		cols = append(cols,
			column{label(p, "ordered (new)"), func(p string) int { return count(p) - recovered(p) }},
			column{label(p, "ordered (recovered)"), recovered})
	}
	return cols
}

// metaRows returns the Summary sheet's description of the run: one
// label and value per known field of m.
func metaRows(m Meta) [][2]string {
	p := m.Lang
	var rows [][2]string
	if m.Batch != "" {
		rows = append(rows, [2]string{label(p, "batch"), m.Batch})
	}
	if !m.Started.IsZero() {
		rows = append(rows, [2]string{label(p, "started"), m.Started.Format("2006-01-02 15:04:05 -07:00")})
	}
	if m.Input != "" {
		rows = append(rows, [2]string{label(p, "input"), m.Input})
	}
	if m.Sandbox || m.Endpoint != "" {
		v := label(p, "production")
		if m.Sandbox {
			v = label(p, "sandbox (nothing is bought)")
		}
		if m.Endpoint != "" {
			v += ": " + m.Endpoint
		}
		rows = append(rows, [2]string{label(p, "endpoint"), v})
	}
	return rows
}

// writeSummary adds the Summary sheet: the run's description, rows per
// outcome with a total, then a product x outcome table with a total
// column and a total row. Ordered rows count as new and recovered apart.
func writeSummary(f *excelize.File, t *tally, m Meta) error {
	p := m.Lang
	sheet := sheetName(p, SheetSummary)
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	var rows [][]any
	var boldRows, boldLabels []int // 1-based row numbers
	add := func(strong bool, cells ...any) {
		rows = append(rows, cells)
		if strong {
			boldRows = append(boldRows, len(rows))
		}
	}
	if meta := metaRows(m); len(meta) > 0 {
		for _, r := range meta {
			add(false, r[0], text(r[1]))
			boldLabels = append(boldLabels, len(rows))
		}
		add(false)
	}
	// How the input's columns were read comes before the counts: it is
	// what the counts are of.
	if len(m.Mapping) > 0 {
		add(true, label(p, mappingHead[0]), label(p, mappingHead[1]), label(p, mappingHead[2]))
		for _, r := range m.Mapping {
			add(false, text(r.Column), text(r.Field), text(r.How))
		}
		add(false)
	}
	cols := t.columns(p)
	add(true, label(p, "outcome"), label(p, "rows"))
	for _, c := range cols {
		add(false, c.label, c.count(""))
	}
	add(true, label(p, "total"), t.Rows)
	add(false)
	head := []any{label(p, "product")}
	for _, c := range cols {
		head = append(head, c.label)
	}
	add(true, append(head, label(p, "total"))...)
	prods := make([]string, 0, len(t.ByProduct))
	for p := range t.ByProduct {
		prods = append(prods, p)
	}
	slices.Sort(prods)
	colTotals := make([]int, len(cols))
	for _, p := range prods {
		line, total := []any{text(p)}, 0
		for i, c := range cols {
			n := c.count(p)
			line = append(line, n)
			total += n
			colTotals[i] += n
		}
		add(false, append(line, total)...)
	}
	line := []any{label(p, "total")}
	for _, n := range colTotals {
		line = append(line, n)
	}
	add(true, append(line, t.Rows)...)

	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+1), &r); err != nil {
			return err
		}
	}
	for _, r := range boldRows {
		if err := f.SetRowStyle(sheet, r, r, bold); err != nil {
			return err
		}
	}
	for _, r := range boldLabels {
		if err := f.SetCellStyle(sheet, "A"+strconv.Itoa(r), "A"+strconv.Itoa(r), bold); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 36); err != nil {
		return err
	}
	// Column B holds the run's description and the mapping's order
	// fields as well as counts, and C the mapping's explanations: fit
	// them.
	wd := widths{18, 20}
	for _, r := range metaRows(m) {
		wd.see(0, r[1])
	}
	for _, r := range m.Mapping {
		wd.see(0, r.Field)
		wd.see(1, r.How)
	}
	if err := f.SetColWidth(sheet, "B", "B", wd.column(0)); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "C", "C", wd.column(1)); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "D", "Z", 20); err != nil {
		return err
	}
	return printLayout(f, sheet, false)
}

// mappingHead heads the Summary sheet's mapping section (after the run's
// description, before the counts); readMeta finds the section by it.
var mappingHead = [3]string{"input column", "order field", "how"}

// text is a summary label, clipped to Excel's limit like every cell.
func text(s string) string { return clipCell(s) }
