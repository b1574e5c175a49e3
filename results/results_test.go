package results

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var header = []string{"Employee ID", "Full Name", "Note"}

func sampleRecords() []Record {
	return []Record{
		{Row: 2, Input: []string{"00123", "Zoë Ünal 陳", "=HYPERLINK(\"http://x\")"}, Product: "client_premium_sha2", Outcome: Ordered, OrderID: "100001", RequestID: "500001", RequestStatus: "approved", OrderStatus: "issued", CertificateID: "900001"},
		{Row: 3, Input: []string{"E2", "+1 555", "'=already quoted"}, Product: "client_premium_sha2", Outcome: Invalid, Error: "Email \"x\": not a single email address"},
		{Row: 5, Input: []string{"E3", "-minus", "@at\r"}, Product: "document_signing_org_1", Outcome: Uncertain, Error: "sent; no answer"},
		{Row: 6, Input: []string{"E4", "''two quotes", strings.Repeat("x", 40000)}, Product: "document_signing_org_1", Outcome: Failed},
	}
}

func write(t *testing.T, path string) {
	t.Helper()
	w, err := Create(path, header)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sampleRecords() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	w.Abort() // no-op after commit
}

func TestRoundTrip(t *testing.T) {
	for _, ext := range []string{".csv", ".xlsx"} {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "out"+ext)
			write(t, p)
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("mode %v", st.Mode().Perm())
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("leftover files: %v", ents)
			}
			f, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f.InputHeader, header) {
				t.Errorf("header %q", f.InputHeader)
			}
			want := sampleRecords()
			want[2].Input[2] = "@at" // cells are trimmed when read
			if ext == ".xlsx" {
				want[3].Input[2] = clipCell(want[3].Input[2])
			}
			if len(f.Records) != len(want) {
				t.Fatalf("%d records", len(f.Records))
			}
			for i := range want {
				if !reflect.DeepEqual(f.Records[i], want[i]) {
					t.Errorf("record %d:\n got %+v\nwant %+v", i, trim(f.Records[i]), trim(want[i]))
				}
			}
		})
	}
}

func trim(r Record) Record {
	for i, s := range r.Input {
		if len(s) > 60 {
			r.Input[i] = s[:30] + "..." + s[len(s)-20:]
		}
	}
	return r
}

func TestCSVFormulaCellsAreQuoted(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.csv")
	write(t, p)
	b, _ := os.ReadFile(p)
	s := string(b)
	if !strings.HasPrefix(s, "\uFEFF") || !strings.Contains(s, "\r\n") {
		t.Error("no BOM or CRLF")
	}
	for _, want := range []string{`"'=HYPERLINK(""http://x"")"`, "'+1 555", "'-minus", "'@at", "''=already quoted", "'''two quotes"} {
		if !strings.Contains(s, want) {
			t.Errorf("csv lacks %s", want)
		}
	}
}

func sheetXML(t *testing.T, p, part string) string {
	t.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == part {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no part %s", part)
	return ""
}

func TestXLSXLayout(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.xlsx")
	write(t, p)
	x := sheetXML(t, p, "xl/worksheets/sheet1.xml")
	if strings.Contains(x, "<f>") || strings.Contains(x, "<f ") {
		t.Error("a cell was written as a formula")
	}
	if !strings.Contains(x, `state="frozen"`) || !strings.Contains(x, `<autoFilter ref="$A$1:$L$5"`) {
		t.Errorf("header not frozen or no autofilter: %.400s", x)
	}
	if !strings.Contains(x, "[truncated]") {
		t.Error("long cell not visibly truncated")
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fill := func(cell string) string {
		id, _ := f.GetCellStyle(SheetResults, cell)
		st, _ := f.GetStyle(id)
		if st == nil || len(st.Fill.Color) == 0 {
			return ""
		}
		return st.Fill.Color[0]
	}
	hid, _ := f.GetCellStyle(SheetResults, "A1")
	if st, _ := f.GetStyle(hid); st == nil || st.Font == nil || !st.Font.Bold {
		t.Error("header not bold")
	}
	if fill("A2") != "" || fill("A3") == "" || fill("A4") == "" || fill("A3") == fill("A4") {
		t.Errorf("tints: ordered %q invalid %q uncertain %q", fill("A2"), fill("A3"), fill("A4"))
	}
	rows, _ := f.GetRows(SheetSummary)
	got := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			got[r[0]] = strings.Join(r[1:], ",")
		}
	}
	if got["ordered"] != "1" || got["invalid"] != "1" || got["total"] != "4" || got["client_premium_sha2"] != "1,1,0,0,2" {
		t.Errorf("summary %v", got)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Create(filepath.Join(dir, "x.txt"), header); err == nil {
		t.Error("unknown extension accepted")
	}
	p := filepath.Join(dir, "plain.csv")
	os.WriteFile(p, []byte("a,b,row,product\n1,2,3,4\n"), 0o600)
	if _, err := Read(p); err == nil || !strings.Contains(err.Error(), `"outcome"`) {
		t.Errorf("non-results file: %v", err)
	}
	w, _ := Create(filepath.Join(dir, "gone.xlsx"), header)
	w.Write(sampleRecords()[0])
	w.Abort()
	if _, err := os.Stat(filepath.Join(dir, "gone.xlsx")); !os.IsNotExist(err) {
		t.Error("aborted file exists")
	}
}

func TestTemplate(t *testing.T) {
	dir := t.TempDir()
	cols := []TemplateColumn{{Header: "Full Name", Required: true, Note: "required · text", Example: "Lock Cole"},
		{Header: "Payment Method", Note: "optional", Allowed: []string{"balance", "card", "profile"}, Example: "balance"}}
	p := filepath.Join(dir, "t.xlsx")
	if err := WriteTemplate(p, cols); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Orders", "A2"); v != "Lock Cole" {
		t.Errorf("example %q", v)
	}
	cs, _ := f.GetComments("Orders")
	if len(cs) != 2 || !strings.Contains(cs[0].Text, "required") {
		t.Errorf("comments %+v", cs)
	}
	dvs, _ := f.GetDataValidations("Orders")
	if len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "balance,card,profile") || !strings.HasPrefix(dvs[0].Sqref, "B2:B") {
		t.Errorf("validations %+v", dvs)
	}
	pc := filepath.Join(dir, "t.csv")
	if err := WriteTemplate(pc, cols); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(pc)
	if string(b) != "\uFEFFFull Name,Payment Method\r\nLock Cole,balance\r\n" {
		t.Errorf("csv template %q", b)
	}
}
