package results

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func templateCols() []TemplateColumn {
	var countries []string // 60 values: too long for an inline list
	for i := range 60 {
		countries = append(countries, fmt.Sprintf("Country %02d", i))
	}
	return []TemplateColumn{
		{Header: "Full Name", Required: true, Note: "required · text · the person's full name", Example: "陳大文"},
		{Header: "Payment Method", Note: "optional · one of balance, card, profile", Allowed: []string{"balance", "card", "profile"}, Example: "balance",
			Prompt: "How the order is paid for."},
		{Header: "Country", Allowed: countries, Example: "Country 07"},
		{Header: "Org Unit", Allowed: []string{"Sales, EMEA", "=R&D"}, Example: "00123"},
	}
}

func TestTemplateXLSX(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "t.xlsx")
	if err := WriteTemplate(p, templateCols()); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("stat: %v %v", st, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left: %v", ents)
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{SheetOrders, SheetExample, SheetLists}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d, want the Orders sheet", f.GetActiveSheetIndex())
	}
	// The Orders sheet, the one read, has no data rows: the example is
	// never ordered by mistake.
	header := []string{"Full Name", "Payment Method", "Country", "Org Unit"}
	rows, err := f.GetRows(SheetOrders)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{header}; !reflect.DeepEqual(rows, want) {
		t.Errorf("Orders rows %q, want %q", rows, want)
	}
	ex, err := f.GetRows(SheetExample)
	if err != nil {
		t.Fatal(err)
	}
	wantEx := [][]string{header, {"陳大文", "balance", "Country 07", "00123"}, nil,
		{"Example only: do not copy this row to the Orders sheet. certbatch refuses a row that repeats the example."}}
	if !reflect.DeepEqual(ex, wantEx) {
		t.Errorf("Example rows %q, want %q", ex, wantEx)
	}
	if id, _ := f.GetCellStyle(SheetExample, "B1"); id == 0 {
		t.Error("the Example sheet's header is not styled")
	}

	t.Run("header", func(t *testing.T) {
		fill := map[string]string{}
		for _, c := range []string{"A1", "B1", "C1"} {
			id, _ := f.GetCellStyle(SheetOrders, c)
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Font == nil || !st.Font.Bold {
				t.Errorf("%s not bold", c)
			}
			if len(st.Fill.Color) > 0 {
				fill[c] = st.Fill.Color[0]
			}
		}
		if fill["A1"] == "" || fill["A1"] == fill["B1"] || fill["B1"] != fill["C1"] {
			t.Errorf("fills %v: want the required column's header to differ from the optional ones", fill)
		}
		panes, err := f.GetPanes(SheetOrders)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("panes %+v %v, want the header frozen", panes, err)
		}
		id, _ := f.GetCellStyle(SheetOrders, "A500")
		if st, _ := f.GetStyle(id); st == nil || st.NumFmt != 49 {
			t.Errorf("data cells are not formatted as text: %+v", st)
		}
	})

	t.Run("notes", func(t *testing.T) {
		cs, err := f.GetComments(SheetOrders)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range cs {
			got[c.Cell] = c.Text
			for _, r := range c.Paragraph {
				got[c.Cell] += r.Text
			}
		}
		if len(got) != 2 || !strings.Contains(got["A1"], "required · text · the person's full name") || !strings.Contains(got["B1"], "one of balance") {
			t.Errorf("notes %q", got)
		}
	})

	t.Run("dropdowns", func(t *testing.T) {
		dvs, err := f.GetDataValidations(SheetOrders)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, dv := range dvs {
			if dv.Type != "list" {
				t.Errorf("%s: type %q", dv.Sqref, dv.Type)
			}
			got[dv.Sqref] = dv.Formula1
			if dv.ErrorTitle == nil || *dv.ErrorTitle != "Not allowed" || dv.Error == nil || *dv.Error != "Pick a value from the list." {
				t.Errorf("%s: error box %v %v", dv.Sqref, dv.ErrorTitle, dv.Error)
			}
			prompt := ""
			if dv.Prompt != nil {
				prompt = *dv.PromptTitle + ": " + *dv.Prompt
			}
			if want := map[string]string{"B2:B1001": "Payment Method: How the order is paid for."}[dv.Sqref]; prompt != want {
				t.Errorf("%s: prompt %q, want %q", dv.Sqref, prompt, want)
			}
		}
		if len(got) != 3 {
			t.Fatalf("validations %q, want 3", got)
		}
		if v := got["B2:B1001"]; !strings.Contains(v, "balance,card,profile") {
			t.Errorf("inline list %q", v)
		}
		for _, col := range []string{"C", "D"} {
			ref := got[col+"2:"+col+"1001"]
			if !strings.Contains(ref, SheetLists+"!") {
				t.Errorf("column %s: list %q does not refer to the %s sheet", col, ref, SheetLists)
			}
		}
		vis, err := f.GetSheetVisible(SheetLists)
		if err != nil || vis {
			t.Errorf("%s sheet visible=%v err=%v, want hidden", SheetLists, vis, err)
		}
		lists, err := f.GetCols(SheetLists)
		if err != nil {
			t.Fatal(err)
		}
		for i := range lists {
			lists[i] = slices.DeleteFunc(lists[i], func(s string) bool { return s == "" })
		}
		if len(lists) != 2 || len(lists[0]) != 60 || lists[0][59] != "Country 59" || !reflect.DeepEqual(lists[1], []string{"Sales, EMEA", "=R&D"}) {
			t.Errorf("lists sheet %q", lists)
		}
		if x := zipPart(t, p, "xl/worksheets/sheet3.xml"); strings.Contains(x, "<f>") {
			t.Error("a list value was written as a formula")
		}
	})
}

