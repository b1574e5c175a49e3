package input

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// The .xlsx reader streams the worksheet XML itself. excelize's row
// iterator drops each cell's style, so it cannot tell a date from a
// number, and it ends silently on corrupt XML; reading the parts directly
// keeps types and reports every decode error. excelize still converts
// date serials.

type xlsxReader struct {
	file     string
	zr       *zip.ReadCloser
	part     io.ReadCloser
	dec      *xml.Decoder
	sst      sharedStrings
	dateFmt  []bool // per cell style (cellXfs index): a date/time format
	timeOnly []bool
	date1904 bool
	header   []string
	lastRow  int
	done     bool
	ended    bool // saw </sheetData>
}

func openXLSX(p string, opts Options) (Reader, error) {
	name := filepath.Base(p)
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: not a readable .xlsx workbook: %w", name, err)
	}
	x := &xlsxReader{file: name, zr: zr}
	fail := func(err error) (Reader, error) {
		zr.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	sheetPath, err := x.findSheet(opts.Sheet)
	if err != nil {
		return fail(err)
	}
	if err := x.readStyles(); err != nil {
		return fail(err)
	}
	if err := x.readSharedStrings(); err != nil {
		return fail(err)
	}
	f := x.find(sheetPath)
	if f == nil {
		return fail(fmt.Errorf("worksheet part %s is missing", sheetPath))
	}
	if x.part, err = f.Open(); err != nil {
		return fail(err)
	}
	x.dec = xml.NewDecoder(x.part)
	for {
		num, cells, err := x.nextRow()
		if err == io.EOF {
			x.Close()
			return nil, fmt.Errorf("open %s: the sheet is empty: no header row", name)
		}
		if err != nil {
			x.Close()
			return nil, err
		}
		if blank(cells) {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		x.header, x.lastRow = cells, num
		return x, nil
	}
}

func (x *xlsxReader) find(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, f := range x.zr.File {
		if f.Name == name || strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

func (x *xlsxReader) decodePart(name string, v any) (bool, error) {
	f := x.find(name)
	if f == nil {
		return false, nil
	}
	rc, err := f.Open()
	if err != nil {
		return true, err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return true, fmt.Errorf("decode %s: %w", name, err)
	}
	return true, nil
}

// findSheet returns the zip path of the wanted worksheet.
func (x *xlsxReader) findSheet(want string) (string, error) {
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	ok, err := x.decodePart("xl/workbook.xml", &wb)
	if err != nil {
		return "", err
	}
	if !ok || len(wb.Sheets) == 0 {
		return "", errors.New("not a workbook: xl/workbook.xml has no sheets")
	}
	x.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	idx := 0
	if want != "" {
		idx = -1
		var names []string
		for i, s := range wb.Sheets {
			names = append(names, strconv.Quote(s.Name))
			if s.Name == want {
				idx = i
			}
		}
		if idx < 0 {
			return "", fmt.Errorf("no sheet named %q; the sheets are %s", want, strings.Join(names, ", "))
		}
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if _, err := x.decodePart("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", err
	}
	for _, r := range rels.Rel {
		if r.ID == wb.Sheets[idx].RID {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Join("xl", r.Target), nil
		}
	}
	return fmt.Sprintf("xl/worksheets/sheet%d.xml", idx+1), nil
}

// readStyles marks which cell styles show dates or times.
func (x *xlsxReader) readStyles() error {
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if _, err := x.decodePart("xl/styles.xml", &st); err != nil {
		return err
	}
	custom := map[int]string{}
	for _, n := range st.NumFmts {
		custom[n.ID] = n.Code
	}
	x.dateFmt = make([]bool, len(st.Xfs))
	x.timeOnly = make([]bool, len(st.Xfs))
	for i, xf := range st.Xfs {
		if code, ok := custom[xf.NumFmtID]; ok {
			d, t := classifyFormat(code)
			x.dateFmt[i], x.timeOnly[i] = d || t, t && !d
			continue
		}
		id := xf.NumFmtID
		switch {
		case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 31, id >= 34 && id <= 36, id >= 50 && id <= 58:
			x.dateFmt[i] = true
		case id >= 18 && id <= 21, id >= 32 && id <= 33, id >= 45 && id <= 47:
			x.dateFmt[i], x.timeOnly[i] = true, true
		}
	}
	return nil
}

// classifyFormat reports whether a custom number format shows a date
// (y, d, or m next to them) or a time (h, s), ignoring quoted text,
// escaped characters and [bracketed] parts such as colours.
func classifyFormat(code string) (date, tm bool) {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i]
	}
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				i = len(code)
			} else {
				i += j + 1
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			inner := strings.ToLower(code[i+1 : i+max(j, 1)])
			if j > 0 && (inner == "h" || inner == "hh" || inner == "m" || inner == "mm" || inner == "s" || inner == "ss") {
				tm = true
			}
			if j < 0 {
				i = len(code)
			} else {
				i += j
			}
		default:
			b.WriteByte(c | 0x20)
		}
	}
	s := b.String()
	if strings.ContainsAny(s, "yd") || (strings.Contains(s, "m") && !strings.ContainsAny(s, "hs") && !tm) {
		date = true
	}
	if strings.ContainsAny(s, "hs") {
		tm = true
	}
	if s == "general" {
		return false, false
	}
	return date, tm
}

