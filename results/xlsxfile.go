package results

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// Sheet names of an .xlsx results file, in English (a file written in
// another language names them in it; see sheetName).
const (
	SheetResults = "Results"
	SheetSummary = "Summary"
)

// maxCell is Excel's limit on characters (UTF-16 code units) in a cell.
const maxCell = excelize.TotalCellChars

// truncNote ends a cell that was cut to fit Excel's limit.
const truncNote = "… [truncated]"

// Tint classes of rows that need attention, and their fills.
const (
	plain uint8 = iota
	red         // light red: fix the data
	amber       // amber: run again, or wait for reconciliation
	nClasses
)

var fills = [nClasses]string{red: "FFC7CE", amber: "FFE0B2"}

// tint returns the tint class of an outcome's rows.
func tint(o order.Outcome) uint8 {
	switch {
	case o.NeedsFix():
		return red
	case o.NeedsRetry():
		return amber
	}
	return plain
}

// Number formats of date and time cells, by tag.
var dateFormats = map[cellTag]string{tagDate: "yyyy-mm-dd", tagDateTime: "yyyy-mm-dd hh:mm:ss", tagTime: "hh:mm:ss"}

// xlsxWriter spills rows to a temporary file as they come (see [spill])
// while measuring each column's widest value, and at Commit streams them
// through excelize's StreamWriter, which keeps at most 16 MB of sheet
// data in memory and spills the rest itself, after the column widths.
type xlsxWriter struct {
	path   string
	af     *atomicfile.File // created at once, so a bad path fails before any work
	sp     *spill
	meta   Meta
	header []string
	nIn    int
	cells  []spillCell
	width  widths
	tally  tally
	fresh  refreshes
	err    error
	done   bool
}

// Refresh implements Writer.
func (x *xlsxWriter) Refresh(as []order.Answer) { x.fresh.add(as) }

