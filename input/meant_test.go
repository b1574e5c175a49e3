package input

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

// Excel 2013 and later save a 1904 workbook with a second workbookPr,
// x15:workbookPr (chartTrackingRefBase), in the workbook's extLst. It
// says nothing of the date system: the dates stay in the 1904 system.
// Read as the workbook's own workbookPr it set every date back 4 years
// and a day (serial 1 is 1904-01-02, not 1900-01-01).
func TestDate1904WithX15WorkbookPr(t *testing.T) {
	const x15 = `<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:workbookPr chartTrackingRefBase="1"/></ext></extLst>`
	for _, c := range []struct {
		name, workbook, want string
	}{
		{"1904 saved by Excel 2013+", `<workbookPr date1904="1" defaultThemeVersion="166925"/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>` + x15, "2030-06-30"},
		{"1904, x15 first", `<workbookPr date1904="true"/>` + x15 + `<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>`, "2030-06-30"},
		{"1900 saved by Excel 2013+", `<workbookPr defaultThemeVersion="166925"/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>` + x15, "2026-06-29"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := zipParts(t, map[string]string{
				"xl/workbook.xml":            `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` + c.workbook + `</workbook>`,
				"xl/_rels/workbook.xml.rels": wbRels[:len(wbRels)-len("</Relationships>")] + `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
				"xl/styles.xml":              `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
				// 46202 is 2026-06-29 in the 1900 system, 2030-06-30 in
				// the 1904 system (1462 days later).
				"xl/worksheets/sheet1.xml": sheetNS + `<row r="1"><c r="A1" t="inlineStr"><is><t>Expires</t></is></c></row><row r="2"><c r="A2" s="1"><v>46202</v></c></row></sheetData></worksheet>`,
			})
			r, err := Open(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rows := readAll(t, r)
			if len(rows) != 1 || rows[0].Cells[0] != c.want {
				t.Fatalf("rows %+v, want %s", rows, c.want)
			}
		})
	}
}

// Outside quotes a lone CR ends a line even in a file that otherwise
// uses LF, as Excel and Python's csv read it: two people stay two rows.
// Inside quotes it is the cell's text.
func TestLoneCREndsALine(t *testing.T) {
	for _, c := range []struct {
		name, data string
		cells      [][]string
		nums       []int
	}{
		{"lone CR between LF lines", "Name,Email\nKim,k@x.com\rLee,l@x.com\nPark,p@x.com\n",
			[][]string{{"Kim", "k@x.com"}, {"Lee", "l@x.com"}, {"Park", "p@x.com"}}, []int{2, 3, 4}},
		{"lone CR after a quoted field", "Name,Email\n\"Kim\",\"k@x.com\"\rLee,l@x.com\n",
			[][]string{{"Kim", "k@x.com"}, {"Lee", "l@x.com"}}, []int{2, 3}},
		{"CRLF and a lone CR", "Name,Email\r\nKim,k@x.com\r\n\rLee,l@x.com\r\n",
			[][]string{{"Kim", "k@x.com"}, {"Lee", "l@x.com"}}, []int{2, 4}},
		{"CR inside quotes is text", "Name,Note\nKim,\"a\rb\"\nLee,c\n",
			[][]string{{"Kim", "a\rb"}, {"Lee", "c"}}, []int{2, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewCSV(strings.NewReader(c.data), "c.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows := readAll(t, r)
			var nums []int
			for _, row := range rows {
				nums = append(nums, row.Number)
			}
			if !reflect.DeepEqual(cellsOf(rows), c.cells) || !reflect.DeepEqual(nums, c.nums) {
				t.Fatalf("cells %q rows %v, want %q %v", cellsOf(rows), nums, c.cells, c.nums)
			}
		})
	}
	// A CRLF split between two reads keeps the row count.
	g := newRecordGuard(&oneByte{s: "a\r\nb\r\nc"}, ',')
	var got []byte
	buf := make([]byte, 1)
	for {
		n, err := g.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			break
		}
	}
	if string(got) != "a\nb\nc" {
		t.Fatalf("read %q", got)
	}
}

// oneByte reads one byte at a time.
type oneByte struct{ s string }

func (o *oneByte) Read(b []byte) (int, error) {
	if o.s == "" {
		return 0, io.EOF
	}
	b[0] = o.s[0]
	o.s = o.s[1:]
	return 1, nil
}