func TestTemplateCSV(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.CSV")
	cols := templateCols()
	cols[1].Example = "=1+1"
	if err := WriteTemplate(p, cols); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// The header only: examples are in the .xlsx template.
	want := "\uFEFFFull Name,Payment Method,Country,Org Unit\r\n"
	if string(b) != want {
		t.Errorf("csv template %q, want %q", b, want)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
}

// The fixed texts come in the caller's language, clipped to Excel's limits.
func TestTemplateText(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.xlsx")
	cols := []TemplateColumn{
		{Header: "결제 방법", Allowed: []string{"balance", "card"}, Prompt: strings.Repeat("가", 300), Example: "card"},
		{Header: "이메일", Required: true, Example: "a@example.com"},
	}
	text := TemplateText{NotAllowedTitle: "허용되지 않는 값", NotAllowed: "목록에서 값을 선택하십시오.", ExampleNote: "예시일 뿐입니다. %s 시트에 복사하지 마십시오."}
	if err := WriteTemplateText(p, cols, text); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, err := f.GetDataValidations(SheetOrders)
	if err != nil || len(dvs) != 1 {
		t.Fatalf("validations %v %v", dvs, err)
	}
	dv := dvs[0]
	if *dv.ErrorTitle != text.NotAllowedTitle || *dv.Error != text.NotAllowed || *dv.PromptTitle != "결제 방법" {
		t.Errorf("error box %q %q, prompt title %q", *dv.ErrorTitle, *dv.Error, *dv.PromptTitle)
	}
	if n := len([]rune(*dv.Prompt)); n != 255 || !strings.HasSuffix(*dv.Prompt, "가…") {
		t.Errorf("prompt of %d characters, want 255 ending in an ellipsis", n)
	}
	if v, _ := f.GetCellValue(SheetExample, "A4"); v != "예시일 뿐입니다. Orders 시트에 복사하지 마십시오." {
		t.Errorf("example note %q", v)
	}
	if v, _ := f.GetCellValue(SheetExample, "B2"); v != "a@example.com" {
		t.Errorf("example B2 %q", v)
	}
}

func TestTemplateErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		file string
		cols []TemplateColumn
		want string
	}{
		{"unknown type", "t.ods", templateCols(), "unknown file type"},
		{"no columns", "t.xlsx", nil, "no columns"},
		{"missing directory", "no/such/t.xlsx", templateCols(), "no/such/t.xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteTemplate(filepath.Join(dir, tt.file), tt.cols)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left: %v", ents)
	}
}
