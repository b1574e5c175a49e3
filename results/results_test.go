package results

import (
	"archive/zip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/order"
)

// header has a non-ASCII name, a formula-looking name and a column that
// shares a name with a fixed column.
var header = []string{"Employee ID", "氏名 Name", "=Note", "product"}

var long = strings.Repeat("長", 20000) + strings.Repeat("x", 20000) // 60,000 UTF-16 units

func sampleRecords() []order.Result {
	return []order.Result{
		{Row: 2, Input: []string{"00123", "Zoë Ünal 陳大文", `=HYPERLINK("http://evil.example","click")`, "client_premium_sha2"},
			Product: "client_premium_sha2", Outcome: order.Ordered, Answer: order.Answer{OrderID: 100001, RequestID: 500001,
				RequestStatus: "approved", OrderStatus: "issued", CertificateID: 900001}},
		{Row: 3, Input: []string{"E2", "+1 555 0100", "'=already quoted", ""}, Product: "client_premium_sha2",
			Outcome: order.Invalid, Answer: order.Answer{Error: "Email \"x\": not a single email address; Name: required"}},
		{Row: 5, Input: []string{"E3", "-minus", "@at\r", "\tlead tab"}, Product: "document_signing_org_1",
			Outcome: order.Uncertain, Answer: order.Answer{OrderID: 12000000, Error: "sent; no answer\nthe next run checks DigiCert"}},
		{Row: 6, Input: []string{"E4", "''two quotes", long, "'"}, Product: "document_signing_org_1",
			Outcome: order.Failed, Answer: order.Answer{OrderID: 42, CertificateID: 1234567890123456789}},
		{Row: 7, Input: []string{"  padded  ", "'plain", "1.2e+07", "-"}, Product: "client_premium_sha2",
			Outcome: order.Rejected, Answer: order.Answer{Error: "=1+1"}},
		{Row: 8, Input: []string{"E6", "Ana", "\rlead CR", "a\rb\nc"}, Product: "", Outcome: order.Skipped, Answer: order.Answer{OrderID: 7}},
		{Row: 0, Input: []string{"E7", "", "", ""}, Product: "client_premium_sha2", Outcome: order.Valid},
	}
}

func writeAll(t *testing.T, path string, hdr []string, recs []order.Result) {
	t.Helper()
	w, err := Create(path, hdr)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, r := range recs {
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"out.csv", "out.xlsx", "OUT.CSV", "Out.XLSX"} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), name)
			writeAll(t, p, header, sampleRecords())
			f, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f.InputHeader, header) {
				t.Errorf("input header %q, want %q", f.InputHeader, header)
			}
			want := sampleRecords()
			if strings.EqualFold(filepath.Ext(name), ".xlsx") {
				// Read trims cells of .xlsx files, as certbatch reads every workbook.
				for i := range want {
					for k, v := range want[i].Input {
						want[i].Input[k] = strings.TrimSpace(v)
					}
				}
			}
			if len(f.Records) != len(want) {
				t.Fatalf("%d records, want %d", len(f.Records), len(want))
			}
			for i := range want {
				got := f.Records[i]
				if strings.EqualFold(filepath.Ext(name), ".xlsx") && want[i].Input[2] == long {
					cut := got.Input[2]
					if !strings.HasSuffix(cut, "… [truncated]") || utf16Len(cut) != maxCell || !strings.HasPrefix(long, strings.TrimSuffix(cut, "… [truncated]")) {
						t.Errorf("long cell: %d UTF-16 units ending %q, want %d ending in the truncation note", utf16Len(cut), cut[len(cut)-20:], maxCell)
					}
					got.Input[2] = long
				}
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("record %d:\n got %#v\nwant %#v", i, short(got), short(want[i]))
				}
			}
		})
	}
}

func short(r order.Result) order.Result {
	r.Input = append([]string(nil), r.Input...)
	for i, s := range r.Input {
		if len(s) > 60 {
			r.Input[i] = s[:30] + "..."
		}
	}
	return r
}

func TestCSVBytes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.csv")
	writeAll(t, p, []string{"Name", "=Note"}, []order.Result{
		{Row: 2, Input: []string{"Zoë", `=HYPERLINK("x")`}, Product: "p", Outcome: order.Ordered, Name: "Zoë", Email: "zoe@x", Note: "recovered: found", Answer: order.Answer{OrderID: 1}},
		{Row: 3, Input: []string{"'=q", "-"}, Outcome: order.Invalid, Answer: order.Answer{Error: "a, \"b\"\nc"}},
	})
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// The result columns come first (row, outcome, who, note, error,
	// ...), then the input columns: the layout changed deliberately from
	// inputs first, then again to show who each row is.
	want := "\uFEFFrow,outcome,name,email,note,error,product,order_id,request_id,request_status,order_status,certificate_id,Name,'=Note\r\n" +
		"2,ordered,Zoë,zoe@x,recovered: found,,p,1,,,,,Zoë,\"'=HYPERLINK(\"\"x\"\")\"\r\n" +
		"3,invalid,,,,\"a, \"\"b\"\"\nc\",,,,,,,''=q,'-\r\n"
	if string(b) != want {
		t.Errorf("csv bytes:\n got %q\nwant %q", b, want)
	}
}

