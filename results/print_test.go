package results

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/certbatch/certbatch/order"
)

// A results workbook prints on landscape pages, every column on one
// page's width, with the header row repeated at the top of each page:
// read from the written workbook's XML (the sheet's pageSetup and
// pageSetUpPr, the workbook's _xlnm.Print_Titles for the Results sheet).
// A workbook written again (status, download, cancel) keeps it.
func TestResultsPrintOnLandscapePagesWithTheHeaderRepeated(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.xlsx")
	w, err := Create(p, []string{"Full Name", "Email", "Department"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if err := w.Write(&order.Result{Row: i + 2, Outcome: order.Ordered, Input: []string{"Person", "p@example.com", "Dept"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(dir, "again.xlsx")
	f, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Rewrite(again); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{p, again} {
		sheet := zipPart(t, path, "xl/worksheets/sheet1.xml")
		book := zipPart(t, path, "xl/workbook.xml")
		for what, re := range map[string]string{
			"landscape":      `<pageSetup[^>]*orientation="landscape"`,
			"one page wide":  `<pageSetup[^>]*fitToWidth="1"`,
			"pages down":     `<pageSetup[^>]*fitToHeight="0"`,
			"fit to page on": `<pageSetUpPr[^>]*fitToPage="(1|true)"`,
		} {
			if !regexp.MustCompile(re).MatchString(sheet) {
				t.Errorf("%s: sheet XML lacks %s (%s)", filepath.Base(path), what, re)
			}
		}
		if !regexp.MustCompile(`<definedName (localSheetId="0" )?name="_xlnm.Print_Titles"( localSheetId="0")?>(&#39;|')?Results(&#39;|')?!\$1:\$1</definedName>`).MatchString(book) {
			t.Errorf("%s: the workbook does not repeat the header row on every page:\n%s", filepath.Base(path), book)
		}
	}
}
