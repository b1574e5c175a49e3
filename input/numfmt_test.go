package input

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func TestRenderNumberFormats(t *testing.T) {
	for _, c := range []struct {
		code, raw, want string
		kind            Kind
	}{
		{"General", "124", "124", KindNumber},
		{"General", "0.30000000000000004", "0.3", KindNumber},
		{"General", "123456789012345678", "123456789012345678", KindNumber},
		{"00000", "124", "00124", KindText},
		{"00000", "1234567", "1234567", KindNumber},
		{"@", "124", "124", KindNumber},
		{"@", "1.5", "1.5", KindNumber},
		{"0", "2.5", "3", KindText},
		{"0", "-2.5", "-3", KindText},
		{"0", "124", "124", KindNumber},
		{"0.00", "2.5", "2.50", KindText},
		{"0.00", "1.005", "1.01", KindText},
		{"0.0", "0.05", "0.1", KindText},
		{"0%", "0.12", "12%", KindText},
		{"0.0%", "0.125", "12.5%", KindText},
		{"0.00%", "1", "100.00%", KindText},
		{"#,##0.00", "1234.567", "1,234.57", KindText},
		{"#,##0", "1234567.4", "1,234,567", KindText},
		{"#,##0", "12", "12", KindNumber},
		{"#,##0", "-1234", "-1,234", KindText},
		{"#,##0.00", "0.5", "0.50", KindText},
		{"#.##", "1", "1.", KindText},
		{"0.##", "1.5", "1.5", KindNumber},
		{"#,##0,", "1234567", "1,235", KindText},
		{`0.0,,"M"`, "1234567", "1.2M", KindText},
		{"000-00-0000", "123456789", "123-45-6789", KindText},
		{`(000) 000-0000`, "5551234567", "(555) 123-4567", KindText},
		{`"ID "0`, "42", "ID 42", KindText},
		{`\#0`, "42", "#42", KindText},
		{"0.00E+00", "12345", "1.23E+04", KindText},
		{"0.00E+00", "0.000123", "1.23E-04", KindText},
		{"##0.0E+0", "12345", "12.3E+3", KindText},
		{`[$€-407] #,##0.00`, "1234.5", "€ 1,234.50", KindText},
		{`"$"#,##0.00_);[Red]("$"#,##0.00)`, "-1234.5", "($1,234.50)", KindText},
		{`"$"#,##0.00_);[Red]("$"#,##0.00)`, "1234.5", "$1,234.50 ", KindText},
		{`0;-0;"zero"`, "0", "zero", KindText},
		{`0;-0;"zero"`, "-5", "-5", KindNumber},
		{`0;-0;"zero"`, "5", "5", KindNumber},
		{`0;(0)`, "-5", "(5)", KindText},
		{`0;(0)`, "0", "0", KindNumber},
		{`[>100]"big "0;[<=-5]"low "0;0.0`, "150", "big 150", KindText},
		{`[>100]"big "0;[<=-5]"low "0;0.0`, "-7", "low 7", KindText},
		{`[>100]"big "0;[<=-5]"low "0;0.0`, "3", "3.0", KindText},
		{`[Red][<=9999999]###-####;(###) ###-####`, "5551234", "555-1234", KindText},
		{`[Red][<=9999999]###-####;(###) ###-####`, "5105551234", "(510) 555-1234", KindText},
		{`_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`, "0", " - ", KindText},
		{"# ?/?", "1.5", "1.5", KindNumber},
		{"yyyy-mm-dd", "46203", "2026-06-30", KindDate},
		{"dd/mm/yyyy", "46203.75", "2026-06-30", KindDate},
		{"yyyy-mm-dd hh:mm", "46203", "2026-06-30 00:00:00", KindDate},
		{"m/d/yy h:mm", "46203.75", "2026-06-30 18:00:00", KindDate},
		{"h:mm", "0.5", "12:00:00", KindDate},
		{"h:mm AM/PM", "0.75", "18:00:00", KindDate},
		{"mm:ss", "0.0006944444", "00:01:00", KindDate},
		{"[h]:mm:ss", "1.1458333333333333", "27:30:00", KindText},
		{"[h]:mm:ss", "0.5", "12:00:00", KindText},
		{"[h]:mm", "1.1458333333333333", "27:30", KindText},
		{"[mm]:ss", "1.1458333333333333", "1650:00", KindText},
		{"[ss]", "0.01", "864", KindText},
		{"[h]:mm:ss", "-1.5", "-36:00:00", KindText},
		{"yyyy-mm-dd", "-1", "-1", KindNumber},
	} {
		t.Run(c.code+"/"+c.raw, func(t *testing.T) {
			got, k := render(compileFormat(c.code), c.raw, false)
			if got != c.want || k != c.kind {
				t.Errorf("render(%q, %s) = %q (%v), want %q (%v)", c.code, c.raw, got, k, c.want, c.kind)
			}
		})
	}
}

