package results

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
)

// WriteTable writes a plain table (a header and rows of strings, ints,
// int64s, bools and time.Times; nil is an empty cell) to path,
// atomically and with mode 0600, in the format its extension names:
//
//   - .csv: UTF-8 with a byte order mark and CRLF line endings, every
//     cell escaped with [Escape] as in results files; an int64 of 0 is
//     empty (an unknown ID), a time.Time is written in RFC 3339 form;
//   - .xlsx: one sheet with a bold, frozen, filterable header and column
//     widths fitted to the longest value of each column (8 to 60
//     characters); ints and bools are numbers and booleans, int64s are
//     IDs (numbers when they have at most 15 digits, text otherwise, and
//     empty when 0), a time.Time is a date-time cell (yyyy-mm-dd
//     hh:mm:ss, in its own time zone), and text is never a formula.
//
// A row with more cells than the header is an error; shorter rows are
// padded. `certbatch history -o` uses it.
func WriteTable(path, sheet string, header []string, rows [][]any) error {
	for i, r := range rows {
		if len(r) > len(header) {
			return l10n.Errorf("write %s: row %d has %d cells for %d columns", path, i+2, len(r), len(header))
		}
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return atomicfile.WriteWith(path, func(w io.Writer) error { return writeTableCSV(w, header, rows) })
	case ".xlsx":
		return writeTableXLSX(path, sheet, header, rows)
	}
	return l10n.Errorf("write %s: unknown file type %q; want .csv or .xlsx", path, filepath.Ext(path))
}

// cellText is a table cell as text.
func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		if x == 0 {
			return ""
		}
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.Format(time.RFC3339)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func writeTableCSV(w io.Writer, header []string, rows [][]any) error {
	out := newCSVRecords(w)
	rec := make([]string, len(header))
	for i, h := range header {
		rec[i] = csvCell(h)
	}
	if err := out.write(rec); err != nil {
		return err
	}
	for _, r := range rows {
		rec = rec[:0]
		for _, v := range r {
			rec = append(rec, csvCell(cellText(v)))
		}
		for len(rec) < len(header) {
			rec = append(rec, "")
		}
		if err := out.write(rec); err != nil {
			return err
		}
	}
	return out.flush()
}

// tableDateTime is the number format of time.Time cells in a table.
const tableDateTime = "yyyy-mm-dd hh:mm:ss"

// tableValue is a table cell's workbook value and the text its width is
// measured by.
func tableValue(v any) (any, string) {
	switch x := v.(type) {
	case int64:
		if x == 0 {
			return nil, ""
		}
		s := strconv.FormatInt(x, 10)
		return idValue(s), s
	case int, bool:
		return x, cellText(x)
	case time.Time:
		if x.IsZero() {
			return nil, ""
		}
		return x, x.Format(time.DateTime)
	}
	s := cellText(v)
	if s == "" {
		return nil, ""
	}
	s = clipCell(s)
	return s, s
}

func writeTableXLSX(path, sheet string, header []string, rows [][]any) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	head, err := x.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	if err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	code := tableDateTime
	dateStyle, err := x.NewStyle(&excelize.Style{CustomNumFmt: &code})
	if err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	// The rows are in memory: measure every column before the
	// StreamWriter needs the widths.
	wd := make(widths, len(header))
	for i, h := range header {
		wd.header(i, clipCell(h))
	}
	for _, r := range rows {
		for k, v := range r {
			_, s := tableValue(v)
			wd.see(k, s)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	for i := range wd {
		if err := sw.SetColWidth(i+1, i+1, wd.column(i)); err != nil {
			return l10n.Errorf("write %s: %w", path, err)
		}
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: head, Value: clipCell(h)}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	for i, r := range rows {
		clear(cells)
		for k, v := range r {
			val, _ := tableValue(v)
			if _, ok := val.(time.Time); ok {
				val = excelize.Cell{StyleID: dateStyle, Value: val}
			}
			cells[k] = val
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), cells); err != nil {
			return l10n.Errorf("write %s: %w", path, err)
		}
	}
	last, _ := excelize.ColumnNumberToName(max(len(header), 1))
	if err := x.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", last, max(len(rows)+1, 2)), nil); err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	if err := sw.Flush(); err != nil {
		return l10n.Errorf("write %s: %w", path, err)
	}
	return atomicfile.WriteWith(path, func(w io.Writer) error {
		_, err := x.WriteTo(w)
		return err
	})
}
