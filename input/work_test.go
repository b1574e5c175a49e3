package input

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The budget grows with the file: workBase, and workPerByte per byte.
func TestWorkBudgetScalesWithTheFile(t *testing.T) {
	for _, c := range []struct{ size, want int64 }{{0, workBase}, {1 << 20, workBase + workPerByte<<20}, {5 << 20, workBase + 5*workPerByte<<20}} {
		if w := newWork(c.size); w.limit != c.want {
			t.Errorf("newWork(%d).limit = %d, want %d", c.size, w.limit, c.want)
		}
	}
	w := newWork(100)
	if err := w.add(int(w.limit)); err != nil {
		t.Fatalf("within the budget: %v", err)
	}
	err := w.add(1)
	wantErr(t, err, true, "reading the workbook takes more than", "units of work (512 per byte of its 100 bytes")
}

// Workbooks as spreadsheet programs write them use a small part of the
// budget (about an eighth: 55 to 65 units per byte), so the budget never
// stops a real file; the test allows a quarter.
func TestWorkOfRealWorkbooks(t *testing.T) {
	dir := t.TempDir()
	header := []any{"Employee ID", "Full Name", "Email", "Department", "City", "Validity Years", "Phone", "Country"}
	const rows = 3000
	build := func(name string, stream bool) string {
		p := filepath.Join(dir, name)
		f := excelize.NewFile()
		defer f.Close()
		var sw *excelize.StreamWriter
		if stream {
			sw, _ = f.NewStreamWriter("Sheet1")
			sw.SetRow("A1", header)
		} else {
			f.SetSheetRow("Sheet1", "A1", &header)
		}
		for i := range rows {
			s := benchRow(i)
			r := []any{100000 + i, s[1], s[2], s[3], s[4], 1, s[6], s[7]}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if stream {
				sw.SetRow(cell, r)
			} else {
				f.SetSheetRow("Sheet1", cell, &r)
			}
		}
		if stream {
			sw.Flush()
		}
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, p := range []string{build("inline.xlsx", true), build("shared.xlsx", false)} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		w := newWork(int64(len(data)))
		r, err := OpenAt(bytes.NewReader(data), int64(len(data)), "real.xlsx", Options{work: w})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(readAll(t, r)); n != rows {
			t.Fatalf("%d rows", n)
		}
		per := float64(w.used) / float64(len(data))
		t.Logf("%s: %s, %.0f units per byte", filepath.Base(p), w, per)
		if per > workPerByte/4 {
			t.Errorf("%s: %.0f units per byte, more than a quarter of the budget's %d", filepath.Base(p), per, workPerByte)
		}
	}
}

// testBudget bounds the work of the hostile workbooks below: a small
// budget keeps the test quick; what is tested is that each ends with a
// clear error or a correct read within the units counted, whatever the
// budget.
const testBudget = 48 << 20