func TestUnescapeX(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a_x000D_b", "a\rb"},
		{"a_x000D__x000A_b", "a\r\nb"},
		{"_x005F_x000D_", "_x000D_"},
		{"under_x005F_score", "under_score"},
		{"_x00e9_", "é"},
		{"_xD83D__xDE00_", "😀"},
		{"_xD83D_", "\uFFFD"},
		{"_x12_", "_x12_"},
		{"_xZZZZ_", "_xZZZZ_"},
		{"x_x0041", "x_x0041"},
	} {
		if got := string(unescapeX([]byte(c.in))); got != c.want {
			t.Errorf("unescapeX(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Workbooks in the shapes real files take.
func TestXLSXRealWorldClasses(t *testing.T) {
	styles := `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts><numFmt numFmtId="164" formatCode="[h]:mm:ss"/><numFmt numFmtId="165" formatCode="00000"/><numFmt numFmtId="166" formatCode="[&gt;100]&quot;big&quot;;[=0]&quot;zero&quot;;0"/></numFmts>` +
		`<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="14"/><xf numFmtId="21"/><xf numFmtId="22"/><xf numFmtId="10"/></cellXfs></styleSheet>`
	rels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`
	wb := `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Chart" sheetId="2" r:id="rId4"/><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`
	sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Name</t></si><si><t>Dur</t></si><si><t>Line_x000D__x000A_two</t></si><si><t>_x005F_x000D_ stays</t></si></sst>`
	sheet := sheetNS +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Zip</t></is></c><c r="D1" t="inlineStr"><is><t>Cond</t></is></c><c r="E1" t="inlineStr"><is><t>D</t></is></c><c r="F1" t="inlineStr"><is><t>T</t></is></c><c r="G1" t="inlineStr"><is><t>DT</t></is></c><c r="H1" t="inlineStr"><is><t>P</t></is></c></row>` +
		`<row r="2"><c r="A2" t="s"/><c r="B2" s="1"><v>1.1458333333333333</v></c><c r="C2" s="2"><v>124</v></c><c r="D2" s="3"><v>150</v></c><c r="E2" s="4"><v>46203.75</v></c><c r="F2" s="5"><v>0.5</v></c><c r="G2" s="6"><v>46203</v></c><c r="H2" s="7"><v>0.125</v></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="inlineStr"><is><t>a_x005F_b_x0009_c</t></is></c><c r="C3" t="s"><v></v></c><c r="D3" s="3"><v>0</v></c><c r="E3" t="d" s="4"><v>2026-06-30T17:59:59.6</v></c><c r="F3" t="d" s="5"><v>1899-12-30T03:30:00</v></c><c r="G3" t="d"><v>2026-06-30T23:59:59.7</v></c><c r="H3" t="b"><v>1</v></c></row>` +
		`<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" t="d" s="1"><v>1899-12-31T03:30:00</v></c><c r="D4" s="3"><v>7</v></c><c r="E4"><v>42</v></c></row>` +
		`</sheetData></worksheet>`
	p := zipParts(t, map[string]string{
		"xl/workbook.xml":            wb,
		"xl/_rels/workbook.xml.rels": rels,
		"xl/styles.xml":              styles,
		"xl/sharedStrings.xml":       sst,
		"xl/worksheets/sheet1.xml":   sheet,
		"xl/chartsheets/sheet1.xml":  `<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`,
	})
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Sheet() != "Data" {
		t.Errorf("Sheet() = %q: the chart sheet must be skipped", r.Sheet())
	}
	rows := readAll(t, r)
	want := [][]string{
		{"", "27:30:00", "00124", "big", "2026-06-30", "12:00:00", "2026-06-30 00:00:00", "12.50%"},
		{"Line\r\ntwo", "a_b\tc", "", "zero", "2026-06-30", "03:30:00", "2026-07-01", "true"},
		{"_x000D_ stays", "27:30:00", "", "7", "42"},
	}
	want[2] = append(want[2], "", "", "")
	if got := cellsOf(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("cells\n%q\nwant\n%q", got, want)
	}
	wantKinds := [][]Kind{
		{KindText, KindText, KindText, KindText, KindDate, KindDate, KindDate, KindText},
		{KindText, KindText, KindText, KindText, KindDate, KindDate, KindDate, KindBool},
		{KindText, KindText, KindText, KindNumber, KindNumber, KindText, KindText, KindText},
	}
	for i, row := range rows {
		if !reflect.DeepEqual(row.Kinds, wantKinds[i]) {
			t.Errorf("row %d kinds %v, want %v", row.Number, row.Kinds, wantKinds[i])
		}
	}
	if _, err := Open(p, Options{Sheet: "chart"}); err == nil || !strings.Contains(err.Error(), `sheet "Chart" is a chart sheet`) {
		t.Errorf("reading a chart sheet by name: %v", err)
	}
}

func TestXLSXStrictUTF16AndRelationships(t *testing.T) {
	strictWB := `<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`
	strictRels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/styles" Target="styles.xml"/></Relationships>`
	strictStyles := `<styleSheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><numFmts><numFmt numFmtId="164" formatCode="[h]:mm:ss"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="22"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>`
	strictSheet := `<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>When</t></is></c><c r="B1" t="inlineStr"><is><t>Took</t></is></c><c r="C1" t="inlineStr"><is><t>Day</t></is></c></row>` +
		`<row r="2"><c r="A2" s="1" t="d"><v>2026-06-30T08:14:59.999</v></c><c r="B2" s="2" t="d"><v>1899-12-31T03:30:00</v></c><c r="C2" s="3" t="d"><v>2026-06-30T08:14:59</v></c></row></sheetData></worksheet>`
	utf16 := func(s string) string {
		return string(encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), `<?xml version="1.0" encoding="UTF-16"?>`+s))
	}
	for _, c := range []struct {
		name  string
		parts map[string]string
		cells []string
		err   string
	}{
		{"strict", map[string]string{"xl/workbook.xml": strictWB, "xl/_rels/workbook.xml.rels": strictRels, "xl/styles.xml": strictStyles, "xl/worksheets/sheet1.xml": strictSheet},
			[]string{"2026-06-30 08:15:00", "27:30:00", "2026-06-30"}, ""},
		{"utf-16 parts", map[string]string{"xl/workbook.xml": utf16(wbXML), "xl/_rels/workbook.xml.rels": utf16(wbRels),
			"xl/worksheets/sheet1.xml": utf16(sheetNS + `<row r="1"><c r="A1" t="inlineStr"><is><t>Név</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Zoë 陳</t></is></c></row></sheetData></worksheet>`)},
			[]string{"Zoë 陳"}, ""},
		{"empty r:id", map[string]string{"xl/workbook.xml": strings.Replace(wbXML, `r:id="rId1"`, `r:id=""`, 1), "xl/_rels/workbook.xml.rels": wbRels, "xl/worksheets/sheet1.xml": sheetNS + `</sheetData></worksheet>`},
			nil, `sheet "S" has no relationship id`},
		{"dangling r:id", map[string]string{"xl/workbook.xml": strings.Replace(wbXML, `r:id="rId1"`, `r:id="rId9"`, 1), "xl/_rels/workbook.xml.rels": wbRels, "xl/worksheets/sheet1.xml": sheetNS + `</sheetData></worksheet>`},
			nil, `sheet "S" refers to relationship "rId9", which xl/workbook.xml does not have`},
		{"missing part", map[string]string{"xl/workbook.xml": wbXML, "xl/_rels/workbook.xml.rels": wbRels},
			nil, `part xl/worksheets/sheet1.xml of sheet "S" is missing`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Open(zipParts(t, c.parts), Options{})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "parts.xlsx") {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rows := readAll(t, r)
			if len(rows) != 1 || !reflect.DeepEqual(rows[0].Cells, c.cells) {
				t.Fatalf("rows %+v, want %q", rows, c.cells)
			}
		})
	}
}
