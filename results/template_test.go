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
		{Header: "Payment Method", Note: "optional · one of balance, card, profile", Allowed: []string{"balance", "card", "profile"}, Example: "balance"},
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
	if got := f.GetSheetList(); got[0] != SheetOrders {
		t.Fatalf("sheets %q, want %q first", got, SheetOrders)
	}
	rows, err := f.GetRows(SheetOrders)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Full Name", "Payment Method", "Country", "Org Unit"}, {"陳大文", "balance", "Country 07", "00123"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
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
		if x := zipPart(t, p, "xl/worksheets/sheet2.xml"); strings.Contains(x, "<f>") {
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
	want := "\uFEFFFull Name,Payment Method,Country,Org Unit\r\n陳大文,'=1+1,Country 07,00123\r\n"
	if string(b) != want {
		t.Errorf("csv template %q, want %q", b, want)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
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
