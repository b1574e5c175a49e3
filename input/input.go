// Package input streams the rows of a spreadsheet: CSV in the encodings
// Excel writes, or .xlsx. Readers never hold the whole file in memory.
//
// A [Reader] gives the header row (the first non-blank row) and then one
// [Row] per non-blank data row, with the row number a user sees in a
// spreadsheet program, cells trimmed and padded to the header's width.
// Problems with a single row (more cells than headers) are carried in
// [Row.Err]; errors from Next mean the file itself cannot be read and
// name the file and row.
//
// # Limits
//
// A damaged or hostile file (a zip bomb, a runaway cell, not a table at
// all) ends in an error that names the file, and the row and column
// where there is one, usually a [LimitError]. The limits are checked
// while streaming, within a counted budget of work and well under 200 MB
// of memory, and real files stay far below them:
//
//   - .xlsx parts: a worksheet inflates to at most 2 GiB, the shared
//     strings to 1 GiB, any other part read (workbook, relationships,
//     styles) to 64 MiB, and all parts read by one Reader to 4 GiB
//     together; a part that declares a larger size is refused before it
//     is inflated, and one that inflates beyond what it declares is
//     corrupt.
//   - XML: at most 1 MiB of text between two markup characters and a tag
//     of at most 64 KiB, checked on the bytes before encoding/xml sees
//     them, so no token grows large (a 2 MB file holding a 2 GiB cell
//     fails after its first MiB).
//   - A cell: 256 KiB of UTF-8 (Excel holds at most 32,767 characters,
//     96 KiB, or 224 KiB written as _xHHHH_ escapes); a CSV field too.
//   - A row: 16,384 columns (Excel's A to XFD); a CSV record as many
//     fields.
//   - A sheet: rows numbered up to 1,048,576 (Excel's last), each once
//     and in order.
//   - The shared-strings table: 160 MiB of memory (its text, kept in
//     1 MiB chunks so it is never copied to grow, plus 8 bytes per
//     string; a million rows of unique names and emails need about
//     60 MiB) and 4,194,304 strings (a million rows of four columns of
//     unique text). A crafted file at these limits stays under 200 MB.
//   - Workbook entries: 100,000 zip entries, 10,000 sheets, 100,000
//     relationships per part, 1,048,576 styles or number formats.
//   - A CSV record: 2 MiB, quoted line breaks included, checked before
//     encoding/csv buffers it (it holds whole records), by following the
//     quoting; a quote still open at the end of the file is an error.
//   - Work: an .xlsx read counts what it does (bytes inflated, XML
//     tokens, cells and the text they hand on, rendered numbers, parts
//     opened, header candidates tested) and stops beyond 256 Mi units
//     plus 512 per byte of the file, about 2.8 billion for a 5 MB file:
//     a few seconds, where a spreadsheet program's file needs an eighth
//     of the budget. It is what ends a small workbook that asks for
//     disproportionate work without breaking a size limit (a cell at
//     column XFD in every row, a long shared string in a million cells,
//     a number format of 60,000 placeholders); see work.go.
//
// An .xlsx whose zip has two entries for one part (the same name, or
// names that differ only in case, backslashes or ./ segments) is
// refused: programs pick different entries, so the rows a person checked
// in one program could differ from the rows read here.
package input

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Options select how a file is read.
type Options struct {
	// Sheet is the worksheet of an .xlsx file, by name (exactly, else
	// ignoring case); "" means the first visible worksheet, or with Fits
	// the one worksheet whose header fits. Chart sheets are never read.
	Sheet string
	// Fits, when set, tells the header row: the first of the first 20
	// non-blank rows for which it returns true (else the first non-blank
	// row, as without Fits), in a CSV file or in the sheet read. With
	// Sheet "", every visible worksheet is searched and exactly one must
	// have a row that fits; none or several is an error listing them.
	Fits func(header []string) bool
	// SkipSheet, when set, names sheets that are never data when the
	// sheet is chosen by Fits (certbatch's template Example sheet).
	SkipSheet func(name string) bool
	// Encoding of a CSV file: "" detects UTF-8 (with or without BOM) or,
	// from a byte order mark, UTF-16 LE/BE. Otherwise "utf-8", "utf-16"
	// (Excel's "Unicode text": the BOM decides, little-endian without
	// one), "utf-16le", "utf-16be", "cp949", "euc-kr", "big5", or any
	// WHATWG encoding label (shift_jis, gbk, windows-1252, ...). A legacy
	// encoding on a file whose non-ASCII text is valid UTF-8 is refused,
	// and so is a decoding that yields implausible text (a word mixing
	// Latin letters with Han, Hangul or another script, as windows-1252
	// read as Big5 does: François becomes Fran蔞is); both errors, and the
	// one for a file that is not UTF-8 without --encoding, name the
	// encoding the file likely has (see encoding.go for the detector).
	Encoding string
	// work, when set, is the work budget of an .xlsx read (tests count
	// and bound it); nil means newWork(size of the file).
	work *work
}