// zipPart returns one part of an .xlsx package.
func zipPart(t *testing.T, p, part string) string {
	t.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == part {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s has no part %s", p, part)
	return ""
}

// cellXML returns the <c> element of a cell in sheet XML.
func cellXML(t *testing.T, sheet, ref string) string {
	t.Helper()
	m := regexp.MustCompile(`<c[^>]* r="` + ref + `"[^>]*?(/>|>.*?</c>)`).FindString(sheet)
	if m == "" {
		t.Fatalf("no cell %s", ref)
	}
	return m
}

func TestXLSXCells(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.xlsx")
	writeAll(t, p, header, sampleRecords())
	x := zipPart(t, p, "xl/worksheets/sheet1.xml")
	if strings.Contains(x, "<f>") || strings.Contains(x, "<f ") {
		t.Error("the sheet has a formula element")
	}
	// Columns (result columns first, deliberately changed from inputs
	// first): A row, B outcome, C name, D email, E note, F error,
	// G product, H order_id, I request_id, J request_status,
	// K order_status, L certificate_id, then the inputs M-P.
	tests := []struct {
		name, ref string
		want      string // a regexp the <c> element must match
	}{
		{"formula-looking input is an inline string", "O2", `t="inlineStr".*<t>=HYPERLINK\(&#34;http://evil.example&#34;,&#34;click&#34;\)</t>`},
		{"formula-looking header is an inline string", "O1", `t="inlineStr".*<t>=Note</t>`},
		{"formula-looking error is an inline string", "F6", `t="inlineStr".*<t>=1\+1</t>`},
		{"numeric-looking text stays text", "M2", `t="inlineStr".*<t>00123</t>`},
		{"row number is a number", "A2", `^<c r="A2"[^>]*><v>2</v></c>$`},
		{"order ID is a number", "H2", `^<c r="H2"[^>]*><v>100001</v></c>$`},
		{"big order ID is a plain number", "H4", `<v>12000000</v>`},
		{"small ID is a number", "H5", `^<c r="H5"[^>]*><v>42</v></c>$`},
		{"ID too long for a spreadsheet number stays text", "L5", `t="inlineStr".*<t>1234567890123456789</t>`},
		{"leading spaces preserved", "M6", `xml:space="preserve"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cellXML(t, x, tt.ref)
			if !regexp.MustCompile(tt.want).MatchString(c) {
				t.Errorf("cell %s = %s, want match for %s", tt.ref, c, tt.want)
			}
		})
	}
	if !strings.Contains(x, `<autoFilter ref="A1:P8"`) && !strings.Contains(x, `<autoFilter ref="$A$1:$P$8"`) {
		t.Errorf("no autofilter over A1:P8 in %.300s", x[strings.Index(x, "</sheetData>"):])
	}
}

func TestXLSXLayout(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.xlsx")
	writeAll(t, p, header, sampleRecords())
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{SheetResults, SheetSummary}) {
		t.Errorf("sheets %q", got)
	}
	panes, err := f.GetPanes(SheetResults)
	if err != nil {
		t.Fatal(err)
	}
	// The header row and the row, outcome, name and email columns are
	// frozen: who a row is stays in view beside what happened to it.
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 4 || panes.TopLeftCell != "E2" {
		t.Errorf("panes %+v, want the header row and columns A-D frozen", panes)
	}
	style := func(cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(SheetResults, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	fill := func(cell string) string {
		if st := style(cell); len(st.Fill.Color) > 0 {
			return st.Fill.Color[0]
		}
		return ""
	}
	t.Run("header", func(t *testing.T) {
		for _, c := range []string{"A1", "G1", "H1", "P1"} {
			if st := style(c); st.Font == nil || !st.Font.Bold {
				t.Errorf("%s not bold", c)
			}
		}
		if st := style("A2"); st.Font != nil && st.Font.Bold {
			t.Error("data row bold")
		}
	})
	// Rows: 2 ordered, 3 invalid, 4 uncertain, 5 failed, 6 rejected, 7 skipped, 8 valid.
	red, amber := fill("A3"), fill("A4")
	if red == "" || amber == "" || red == amber {
		t.Fatalf("invalid fill %q, uncertain fill %q: want two different tints", red, amber)
	}
	tests := []struct {
		row  string
		want string
	}{
		{"2", ""}, {"3", red}, {"4", amber}, {"5", amber}, {"6", red}, {"7", ""}, {"8", ""},
	}
	for _, tt := range tests {
		t.Run("row "+tt.row, func(t *testing.T) {
			// H3 and P3 are empty cells: the tint covers them too.
			for _, col := range []string{"A", "F", "H", "J", "O", "P"} {
				if got := fill(col + tt.row); got != tt.want {
					t.Errorf("%s%s fill %q, want %q", col, tt.row, got, tt.want)
				}
			}
		})
	}
	if got := fill("Q3"); got != "" {
		t.Errorf("tint spills past the table: Q3 fill %q", got)
	}
}

func TestSummarySheet(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.xlsx")
	recs := []order.Result{}
	add := func(n int, product string, outcome order.Outcome) {
		for range n {
			recs = append(recs, order.Result{Row: len(recs) + 2, Input: []string{"x"}, Product: product, Outcome: outcome})
		}
	}
	add(3, "client", order.Ordered)
	add(1, "client", order.Invalid)
	add(2, "docsign", order.Failed)
	add(1, "docsign", order.Ordered)
	add(1, "", order.Invalid)
	writeAll(t, p, []string{"A"}, recs)
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	// Ordered rows are counted as new and recovered orders apart (before,
	// as one "ordered" count); no Meta, so no description of the run.
	want := [][]string{
		{"outcome", "rows"},
		{"ordered (new)", "4"},
		{"ordered (recovered)", "0"},
		{"invalid", "2"},
		{"failed", "2"},
		{"total", "8"},
		nil,
		{"product", "ordered (new)", "ordered (recovered)", "invalid", "failed", "total"},
		{"(none)", "0", "0", "1", "0", "1"},
		{"client", "3", "0", "1", "0", "4"},
		{"docsign", "1", "0", "0", "2", "3"},
		{"total", "4", "0", "2", "2", "8"},
	}
	if len(rows) != len(want) {
		t.Fatalf("summary rows:\n%q\nwant\n%q", rows, want)
	}
	for i := range want {
		if len(want[i]) == 0 && len(rows[i]) == 0 {
			continue
		}
		if !reflect.DeepEqual(rows[i], want[i]) {
			t.Errorf("summary row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
}

func TestAtomic(t *testing.T) {
	for _, ext := range []string{".csv", ".xlsx"} {
		t.Run(ext+"/abort", func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "out"+ext)
			w, err := Create(p, header)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(&sampleRecords()[0]); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("destination exists before Commit: %v", err)
			}
			w.Abort()
			w.Abort()
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("files left after Abort: %v", ents)
			}
			if err := w.Write(&sampleRecords()[0]); err == nil {
				t.Error("Write after Abort succeeded")
			}
			if err := w.Commit(); err == nil {
				t.Error("Commit after Abort succeeded")
			}
		})
		t.Run(ext+"/commit", func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "out"+ext)
			if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			w, err := Create(p, header)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(&sampleRecords()[0]); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(p); string(b) != "old" {
				t.Error("destination changed before Commit")
			}
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			w.Abort() // a no-op now
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", st.Mode().Perm())
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("want only the results file, have %v", ents)
			}
			if err := w.Write(&sampleRecords()[0]); err == nil {
				t.Error("Write after Commit succeeded")
			}
			if err := w.Commit(); err == nil {
				t.Error("second Commit succeeded")
			}
			if f, err := Read(p); err != nil || len(f.Records) != 1 {
				t.Errorf("file after Abort-after-Commit: %v", err)
			}
		})
	}
}

func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"out.txt", "out", "out.xls", "out.xlsx.bak", "out.tsv"} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			if w, err := Create(p, header); err == nil {
				w.Abort()
				t.Fatal("accepted")
			} else if !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), ".xlsx or .csv") {
				t.Errorf("error %q does not name the file and the formats", err)
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left: %v", ents)
	}
	for _, ext := range []string{".csv", ".xlsx"} {
		t.Run("missing directory "+ext, func(t *testing.T) {
			// Create fails at once, before a long run does any work.
			if w, err := Create(filepath.Join(dir, "no", "such", "out"+ext), header); err == nil {
				w.Abort()
				t.Error("Create in a missing directory succeeded")
			}
		})
	}
}

func TestWriteTooManyCells(t *testing.T) {
	for _, ext := range []string{".csv", ".xlsx"} {
		t.Run(ext, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "out"+ext)
			w, err := Create(p, []string{"A", "B"})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			if err := w.Write(&order.Result{Row: 2, Input: []string{"1", "2", "3"}, Outcome: order.Valid}); err == nil || !strings.Contains(err.Error(), "row 2") {
				t.Errorf("too many cells: %v", err)
			}
			// The refusal is not final, and short rows are padded.
			if err := w.Write(&order.Result{Row: 3, Input: []string{"1"}, Outcome: order.Valid}); err != nil {
				t.Fatal(err)
			}
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			f, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			want := []order.Result{{Row: 3, Input: []string{"1", ""}, Outcome: order.Valid}}
			if !reflect.DeepEqual(f.Records, want) {
				t.Errorf("records %+v, want %+v", f.Records, want)
			}
		})
	}
}

// writeWorkbook writes a workbook in excelize's normal mode (shared
// strings, typed numbers), as a spreadsheet program would save it.
func writeWorkbook(t *testing.T, p, sheet string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
}

func TestReadEditedFiles(t *testing.T) {
	dir := t.TempDir()
	hdr := []any{"Name", "row", "product", "outcome", "order_id", "request_id", "request_status", "order_status", "certificate_id", "error", "my notes"}
	t.Run("workbook saved by a spreadsheet program", func(t *testing.T) {
		p := filepath.Join(dir, "edited.xlsx")
		writeWorkbook(t, p, "Sheet1", [][]any{
			hdr,
			{"Ana", 2, "client", "ordered", 12000000, 500001.0, "approved", "pending", nil, nil, "call her"},
			{},
			{"Bo", 4.0, "client", "failed"},
		})
		f, err := Read(p)
		if err != nil {
			t.Fatal(err)
		}
		wantHeader := []string{"Name", "my notes"}
		want := []order.Result{
			{Row: 2, Input: []string{"Ana", "call her"}, Product: "client", Outcome: order.Ordered, Answer: order.Answer{OrderID: 12000000, RequestID: 500001, RequestStatus: "approved", OrderStatus: "pending"}},
			{Row: 4, Input: []string{"Bo", ""}, Product: "client", Outcome: order.Failed},
		}
		if !reflect.DeepEqual(f.InputHeader, wantHeader) || !reflect.DeepEqual(f.Records, want) {
			t.Errorf("got %q %+v\nwant %q %+v", f.InputHeader, f.Records, wantHeader, want)
		}
	})
	t.Run("semicolon csv without BOM", func(t *testing.T) {
		p := filepath.Join(dir, "semi.csv")
		os.WriteFile(p, []byte("Name;row;product;outcome;order_id;request_id;request_status;order_status;certificate_id;error\nZoë;2;client;ordered;1;2;approved;issued;3;\n"), 0o600)
		f, err := Read(p)
		if err != nil {
			t.Fatal(err)
		}
		want := []order.Result{{Row: 2, Input: []string{"Zoë"}, Product: "client", Outcome: order.Ordered, Answer: order.Answer{OrderID: 1, RequestID: 2, RequestStatus: "approved", OrderStatus: "issued", CertificateID: 3}}}
		if !reflect.DeepEqual(f.Records, want) {
			t.Errorf("got %+v, want %+v", f.Records, want)
		}
	})
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fixed := "row,product,outcome,order_id,request_id,request_status,order_status,certificate_id,error"
	noFixed := filepath.Join(dir, "input.xlsx")
	writeWorkbook(t, noFixed, "Orders", [][]any{{"Name", "Email", "product"}, {"Ana", "a@example.com", "client"}})
	tests := []struct {
		name string
		path string
		want []string // substrings of the error
	}{
		{"input csv", file("input.csv", "Name,row,product\nAna,2,x\n"), []string{"input.csv", `no "outcome", "error", "order_id", "request_id", "request_status", "order_status", "certificate_id" columns`}},
		{"one column missing", file("noerr.csv", "Name,row,product,outcome,order_id,request_id,request_status,order_status,certificate_id\n"), []string{"noerr.csv", `no "error" column`}},
		{"input workbook", noFixed, []string{"input.xlsx", `no "row", "outcome",`}},
		{"empty file", file("empty.csv", ""), []string{"empty.csv", "empty"}},
		{"bad row number", file("badrow.csv", fixed+"\nx,p,ordered,,,,,,\n"), []string{"badrow.csv", "row 2", `"x" is not a row number`}},
		{"not utf-8", file("cp949.csv", "Name,"+fixed+"\n\xc0\xcc,2,p,ordered,,,,,,\n"), []string{"cp949.csv", "line 2", "UTF-8"}},
		{"cells beyond header", file("wide.csv", fixed+"\n2,p,ordered,,,,,,,extra\n"), []string{"wide.csv", "row 2", "extra"}},
		{"broken quotes", file("quotes.csv", fixed+"\n2,\"p,ordered\n"), []string{"quotes.csv", "line"}},
		{"not a zip", file("fake.xlsx", "Name,row\n"), []string{"fake.xlsx"}},
		{"missing file", filepath.Join(dir, "nope.csv"), []string{"nope.csv", "no such file"}},
		{"unknown type", file("r.txt", fixed+"\n"), []string{"r.txt", "unknown file type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(tt.path)
			if err == nil {
				t.Fatalf("no error; read %+v", f)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
