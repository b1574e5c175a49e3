package input

import (
	"reflect"
	"strings"
	"testing"
)

func TestCSVClasses(t *testing.T) {
	for _, c := range []struct {
		name, data string
		header     []string
		cells      [][]string
		nums       []int
		repaired   []string
	}{
		{"classic Mac CR endings", "Name,Email\rKim,k@x.com\r\rLee,\"l@x.com\"\r", []string{"Name", "Email"}, [][]string{{"Kim", "k@x.com"}, {"Lee", "l@x.com"}}, []int{2, 4}, []string{"", ""}},
		{"sep= line", "sep=;\nName;Email, work\nKim;k@x.com, w\n", []string{"Name", "Email, work"}, [][]string{{"Kim", "k@x.com, w"}}, []int{2}, []string{""}},
		{"quoted sep= line with CRLF", "\"sep=,\"\r\nName,Email\r\nKim,k@x.com\r\n", []string{"Name", "Email"}, [][]string{{"Kim", "k@x.com"}}, []int{2}, []string{""}},
		{"stray quotes in an unquoted field", "Name,Note\nKim,This is \"Alice's apple\"\nLee,ok\n", []string{"Name", "Note"}, [][]string{{"Kim", `This is "Alice's apple"`}, {"Lee", "ok"}}, []int{2, 3},
			[]string{"column 2: a quote inside a field that does not start with one was read as text", ""}},
		{"undoubled quote in a quoted field", "Name,Note\n\"Kim\",\"5\" disk\"\n", []string{"Name", "Note"}, [][]string{{"Kim", `5" disk`}}, []int{2},
			[]string{"column 2: a quote inside a quoted field that is not doubled was read as text"}},
		{"title line with commas above a ; header", "Staff list, as of June, 2026\nName;Email;Dept\nKim;k@x.com;R&D\nLee;l@x.com;Ops, Sales\n",
			// Without Fits the title is the header (one column, so the rows
			// have cells beyond it), but not split at its commas.
			[]string{"Staff list, as of June, 2026"}, [][]string{{"Name"}, {"Kim"}, {"Lee"}}, []int{2, 3, 4}, []string{"", "", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewCSV(strings.NewReader(c.data), "c.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows := readAll(t, r)
			var nums []int
			var rep []string
			for _, row := range rows {
				nums = append(nums, row.Number)
				rep = append(rep, row.Repaired)
			}
			if !reflect.DeepEqual(r.Header(), c.header) || !reflect.DeepEqual(cellsOf(rows), c.cells) || !reflect.DeepEqual(nums, c.nums) || !reflect.DeepEqual(rep, c.repaired) {
				t.Fatalf("header %q cells %q nums %v repaired %q", r.Header(), cellsOf(rows), nums, rep)
			}
		})
	}
	// With Fits, the title line is skipped and the sniffer still picks ';'.
	r, err := NewCSV(strings.NewReader("Staff list, as of June, 2026\nName;Email;Dept\nKim;k@x.com;R&D\n"), "c.csv", Options{Fits: hasEmail})
	if err != nil {
		t.Fatal(err)
	}
	if rows := readAll(t, r); !reflect.DeepEqual(r.Header(), []string{"Name", "Email", "Dept"}) || len(rows) != 1 || rows[0].Number != 3 {
		t.Fatalf("header %q rows %+v", r.Header(), rows)
	}
}