// A hostile set of small workbooks that ask for far more work than
// their size: each ends with a clear error or a correct read, within a
// counted bound of work, without a timer anywhere.
func TestHostileWorkBudget(t *testing.T) {
	head := sheetNS + `<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>`
	rels := func(extra string) string {
		return `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` + extra + `</Relationships>`
	}
	withPart := func(sheet part, extra part, rel string) []part {
		p := book(sheet, extra)
		p[1].text = rels(rel)
		return p
	}
	sstRel := `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	stylesRel := `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`
	wideHeader := func() string {
		var b strings.Builder
		b.WriteString(sheetNS + `<row r="1">`)
		for c := 1; c <= maxColumns; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, 1)
			b.WriteString(`<c r="` + cell + `" t="inlineStr"><is><t>h</t></is></c>`)
		}
		b.WriteString(`</row>`)
		return b.String()
	}
	budgets := map[string]int64{"empty rows numbered up to Excel's last": 96 << 20}
	for _, c := range []struct {
		name  string
		parts func() []part
		opts  Options
		// want is the error wanted; "" wants a correct read, checked by
		// check (the rows read).
		want  string
		check func([]Row) error
	}{
		{"a cell at column XFD in every row", func() []part {
			return book(bomb(t, "", head, bytes.Repeat([]byte(`<row><c r="XFD1"><v>1</v></c></row>`), 1000), 100, `</sheetData></worksheet>`))
		}, Options{}, "", func(rows []Row) error {
			if len(rows) != 100_000 {
				return fmt.Errorf("%d rows", len(rows))
			}
			for _, r := range rows {
				if r.Err == nil || r.Err.Error() != `column 16384 has "1", but the header has only 1 columns` {
					return fmt.Errorf("row %d: %v", r.Number, r.Err)
				}
			}
			return nil
		}},
		{"a header of 16384 columns over a million short rows", func() []part {
			return book(bomb(t, "", wideHeader(), bytes.Repeat([]byte(`<row><c><v>1</v></c></row>`), 2000), 500, `</sheetData></worksheet>`))
		}, Options{}, "units of work", nil},
		{"blank rows under a header of 16384 columns", func() []part {
			return book(bomb(t, "", wideHeader(), bytes.Repeat([]byte(`<row/>`), 6000), 50, `</sheetData></worksheet>`))
		}, Options{}, "", func(rows []Row) error {
			if len(rows) != 0 {
				return fmt.Errorf("%d rows", len(rows))
			}
			return nil
		}},
		{"a 250 KiB shared string in a million cells", func() []part {
			return withPart(bomb(t, "", head, bytes.Repeat([]byte(`<row><c t="s"><v>0</v></c></row>`), 2000), 500, `</sheetData></worksheet>`),
				part{name: "xl/sharedStrings.xml", text: `<sst><si><t>` + strings.Repeat(" ", 250<<10) + `</t></si></sst>`}, sstRel)
		}, Options{}, "units of work", nil},
		{"a number format of 60,000 zeros in a million cells", func() []part {
			styles := `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="` + strings.Repeat("0", 60000) + `"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`
			return withPart(bomb(t, "", head, bytes.Repeat([]byte(`<row><c s="1"><v>1</v></c></row>`), 2000), 500, `</sheetData></worksheet>`),
				part{name: "xl/styles.xml", text: styles}, stylesRel)
		}, Options{}, "units of work", nil},
		{"half a million cell formats of one 60 KB format", func() []part {
			return withPart(part{text: head + `<row r="2"><c s="7"><v>1</v></c></row></sheetData></worksheet>`},
				bomb(t, "xl/styles.xml", `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0`+strings.Repeat("#", 60000)+`"/></numFmts><cellXfs>`,
					bytes.Repeat([]byte(`<xf numFmtId="164"/>`), 2000), 250, `</cellXfs></styleSheet>`), stylesRel)
		}, Options{}, "", func(rows []Row) error {
			if len(rows) != 1 || rows[0].Cells[0] != "01" { // 0###...: the 0 shows a leading zero
				return fmt.Errorf("rows %+v", rows)
			}
			return nil
		}},
		{"a cell nested a million elements deep", func() []part {
			return book(bomb(t, "", head+`<row r="2"><c r="A2" t="inlineStr"><is>`, bytes.Repeat([]byte(`<x>`), 16000), 63, strings.Repeat(`</x>`, 1000)+`<t>deep</t></is></c></row></sheetData></worksheet>`))
		}, Options{}, "", func(rows []Row) error {
			if len(rows) != 1 || rows[0].Cells[0] != "deep" {
				return fmt.Errorf("rows %+v", rows)
			}
			return nil
		}},
		{"a dimension of every cell, one row of data", func() []part {
			return book(part{text: `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>` +
				`<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Kim</t></is></c></row></sheetData></worksheet>`})
		}, Options{}, "", func(rows []Row) error {
			if len(rows) != 1 || rows[0].Cells[0] != "Kim" {
				return fmt.Errorf("rows %+v", rows)
			}
			return nil
		}},
		{"empty rows numbered up to Excel's last", func() []part {
			const n = maxRows - 2 // rows 2 to 1048575
			return book(bomb(t, "", head+strings.Repeat(`<row/>`, n%6000), bytes.Repeat([]byte(`<row/>`), 6000), n/6000,
				`<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Last</t></is></c></row></sheetData></worksheet>`))
		}, Options{}, "", func(rows []Row) error {
			if len(rows) != 1 || rows[0].Number != maxRows || rows[0].Cells[0] != "Last" {
				return fmt.Errorf("rows %+v", rows)
			}
			return nil
		}},
		{"header candidates on 200 sheets", func() []part {
			var sheets, rels strings.Builder
			var parts []part
			row := []byte(`<row><c t="inlineStr"><is><t>Not a header</t></is></c></row>`)
			for i := 1; i <= 200; i++ {
				n := itoa(i)
				sheets.WriteString(`<sheet name="S` + n + `" sheetId="` + n + `" r:id="rId` + n + `"/>`)
				rels.WriteString(`<Relationship Id="rId` + n + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/s` + n + `.xml"/>`)
				p := bomb(t, "xl/worksheets/s"+n+".xml", sheetNS, row, 20, `</sheetData></worksheet>`)
				parts = append(parts, p)
			}
			return append([]part{
				{name: "xl/workbook.xml", text: `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + sheets.String() + `</sheets></workbook>`},
				{name: "xl/_rels/workbook.xml.rels", text: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`},
			}, parts...)
		}, Options{Fits: func([]string) bool { return false }}, "units of work", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := writeZip(t, c.parts())
			w := newWork(int64(len(data)))
			// A correct read of a million rows needs more than testBudget.
			w.limit = min(w.limit, cmp.Or(budgets[c.name], testBudget))
			opts := c.opts
			opts.work = w
			r, err := OpenAt(bytes.NewReader(data), int64(len(data)), "hostile.xlsx", opts)
			var rows []Row
			for err == nil {
				var row Row
				if row, err = r.Next(); err == nil {
					rows = append(rows, row)
				}
			}
			if r != nil {
				r.Close()
			}
			t.Logf("%d KiB, work %s: %v", len(data)>>10, w, err)
			if w.used > w.limit+maxCharge {
				t.Errorf("work %s: beyond the budget", w)
			}
			switch {
			case c.want != "":
				if err == io.EOF {
					t.Fatalf("read %d rows without an error", len(rows))
				}
				wantErr(t, err, true, "hostile.xlsx", c.want)
			case err != io.EOF:
				t.Fatalf("err = %v", err)
			default:
				if cerr := c.check(rows); cerr != nil {
					t.Error(cerr)
				}
			}
		})
	}
}
