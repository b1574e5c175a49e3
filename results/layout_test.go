package results

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/order"
)

// kindCases are input cells with the kind the input reader reported, and
// how the workbook must store them: "n" a number, "b" a boolean, "s"
// text, or a date number format.
var kindCases = []struct {
	v    string
	kind CellKind
	want string
}{
	{"12", Number, "n"},
	{"-3.5", Number, "n"},
	{"0", Number, "n"},
	{"0.000123", Number, "n"},
	{"123456789012345", Number, "n"},
	{"00123", Number, "s"},            // leading zeros: not how a number reads back
	{"1.2e+07", Number, "s"},          // not a plain decimal
	{"1.50", Number, "s"},             // trailing zero
	{"1234567890123456", Number, "s"}, // 16 digits: a spreadsheet rounds it
	{"-0", Number, "s"},
	{"12 kg", Number, "s"},
	{"2024-02-29", Date, "yyyy-mm-dd"},
	{"2024-02-29 13:45:07", Date, "yyyy-mm-dd hh:mm:ss"},
	{"13:45:07", Date, "hh:mm:ss"},
	{"2024-02-29 00:00:00", Date, "s"}, // the input reader shows midnight as a date
	{"1899-12-31", Date, "s"},          // before dates mean the same everywhere
	{"2024-02-30", Date, "s"},
	{"29.02.2024", Date, "s"},
	{"true", Bool, "b"},
	{"false", Bool, "b"},
	{"yes", Bool, "s"},
	{"42", Text, "s"},
	{"2024-02-29", Text, "s"},
	{"", Number, ""},
}

func TestWriteKinds(t *testing.T) {
	hdr := make([]string, len(kindCases))
	in := make([]string, len(kindCases))
	kinds := make([]CellKind, len(kindCases))
	for i, c := range kindCases {
		hdr[i], in[i], kinds[i] = "c"+string(rune('A'+i)), c.v, c.kind
	}
	recs := []order.Result{
		{Row: 2, Input: in, Outcome: order.Ordered},
		{Row: 3, Input: in, Outcome: order.Invalid}, // tinted: fill and number format together
	}
	for _, ext := range []string{".xlsx", ".csv"} {
		t.Run(ext, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "out"+ext)
			w, err := Create(p, hdr)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			for _, r := range recs {
				if err := w.WriteKinds(&r, kinds); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			f, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range f.Records {
				if !reflect.DeepEqual(r.Input, in) {
					t.Errorf("record %d reads back as %q, want %q", i, r.Input, in)
				}
			}
			if ext == ".xlsx" {
				checkKindCells(t, p)
			}
		})
	}
}

func checkKindCells(t *testing.T, p string) {
	x := zipPart(t, p, "xl/worksheets/sheet1.xml")
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for row, fill := range map[string]string{"2": "", "3": "FFC7CE"} {
		for i, c := range kindCases {
			col, _ := excelize.ColumnNumberToName(nFixed + i + 1)
			ref := col + row
			m := regexp.MustCompile(`<c[^>]* r="` + ref + `"[^>]*?(/>|>.*?</c>)`).FindString(x)
			typ := regexp.MustCompile(` t="(\w+)"`).FindStringSubmatch(m)
			id, err := f.GetCellStyle(SheetResults, ref)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			got := "n"
			switch {
			case c.v == "":
				got = ""
			case typ != nil && typ[1] == "inlineStr":
				got = "s"
			case typ != nil:
				got = typ[1]
			case st.CustomNumFmt != nil:
				got = *st.CustomNumFmt
			}
			if got != c.want {
				t.Errorf("%s (%q as kind %d) stored as %q: %s; want %q", ref, c.v, c.kind, got, m, c.want)
			}
			if gotFill := strings.Join(st.Fill.Color, ""); gotFill != fill {
				t.Errorf("%s fill %q, want %q", ref, gotFill, fill)
			}
		}
	}
}