// readSharedStrings loads the shared-strings table, which is how Excel
// and LibreOffice store every text cell.
func (x *xlsxReader) readSharedStrings() error {
	f := x.find("xl/sharedStrings.xml")
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var (
		inT     bool
		inRPh   bool
		started bool
	)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("decode shared strings: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				started = true
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if started {
					x.sst.end()
				}
				started = false
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			}
		case xml.CharData:
			if inT && !inRPh && started {
				x.sst.buf = append(x.sst.buf, t...)
			}
		}
	}
	x.sst.seal()
	return nil
}

// nextRow decodes the next <row> element: its number and its cell values,
// placed at their columns.
func (x *xlsxReader) nextRow() (int, []string, error) {
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
		val    strings.Builder
		isCell bool
	)
	for {
		tok, err := x.dec.RawToken()
		if err == io.EOF {
			x.done = true
			if inRow {
				return 0, nil, fmt.Errorf("read %s: row %d: the worksheet ends inside a row: the file is truncated or corrupt", x.file, rowNum)
			}
			if !x.sawEnd() {
				return 0, nil, fmt.Errorf("read %s: after row %d: the worksheet ends early: the file is truncated or corrupt", x.file, x.lastRow)
			}
			return 0, nil, io.EOF
		}
		if err != nil {
			x.done = true
			return 0, nil, fmt.Errorf("read %s: after row %d: the worksheet is corrupt: %w", x.file, x.lastRow, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow = true
				rowNum = x.lastRow + 1
				if r := attr(t, "r"); r != "" {
					if n, err := strconv.Atoi(r); err == nil {
						rowNum = n
					}
				}
				col = 0
			case "c":
				isCell = true
				col++
				style, typ = 0, attr(t, "t")
				if r := attr(t, "r"); r != "" {
					if c, _, err := excelize.CellNameToCoordinates(r); err == nil {
						col = c
					}
				}
				if s := attr(t, "s"); s != "" {
					style, _ = strconv.Atoi(s)
				}
				val.Reset()
			case "v":
				inV = true
			case "is":
				inIS = true
			case "t":
				inT = true
			case "rPh":
				inT = false
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "c":
				if isCell {
					v, err := x.cellValue(typ, style, val.String())
					if err != nil {
						return 0, nil, fmt.Errorf("read %s: row %d, column %d: %w", x.file, rowNum, col, err)
					}
					if v != "" {
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
			if isCell && (inV || (inIS && inT)) {
				val.Write(t)
			}
		}
	}
}

func (x *xlsxReader) sawEnd() bool { return x.ended }

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// cellValue turns a cell's stored value into text that keeps its meaning.
func (x *xlsxReader) cellValue(typ string, style int, v string) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= x.sst.len() {
			return "", fmt.Errorf("shared string %q does not exist", v)
		}
		return x.sst.get(i), nil
	case "inlineStr", "str", "e":
		return v, nil
	case "b":
		switch strings.TrimSpace(v) {
		case "1", "true":
			return "true", nil
		case "0", "false":
			return "false", nil
		}
		return v, nil
	case "d":
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			if t, err = time.Parse("2006-01-02T15:04:05", v); err != nil {
				return v, nil
			}
		}
		return formatTime(t, false), nil
	}
	if v == "" {
		return "", nil
	}
	if style >= 0 && style < len(x.dateFmt) && x.dateFmt[style] {
		f, err := strconv.ParseFloat(v, 64)
		if err == nil {
			return formatTime(serialTime(f, x.date1904), x.timeOnly[style]), nil
		}
	}
	return number(v), nil
}

func serialTime(f float64, date1904 bool) time.Time {
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return time.Time{}
	}
	// Round to the second: serials carry float noise.
	return t.Add(500 * time.Millisecond).Truncate(time.Second)
}

func formatTime(t time.Time, timeOnly bool) string {
	switch {
	case timeOnly:
		return t.Format("15:04:05")
	case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0:
		return t.Format("2006-01-02")
	default:
		return t.Format("2006-01-02 15:04:05")
	}
}

// number writes a numeric cell as a person typed it: integral values as
// plain digits (never 1.234567e+06 or 1234567.0), others as the shortest
// decimal.
func number(v string) string {
	if isDigits(v) {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (x *xlsxReader) Header() []string { return x.header }

func (x *xlsxReader) Next() (Row, error) {
	for {
		num, cells, err := x.nextRow()
		if err != nil {
			return Row{}, err
		}
		if blank(cells) {
			continue
		}
		cells, rerr := shape(cells, len(x.header), x.file, num)
		return Row{Number: num, Cells: cells, Err: rerr}, nil
	}
}

func (x *xlsxReader) Close() error {
	if x.part != nil {
		x.part.Close()
	}
	return x.zr.Close()
}

// sharedStrings holds a workbook's shared-strings table as one byte
// buffer and offsets: 4 bytes per string instead of a string header and
// an allocation each (a million-row sheet of unique names and emails has
// millions of entries). Cells are substrings of the sealed table.
type sharedStrings struct {
	buf    []byte   // while loading
	offs   []uint32 // offs[i] is the end of string i; string i starts at offs[i-1]
	sealed string   // the whole table once loaded
}

// end closes the string being appended to buf.
func (s *sharedStrings) end() { s.offs = append(s.offs, uint32(len(s.buf))) }

// seal turns the buffer into one string that cells are sliced from.
func (s *sharedStrings) seal() {
	s.sealed, s.buf = string(s.buf), nil
}

func (s *sharedStrings) len() int { return len(s.offs) }

func (s *sharedStrings) get(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.offs[i-1]
	}
	return s.sealed[start:s.offs[i]]
}
