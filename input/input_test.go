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
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func readAll(t *testing.T, r Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
}

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSVEncodingsAndDelimiters(t *testing.T) {
	const text = "이름,Email,部門\r\n김민준 ,minjun@example.com,  陳美玲\r\n"
	want := [][]string{{"김민준", "minjun@example.com", "陳美玲"}}
	utf16le := encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), strings.ReplaceAll(text, ",", "\t"))
	cases := []struct {
		name, enc string
		data      []byte
		header    string
		want      [][]string
	}{
		{"utf-8", "", []byte(text), "이름", want},
		{"utf-8 BOM", "", append([]byte{0xEF, 0xBB, 0xBF}, text...), "이름", want},
		{"utf-8 LF", "", []byte(strings.ReplaceAll(text, "\r\n", "\n")), "이름", want},
		{"semicolon", "", []byte(strings.ReplaceAll(text, ",", ";")), "이름", want},
		{"tab", "", []byte(strings.ReplaceAll(text, ",", "\t")), "이름", want},
		{"utf-16 BOM auto", "", utf16le, "이름", want},
		{"utf-16 flag", "utf-16", utf16le, "이름", want},
		{"utf-16be flag", "utf-16be", encode(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), text), "이름", want},
		{"cp949", "cp949", encode(t, korean.EUCKR, "이름,Email\n김민준 똠,a@example.com\n"), "이름", [][]string{{"김민준 똠", "a@example.com"}}},
		{"euc-kr", "euc-kr", encode(t, korean.EUCKR, "이름,Email\n김민준,a@example.com\n"), "이름", [][]string{{"김민준", "a@example.com"}}},
		{"big5", "big5", encode(t, traditionalchinese.Big5, "姓名;Email\n陳美玲;b@example.com\n"), "姓名", [][]string{{"陳美玲", "b@example.com"}}},
		{"quoted delimiter in header", "", []byte("\"a,b\";c;d\n1;2;3\n"), "a,b", [][]string{{"1", "2", "3"}}},
		{"quoted newline", "", []byte("a,b\n\"x\ny\",z\n"), "a", [][]string{{"x\ny", "z"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewCSV(bytes.NewReader(c.data), "f.csv", Options{Encoding: c.enc})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Header()[0]; got != c.header {
				t.Fatalf("header[0] = %q, want %q", got, c.header)
			}
			var got [][]string
			for _, row := range readAll(t, r) {
				got = append(got, row.Cells)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("rows = %q, want %q", got, c.want)
			}
		})
	}
}