func TestWriteKindsShortAndLong(t *testing.T) {
	// Missing kinds are Text; extra kinds are ignored.
	p := filepath.Join(t.TempDir(), "out.xlsx")
	w, err := Create(p, []string{"A", "B"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.WriteKinds(&order.Result{Row: 2, Input: []string{"1", "2"}}, []CellKind{Number}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteKinds(&order.Result{Row: 3, Input: []string{"1"}}, []CellKind{Number, Number, Number}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	x := zipPart(t, p, "xl/worksheets/sheet1.xml")
	for ref, want := range map[string]string{"M2": `^<c r="M2"><v>1</v></c>$`, "N2": `t="inlineStr"`, "M3": `^<c r="M3"><v>1</v></c>$`} {
		if c := cellXML(t, x, ref); !regexp.MustCompile(want).MatchString(c) {
			t.Errorf("%s = %s, want match for %s", ref, c, want)
		}
	}
}

func TestTextWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0}, {"abc", 3}, {"Zoë", 3}, {"陳大文", 6}, {"氏名 Name", 9}, {"😀", 2},
		{"ｱ", 1}, {"Ａ", 2}, {"ab\ncdefg\nh", 5}, {"abcd\r\nx", 4}, {"한국", 4},
	}
	for _, tt := range tests {
		if got := textWidth(tt.s); got != tt.want {
			t.Errorf("textWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestColumnWidths(t *testing.T) {
	hdr := []string{"Employee ID", "氏名", "Notes", "x"}
	var recs []order.Result
	for i := range 3000 {
		recs = append(recs, order.Result{Row: i + 2, Input: []string{"E1", "陳", "n", ""}, Outcome: order.Ordered,
			Product: "client_premium_sha2", Answer: order.Answer{OrderID: 100001}})
	}
	// The widest values come last, after any sample of the first rows.
	last := &recs[len(recs)-1]
	last.Input = []string{"E1", "陳大文陳大文陳大文陳大文", strings.Repeat("n", 200), "xyz"}
	last.Error = "Email: not a single email address"
	last.Name, last.Email, last.Note = "Person", "person.with.a.long.address@example.com", "ok"
	p := filepath.Join(t.TempDir(), "out.xlsx")
	writeAll(t, p, hdr, recs)
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]float64{
		"A": 8,        // row: "row"+3 for the filter button, +2; at least 8
		"B": 12,       // outcome: header 7+3, +2
		"C": 9,        // name: header 4+3, +2; "Person" is shorter
		"D": 40,       // email: 38 characters, +2
		"E": 9,        // note: header 4+3, +2
		"F": 35,       // error: 33 characters, +2
		"G": 21,       // product: client_premium_sha2, 19, +2
		"H": 13,       // order_id: header 8+3, +2
		"L": 19,       // certificate_id: header 14+3, +2
		"M": 16,       // Employee ID: header 11+3, +2
		"N": 26,       // 12 CJK characters count 24, +2
		"O": maxWidth, // 200 characters: at most 60
		"P": 8,        // x: at least 8
	}
	for col, w := range want {
		got, err := f.GetColWidth(SheetResults, col)
		if err != nil {
			t.Fatal(err)
		}
		if got != w {
			t.Errorf("column %s width %v, want %v", col, got, w)
		}
	}
}

func TestSummaryMeta(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.xlsx")
	started := time.Date(2026, 3, 14, 9, 26, 53, 0, time.FixedZone("KST", 9*3600))
	w, err := CreateWith(p, []string{"A"}, Meta{Batch: "b-20260314-0926", Started: started, Input: "orders.xlsx",
		Endpoint: "http://127.0.0.1:41234/services/v2", Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, r := range []order.Result{
		{Row: 2, Product: "client", Outcome: order.Ordered},
		{Row: 3, Product: "client", Outcome: order.Ordered, Note: "recovered: the order from an interrupted run (batch b-1) was found at DigiCert"},
		{Row: 4, Product: "docsign", Outcome: order.Ordered, Note: "recovered: x"},
		{Row: 5, Product: "docsign", Outcome: order.Failed, Note: "recovered: not an ordered row"},
		{Row: 6, Product: "client", Outcome: order.Ordered, Note: "Recovered: wrong case"},
	} {
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"batch", "b-20260314-0926"},
		{"started", "2026-03-14 09:26:53 +09:00"},
		{"input", "orders.xlsx"},
		{"endpoint", "sandbox (nothing is bought): http://127.0.0.1:41234/services/v2"},
		nil,
		{"outcome", "rows"},
		{"ordered (new)", "2"},
		{"ordered (recovered)", "2"},
		{"failed", "1"},
		{"total", "5"},
		nil,
		{"product", "ordered (new)", "ordered (recovered)", "failed", "total"},
		{"client", "2", "1", "0", "3"},
		{"docsign", "0", "1", "1", "2"},
		{"total", "2", "2", "1", "5"},
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
	// Column B fits the endpoint (63 characters), at most 60.
	if w, err := f.GetColWidth(SheetSummary, "B"); err != nil || w != maxWidth {
		t.Errorf("column B width %v, %v; want %v", w, err, maxWidth)
	}
	for _, cell := range []string{"A1", "A4", "A6", "B6"} {
		id, _ := f.GetCellStyle(SheetSummary, cell)
		if st, err := f.GetStyle(id); err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s not bold", cell)
		}
	}
	if id, _ := f.GetCellStyle(SheetSummary, "B1"); id != 0 {
		t.Errorf("B1 (the batch ID) has style %d, want none", id)
	}
}

func TestMetaRows(t *testing.T) {
	tests := []struct {
		m    Meta
		want [][2]string
	}{
		{Meta{}, nil},
		{Meta{Endpoint: "https://www.digicert.com/services/v2"}, [][2]string{{"endpoint", "production: https://www.digicert.com/services/v2"}}},
		{Meta{Sandbox: true}, [][2]string{{"endpoint", "sandbox (nothing is bought)"}}},
		{Meta{Batch: "b1", Input: "in.csv"}, [][2]string{{"batch", "b1"}, {"input", "in.csv"}}},
	}
	for _, tt := range tests {
		if got := metaRows(tt.m); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("metaRows(%+v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestInputColumns(t *testing.T) {
	cur := append(append([]string{}, Columns...), "Name", "Email")
	two := append(append([]string{}, Columns2...), "Name", "Email")
	old := append([]string{"Name", "Email"}, LegacyColumns...)
	tests := []struct {
		name   string
		header []string
		want   []int
		ok     bool
	}{
		{"current layout", cur, []int{12, 13}, true},
		{"layout without name, email, note", two, []int{9, 10}, true},
		{"legacy layout", old, []int{0, 1}, true},
		{"input file", []string{"Name", "Email", "product"}, nil, false},
		{"no input columns", Columns, nil, false},
		{"rearranged", append([]string{"Name"}, Columns...)[:12], nil, false},
		{"legacy order first", append(append([]string{}, LegacyColumns...), "Name"), nil, false},
	}
	for _, tt := range tests {
		got, ok := InputColumns(tt.header)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: InputColumns = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReadLegacyCSV(t *testing.T) {
	// A results file as certbatch wrote it before the current layout:
	// inputs first, a second "product" column, and the old escape (one
	// quote in front of a cell starting with a trigger, or with a quote
	// and a trigger or another quote).
	legacy := "\uFEFFName,product,row,product,outcome,order_id,request_id,request_status,order_status,certificate_id,error\r\n" +
		"'''x,'=in,2,client,ordered,12,,,issued,,\r\n" +
		"a;=1,''=y,3,docsign,invalid,,,,,,'-bad\r\n"
	current := "\uFEFFrow,outcome,error,product,order_id,request_id,request_status,order_status,certificate_id,Name,product\r\n" +
		"2,ordered,,client,12,,,issued,,'''x,'=in\r\n" +
		"3,invalid,'-bad,docsign,,,,,,a;'=1,''=y\r\n"
	dir := t.TempDir()
	tests := []struct {
		name, content string
		first         string // the first input cell of row 2
		semi          string // the first input cell of row 3
	}{
		{"legacy", legacy, "''x", "a;=1"},
		{"current", current, "'''x", "a;=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".csv")
			if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			want := []order.Result{
				{Row: 2, Input: []string{tt.first, "=in"}, Product: "client", Outcome: order.Ordered, Answer: order.Answer{OrderID: 12, OrderStatus: "issued"}},
				{Row: 3, Input: []string{tt.semi, "'=y"}, Product: "docsign", Outcome: order.Invalid, Answer: order.Answer{Error: "-bad"}},
			}
			if !reflect.DeepEqual(f.InputHeader, []string{"Name", "product"}) || !reflect.DeepEqual(f.Records, want) {
				t.Errorf("got %q %+v\nwant %+v", f.InputHeader, f.Records, want)
			}
		})
	}
}

func TestFindColumnsDuplicates(t *testing.T) {
	// A name an input column shares goes to the column among the other
	// fixed columns.
	tests := []struct {
		name    string
		header  []string
		product int
		input   []int
		legacy  bool
	}{
		{"current, input product after", append(append([]string{}, Columns...), "Name", "product"), 6, []int{12, 13}, false},
		{"before name/email/note, input product after", append(append([]string{}, Columns2...), "Name", "product"), 3, []int{9, 10}, false},
		// An earlier file's input columns named like the new fixed
		// ones stay input columns: the new ones count only together.
		{"before name/email/note, inputs email and note", append(append([]string{}, Columns2...), "email", "note"), 3, []int{9, 10}, false},
		{"legacy, input product before", append([]string{"Name", "product"}, LegacyColumns...), 3, []int{0, 1}, true},
		{"edited, notes appended", append(append([]string{"product"}, LegacyColumns...), "notes"), 2, []int{0, 10}, true},
	}
	for _, tt := range tests {
		l, err := findColumns(tt.header)
		if err != nil {
			t.Fatal(err)
		}
		if l.fixed[colProduct] != tt.product || !reflect.DeepEqual(l.input, tt.input) || l.legacy != tt.legacy {
			t.Errorf("%s: product at %d, inputs %v, legacy %v; want %d, %v, %v", tt.name, l.fixed[colProduct], l.input, l.legacy, tt.product, tt.input, tt.legacy)
		}
	}
}

// Files written before the note column held notes in their error column
// ("recovered: ...", "found at DigiCert: ...", "already ordered ...",
// "downloaded: FILE"): they are read as notes of the rows that were
// ordered, skipped or valid, and every other text stays an error. A
// file in the current layout reads back as written.
func TestReadNotesOfEarlierFiles(t *testing.T) {
	dir := t.TempDir()
	old := "\uFEFFrow,outcome,error,product,order_id,request_id,request_status,order_status,certificate_id,Email\r\n" +
		"2,ordered,recovered: the order from an interrupted run (batch b) was found at DigiCert,p,1,,,,,a@x\r\n" +
		"3,skipped,already ordered in batch b (row 2); --force orders again,p,2,,,,,b@x\r\n" +
		"4,ordered,downloaded: row-0004.pem,p,3,,,,,c@x\r\n" +
		"5,failed,not created: 503; safe to run again,p,,,,,,d@x\r\n" +
		"6,ordered,the answer could not be journaled: disk full,p,4,,,,,e@x\r\n"
	p := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(p, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ note, err string }{
		{"recovered: the order from an interrupted run (batch b) was found at DigiCert", ""},
		{"already ordered in batch b (row 2); --force orders again", ""},
		{"downloaded: row-0004.pem", ""},
		{"", "not created: 503; safe to run again"},
		{"", "the answer could not be journaled: disk full"},
	}
	for i, w := range want {
		if r := f.Records[i]; r.Note != w.note || r.Error != w.err {
			t.Errorf("row %d: note %q, error %q; want %q, %q", r.Row, r.Note, r.Error, w.note, w.err)
		}
	}
	if !IsRecovered(&f.Records[0]) {
		t.Error("a recovered row of an earlier file is not counted as recovered")
	}
	// Written again, it is in the current layout and reads back the same.
	for _, ext := range []string{".csv", ".xlsx"} {
		again := filepath.Join(dir, "again"+ext)
		f.Records[0].Name, f.Records[0].Email = "Ann Lee", "Ann@X"
		if err := f.Rewrite(again); err != nil {
			t.Fatal(err)
		}
		g, err := Read(again)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g.Records, f.Records) {
			t.Errorf("%s: read back\n%+v\nwant\n%+v", ext, g.Records, f.Records)
		}
	}
}
