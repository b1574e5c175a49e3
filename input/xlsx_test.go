package input

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// makeWorkbook writes a workbook with typed cells through excelize's
// normal mode, which stores text in the shared-strings table like Excel
// and LibreOffice.
func makeWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	style := func(st *excelize.Style) int {
		id, err := f.NewStyle(st)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	custom := func(code string) int { return style(&excelize.Style{CustomNumFmt: &code}) }
	dateStyle := style(&excelize.Style{NumFmt: 14})
	thousands := style(&excelize.Style{NumFmt: 3})
	dmy := custom("dd/mm/yyyy")
	dateTime := custom(`yyyy-mm-dd hh:mm`)
	quotedD := custom(`0.0 "days"`)
	timeOnly := style(&excelize.Style{NumFmt: 20}) // h:mm
	set := func(cell string, v any, styleID ...int) {
		t.Helper()
		if err := f.SetCellValue(s, cell, v); err != nil {
			t.Fatal(err)
		}
		for _, id := range styleID {
			if err := f.SetCellStyle(s, cell, cell, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, h := range []string{"Employee ID", " Phone ", "Expires", "Code", "Flag", "Total", "Ratio", "Custom Date", "Stamp", "Duration"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		set(cell, h)
	}
	// Row 2: one of each type.
	set("A2", 1234567)
	set("B2", 123456789012)
	set("C2", 46203.0, dateStyle) // 2026-06-30
	set("D2", "00123")
	set("E2", true)
	if err := f.SetCellFormula(s, "F2", "A2*2"); err != nil {
		t.Fatal(err)
	}
	set("F2", 2469134) // the formula's cached value
	set("G2", 1.5)
	set("H2", 46203.0, dmy)
	set("I2", 46203.75, dateTime) // 18:00
	set("J2", 2.5, quotedD)       // "days" is quoted: not a date
	// Row 3 blank. Row 4: a thousands format, a gap, padding, false.
	set("A4", 7654321.0, thousands)
	set("D4", "  padded  ")
	set("E4", false)
	set("G4", 0.1+0.2)
	set("I4", 0.5, timeOnly)
	// Row 5: a stray value right of the header.
	set("A5", "x")
	set("L5", "stray")
	// Row 6: blank cells only (styled), skipped.
	f.SetCellStyle(s, "A6", "C6", dateStyle)
	// Row 7: short.
	set("B7", 42)
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestXLSXTypedCellsSharedStrings(t *testing.T) {
	p := makeWorkbook(t)
	// The fixture must really use a shared-strings table.
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	var sst []byte
	for _, f := range zr.File {
		if f.Name == "xl/sharedStrings.xml" {
			rc, _ := f.Open()
			sst, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	zr.Close()
	if !bytes.Contains(sst, []byte("00123")) {
		t.Fatalf("fixture has no shared-strings table with the text cells: %q", sst)
	}

	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, want := r.Header(), []string{"Employee ID", "Phone", "Expires", "Code", "Flag", "Total", "Ratio", "Custom Date", "Stamp", "Duration"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("header %q, want %q", got, want)
	}
	rows := readAll(t, r)
	want := []struct {
		num   int
		cells []string
		err   string
	}{
		// Numbers read as their format shows them: 0.0 "days", #,##0.
		{2, []string{"1234567", "123456789012", "2026-06-30", "00123", "true", "2469134", "1.5", "2026-06-30", "2026-06-30 18:00:00", "2.5 days"}, ""},
		{4, []string{"7,654,321", "", "", "padded", "false", "", "0.3", "", "12:00:00", ""}, ""},
		{5, []string{"x", "", "", "", "", "", "", "", "", ""}, `column 12 has "stray"`},
		{7, []string{"", "42", "", "", "", "", "", "", "", ""}, ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, w := range want {
		got := rows[i]
		if got.Number != w.num || !reflect.DeepEqual(got.Cells, w.cells) {
			t.Errorf("row %d = %q, want row %d = %q", got.Number, got.Cells, w.num, w.cells)
		}
		if (got.Err == nil) != (w.err == "") || got.Err != nil && !strings.Contains(got.Err.Error(), w.err) {
			t.Errorf("row %d: Err = %v, want %q", got.Number, got.Err, w.err)
		}
	}
}

// excelize's StreamWriter writes inline strings, as some generators do.
func TestXLSXInlineStringsAndSheets(t *testing.T) {
	f := excelize.NewFile()
	if _, err := f.NewSheet("People"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("People")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"Name", "Email", "ID"})
	sw.SetRow("A2", []any{"陳美玲", "m@example.com", 123456789012})
	sw.SetRow("A4", []any{"Zoë", "z@example.com", "00123", "stray"})
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "inline.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Open(p, Options{Sheet: "Nope"}); err == nil || !strings.Contains(err.Error(), `no sheet named "Nope"`) || !strings.Contains(err.Error(), `"Sheet1", "People"`) {
		t.Fatalf("missing sheet error should list the sheets: %v", err)
	}
	for _, sheet := range []string{"People", "people"} {
		t.Run(sheet, func(t *testing.T) {
			r, err := Open(p, Options{Sheet: sheet})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rows := readAll(t, r)
			if len(rows) != 2 || rows[0].Number != 2 || rows[1].Number != 4 {
				t.Fatalf("rows %+v", rows)
			}
			if !reflect.DeepEqual(rows[0].Cells, []string{"陳美玲", "m@example.com", "123456789012"}) || rows[0].Err != nil {
				t.Errorf("row 2: %q %v", rows[0].Cells, rows[0].Err)
			}
			if rows[1].Cells[2] != "00123" || rows[1].Err == nil {
				t.Errorf("row 4: %q %v", rows[1].Cells, rows[1].Err)
			}
		})
	}
	// The first sheet (Sheet1) is empty.
	if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "no header row") {
		t.Fatalf("empty first sheet: %v", err)
	}
}

func rewriteZip(t *testing.T, src, dst string, edit func(name string, b []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.Create(f.Name)
		w.Write(edit(f.Name, b))
	}
	zw.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestXLSXCorruptIsAnError(t *testing.T) {
	src := makeWorkbook(t)
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		cut  func(b []byte) []byte
		want string
	}{
		{"cut inside a tag", func(b []byte) []byte { return b[:bytes.Index(b, []byte(`<row r="4"`))+8] }, "after row 2"},
		{"cut inside a row", func(b []byte) []byte {
			i := bytes.Index(b, []byte(`<row r="4"`))
			return b[:i+bytes.Index(b[i:], []byte(`</row>`))]
		}, "row 4: the worksheet ends inside a row"},
		{"bad XML inside a row", func(b []byte) []byte {
			i := bytes.Index(b, []byte(`<row r="4"`))
			i += bytes.Index(b[i:], []byte(`</row>`))
			return append(append(b[:i:i], "<<"...), b[i:]...)
		}, "row 4: the worksheet is corrupt"},
		{"cut between rows", func(b []byte) []byte { return b[:bytes.Index(b, []byte(`<row r="4"`))] }, "ends early"},
		{"bad XML", func(b []byte) []byte { return bytes.Replace(b, []byte(`<row r="4"`), []byte(`<row r="4" <<`), 1) }, "corrupt"},
		{"dangling shared string", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`<c r="D2" t="s"><v>`), []byte(`<c r="D2" t="s"><v>9999`), 1)
		}, `row 2, column 4: shared string "9999`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "cut.xlsx")
			rewriteZip(t, src, p, func(name string, b []byte) []byte {
				if name == "xl/worksheets/sheet1.xml" {
					return c.cut(b)
				}
				return b
			})
			r, err := Open(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for err == nil {
				_, err = r.Next()
			}
			if errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "cut.xlsx") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error naming cut.xlsx and %q", err, c.want)
			}
		})
	}
	t.Run("not a zip", func(t *testing.T) {
		p := filepath.Join(dir, "junk.xlsx")
		os.WriteFile(p, []byte("not a zip"), 0o600)
		if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "junk.xlsx") {
			t.Fatalf("garbage file: %v", err)
		}
	})
	t.Run("truncated zip", func(t *testing.T) {
		b, _ := os.ReadFile(src)
		p := filepath.Join(dir, "half.xlsx")
		os.WriteFile(p, b[:len(b)/2], 0o600)
		if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "half.xlsx") {
			t.Fatalf("truncated file: %v", err)
		}
	})
	t.Run("encrypted", func(t *testing.T) {
		p := filepath.Join(dir, "secret.xlsx")
		os.WriteFile(p, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), 0o600)
		if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "password") {
			t.Fatalf("encrypted file: %v", err)
		}
	})
}