// Row is one non-blank data row.
type Row struct {
	// Number is the row number a user sees: the sheet row of an .xlsx, or
	// for CSV the record's row counting the header record as its line
	// (blank lines count, as they do when Excel opens the file).
	Number int
	// Cells has exactly one trimmed value per header column: for an
	// .xlsx the text the cell shows, numbers rendered in their number
	// format (00124, 1,234.57, 12.5%), dates as yyyy-MM-dd, dates with a
	// time as yyyy-MM-dd HH:mm:ss, times of day as HH:mm:ss and
	// durations as their format lays them out (27:30:00).
	Cells []string
	// Kinds has the kind of each cell of an .xlsx row (the same length
	// as Cells; shared between rows, do not modify); nil for CSV.
	Kinds []Kind
	// Repaired, when not "", says how a malformed CSV record was read
	// (a stray quote taken as text, as Excel and Python read it), so
	// that callers can name the row for a person to check.
	Repaired string
	// Err is a problem that makes the row unusable (cells beyond the last
	// header); nil normally.
	Err error
	// Held, when not "", says why the row should not be ordered as it
	// stands: an .xlsx row hidden in Excel (by hand, or filtered out), or
	// one with struck-through text ("hidden in Excel", "struck through in
	// Excel (column \"Email\")"). The row is returned all the same; the
	// caller holds it back unless told to include such rows. "" for CSV.
	// HeldWhy is the same reason as a message of the catalog, said in
	// the run's language (nil when Held is "").
	Held    string
	HeldWhy l10n.Msg
}

// Reader streams rows.
type Reader interface {
	// Header returns the header texts, trimmed, in file order.
	Header() []string
	// Next returns the next non-blank row, or io.EOF after the last one.
	Next() (Row, error)
	// Sheet returns the name of the worksheet read; "" for CSV.
	Sheet() string
	// Close releases the file.
	Close() error
}

// Open opens path by its extension: .csv, .txt or .tsv as CSV, .xlsx or
// .xlsm as a workbook.
func Open(path string, opts Options) (Reader, error) {
	if err := checkExt(path, opts); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, l10n.Errorf("open input: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, l10n.Errorf("open input: %w", err)
	}
	if st.IsDir() {
		f.Close()
		return nil, l10n.Errorf("open %s: is a directory", path)
	}
	var r Reader
	if isCSV(path) {
		// Not through ReadAt: a pipe has no size.
		r, err = newCSV(f, filepath.Base(path), opts, f)
	} else {
		r, err = openXLSX(f, st.Size(), filepath.Base(path), opts, f)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// OpenAt reads size bytes of ra as the file name (a base name, used for
// the file type and in messages), like [Open]. Closing the Reader does
// not close ra.
func OpenAt(ra io.ReaderAt, size int64, name string, opts Options) (Reader, error) {
	if err := checkExt(name, opts); err != nil {
		return nil, err
	}
	if isCSV(name) {
		return newCSV(io.NewSectionReader(ra, 0, size), name, opts, nil)
	}
	return openXLSX(ra, size, name, opts, nil)
}

func isCSV(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", ".tsv":
		return true
	}
	return false
}

// checkExt refuses file types that are not read.
func checkExt(path string, opts Options) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt", ".tsv":
		return nil
	case ".xlsx", ".xlsm":
		if opts.Encoding != "" {
			return l10n.Errorf("open %s: --encoding applies to CSV files only", path)
		}
		return nil
	case ".xls":
		return l10n.Errorf("open %s: the old .xls format is not supported; save the file as .xlsx or .csv", path)
	default:
		return l10n.Errorf("open %s: unknown file type %q; want .csv or .xlsx", path, filepath.Ext(path))
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
			return cells[:width:width], l10n.Errorf("column %d has %q, but the header has only %d columns", i+1, clip(cells[i]), width)
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
