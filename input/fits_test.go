package input

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func hasEmail(h []string) bool { return slices.Contains(h, "Email") }

// sheets writes a workbook with the given sheets' rows (inline strings).
func sheets(t *testing.T, data map[string][][]any, order ...string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range data[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := t.TempDir() + "/book.xlsx"
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFitsPicksSheetAndHeaderRow(t *testing.T) {
	title := [][]any{{"Staff list 2026"}, {}, {"Name", "Email"}, {"Kim", "k@x.com"}}
	other := [][]any{{"Notes"}, {"nothing here"}}
	one := sheets(t, map[string][][]any{"Notes": other, "Staff": title}, "Notes", "Staff")
	r, err := Open(one, Options{Fits: hasEmail})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if r.Sheet() != "Staff" || !reflect.DeepEqual(r.Header(), []string{"Name", "Email"}) || len(rows) != 1 || rows[0].Number != 4 || rows[0].Cells[1] != "k@x.com" {
		t.Fatalf("sheet %q header %q rows %+v", r.Sheet(), r.Header(), rows)
	}
	r.Close()

	// Without Fits: the first worksheet, its first non-blank row.
	r, err = Open(one, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Sheet() != "Notes" || !reflect.DeepEqual(r.Header(), []string{"Notes"}) {
		t.Fatalf("sheet %q header %q", r.Sheet(), r.Header())
	}
	r.Close()

	// A named sheet: Fits picks the header row; with none fitting, the
	// first non-blank row is the header and the rows after it are data.
	r, err = Open(one, Options{Sheet: "notes", Fits: hasEmail})
	if err != nil {
		t.Fatal(err)
	}
	if rows := readAll(t, r); !reflect.DeepEqual(r.Header(), []string{"Notes"}) || len(rows) != 1 || rows[0].Number != 2 || rows[0].Cells[0] != "nothing here" {
		t.Fatalf("header %q rows %+v", r.Header(), rows)
	}
	r.Close()

	two := sheets(t, map[string][][]any{"A": title, "B": title, "C": other}, "A", "B", "C")
	if _, err := Open(two, Options{Fits: hasEmail}); err == nil || !strings.Contains(err.Error(), `2 worksheets have a header row with the columns needed: "A" (fits), "B" (fits), "C": pass --sheet NAME`) {
		t.Errorf("two fit: %v", err)
	}
	none := sheets(t, map[string][][]any{"A": other, "B": other}, "A", "B")
	if _, err := Open(none, Options{Fits: hasEmail}); err == nil || !strings.Contains(err.Error(), `no worksheet has a header row with the columns needed; the worksheets are "A", "B": pass --sheet NAME`) {
		t.Errorf("none fit: %v", err)
	}
}

func TestFitsCSVTitleLine(t *testing.T) {
	r, err := NewCSV(strings.NewReader("Staff list;2026\n\nName;Email\nKim;k@x.com\n"), "s.csv", Options{Fits: hasEmail})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if r.Sheet() != "" || !reflect.DeepEqual(r.Header(), []string{"Name", "Email"}) || len(rows) != 1 || rows[0].Number != 4 || !reflect.DeepEqual(rows[0].Cells, []string{"Kim", "k@x.com"}) || rows[0].Kinds != nil {
		t.Fatalf("header %q rows %+v", r.Header(), rows)
	}
	// No row fits: the first non-blank row, and the rest replayed.
	r, err = NewCSV(strings.NewReader("a;b\n1;2\n3;4\n"), "s.csv", Options{Fits: hasEmail})
	if err != nil {
		t.Fatal(err)
	}
	if rows := readAll(t, r); !reflect.DeepEqual(r.Header(), []string{"a", "b"}) || !reflect.DeepEqual(cellsOf(rows), [][]string{{"1", "2"}, {"3", "4"}}) || rows[0].Number != 2 || rows[1].Number != 3 {
		t.Fatalf("header %q rows %+v", r.Header(), rows)
	}
}