// zipParts writes a workbook from raw parts.
func zipParts(t *testing.T, parts map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, s := range parts {
		w, _ := z.Create(name)
		w.Write([]byte(s))
	}
	z.Close()
	p := filepath.Join(t.TempDir(), "parts.xlsx")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	wbXML   = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`
	wbRels  = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
	sheetNS = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
)

// A shared-strings table as Excel writes it: rich-text runs, empty
// entries, and phonetic guides (rPh) that are not part of the text.
func TestXLSXSharedStringsTable(t *testing.T) {
	p := zipParts(t, map[string]string{
		"xl/workbook.xml":            wbXML,
		"xl/_rels/workbook.xml.rels": wbRels,
		"xl/sharedStrings.xml": `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Name</t></si><si><t>Note</t></si>` +
			`<si><r><rPr><b/></rPr><t>Ri</t></r><r><t xml:space="preserve">ch </t></r></si><si><t/></si><si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si></sst>`,
		"xl/worksheets/sheet1.xml": sheetNS +
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>` +
			`<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>9</v></c></row></sheetData></worksheet>`,
	})
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, err := r.Next()
	if err != nil || !reflect.DeepEqual(row.Cells, []string{"Rich", ""}) {
		t.Fatalf("row 2: %q %v", row.Cells, err)
	}
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), `shared string "9" does not exist`) || !strings.Contains(err.Error(), "row 3") {
		t.Fatalf("a dangling shared-string index must be an error naming the row: %v", err)
	}
	var s sharedStrings
	want := []string{"", "a", "", "漢字"}
	// Strings that do not fit in the current chunk start a new one.
	for i := range 3000 {
		want = append(want, strings.Repeat(string(rune('a'+i%26)), 1000+i%7))
	}
	want = append(want, strings.Repeat("x", 256<<10))
	for _, x := range want {
		s.begin()
		s.add([]byte(x[:len(x)/2]))
		s.add([]byte(x[len(x)/2:]))
		s.end()
	}
	s.seal()
	if s.len() != len(want) {
		t.Fatalf("table of %d strings, want %d", s.len(), len(want))
	}
	for i, x := range want {
		if s.get(i) != x {
			t.Fatalf("string %d: %d bytes %.10q, want %d bytes %.10q", i, len(s.get(i)), s.get(i), len(x), x)
		}
	}
	if len(s.chunks) < 3 {
		t.Errorf("%d chunks for %d MiB of text", len(s.chunks), s.bytes>>20)
	}
}

