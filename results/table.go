package results

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/atomicfile"
)

// WriteTable writes a plain table (a header and rows of strings, ints,
// int64s and bools) to path, atomically and with mode 0600, in the
// format its extension names:
//
//   - .csv: UTF-8 with a byte order mark and CRLF line endings, every
//     formula-looking cell escaped as in results files (see [Read]);
//   - .xlsx: one sheet with a bold, frozen, filterable header; numbers
//     stay numbers (IDs within 15 digits), text is never a formula.
//
// `certbatch history -o` uses it.
func WriteTable(path, sheet string, header []string, rows [][]any) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return atomicfile.WriteWith(path, func(w io.Writer) error { return writeTableCSV(w, header, rows) })
	case ".xlsx":
		return writeTableXLSX(path, sheet, header, rows)
	}
	return fmt.Errorf("write %s: unknown file type %q; want .csv or .xlsx", path, filepath.Ext(path))
}

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
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func writeTableCSV(w io.Writer, header []string, rows [][]any) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, len(header))
	for i, h := range header {
		rec[i] = csvCell(h)
	}
	cw.Write(rec)
	for _, r := range rows {
		rec = rec[:0]
		for _, v := range r {
			rec = append(rec, csvCell(cellText(v)))
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func writeTableXLSX(path, sheet string, header []string, rows [][]any) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: clipCell(h)}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	cells := make([]any, len(header))
	for i, r := range rows {
		clear(cells)
		for k, v := range r {
			switch x := v.(type) {
			case int64:
				if x != 0 {
					cells[k] = idValue(strconv.FormatInt(x, 10))
				}
			case int, bool:
				cells[k] = x
			default:
				if s := cellText(v); s != "" {
					cells[k] = clipCell(s)
				}
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), cells); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	last, _ := excelize.ColumnNumberToName(max(len(header), 1))
	if err := x.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", last, max(len(rows)+1, 2)), nil); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.WriteWith(path, func(w io.Writer) error {
		_, err := x.WriteTo(w)
		return err
	})
}
