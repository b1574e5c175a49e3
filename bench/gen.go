package main

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// The generated people: deterministic, with non-ASCII names mixed in.
var (
	given   = []string{"Ada", "Grace", "Alan", "Zoë", "José", "Søren", "Chloé", "민준", "서연", "美玲", "志明", "Olúwadámilárẹ́", "Björn", "Ngozi", "Priya", "Tomás"}
	family  = []string{"Lovelace", "Hopper", "Turing", "Ünal", "Álvarez", "Kierkegaard", "Dubois", "김", "이", "陳", "林", "Adébáyọ̀", "Borg", "Okafor", "Sharma", "Ortega"}
	depts   = []string{"Accounting", "Engineering", "Sales; Marketing", "Legal", "Human Resources", "R&D", "Operations", "Support"}
	headers = []string{"Employee ID", "Full Name", "Email", "Department", "Validity Years", "Phone", "First Name", "Last Name"}
)

// person returns the cells of row i (0-based).
func person(i int) []string {
	g, f := given[i%len(given)], family[(i/len(given))%len(family)]
	return []string{
		strconv.Itoa(100000 + i),
		g + " " + f,
		"user" + strconv.Itoa(i) + "@example.com",
		depts[i%len(depts)],
		strconv.Itoa(1 + i%2),
		"+1-555-" + fmt.Sprintf("%07d", i%10000000),
		g,
		f,
	}
}

func writeCSV(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write(headers)
	for i := 0; i < n; i++ {
		w.Write(person(i))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeXLSX writes a workbook the way Excel and LibreOffice do: every
// text in a shared-strings table, numbers as numeric cells.
func writeXLSX(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	z := zip.NewWriter(f)
	put := func(name, s string) {
		w, _ := z.Create(name)
		io.WriteString(w, s)
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	put("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>`)

	// Shared strings: every distinct text, in first-use order.
	idx := map[string]int{}
	var sst []string
	intern := func(s string) int {
		if i, ok := idx[s]; ok {
			return i
		}
		idx[s] = len(sst)
		sst = append(sst, s)
		return len(sst) - 1
	}
	sw, _ := z.Create("xl/worksheets/sheet1.xml")
	bw := bufio.NewWriterSize(sw, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	row := func(r int, cells []string, numeric func(int) bool) {
		fmt.Fprintf(bw, `<row r="%d">`, r)
		for c, v := range cells {
			ref := string(rune('A'+c)) + strconv.Itoa(r)
			if numeric(c) {
				fmt.Fprintf(bw, `<c r="%s"><v>%s</v></c>`, ref, v)
			} else {
				fmt.Fprintf(bw, `<c r="%s" t="s"><v>%d</v></c>`, ref, intern(v))
			}
		}
		bw.WriteString(`</row>`)
	}
	row(1, headers, func(int) bool { return false })
	for i := 0; i < n; i++ {
		row(i+2, person(i), func(c int) bool { return c == 0 || c == 4 })
	}
	bw.WriteString(`</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	ss, _ := z.Create("xl/sharedStrings.xml")
	sb := bufio.NewWriterSize(ss, 1<<20)
	fmt.Fprintf(sb, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst), len(sst))
	for _, s := range sst {
		sb.WriteString("<si><t>" + xmlEscape(s) + "</t></si>")
	}
	sb.WriteString("</sst>")
	if err := sb.Flush(); err != nil {
		return err
	}
	return z.Close()
}
