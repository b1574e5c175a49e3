package input

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
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
// the parts directly keeps types, reports every decode error and holds
// one row at a time; excelize still converts date serials and cell names.

// maxSharedStrings caps the shared-strings table held in memory (the
// offsets are 32-bit, and a zip bomb must not exhaust memory).
const maxSharedStrings = 1 << 30

// Relationship type suffixes in workbook.xml.rels.
const (
	relOfficeDocument = "/officeDocument"
	relStyles         = "/styles"
	relSharedStrings  = "/sharedStrings"
)

type xlsxReader struct {
	file     string
	zr       *zip.ReadCloser
	part     io.ReadCloser
	dec      *xml.Decoder
	sst      sharedStrings
	dateFmt  []bool // per cell style (cellXfs index): a date/time format
	timeFmt  []bool // per cell style: a time-of-day format without a date
	date1904 bool
	header   []string
	lastRow  int
	done     bool
	ended    bool   // saw </sheetData>
	val      []byte // the current cell's text
}

func openXLSX(p string, opts Options) (Reader, error) {
	name := filepath.Base(p)
	zr, err := zip.OpenReader(p)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) && isOLE(p) {
			return nil, fmt.Errorf("open %s: the workbook is password-protected or in the old .xls format: save it in Excel as .xlsx without a password", name)
		}
		if errors.Is(err, zip.ErrFormat) {
			return nil, fmt.Errorf("open %s: not a readable .xlsx workbook (the file is damaged, truncated or of another type): %w", name, err)
		}
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	x := &xlsxReader{file: name, zr: zr}
	fail := func(err error) (Reader, error) {
		zr.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	sheetPath, styles, sst, err := x.findSheet(opts.Sheet)
	if err != nil {
		return fail(err)
	}
	if err := x.readStyles(styles); err != nil {
		return fail(err)
	}
	if err := x.readSharedStrings(sst); err != nil {
		return fail(err)
	}
	f := x.find(sheetPath)
	if f == nil {
		return fail(fmt.Errorf("worksheet part %s is missing", sheetPath))
	}
	if x.part, err = f.Open(); err != nil {
		return fail(fmt.Errorf("open worksheet %s: %w", sheetPath, err))
	}
	x.dec = xml.NewDecoder(x.part)
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
		return x, nil
	}
}

// isOLE reports whether the file is an OLE compound document: an .xls
// workbook or an encrypted .xlsx.
func isOLE(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [8]byte
	_, err = io.ReadFull(f, b[:])
	return err == nil && bytes.Equal(b[:], []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
}

func (x *xlsxReader) find(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, f := range x.zr.File {
		if f.Name == name {
			return f
		}
	}
	for _, f := range x.zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), name) {
			return f
		}
	}
	return nil
}

