// Package input streams the rows of a spreadsheet: CSV in the encodings
// Excel writes, or .xlsx. Readers never hold the whole file in memory.
//
// A [Reader] gives the header row (the first non-blank row) and then one
// [Row] per non-blank data row, with the row number a user sees in a
// spreadsheet program, cells trimmed and padded to the header's width.
// Problems with a single row (more cells than headers) are carried in
// [Row.Err]; errors from Next mean the file itself cannot be read and
// name the file and row.
package input

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Options select how a file is read.
type Options struct {
	// Sheet is the worksheet of an .xlsx file; "" means the first.
	Sheet string
	// Encoding of a CSV file: "" detects UTF-8 (with or without BOM) or,
	// from a byte order mark, UTF-16 LE/BE. Otherwise "utf-8", "utf-16"
	// (Excel's "Unicode text": the BOM decides, little-endian without
	// one), "utf-16le", "utf-16be", "cp949", "euc-kr", "big5", or any
	// WHATWG encoding label (shift_jis, gbk, windows-1252, ...). A legacy
	// encoding on a file whose non-ASCII text is valid UTF-8 is refused.
	Encoding string
}

// Row is one non-blank data row.
type Row struct {
	// Number is the row number a user sees: the sheet row of an .xlsx, or
	// for CSV the record's row counting the header record as its line
	// (blank lines count, as they do when Excel opens the file).
	Number int
	// Cells has exactly one trimmed value per header column.
	Cells []string
	// Err is a problem that makes the row unusable (cells beyond the last
	// header); nil normally.
	Err error
}

// Reader streams rows.
type Reader interface {
	// Header returns the header texts, trimmed, in file order.
	Header() []string
	// Next returns the next non-blank row, or io.EOF after the last one.
	Next() (Row, error)
	// Close releases the file.
	Close() error
}

// Open opens path by its extension: .csv, .txt or .tsv as CSV, .xlsx or
// .xlsm as a workbook.
func Open(path string, opts Options) (Reader, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt", ".tsv":
		return openCSV(path, opts)
	case ".xlsx", ".xlsm":
		if opts.Encoding != "" {
			return nil, fmt.Errorf("open %s: --encoding applies to CSV files only", path)
		}
		return openXLSX(path, opts)
	case ".xls":
		return nil, fmt.Errorf("open %s: the old .xls format is not supported; save the file as .xlsx or .csv", path)
	default:
		return nil, fmt.Errorf("open %s: unknown file type %q; want .csv or .xlsx", path, filepath.Ext(path))
	}
}

// trimBlank trims every cell in place (substrings, no copies) and
// reports whether all of them are empty.
func trimBlank(cells []string) bool {
	blank := true
	for i, c := range cells {
		if c != "" {
			c = strings.TrimSpace(c)
			cells[i] = c
			blank = blank && c == ""
		}
	}
	return blank
}

// shape fits trimmed cells to the header width: short rows are padded
// with "", and a non-empty cell beyond the last header makes the row
// unusable.
func shape(cells []string, width int) ([]string, error) {
	if len(cells) < width {
		if cap(cells) >= width {
			n := len(cells)
			cells = cells[:width]
			clear(cells[n:])
		} else {
			c := make([]string, width)
			copy(c, cells)
			cells = c
		}
		return cells, nil
	}
	for i := width; i < len(cells); i++ {
		if cells[i] != "" {
			return cells[:width:width], fmt.Errorf("column %d has %q, but the header has only %d columns", i+1, clip(cells[i]), width)
		}
	}
	return cells[:width:width], nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		r := []rune(s)
		if len(r) > 40 {
			return string(r[:39]) + "…"
		}
	}
	return s
}
