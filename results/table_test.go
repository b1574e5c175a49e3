package results

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var (
	tableHeader = []string{"when", "batch", "row", "email", "order_id", "certificate_id", "recovered", "error"}
	tableWhen   = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	tableRows   = [][]any{
		{tableWhen, "b1", 2, "ana@example.com", int64(12000000), int64(1234567890123456789), true, "=1+1"},
		{"2026-03-14T09:27:00Z", "b1", 3, "+bo@example.com", int64(0), int64(42), false, "a;=cmd\r\nnext"},
		{"", nil, 4},
	}
)

func TestWriteTableCSV(t *testing.T) {
	p := filepath.Join(t.TempDir(), "h.csv")
	if err := WriteTable(p, "History", tableHeader, tableRows); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Escaped as results are; a CR LF inside a cell is stored as LF, and
	// short rows are padded.
	want := "\uFEFFwhen,batch,row,email,order_id,certificate_id,recovered,error\r\n" +
		"2026-03-14T09:26:53Z,b1,2,ana@example.com,12000000,1234567890123456789,true,'=1+1\r\n" +
		"2026-03-14T09:27:00Z,b1,3,'+bo@example.com,,42,false,\"a;'=cmd\nnext\"\r\n" +
		",,4,,,,,\r\n"
	if string(b) != want {
		t.Errorf("csv:\n got %q\nwant %q", b, want)
	}
	if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("stat %v, %v; want mode 0600", st, err)
	}
}

func TestWriteTableXLSX(t *testing.T) {
	p := filepath.Join(t.TempDir(), "h.xlsx")
	if err := WriteTable(p, "History", tableHeader, tableRows); err != nil {
		t.Fatal(err)
	}
	x := zipPart(t, p, "xl/worksheets/sheet1.xml")
	cells := []struct{ ref, want string }{
		{"A2", `^<c r="A2" s="\d+"><v>46095\.39366898`},      // a date-time number
		{"A3", `t="inlineStr".*<t>2026-03-14T09:27:00Z</t>`}, // text stays text
		{"C2", `^<c r="C2"><v>2</v></c>$`},                   // int
		{"D3", `t="inlineStr".*<t>\+bo@example.com</t>`},     // not escaped, not a formula
		{"E2", `^<c r="E2"><v>12000000</v></c>$`},            // ID as a number
		{"F2", `t="inlineStr".*<t>1234567890123456789</t>`},  // too long for a number
		{"F3", `^<c r="F3"><v>42</v></c>$`},                  // small ID
		{"G2", `^<c r="G2" t="b"><v>1</v></c>$`},             // bool
		{"H2", `t="inlineStr".*<t>=1\+1</t>`},                // never a formula
	}
	for _, c := range cells {
		if got := cellXML(t, x, c.ref); !regexp.MustCompile(c.want).MatchString(got) {
			t.Errorf("%s = %s, want match for %s", c.ref, got, c.want)
		}
	}
	if regexp.MustCompile(`<c r="E3"`).MatchString(x) {
		t.Error("an ID of 0 has a cell; want it empty")
	}
	if strings.Contains(x, "<f>") {
		t.Error("the sheet has a formula")
	}
	if !strings.Contains(x, `<autoFilter ref="$A$1:$H$4"`) && !strings.Contains(x, `<autoFilter ref="A1:H4"`) {
		t.Errorf("no autofilter over A1:H4")
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	panes, err := f.GetPanes("History")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, want the header row frozen", panes)
	}
	for ref, want := range map[string]string{"A2": "2026-03-14 09:26:53", "H3": "a;=cmd\r\nnext"} {
		if v, err := f.GetCellValue("History", ref); err != nil || v != want {
			t.Errorf("%s shows %q, %v; want %q", ref, v, err, want)
		}
	}
	for col, want := range map[string]float64{
		"A": 22, // 2026-03-14T09:27:00Z: 20, +2
		"B": 10, // batch: 5+3 for the filter button, +2
		"C": 8,  // row: at least 8
		"D": 17, // +bo@example.com: 15, +2
		"F": 21, // 19 digits, +2
		"H": 10, // error: 5+3, +2; the longest line of "a;=cmd\r\nnext" is 6
	} {
		got, err := f.GetColWidth("History", col)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("column %s width %v, want %v", col, got, want)
		}
	}
}

func TestWriteTableErrors(t *testing.T) {
	dir := t.TempDir()
	if err := WriteTable(filepath.Join(dir, "h.txt"), "H", tableHeader, nil); err == nil || !strings.Contains(err.Error(), "unknown file type") {
		t.Errorf("txt: %v", err)
	}
	for _, ext := range []string{".csv", ".xlsx"} {
		err := WriteTable(filepath.Join(dir, "wide"+ext), "H", []string{"a"}, [][]any{{"x"}, {"x", "y"}})
		if err == nil || !strings.Contains(err.Error(), "row 3 has 2 cells for 1 columns") {
			t.Errorf("%s: too wide a row: %v", ext, err)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left: %v", ents)
	}
}