// decodePart decodes a whole (small) part; it reports false when the
// part does not exist.
func (x *xlsxReader) decodePart(name string, v any) (bool, error) {
	f := x.find(name)
	if f == nil {
		return false, nil
	}
	rc, err := f.Open()
	if err != nil {
		return true, fmt.Errorf("open %s: %w", name, err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return true, fmt.Errorf("decode %s: %w", name, err)
	}
	return true, nil
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

// rels reads the relationships of part (e.g. "xl/workbook.xml") and
// resolves their targets to zip paths.
func (x *xlsxReader) rels(part string) ([]relationship, error) {
	dir, base := path.Split(part)
	var doc struct {
		Rel []relationship `xml:"Relationship"`
	}
	if _, err := x.decodePart(dir+"_rels/"+base+".rels", &doc); err != nil {
		return nil, err
	}
	for i, r := range doc.Rel {
		t := strings.ReplaceAll(r.Target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		doc.Rel[i].Target = t
	}
	return doc.Rel, nil
}

// findSheet returns the zip paths of the wanted worksheet, the styles
// and the shared strings (either may be "").
func (x *xlsxReader) findSheet(want string) (sheet, styles, sst string, err error) {
	wbPath := "xl/workbook.xml"
	root, err := x.rels("")
	if err != nil {
		return "", "", "", err
	}
	for _, r := range root {
		if strings.HasSuffix(r.Type, relOfficeDocument) {
			wbPath = r.Target
			break
		}
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			// Strict OOXML's relationships namespace.
			RIDStrict string `xml:"http://purl.oclc.org/ooxml/officeDocument/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	ok, err := x.decodePart(wbPath, &wb)
	if err != nil {
		return "", "", "", err
	}
	if !ok || len(wb.Sheets) == 0 {
		return "", "", "", fmt.Errorf("not a workbook: %s has no sheets", wbPath)
	}
	x.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	idx := 0
	if want != "" {
		idx = -1
		names := make([]string, len(wb.Sheets))
		for i, s := range wb.Sheets {
			names[i] = strconv.Quote(s.Name)
			if s.Name == want || (idx < 0 && strings.EqualFold(s.Name, want)) {
				idx = i
			}
		}
		if idx < 0 {
			return "", "", "", fmt.Errorf("no sheet named %q; the sheets are %s", want, strings.Join(names, ", "))
		}
	}
	rid := wb.Sheets[idx].RID
	if rid == "" {
		rid = wb.Sheets[idx].RIDStrict
	}
	rels, err := x.rels(wbPath)
	if err != nil {
		return "", "", "", err
	}
	for _, r := range rels {
		switch {
		case r.ID == rid:
			sheet = r.Target
		case strings.HasSuffix(r.Type, relStyles):
			styles = r.Target
		case strings.HasSuffix(r.Type, relSharedStrings):
			sst = r.Target
		}
	}
	dir := path.Dir(wbPath)
	if sheet == "" {
		sheet = path.Join(dir, fmt.Sprintf("worksheets/sheet%d.xml", idx+1))
	}
	if styles == "" {
		styles = path.Join(dir, "styles.xml")
	}
	if sst == "" {
		sst = path.Join(dir, "sharedStrings.xml")
	}
	return sheet, styles, sst, nil
}

// readStyles marks which cell styles show dates or times.
func (x *xlsxReader) readStyles(part string) error {
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if _, err := x.decodePart(part, &st); err != nil {
		return err
	}
	custom := map[int]string{}
	for _, n := range st.NumFmts {
		custom[n.ID] = n.Code
	}
	x.dateFmt = make([]bool, len(st.Xfs))
	x.timeFmt = make([]bool, len(st.Xfs))
	for i, xf := range st.Xfs {
		if code, ok := custom[xf.NumFmtID]; ok {
			d, t := classifyFormat(code)
			x.dateFmt[i], x.timeFmt[i] = d || t, t && !d
			continue
		}
		x.dateFmt[i], x.timeFmt[i] = builtinDateFormat(xf.NumFmtID)
	}
	return nil
}

// builtinDateFormat classifies Excel's built-in number formats: 14-22,
// 27-36, 45-47 and 50-58 show dates or times (27-36 and 50-58 differ by
// locale); 18-21, 32-33 and 45-47 show only a time of day.
func builtinDateFormat(id int) (dateOrTime, timeOnly bool) {
	switch {
	case id >= 18 && id <= 21, id == 32, id == 33, id >= 45 && id <= 47:
		return true, true
	case id >= 14 && id <= 22, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return true, false
	}
	return false, false
}

// classifyFormat reports whether a custom number format shows a date
// (y, d, or m not next to h or s) or a time (h, s), ignoring quoted text,
// escaped characters and [bracketed] parts such as colours and locales
// ([h] and [mm] durations count as time).
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
			if j < 0 {
				i = len(code)
				break
			}
			switch strings.ToLower(code[i+1 : i+j]) {
			case "h", "hh", "m", "mm", "s", "ss":
				tm = true
			}
			i += j
		default:
			b.WriteByte(c | 0x20)
		}
	}
	s := b.String()
	if s == "general" {
		return false, false
	}
	if strings.ContainsAny(s, "yd") || (strings.Contains(s, "m") && !strings.ContainsAny(s, "hs") && !tm) {
		date = true
	}
	if strings.ContainsAny(s, "hs") {
		tm = true
	}
	return date, tm
}

// readSharedStrings loads the shared-strings table, which is how Excel
// and LibreOffice store every text cell. Phonetic guides (rPh) are not
// part of the text.
func (x *xlsxReader) readSharedStrings(part string) error {
	f := x.find(part)
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("open %s: %w", part, err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var inT, inRPh, inSI bool
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("decode shared strings %s: %w", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if inSI {
					x.sst.end()
				}
				inSI = false
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			}
		case xml.CharData:
			if inT && !inRPh && inSI {
				if len(x.sst.buf)+len(t) > maxSharedStrings {
					return fmt.Errorf("decode shared strings %s: the table is larger than %d MiB", part, maxSharedStrings>>20)
				}
				x.sst.buf = append(x.sst.buf, t...)
			}
		}
	}
	x.sst.seal()
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
	)
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
			x.done = true
			if inRow {
				return 0, nil, fmt.Errorf("read %s: row %d: the worksheet is corrupt: %w", x.file, rowNum, err)
			}
			return 0, nil, fmt.Errorf("read %s: after row %d: the worksheet is corrupt: %w", x.file, x.lastRow, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow = true
				rowNum = x.lastRow + 1
				if r := attr(t, "r"); r != "" {
					if n, err := strconv.Atoi(r); err == nil && n > 0 {
						rowNum = n
					}
				}
				col = 0
				cells = make([]string, 0, width)
			case "c":
				isCell = true
				col++
				style, typ = 0, ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						if c, _, err := excelize.CellNameToCoordinates(a.Value); err == nil {
							col = c
						}
					case "s":
						style, _ = strconv.Atoi(a.Value)
					case "t":
						typ = a.Value
					}
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
						return 0, nil, fmt.Errorf("read %s: row %d, column %d: %w", x.file, rowNum, col, err)
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
				x.val = append(x.val, t...)
			}
		}
	}
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

// Close closes the worksheet and the archive.
func (x *xlsxReader) Close() error {
	if x.part != nil {
		x.part.Close()
		x.part = nil
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
