package input

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
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

func cellsOf(rows []Row) [][]string {
	var got [][]string
	for _, r := range rows {
		got = append(got, r.Cells)
	}
	return got
}

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// table renders rows as CSV with delimiter d and line ending eol,
// quoting fields that need it.
func table(rows [][]string, d, eol string) string {
	var b strings.Builder
	for _, row := range rows {
		for i, f := range row {
			if i > 0 {
				b.WriteString(d)
			}
			if strings.ContainsAny(f, d+"\"\r\n") {
				f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
			b.WriteString(f)
		}
		b.WriteString(eol)
	}
	return b.String()
}

// Every encoding, with and without BOM, each delimiter and line ending:
// the header and the rows come back as written, trimmed.
func TestCSVEncodingsDelimitersLineEndings(t *testing.T) {
	type sample struct {
		name, flag string
		bom        []byte
		enc        encoding.Encoding // nil: UTF-8 bytes as they are
		text       [][]string        // header + rows, as typed
	}
	korean3 := [][]string{{"이름", " Email", "부서 "}, {" 김민준 ", "minjun@example.com", "개발, 연구"}, {"이서연", "seoyeon@example.com", "인사\n총무"}}
	chinese := [][]string{{"姓名", "Email", "部門"}, {" 陳美玲", "meiling@example.com", "研發, 設計"}, {"林志明", "zhiming@example.com", "財務\n會計"}}
	japanese := [][]string{{"氏名", "Email", "部署"}, {"山田 太郎", "taro@example.com", "開発, 研究"}}
	latin := [][]string{{"Name", "Email", "Dept"}, {"Zoë Ünal", "zoe@example.com", "R&D, Ops"}, {"José", "jose@example.com", "Façade\nWorks"}}
	mixed := [][]string{{"이름", "姓名", "Email"}, {"김민준", "陳美玲", "a@example.com"}}
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	utf16be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	sjis, _ := htmlindex.Get("shift_jis")
	gbk, _ := htmlindex.Get("gbk")
	cp1252, _ := htmlindex.Get("windows-1252")
	samples := []sample{
		{"utf-8 auto", "", nil, nil, mixed},
		{"utf-8 BOM auto", "", []byte{0xEF, 0xBB, 0xBF}, nil, korean3},
		{"utf-8 flag", "utf-8", nil, nil, chinese},
		{"utf-8 flag BOM", "UTF-8", []byte{0xEF, 0xBB, 0xBF}, nil, chinese},
		{"utf-16le BOM auto", "", []byte{0xFF, 0xFE}, utf16le, mixed},
		{"utf-16be BOM auto", "", []byte{0xFE, 0xFF}, utf16be, korean3},
		{"utf-16 flag LE BOM", "utf-16", []byte{0xFF, 0xFE}, utf16le, chinese},
		{"utf-16 flag BE BOM", "utf-16", []byte{0xFE, 0xFF}, utf16be, chinese},
		{"utf-16 flag no BOM is LE", "utf-16", nil, utf16le, korean3},
		{"utf-16le flag", "utf-16le", nil, utf16le, mixed},
		{"utf-16be flag", "utf-16be", nil, utf16be, mixed},
		{"cp949", "cp949", nil, korean.EUCKR, korean3},
		{"euc-kr", "EUC-KR", nil, korean.EUCKR, korean3},
		{"big5", "big5", nil, traditionalchinese.Big5, chinese},
		{"shift_jis", "shift_jis", nil, sjis, japanese},
		{"gbk", "gbk", nil, gbk, [][]string{{"姓名", "Email"}, {"张伟", "wei@example.com"}}},
		{"windows-1252", "windows-1252", nil, cp1252, latin},
	}
	delims := []struct{ name, d string }{{"comma", ","}, {"semicolon", ";"}, {"tab", "\t"}}
	eols := []struct{ name, eol string }{{"LF", "\n"}, {"CRLF", "\r\n"}}
	for _, s := range samples {
		for _, d := range delims {
			for _, e := range eols {
				t.Run(s.name+"/"+d.name+"/"+e.name, func(t *testing.T) {
					text := table(s.text, d.d, e.eol)
					data := []byte(text)
					if s.enc != nil {
						data = encode(t, s.enc, text)
					}
					data = append(append([]byte{}, s.bom...), data...)
					r, err := NewCSV(bytes.NewReader(data), "staff.csv", Options{Encoding: s.flag})
					if err != nil {
						t.Fatal(err)
					}
					want := make([][]string, len(s.text))
					for i, row := range s.text {
						want[i] = make([]string, len(row))
						for j, c := range row {
							want[i][j] = strings.TrimSpace(c)
						}
					}
					if got := r.Header(); !reflect.DeepEqual(got, want[0]) {
						t.Fatalf("header = %q, want %q", got, want[0])
					}
					if got := cellsOf(readAll(t, r)); !reflect.DeepEqual(got, want[1:]) {
						t.Fatalf("rows = %q, want %q", got, want[1:])
					}
				})
			}
		}
	}
}

func TestCSVDelimiterDetection(t *testing.T) {
	for _, c := range []struct {
		name, data string
		header     []string
	}{
		{"comma by default", "Name\nKim\n", []string{"Name"}},
		{"semicolon wins", "a;b;c,d\n1;2;3,4\n", []string{"a", "b", "c,d"}},
		{"tab wins", "a\tb\tc;d\n", []string{"a", "b", "c;d"}},
		{"quoted delimiters do not count", "\"a,b,c\";\"d,e\";f\n", []string{"a,b,c", "d,e", "f"}},
		{"tie goes to comma", "a,b;c\n", []string{"a", "b;c"}},
		{"blank and delimiter-only lines skipped", "\n  \n;;;\n\"\"\nx;y\n", []string{"x", "y"}},
		{"no newline at all", "x;y", []string{"x", "y"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewCSV(strings.NewReader(c.data), "f.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Header(); !reflect.DeepEqual(got, c.header) {
				t.Fatalf("header %q, want %q", got, c.header)
			}
		})
	}
}

// Row numbers are the rows a spreadsheet program shows for the file:
// blank lines count, a quoted field spanning lines is one row.
func TestCSVRowNumbersBlankRowsAndShape(t *testing.T) {
	for _, c := range []struct {
		name, data string
		nums       []int
		cells      [][]string
	}{
		{"header first", "Name,Email\nA,a@x.com\nB,b@x.com\n", []int{2, 3}, [][]string{{"A", "a@x.com"}, {"B", "b@x.com"}}},
		{"blank rows counted", "Name,Email\n\nA,a@x.com\n \n,,\n \t , \nB,b@x.com\n", []int{3, 7}, [][]string{{"A", "a@x.com"}, {"B", "b@x.com"}}},
		{"blank lines before header", "\n\nName,Email\nA,a@x.com\n", []int{4}, [][]string{{"A", "a@x.com"}}},
		{"multi-line field is one row", "Name,Note\n\"A\",\"l1\nl2\nl3\"\nB,x\n\nC,y\n", []int{2, 3, 5}, [][]string{{"A", "l1\nl2\nl3"}, {"B", "x"}, {"C", "y"}}},
		{"CRLF", "Name,Email\r\n\r\nA,a@x.com\r\n", []int{3}, [][]string{{"A", "a@x.com"}}},
		{"short rows padded", "a,b,c\n1\n2,3\n", []int{2, 3}, [][]string{{"1", "", ""}, {"2", "3", ""}}},
		{"trailing empty cells fine", "a,b\n1,2,,\n", []int{2}, [][]string{{"1", "2"}}},
		{"trimmed", "a,b\n  x  ,\t y\t\n", []int{2}, [][]string{{"x", "y"}}},
		{"quoted spaces trimmed", "a,b\n\" x \",\"\"\n", []int{2}, [][]string{{"x", ""}}},
		{"embedded quotes", "a,b\n\"say \"\"hi\"\"\",2\n", []int{2}, [][]string{{`say "hi"`, "2"}}},
		{"header only", "a,b\n", nil, nil},
		{"empty header cells and duplicates kept", "a,,a\n1,2,3\n", []int{2}, [][]string{{"1", "2", "3"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewCSV(strings.NewReader(c.data), "staff.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows := readAll(t, r)
			var nums []int
			for _, row := range rows {
				nums = append(nums, row.Number)
				if row.Err != nil {
					t.Errorf("row %d: unexpected Err %v", row.Number, row.Err)
				}
			}
			if !reflect.DeepEqual(nums, c.nums) {
				t.Errorf("numbers %v, want %v", nums, c.nums)
			}
			if got := cellsOf(rows); !reflect.DeepEqual(got, c.cells) {
				t.Errorf("cells %q, want %q", got, c.cells)
			}
		})
	}
}

func TestCSVHeaderTexts(t *testing.T) {
	r, err := NewCSV(strings.NewReader("\uFEFF Name ,,Name,\"E-mail \"\n"), "f.csv", Options{Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Header(), []string{"Name", "", "Name", "E-mail"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("header %q, want %q", got, want)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("header-only file: Next = %v, want io.EOF", err)
	}
}

func TestCSVExtraCellsAreRowErrors(t *testing.T) {
	r, err := NewCSV(strings.NewReader("Name,Email\nA,a@x.com,stray\nB,b@x.com\n"), "f.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2: a row error is data, not the end", len(rows))
	}
	if rows[0].Err == nil || !strings.Contains(rows[0].Err.Error(), "column 3") || !strings.Contains(rows[0].Err.Error(), `"stray"`) {
		t.Errorf("row 2 error %v should name column 3 and its value", rows[0].Err)
	}
	if !reflect.DeepEqual(rows[0].Cells, []string{"A", "a@x.com"}) {
		t.Errorf("row 2 cells %q", rows[0].Cells)
	}
	if rows[1].Err != nil {
		t.Errorf("row 3: %v", rows[1].Err)
	}
}

// Rows must stay intact while later rows are read (the reader reuses
// buffers internally).
func TestCSVRowsDoNotAlias(t *testing.T) {
	var b strings.Builder
	b.WriteString("n,sq,pad\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "%d,%d\n", i, i*i) // short row: padded
		if i%7 == 0 {
			fmt.Fprintf(&b, "x%d,,,extra\n", i) // long row
		}
	}
	r, err := NewCSV(strings.NewReader(b.String()), "f.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	k := 0
	for i := range 1000 {
		if got, want := rows[k].Cells, []string{fmt.Sprint(i), fmt.Sprint(i * i), ""}; !reflect.DeepEqual(got, want) {
			t.Fatalf("row %d = %q, want %q", rows[k].Number, got, want)
		}
		k++
		if i%7 == 0 {
			if got, want := rows[k].Cells, []string{fmt.Sprint("x", i), "", ""}; !reflect.DeepEqual(got, want) || rows[k].Err == nil {
				t.Fatalf("row %d = %q (%v), want %q and an error", rows[k].Number, got, rows[k].Err, want)
			}
			k++
		}
	}
	if k != len(rows) {
		t.Fatalf("%d rows, want %d", len(rows), k)
	}
}

func TestCSVInvalidUTF8SuggestsEncoding(t *testing.T) {
	euckr := func(s string) string { return string(encode(t, korean.EUCKR, s)) }
	for _, c := range []struct {
		name, data, enc string
		want            []string
	}{
		{"data row", "Name,Email\nA,a@x.com\n\n" + euckr("김민준") + ",k@x.com\n", "", []string{"staff.csv", "row 4", "column 1", "--encoding", "cp949", "not valid UTF-8"}},
		{"header", "Name," + euckr("이름") + "\n", "", []string{"staff.csv", "row 1", "column 2", "--encoding"}},
		{"explicit utf-8", "Name\n" + euckr("김") + "\n", "utf-8", []string{"staff.csv", "row 2", "not valid UTF-8"}},
		{"bytes the legacy encoding lacks", "Name\nA\xffB\n", "cp949", []string{"staff.csv", "row 2", "not valid cp949"}},
		{"unpaired surrogate in UTF-16", string(encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "Name\n")) + "\x00\xd8\n\x00", "", []string{"staff.csv", "row 2", "not valid UTF-16"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewCSV(strings.NewReader(c.data), "staff.csv", Options{Encoding: c.enc})
			for err == nil {
				_, err = r.Next()
			}
			if err == io.EOF {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	for _, c := range []struct{ name, data, enc string }{
		{"empty", "", ""},
		{"blank only", "\n \n,,\n", ""},
		{"BOM only", "\uFEFF", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewCSV(strings.NewReader(c.data), "f.csv", Options{Encoding: c.enc})
			if err == nil || !strings.Contains(err.Error(), "no header") || !strings.Contains(err.Error(), "f.csv") {
				t.Fatalf("err = %v, want a no-header error naming the file", err)
			}
		})
	}
	t.Run("bare quote after a multi-line row", func(t *testing.T) {
		// Read as Excel does, and reported: row 2 spans lines 2-3, line 4
		// is blank, the repaired record is row 4 on line 5.
		r, err := NewCSV(strings.NewReader("a,b\n\"1\n2\",3\n\nx,y\"z\n"), "f.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		rows := readAll(t, r)
		if len(rows) != 2 || rows[0].Repaired != "" || rows[1].Number != 4 || !reflect.DeepEqual(rows[1].Cells, []string{"x", `y"z`}) ||
			rows[1].Repaired != "column 2: a quote inside a field that does not start with one was read as text" {
			t.Fatalf("rows %+v", rows)
		}
	})
	t.Run("unterminated quote", func(t *testing.T) {
		r, err := NewCSV(strings.NewReader("a,b\n1,2\n\"open,3\n4,5\n"), "f.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		r.Next()
		if _, err = r.Next(); err == nil || !strings.Contains(err.Error(), "row 3") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unknown encoding lists the accepted ones", func(t *testing.T) {
		_, err := NewCSV(strings.NewReader("a\n"), "f.csv", Options{Encoding: "klingon"})
		for _, w := range []string{`unknown encoding "klingon"`, "cp949", "big5", "utf-16", "shift_jis"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("err = %v, want %q", err, w)
			}
		}
	})
	t.Run("UTF-16 without BOM", func(t *testing.T) {
		data := encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "Name\tEmail\nA\ta@x.com\n")
		_, err := NewCSV(bytes.NewReader(data), "f.csv", Options{})
		if err == nil || !strings.Contains(err.Error(), "--encoding utf-16le") {
			t.Fatalf("err = %v, want a hint to pass --encoding utf-16le", err)
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

func TestLooksUTF8(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"ascii", []byte("Name,Email\n"), false},
		{"korean utf-8", []byte("이름,Email\n"), true},
		{"rune cut at the end", []byte("이름")[:5], true},
		{"cp949", encode(t, korean.EUCKR, "이름,Email\n"), false},
		{"big5", encode(t, traditionalchinese.Big5, "姓名,Email\n"), false},
		{"empty", nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := LooksUTF8(c.in); got != c.want {
				t.Fatalf("LooksUTF8(%q) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}

func TestOpenByExtension(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.csv", "b.TXT", "c.tsv"} {
		os.WriteFile(filepath.Join(dir, n), []byte("Name\tEmail\nKim\tk@x.com\n"), 0o600)
	}
	for _, c := range []struct{ name, enc, want string }{
		{"x.xls", "", ".xls format"},
		{"x.pdf", "", "unknown file type"},
		{"missing.csv", "", "no such file"},
		{"x.xlsx", "cp949", "--encoding applies to CSV"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(filepath.Join(dir, c.name), Options{Encoding: c.enc})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
	for _, n := range []string{"a.csv", "b.TXT", "c.tsv"} {
		t.Run(n, func(t *testing.T) {
			r, err := Open(filepath.Join(dir, n), Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows := readAll(t, r)
			if err := r.Close(); err != nil {
				t.Error(err)
			}
			if !reflect.DeepEqual(r.Header(), []string{"Name", "Email"}) || len(rows) != 1 || rows[0].Cells[1] != "k@x.com" {
				t.Fatalf("header %q rows %+v", r.Header(), rows)
			}
		})
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"a;b\r\n\"x;\"\"y\";2\r\n",
		"\xEF\xBB\xBFa\tb\n\n1\t2\t3\n",
		"a\n\"unterminated\n",
		"\xff\xfea\x00,\x00b\x00\n\x00",
		"\xfe\xff\x00a\x00;\x00b\x00\n",
		",,\n,,\n",
		"a,b\n\"1\n2\",3\n\n\n4",
		"a,b\n x , \"y\"z\n",
		"\n\n\"h\"\"1\",h2\r\n\r\n\"v\r\n\",w,extra\r\n",
		"a\x00b,c\n",
		"\xc3(,x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSV(bytes.NewReader(data), "fuzz.csv", Options{})
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		h := r.Header()
		for _, c := range h {
			if c != strings.TrimSpace(c) {
				t.Fatalf("header cell %q not trimmed", c)
			}
		}
		prev := 0
		for {
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !strings.Contains(err.Error(), "fuzz.csv") || !strings.Contains(err.Error(), "row ") {
					t.Fatalf("error does not name the file and row: %v", err)
				}
				return
			}
			if len(row.Cells) != len(h) {
				t.Fatalf("row %d has %d cells for %d headers", row.Number, len(row.Cells), len(h))
			}
			if row.Number <= prev || row.Number < 2 {
				t.Fatalf("row number %d after %d", row.Number, prev)
			}
			empty := true
			for _, c := range row.Cells {
				if c != strings.TrimSpace(c) {
					t.Fatalf("row %d: cell %q not trimmed", row.Number, c)
				}
				empty = empty && c == ""
			}
			if empty && row.Err == nil {
				t.Fatalf("row %d is blank but was returned", row.Number)
			}
			prev = row.Number
		}
	})
}