// Hand-written sheets in the shapes other generators produce: prefixed
// namespaces, cells without r attributes, inline rich text with phonetic
// runs, t="d" dates, t="str" formulas, a 1904 workbook, a workbook part
// found through _rels/.rels.
func TestXLSXGeneratorVariants(t *testing.T) {
	styles := `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="[$-409]d\-mmm\-yyyy;@"/></numFmts>` +
		`<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="3"/></cellXfs></styleSheet>`
	p := zipParts(t, map[string]string{
		"_rels/.rels":            `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="book/wb.xml"/></Relationships>`,
		"book/wb.xml":            `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Data" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>`,
		"book/_rels/wb.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/book/ws/data.xml"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="st.xml"/></Relationships>`,
		"book/st.xml":            styles,
		"book/ws/data.xml": `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row><x:c t="inlineStr"><x:is><x:t>Name</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Date</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>When</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Calc</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>N</x:t></x:is></x:c></x:row>` +
			`<x:row><x:c t="inlineStr"><x:is><x:r><x:t>漢</x:t></x:r><x:r><x:t>字</x:t></x:r><x:rPh sb="0" eb="1"><x:t>かん</x:t></x:rPh></x:is></x:c><x:c s="1"><x:v>0</x:v></x:c><x:c t="d"><x:v>2026-06-30T00:00:00Z</x:v></x:c><x:c t="str"><x:f>A2&amp;"!"</x:f><x:v>漢字!</x:v></x:c><x:c s="2"><x:v>1.234567E6</x:v></x:c></x:row>` +
			`</x:sheetData></x:worksheet>`,
	})
	r, err := Open(p, Options{Sheet: "Data"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !reflect.DeepEqual(r.Header(), []string{"Name", "Date", "When", "Calc", "N"}) {
		t.Fatalf("header %q", r.Header())
	}
	rows := readAll(t, r)
	// Serial 0 in the 1904 system is 1904-01-01.
	if len(rows) != 1 || rows[0].Number != 2 || !reflect.DeepEqual(rows[0].Cells, []string{"漢字", "1904-01-01", "2026-06-30", "漢字!", "1,234,567"}) {
		t.Fatalf("rows %+v", rows)
	}
}

func TestClassifyFormat(t *testing.T) {
	for _, c := range []struct {
		code     string
		date, tm bool
	}{
		{"yyyy-mm-dd", true, false}, {"dd/mm/yyyy", true, false}, {"mmm d", true, false}, {"mm", true, false},
		{"h:mm:ss", false, true}, {"[h]:mm", false, true}, {"mm:ss", false, true}, {"yyyy-mm-dd hh:mm", true, true},
		{`0.00"m"`, false, false}, {`0.0 "days"`, false, false}, {"#,##0", false, false}, {"General", false, false},
		{"[Red]0.00", false, false}, {`\d0`, false, false}, {"0.00E+00", false, false}, {"@", false, false},
		{`[$-409]d\-mmm\-yyyy;@`, true, false}, {`[$€-2] #,##0.00`, false, false}, {`yyyy"年"m"月"d"日"`, true, false},
	} {
		t.Run(c.code, func(t *testing.T) {
			d, tm := classifyFormat(c.code)
			if d != c.date || tm != c.tm {
				t.Errorf("date=%v time=%v, want %v %v", d, tm, c.date, c.tm)
			}
		})
	}
}

func TestBuiltinDateFormats(t *testing.T) {
	dates := map[int]bool{}
	for _, r := range [][2]int{{14, 22}, {27, 36}, {45, 47}, {50, 58}} {
		for id := r[0]; id <= r[1]; id++ {
			dates[id] = true
		}
	}
	for id := 0; id < 164; id++ {
		if d, _ := builtinDateFormat(id); d != dates[id] {
			t.Errorf("built-in format %d: date=%v, want %v", id, d, dates[id])
		}
	}
	if _, tm := builtinDateFormat(20); !tm {
		t.Error("format 20 (h:mm) is a time of day")
	}
	if _, tm := builtinDateFormat(14); tm {
		t.Error("format 14 is a date")
	}
}

func TestNumberText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1234567", "1234567"}, {"1.234567E6", "1234567"}, {"1.234567e+06", "1234567"}, {"1234567.0", "1234567"},
		{"1.5", "1.5"}, {"123456789012345678", "123456789012345678"}, {"0.1", "0.1"}, {"-42", "-42"},
		{"0.30000000000000004", "0.3"}, {"2.9999999999999996", "3"}, {"-0.0", "0"},
		{"1.23456789012346E+17", "123456789012346000"}, {"1E-3", "0.001"}, {"abc", "abc"},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := number(c.in); got != c.want {
				t.Errorf("number(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
	if got := formatTime(serialTime(46203.5, false)); got != "2026-06-30 12:00:00" {
		t.Errorf("serial with time: %s", got)
	}
	if got := formatTime(serialTime(46203.99999999, false)); got != "2026-07-01" {
		t.Errorf("float noise must round to the second: %s", got)
	}
}