func TestCSVRowNumbersBlankRowsAndShape(t *testing.T) {
	data := "\n\nName,Email\n\nA,a@x.com\n,,\n\"multi\nline\",m@x.com\nB\nC,c@x.com,,\nD,d@x.com,extra\n"
	r, err := NewCSV(strings.NewReader(data), "staff.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	var nums []int
	for _, row := range rows {
		nums = append(nums, row.Number)
		if len(row.Cells) != 2 {
			t.Errorf("row %d has %d cells", row.Number, len(row.Cells))
		}
	}
	// Excel shows: 1-2 blank, 3 header, 4 blank, 5 A, 6 ",,", 7 multi (one row), 8 B, 9 C, 10 D.
	if want := []int{5, 7, 8, 9, 10}; !reflect.DeepEqual(nums, want) {
		t.Fatalf("row numbers %v, want %v", nums, want)
	}
	if rows[2].Cells[1] != "" || rows[2].Err != nil {
		t.Errorf("short row not padded: %+v", rows[2])
	}
	if rows[3].Err != nil {
		t.Errorf("empty trailing cells must be fine: %v", rows[3].Err)
	}
	if rows[4].Err == nil || !strings.Contains(rows[4].Err.Error(), `"extra"`) {
		t.Errorf("extra cell not reported: %v", rows[4].Err)
	}
}

func TestCSVInvalidUTF8SuggestsEncoding(t *testing.T) {
	data := append([]byte("Name,Email\nA,a@x.com\n"), encode(t, korean.EUCKR, "김민준,k@x.com\n")...)
	r, err := NewCSV(bytes.NewReader(data), "staff.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err = r.Next()
	if err == nil {
		t.Fatal("no error for invalid UTF-8")
	}
	for _, want := range []string{"staff.csv", "row 3", "column 1", "--encoding", "cp949"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestCSVErrors(t *testing.T) {
	for _, c := range []struct{ name, data, enc, want string }{
		{"empty", "", "", "no header"},
		{"blank only", "\n \n", "", "no header"},
		{"bare quote", "a,b\nx,\"y\"z\n", "", "row 2"},
		{"unknown encoding", "a\n", "klingon", "unknown encoding"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewCSV(strings.NewReader(c.data), "f.csv", Options{Encoding: c.enc})
			if err == nil {
				_, err = r.Next()
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestOpenByExtension(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, want string }{{"x.xls", ".xls format"}, {"x.pdf", "unknown file type"}, {"missing.csv", "no such file"}} {
		_, err := Open(filepath.Join(dir, c.name), Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

// makeWorkbook writes a workbook with typed cells through excelize's
// normal mode, which stores text in the shared-strings table like Excel.
func makeWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	custom := "dd/mm/yyyy"
	customDate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	thousands, _ := f.NewStyle(&excelize.Style{NumFmt: 3})
	set := func(cell string, v any) {
		if err := f.SetCellValue(s, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "Employee ID")
	set("B1", " Phone ")
	set("C1", "Expires")
	set("D1", "Code")
	set("E1", "Flag")
	set("F1", "Total")
	set("G1", "Ratio")
	set("H1", "Custom Date")
	set("A2", 1234567)
	set("B2", 123456789012)
	set("C2", 46203.0) // 2026-06-30
	f.SetCellStyle(s, "C2", "C2", dateStyle)
	set("D2", "00123")
	set("E2", true)
	f.SetCellFormula(s, "F2", "A2*2")
	f.SetCellValue(s, "F2", 2469134)
	set("G2", 1.5)
	set("H2", 46203.0)
	f.SetCellStyle(s, "H2", "H2", customDate)
	// row 3 blank; row 4 with a thousands format and a gap
	set("A4", 7654321.0)
	f.SetCellStyle(s, "A4", "A4", thousands)
	set("D4", "  padded  ")
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestXLSXTypedCells(t *testing.T) {
	r, err := Open(makeWorkbook(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.Header(); !reflect.DeepEqual(got, []string{"Employee ID", "Phone", "Expires", "Code", "Flag", "Total", "Ratio", "Custom Date"}) {
		t.Fatalf("header %q", got)
	}
	rows := readAll(t, r)
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	want := []string{"1234567", "123456789012", "2026-06-30", "00123", "true", "2469134", "1.5", "2026-06-30"}
	if !reflect.DeepEqual(rows[0].Cells, want) || rows[0].Number != 2 {
		t.Fatalf("row %d = %q, want %q", rows[0].Number, rows[0].Cells, want)
	}
	if rows[1].Number != 4 || rows[1].Cells[0] != "7654321" || rows[1].Cells[3] != "padded" || rows[1].Cells[1] != "" {
		t.Fatalf("row %d = %q", rows[1].Number, rows[1].Cells)
	}
}

func TestXLSXInlineStringsAndSheets(t *testing.T) {
	f := excelize.NewFile()
	f.NewSheet("People")
	sw, _ := f.NewStreamWriter("People")
	sw.SetRow("A1", []any{"Name", "Email"})
	sw.SetRow("A2", []any{"陳美玲", "m@example.com"})
	sw.SetRow("A3", []any{"Zoë", "z@example.com", "stray"})
	sw.Flush()
	p := filepath.Join(t.TempDir(), "inline.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Open(p, Options{Sheet: "Nope"}); err == nil || !strings.Contains(err.Error(), `"People"`) {
		t.Fatalf("missing sheet error should list sheets: %v", err)
	}
	r, err := Open(p, Options{Sheet: "People"})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(rows) != 2 || rows[0].Cells[0] != "陳美玲" || rows[1].Err == nil {
		t.Fatalf("rows %+v", rows)
	}
	// The first sheet (Sheet1) is empty.
	if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty first sheet: %v", err)
	}
}

func TestXLSXCorruptIsAnError(t *testing.T) {
	src := makeWorkbook(t)
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "xl/worksheets/sheet1.xml" {
			b = b[:bytes.Index(b, []byte(`<row r="4"`))+20] // cut inside row 4
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "cut.xlsx")
	os.WriteFile(p, buf.Bytes(), 0o600)
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatalf("row 2 should read: %v", err)
	}
	_, err = r.Next()
	if err == nil || errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "book") && !strings.Contains(err.Error(), "cut.xlsx") {
		t.Fatalf("truncated sheet must be an error naming the file, got %v", err)
	}
	os.WriteFile(p, []byte("not a zip"), 0o600)
	if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "cut.xlsx") {
		t.Fatalf("garbage file: %v", err)
	}
}

func TestClassifyFormat(t *testing.T) {
	for _, c := range []struct {
		code     string
		date, tm bool
	}{
		{"yyyy-mm-dd", true, false}, {"dd/mm/yyyy", true, false}, {"mmm d", true, false},
		{"h:mm:ss", false, true}, {"[h]:mm", false, true}, {"yyyy-mm-dd hh:mm", true, true},
		{`0.00"m"`, false, false}, {"#,##0", false, false}, {"General", false, false},
		{"[Red]0.00", false, false}, {`\d0`, false, false}, {"0.00E+00", false, false},
	} {
		d, tm := classifyFormat(c.code)
		if d != c.date || tm != c.tm {
			t.Errorf("%q: date=%v time=%v, want %v %v", c.code, d, tm, c.date, c.tm)
		}
	}
}

func TestNumberText(t *testing.T) {
	for in, want := range map[string]string{"1234567": "1234567", "1.234567E6": "1234567", "1234567.0": "1234567",
		"1.5": "1.5", "123456789012345678": "123456789012345678", "0.1": "0.1", "-42": "-42"} {
		if got := number(in); got != want {
			t.Errorf("number(%q) = %q, want %q", in, got, want)
		}
	}
	if got := formatTime(serialTime(46203.5, false), false); got != "2026-06-30 12:00:00" {
		t.Errorf("serial with time: %s", got)
	}
	_ = time.Now
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a;b\r\n\"x;\"\"y\";2\r\n", "\xEF\xBB\xBFa\tb\n\n1\t2\t3\n", "a\n\"unterminated\n", "\xff\xfea\x00,\x00b\x00\n\x00", ",,\n,,\n", "a,b\n\"1\n2\",3\n\n\n4"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSV(bytes.NewReader(data), "fuzz.csv", Options{})
		if err != nil {
			return
		}
		prev := 0
		for {
			row, err := r.Next()
			if err != nil {
				return
			}
			if len(row.Cells) != len(r.Header()) {
				t.Fatalf("row %d has %d cells for %d headers", row.Number, len(row.Cells), len(r.Header()))
			}
			if row.Number <= prev {
				t.Fatalf("row number %d after %d", row.Number, prev)
			}
			prev = row.Number
		}
	})
}

// UTF-8 read as a legacy encoding would be mojibake on a certificate.
func TestLegacyEncodingOnUTF8IsRefused(t *testing.T) {
	for _, enc := range []string{"cp949", "big5", "shift_jis"} {
		_, err := NewCSV(strings.NewReader("이름,Email\n김민준,a@example.com\n"), "k.csv", Options{Encoding: enc})
		if err == nil || !strings.Contains(err.Error(), "the file is UTF-8") {
			t.Errorf("%s: %v", enc, err)
		}
	}
	// Plain ASCII is fine with any encoding.
	if _, err := NewCSV(strings.NewReader("Name,Email\nKim,a@example.com\n"), "a.csv", Options{Encoding: "cp949"}); err != nil {
		t.Error(err)
	}
}

// A shared-strings table as Excel writes it: rich-text runs, empty
// entries, and phonetic guides (rPh) that are not part of the text.
func TestXLSXSharedStringsTable(t *testing.T) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	put := func(name, s string) {
		w, _ := z.Create(name)
		w.Write([]byte(s))
	}
	put("xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`)
	put("xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Name</t></si><si><t>Note</t></si>`+
		`<si><r><rPr><b/></rPr><t>Ri</t></r><r><t xml:space="preserve">ch </t></r></si><si><t/></si><si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si></sst>`)
	put("xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`+
		`<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>`+
		`<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>9</v></c></row></sheetData></worksheet>`)
	z.Close()
	p := filepath.Join(t.TempDir(), "sst.xlsx")
	os.WriteFile(p, buf.Bytes(), 0o600)
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
	for _, x := range []string{"", "a", "", "漢字"} {
		s.buf = append(s.buf, x...)
		s.end()
	}
	s.seal()
	if s.len() != 4 || s.get(0) != "" || s.get(1) != "a" || s.get(2) != "" || s.get(3) != "漢字" {
		t.Errorf("table: %d %q %q %q %q", s.len(), s.get(0), s.get(1), s.get(2), s.get(3))
	}
}
