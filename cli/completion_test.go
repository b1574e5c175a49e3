package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/input"
)

// complete runs cobra's hidden __complete command through Main and
// returns the completions offered.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	r := run(t, nil, append([]string{"__complete"}, args...)...)
	if r.code != 0 {
		t.Fatalf("__complete %q: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if line != "" && !strings.HasPrefix(line, ":") {
			got = append(got, strings.SplitN(line, "\t", 2)[0])
		}
	}
	return got
}

// Shell completion completes product IDs, encodings and sheet names.
func TestCompletion(t *testing.T) {
	for _, cmd := range []string{"validate", "submit"} {
		got := complete(t, cmd, "staff.csv", "--product", "client_p")
		if !slices.Equal(got, []string{"client_premium", "client_premium_sha2"}) {
			t.Errorf("%s --product client_p: %q", cmd, got)
		}
	}
	if got := complete(t, "template", "--product", "doc"); !slices.Equal(got, []string{"document_signing_org_1", "document_signing_org_2"}) {
		t.Errorf("template --product doc: %q", got)
	}
	got := complete(t, "validate", "staff.csv", "--encoding", "")
	for _, want := range append(input.EncodingNames(), "shift_jis", "windows-1252") {
		if !slices.Contains(got, want) {
			t.Errorf("--encoding: %q lacks %q", got, want)
		}
	}
	if got := complete(t, "validate", "staff.csv", "--encoding", "CP9"); !slices.Equal(got, []string{"cp949", "cp950"}) {
		t.Errorf("--encoding CP9: %q", got)
	}

	// Sheets come from the workbook named as the argument; hidden sheets
	// are not offered.
	book := filepath.Join(t.TempDir(), "hires.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Instructions")
	f.NewSheet("Q1 hires")
	f.NewSheet("Q2 hires")
	f.NewSheet("Secret")
	f.SetSheetVisible("Secret", false)
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	if got := complete(t, "submit", book, "--sheet", ""); !slices.Equal(got, []string{"Instructions", "Q1 hires", "Q2 hires"}) {
		t.Errorf("--sheet: %q", got)
	}
	if got := complete(t, "validate", book, "--sheet", "q"); !slices.Equal(got, []string{"Q1 hires", "Q2 hires"}) {
		t.Errorf("--sheet q: %q", got)
	}
	// No workbook, or a CSV: nothing to offer, and no error.
	if got := complete(t, "validate", "--sheet", ""); len(got) != 0 {
		t.Errorf("--sheet without an input: %q", got)
	}
	if got := complete(t, "validate", "missing.xlsx", "--sheet", ""); len(got) != 0 {
		t.Errorf("--sheet of a missing file: %q", got)
	}
}
