package input

import (
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Rows a person hid or struck through in Excel come back with Held
// saying why, as excelize (the library behind many generators) and
// Excel write them.
func TestHeldRowsExcelize(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	rows := [][]any{{"Name", "Email"}, {"Ann Lee", "ann@example.com"}, {"Bo Kim", "bo@example.com"}, {"Cy Park", "cy@example.com"},
		{"Di Wu", "di@example.com"}, {"Ed Ng", "ed@example.com"}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(s, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetRowVisible(s, 3, false); err != nil { // Bo Kim
		t.Fatal(err)
	}
	struck, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Strike: true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(s, "A4", "B4", struck); err != nil { // Cy Park
		t.Fatal(err)
	}
	// Di Wu's old address struck through, the new one beside it.
	if err := f.SetCellRichText(s, "B5", []excelize.RichTextRun{
		{Text: "old@example.com", Font: &excelize.Font{Strike: true}}, {Text: "; di@example.com"}}); err != nil {
		t.Fatal(err)
	}
	// A struck style on an empty cell holds nothing back.
	if err := f.SetCellStyle(s, "C6", "C6", struck); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "held.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for _, row := range readAll(t, r) {
		got = append(got, row.Held)
	}
	want := []string{"", "hidden in Excel", `struck through in Excel (column "Name")`, `part of the text in column "Email" is struck through in Excel`, ""}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("held %q\nwant %q", got, want)
	}
}

// The shapes Excel writes for filtered, zero-height and struck rows,
// and the shapes that hold nothing back.
func TestHeldRowsXML(t *testing.T) {
	styles := `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<fonts count="3"><font><sz val="11"/></font><font><strike/><sz val="11"/></font><font><strike val="0"/></font></fonts>` +
		`<cellXfs count="3"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/><xf numFmtId="0" fontId="2"/></cellXfs>` +
		`<dxfs count="1"><dxf><font><strike/></font></dxf></dxfs></styleSheet>`
	sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Name</t></si>` +
		`<si><r><rPr><strike val="false"/></rPr><t>Not struck</t></r></si>` +
		`<si><r><t>x</t></r><rPh><rPr><strike/></rPr><t>ruby</t></rPh></si></sst>`
	rels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	is := func(r int, text string) string {
		return `<row r="` + itoa(r) + `"><c t="inlineStr"><is><t>` + text + `</t></is></c></row>`
	}
	for _, c := range []struct {
		name, sheet string
		want        []string
	}{
		{"filtered", `<sheetPr filterMode="1"/><sheetData>` + is(1, "Name") + is(2, "a") + `<row r="3" hidden="1"><c t="inlineStr"><is><t>b</t></is></c></row>` + is(4, "c") +
			`</sheetData><autoFilter ref="A1:A4"><filterColumn colId="0"><filters><filter val="a"/><filter val="c"/></filters></filterColumn></autoFilter>`,
			[]string{"", "filtered out: the sheet's filter hides it in Excel", ""}},
		{"zero height", `<sheetData>` + is(1, "Name") + `<row r="2" ht="0" customHeight="1"><c t="inlineStr"><is><t>a</t></is></c></row>` + is(3, "b") + `</sheetData>`,
			[]string{"hidden in Excel", ""}},
		{"rows hidden by default", `<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/><sheetData><row r="1" ht="15" customHeight="1"><c t="inlineStr"><is><t>Name</t></is></c></row>` +
			is(2, "a") + `<row r="3" hidden="0"><c t="inlineStr"><is><t>b</t></is></c></row><row r="4" ht="20" customHeight="1"><c t="inlineStr"><is><t>c</t></is></c></row></sheetData>`,
			[]string{"hidden in Excel", "", ""}},
		{"struck styles", `<sheetData>` + is(1, "Name") + `<row r="2"><c s="1" t="inlineStr"><is><t>a</t></is></c></row><row r="3"><c s="2" t="inlineStr"><is><t>b</t></is></c></row>` +
			`<row r="4"><c s="1"/><c t="inlineStr"><is><t>c</t></is></c></row><row r="5"><c t="s"><v>1</v></c></row><row r="6"><c t="s"><v>2</v></c></row></sheetData>` +
			`<conditionalFormatting sqref="A1:A9"><cfRule type="containsText" dxfId="0" priority="1" text="x"/></conditionalFormatting>`,
			[]string{`struck through in Excel (column "Name")`, "", "", "", ""}},
		{"struck inline run", `<sheetData>` + is(1, "Name") + `<row r="2"><c t="inlineStr"><is><r><rPr><strike/></rPr><t>old</t></r><r><t> new</t></r></is></c></row></sheetData>`,
			[]string{`part of the text in column "Name" is struck through in Excel`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := zipParts(t, map[string]string{
				"xl/workbook.xml":            wbXML,
				"xl/_rels/workbook.xml.rels": rels,
				"xl/styles.xml":              styles,
				"xl/sharedStrings.xml":       sst,
				"xl/worksheets/sheet1.xml":   `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + c.sheet + `</worksheet>`,
			})
			r, err := Open(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var got []string
			for _, row := range readAll(t, r) {
				got = append(got, row.Held)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("held %q\nwant %q", got, c.want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