func newXLSXWriter(path string, header []string, meta Meta) (*xlsxWriter, error) {
	af, err := atomicfile.Create(path)
	if err != nil {
		return nil, l10n.Errorf("create results: %w", err)
	}
	sp, err := newSpill(path)
	if err != nil {
		af.Abort()
		return nil, l10n.Errorf("create results %s: %w", path, err)
	}
	x := &xlsxWriter{path: path, af: af, sp: sp, meta: meta, header: header, nIn: len(header),
		cells: make([]spillCell, nFixed+len(header)), width: make(widths, nFixed+len(header))}
	for i, h := range Headers(meta.Lang) {
		x.width.header(i, h)
	}
	for i, h := range header {
		x.width.header(nFixed+i, clipCell(h))
	}
	return x, nil
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

// isPlainID reports whether s is a decimal integer that a spreadsheet
// holds exactly as a number: at most 15 digits, no sign, no leading zero.
func isPlainID(s string) bool {
	if len(s) == 0 || len(s) > 15 || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// idValue returns an ID cell's value: a number when s is a plain ID (see
// [isPlainID]), otherwise the text itself.
func idValue(s string) any {
	if !isPlainID(s) {
		return s
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// isIDColumn reports whether fixed column k holds an ID.
func isIDColumn(k int) bool { return k == colOrderID || k == colRequestID || k == colCertificateID }

func (x *xlsxWriter) Write(r *order.Result) error { return x.WriteKinds(r, nil) }

// WriteKinds spills r, with numbers, dates and booleans among its input
// cells marked as such by kinds.
func (x *xlsxWriter) WriteKinds(r *order.Result, kinds []CellKind) error {
	if x.done {
		return l10n.Errorf("write %s: %w", x.path, errClosed)
	}
	if x.err != nil {
		return x.err
	}
	if err := inputCells(x.path, r, x.nIn); err != nil {
		return err
	}
	x.tally.add(r)
	for k, v := range fixed(x.meta.Lang, r) {
		switch {
		case v == "":
			x.cells[k] = spillCell{}
		case k == colRow || isIDColumn(k) && isPlainID(v):
			x.cells[k] = spillCell{tagInt, v}
		default:
			x.cells[k] = spillCell{tagText, clipCell(v)}
		}
	}
	for i := range x.nIn {
		var v string
		kind := Text
		if i < len(r.Input) {
			v = r.Input[i]
		}
		if i < len(kinds) {
			kind = kinds[i]
		}
		x.cells[nFixed+i] = inputCell(v, kind)
	}
	for i, c := range x.cells {
		x.width.see(i, c.text)
	}
	if err := x.sp.add(tint(r.Outcome), x.cells); err != nil {
		x.err = l10n.Errorf("write %s: row %d: %w", x.path, r.Row, err)
	}
	return x.err
}

// value returns the cell value excelize writes for a spilled cell.
func (c spillCell) value() (any, error) {
	switch c.tag {
	case tagEmpty:
		return nil, nil
	case tagText:
		return c.text, nil
	case tagInt:
		return strconv.ParseInt(c.text, 10, 64)
	case tagFloat:
		return strconv.ParseFloat(c.text, 64)
	case tagDate:
		return time.Parse(time.DateOnly, c.text)
	case tagDateTime:
		return time.Parse(time.DateTime, c.text)
	case tagTime:
		t, err := time.Parse(time.TimeOnly, c.text)
		if err != nil {
			return nil, err
		}
		return float64(t.Hour()*3600+t.Minute()*60+t.Second()) / 86400, nil
	case tagBool:
		return c.text == "true", nil
	}
	return nil, errSpill
}

func (x *xlsxWriter) Commit() error {
	if x.done {
		return l10n.Errorf("write %s: %w", x.path, errClosed)
	}
	x.done = true
	defer x.sp.remove()
	defer x.af.Abort()
	if x.err != nil {
		return x.err
	}
	if err := x.writeBook(); err != nil {
		return l10n.Errorf("write %s: %w", x.path, err)
	}
	return x.af.Commit()
}

// writeBook writes the workbook from the spilled rows to x.af.
func (x *xlsxWriter) writeBook() error {
	f := excelize.NewFile()
	defer f.Close() // removes excelize's temporary files
	sheet := sheetName(x.meta.Lang, SheetResults)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	if err != nil {
		return err
	}
	// styles[class][tag] is the style of a cell; 0 is the default.
	var styles [nClasses]map[cellTag]int
	for class := range nClasses {
		styles[class] = map[cellTag]int{}
		for _, tag := range []cellTag{tagText, tagDate, tagDateTime, tagTime} {
			st := &excelize.Style{}
			if fills[class] != "" {
				st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fills[class]}}
			}
			if code, ok := dateFormats[tag]; ok {
				st.CustomNumFmt = &code
			} else if fills[class] == "" {
				continue
			}
			if styles[class][tag], err = f.NewStyle(st); err != nil {
				return err
			}
		}
	}
	// Page layout must be set before the stream writer copies the sheet.
	if err := printLayout(f, sheet, true); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// Panes and widths must precede the first SetRow.
	frozen, _ := excelize.CoordinatesToCellName(nFrozen+1, 2)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: nFrozen, YSplit: 1, TopLeftCell: frozen, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: frozen, ActiveCell: frozen, Pane: "bottomRight"}}}); err != nil {
		return err
	}
	for i := range x.width {
		if err := sw.SetColWidth(i+1, i+1, x.width.column(i)); err != nil {
			return err
		}
	}
	vals := make([]any, len(x.cells))
	for i, h := range Headers(x.meta.Lang) {
		vals[i] = excelize.Cell{StyleID: head, Value: h}
	}
	for i, h := range x.header {
		vals[nFixed+i] = excelize.Cell{StyleID: head, Value: clipCell(h)}
	}
	if err := sw.SetRow("A1", vals); err != nil {
		return err
	}
	rd, err := x.sp.rewind()
	if err != nil {
		return err
	}
	row := 1
	cells := x.cells
	for {
		class, c, err := rd.next(cells)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if class >= nClasses || len(c) != len(vals) {
			return errSpill
		}
		cells = c
		row++
		if c[colOrderID].text != "" {
			x.fresh.patch(c[colOrderID].text, func(col int, v string) {
				if col == colCertificateID {
					c[col] = spillCell{tagInt, v}
				} else {
					c[col] = spillCell{tagText, v}
				}
			})
		}
		for i, cell := range c {
			v, err := cell.value()
			if err != nil {
				return fmt.Errorf("%w: %v", errSpill, err)
			}
			// Style each cell, empty ones included, rather than the row,
			// so the tint stops at the table's edge.
			tag := cell.tag
			if _, ok := dateFormats[tag]; !ok {
				tag = tagText
			}
			if st := styles[class][tag]; st != 0 {
				v = excelize.Cell{StyleID: st, Value: v}
			}
			vals[i] = v
		}
		if err := sw.SetRow("A"+strconv.Itoa(row), vals); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(vals))
	if err := f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", last, max(row, 2)), nil); err != nil {
		return l10n.Errorf("filter: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := writeSummary(f, &x.tally, x.meta); err != nil {
		return l10n.Errorf("summary: %w", err)
	}
	_, err = f.WriteTo(x.af)
	return err
}

func (x *xlsxWriter) Abort() {
	if !x.done {
		x.done = true
		x.sp.remove()
		x.af.Abort()
	}
}
