package input

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// The .xlsx reader streams the worksheet XML straight from the zip
// archive. excelize is not used to open the file: excelize.OpenFile
// inflates every part of every sheet into memory (or temp files) before
// the first row, its row iterator drops each cell's style, so it cannot
// tell a date from a number, and it ends silently on corrupt XML. Reading
// the parts directly keeps types, reports every decode error, enforces
// the package's limits and holds one row at a time; excelize still
// converts date serials and cell names.

type xlsxReader struct {
	file     string
	arc      *archive
	closer   io.Closer // the file opened by Open
	sheet    string
	part     io.ReadCloser
	dec      *xml.Decoder
	sst      sharedStrings
	dateFmt  []bool // per cell style (cellXfs index): a date/time format
	timeFmt  []bool // per cell style: a time-of-day format without a date
	date1904 bool
	header   []string
	lastRow  int
	rows     int // row elements read
	done     bool
	ended    bool   // saw </sheetData>
	val      []byte // the current cell's text
}

func openXLSX(ra io.ReaderAt, size int64, name string, opts Options, closer io.Closer) (Reader, error) {
	fail := func(err error) (Reader, error) {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	arc, err := openArchive(ra, size)
	if err != nil {
		return fail(err)
	}
	x := &xlsxReader{file: name, arc: arc}
	wb, err := arc.readWorkbook()
	if err != nil {
		return fail(err)
	}
	x.date1904 = wb.date1904
	sh, err := pickSheet(wb, opts.Sheet)
	if err != nil {
		return fail(err)
	}
	if err := x.readStyles(arc, wb.styles); err != nil {
		return fail(err)
	}
	if err := x.readSharedStrings(arc, wb.strs); err != nil {
		return fail(err)
	}
	if err := x.openSheet(sh); err != nil {
		return fail(err)
	}
	for {
		num, cells, err := x.nextRow(0)
		if err == io.EOF {
			x.Close()
			return nil, fmt.Errorf("open %s: the sheet is empty: no header row", name)
		}
		if err != nil {
			x.Close()
			return nil, err
		}
		if trimBlank(cells) {
			continue
		}
		x.header, x.lastRow = cells, num
		x.closer = closer
		return x, nil
	}
}

// pickSheet chooses the sheet named want (exactly, else ignoring case),
// or with want "", the first visible worksheet.
func pickSheet(wb *workbook, want string) (sheetInfo, error) {
	if want == "" {
		for _, s := range wb.sheets {
			if s.err == nil && s.worksheet() && !s.hidden {
				return s, nil
			}
		}
		for _, s := range wb.sheets {
			if s.err != nil {
				return s, s.err
			}
		}
		return sheetInfo{}, fmt.Errorf("the workbook has no visible worksheet; the sheets are %s", sheetList(wb))
	}
	idx := -1
	for i, s := range wb.sheets {
		if s.name == want {
			idx = i
			break
		}
		if idx < 0 && strings.EqualFold(s.name, want) {
			idx = i
		}
	}
	if idx < 0 {
		return sheetInfo{}, fmt.Errorf("no sheet named %q; the sheets are %s", want, sheetList(wb))
	}
	s := wb.sheets[idx]
	if s.err != nil {
		return s, s.err
	}
	if !s.worksheet() {
		return s, fmt.Errorf("sheet %q is %s, not a table", s.name, s.kindName())
	}
	return s, nil
}

func sheetList(wb *workbook) string {
	names := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		names[i] = strconv.Quote(s.name)
	}
	return strings.Join(names, ", ")
}

// openSheet starts streaming a worksheet part.
func (x *xlsxReader) openSheet(s sheetInfo) error {
	if x.part != nil {
		x.part.Close()
	}
	rc, _, err := x.arc.open(s.part, maxSheetPart)
	if err != nil {
		return fmt.Errorf("open worksheet %q: %w", s.name, err)
	}
	x.sheet, x.part, x.dec = s.name, rc, decoder(rc, s.part)
	x.lastRow, x.rows, x.done, x.ended = 0, 0, false, false
	return nil
}

