package results

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/certbatch/certbatch/input"
	"github.com/certbatch/certbatch/internal/l10n"
)

// xlsxTable reads a sheet with the input package's workbook reader: it
// streams the sheet XML, keeps numbers as typed (no 1.2E+07), shows dates
// as dates, and reports a truncated or corrupt sheet instead of ending
// early, which matters because `certbatch status` rewrites what it reads.
type xlsxTable struct {
	rd     input.Reader
	header bool
	last   []input.Kind // the kinds of the row last returned
}

func openXLSXTable(path string) (*xlsxTable, error) {
	rd, err := input.Open(path, input.Options{Sheet: SheetResults})
	if err != nil && strings.Contains(err.Error(), "no sheet named") {
		rd, err = input.Open(path, input.Options{}) // the first sheet
	}
	if err != nil {
		return nil, err
	}
	return &xlsxTable{rd: rd}, nil
}

func (x *xlsxTable) next() (int, []string, error) {
	if !x.header {
		x.header = true
		return 1, x.rd.Header(), nil
	}
	row, err := x.rd.Next()
	if err != nil {
		return 0, nil, err
	}
	if row.Err != nil {
		return 0, nil, l10n.Errorf("row %d: %w", row.Number, row.Err)
	}
	// The input package's reader decodes _xHHHH_ escapes (ECMA-376
	// ST_Xstring) already, so "_x0041_" written as "_x005F_x0041_"
	// reads back as itself.
	x.last = row.Kinds
	return row.Number, row.Cells, nil
}

func (x *xlsxTable) kinds() []input.Kind { return x.last }

// unescaper: workbook cells are never escaped.
func (x *xlsxTable) unescaper(bool) func(string) string { return noEscape }

func noEscape(s string) string { return s }

func (x *xlsxTable) close() { x.rd.Close() }

// csvTable reads a UTF-8 CSV file.
type csvTable struct {
	f *os.File
	r *csv.Reader
}

func openCSVTable(path string) (*csvTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.Comma = sniffComma(br)
	return &csvTable{f: f, r: r}, nil
}

// sniffComma picks the separator of the header line: a comma, unless the
// line has none and has semicolons or tabs instead.
func sniffComma(br *bufio.Reader) rune {
	b, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if bytes.IndexByte(b, ',') >= 0 {
		return ','
	}
	if bytes.IndexByte(b, ';') >= 0 {
		return ';'
	}
	if bytes.IndexByte(b, '\t') >= 0 {
		return '\t'
	}
	return ','
}

func (c *csvTable) next() (int, []string, error) {
	rec, err := c.r.Read()
	if err != nil {
		return 0, nil, err // io.EOF, or a *csv.ParseError naming the line
	}
	line, _ := c.r.FieldPos(0)
	for _, s := range rec {
		if !utf8.ValidString(s) {
			return 0, nil, l10n.Errorf("line %d: the file is not UTF-8 text; save it as \"CSV UTF-8\"", line)
		}
	}
	return line, rec, nil
}

func (c *csvTable) unescaper(legacy bool) func(string) string {
	if legacy {
		return unescapeLegacy
	}
	return Unescape
}

// unescapeLegacy undoes the escaping of CSV files in the legacy layout:
// the writer put one single quote in front of a cell that started with
// = + - @, tab or CR, or with a single quote followed by one of those or
// by another single quote.
func unescapeLegacy(s string) string {
	if len(s) > 1 && s[0] == '\'' && (s[1] == '\'' || strings.IndexByte("=+-@\t\r", s[1]) >= 0) {
		return s[1:]
	}
	return s
}

func (c *csvTable) close() { c.f.Close() }

func (c *csvTable) kinds() []input.Kind { return nil }