// nextRow decodes the next <row> element: its number and its cell values,
// placed at their columns. width is the expected number of cells.
func (x *xlsxReader) nextRow(width int) (int, []string, error) {
	if x.done {
		return 0, nil, io.EOF
	}
	var (
		cells  []string
		rowNum int
		inRow  bool
		col    int
		style  int
		typ    string
		inV    bool
		inIS   bool
		inT    bool
		inRPh  bool
		isCell bool
		ref    string
	)
	fail := func(err error) (int, []string, error) {
		x.done = true
		return 0, nil, err
	}
	for {
		tok, err := x.dec.RawToken()
		if err == io.EOF {
			x.done = true
			if inRow {
				return 0, nil, fmt.Errorf("read %s: row %d: the worksheet ends inside a row: the file is truncated or corrupt", x.file, rowNum)
			}
			if !x.ended {
				return 0, nil, fmt.Errorf("read %s: after row %d: the worksheet ends early: the file is truncated or corrupt", x.file, x.lastRow)
			}
			return 0, nil, io.EOF
		}
		if err != nil {
			where := fmt.Sprintf("after row %d", x.lastRow)
			if inRow {
				where = fmt.Sprintf("row %d", rowNum)
			}
			if isLimit(err) {
				return fail(fmt.Errorf("read %s: %s: %w", x.file, where, err))
			}
			return fail(fmt.Errorf("read %s: %s: the worksheet is corrupt: %w", x.file, where, err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow = true
				x.rows++
				rowNum = x.lastRow + 1
				if r := attr(t, "r"); r != "" {
					n, err := strconv.Atoi(r)
					if err != nil || n < 1 {
						return fail(fmt.Errorf("read %s: after row %d: row number %q is not a number from 1 to %d", x.file, x.lastRow, clip(r), maxRows))
					}
					rowNum = n
				}
				if rowNum > maxRows || x.rows > maxRows {
					return fail(fmt.Errorf("read %s: row %d: %w", x.file, rowNum, limitf("the sheet has more than %d rows", maxRows)))
				}
				if rowNum <= x.lastRow {
					return fail(fmt.Errorf("read %s: row %d comes after row %d: rows out of order or twice: the file is corrupt", x.file, rowNum, x.lastRow))
				}
				col = 0
				cells = make([]string, 0, width)
			case "c":
				isCell = true
				col++
				style, typ, ref = 0, "", ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						ref = a.Value
						if c, _, err := excelize.CellNameToCoordinates(a.Value); err == nil {
							col = c
						} else if isColumnOverflow(a.Value) {
							col = maxColumns + 1
						}
					case "s":
						style, _ = strconv.Atoi(a.Value)
					case "t":
						typ = a.Value
					}
				}
				if col > maxColumns {
					if ref == "" {
						ref = fmt.Sprint("number ", col)
					}
					return fail(fmt.Errorf("read %s: row %d: %w", x.file, rowNum, limitf("cell %s is beyond column XFD (%d), Excel's last", clip(ref), maxColumns)))
				}
				x.val = x.val[:0]
			case "v":
				inV = true
			case "is":
				inIS = true
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			case "c":
				if isCell {
					v, err := x.cellValue(typ, style, x.val)
					if err != nil {
						return fail(fmt.Errorf("read %s: row %d, column %d: %w", x.file, rowNum, col, err))
					}
					switch {
					case v == "":
					case col-1 < len(cells): // out of order: invalid, but place it
						cells[col-1] = v
					default:
						for len(cells) < col-1 {
							cells = append(cells, "")
						}
						cells = append(cells, v)
					}
				}
				isCell = false
			case "row":
				x.lastRow = rowNum
				return rowNum, cells, nil
			case "sheetData":
				x.ended = true
			}
		case xml.CharData:
			if isCell && (inV || (inIS && inT && !inRPh)) {
				if len(x.val)+len(t) > maxCell {
					return fail(fmt.Errorf("read %s: row %d, column %d: %w", x.file, rowNum, col, limitf("the cell is longer than %s", size(maxCell))))
				}
				x.val = append(x.val, t...)
			}
		}
	}
}

// isColumnOverflow reports whether ref is a cell name whose column
// letters are beyond XFD (excelize refuses those).
func isColumnOverflow(ref string) bool {
	n := 0
	for _, c := range ref {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
			n++
		default:
			return n > 3 || n == 3 && strings.ToUpper(ref[:3]) > "XFD"
		}
	}
	return false
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// cellValue turns a cell's stored value into text that keeps its meaning.
func (x *xlsxReader) cellValue(typ string, style int, v []byte) (string, error) {
	switch typ {
	case "s":
		i, ok := atoi(bytes.TrimSpace(v))
		if !ok || i >= x.sst.len() {
			return "", fmt.Errorf("shared string %q does not exist", v)
		}
		return x.sst.get(i), nil
	case "inlineStr", "str", "e":
		return string(v), nil
	case "b":
		switch string(bytes.TrimSpace(v)) {
		case "1", "true":
			return "true", nil
		case "0", "false":
			return "false", nil
		}
		return string(v), nil
	case "d":
		s := string(bytes.TrimSpace(v))
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return formatTime(t), nil
			}
		}
		return s, nil
	}
	if len(v) == 0 {
		return "", nil
	}
	s := string(v)
	if style >= 0 && style < len(x.dateFmt) && x.dateFmt[style] {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			if x.timeFmt[style] && f >= 0 && f < 1 {
				return serialTime(f, false).Format("15:04:05"), nil
			}
			if t, err := excelize.ExcelDateToTime(f, x.date1904); err == nil && f >= 0 {
				return formatTime(roundSecond(t)), nil
			}
		}
	}
	return number(s), nil
}

// atoi parses a non-negative decimal index without allocating.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func serialTime(f float64, date1904 bool) time.Time {
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return time.Time{}
	}
	return roundSecond(t)
}

// roundSecond rounds to the second: serials carry float noise.
func roundSecond(t time.Time) time.Time {
	return t.Add(500 * time.Millisecond).Truncate(time.Second)
}

// formatTime writes yyyy-MM-dd, with " HH:mm:ss" only when the time of
// day is not midnight.
func formatTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04:05")
}

// number writes a numeric cell as a person typed it: integral values as
// plain digits (never 1.234567e+06 or 1234567.0, and all the digits of a
// long ID stored as digits), others as the shortest decimal of the 15
// significant digits Excel shows (0.30000000000000004 is 0.3).
func number(v string) string {
	if isDigits(v) {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if f == 0 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func isDigits(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Header returns the header texts.
func (x *xlsxReader) Header() []string { return x.header }

// Next returns the next non-blank row.
func (x *xlsxReader) Next() (Row, error) {
	for {
		num, cells, err := x.nextRow(len(x.header))
		if err != nil {
			return Row{}, err
		}
		if trimBlank(cells) {
			continue
		}
		cells, rerr := shape(cells, len(x.header))
		return Row{Number: num, Cells: cells, Err: rerr}, nil
	}
}

// Close closes the worksheet and the file opened by Open.
func (x *xlsxReader) Close() error {
	if x.part != nil {
		x.part.Close()
		x.part = nil
	}
	if x.closer != nil {
		err := x.closer.Close()
		x.closer = nil
		return err
	}
	return nil
}
