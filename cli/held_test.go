package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/sandbox"
)

// Rows hidden in Excel (by hand or by a filter) or struck through are
// held back: the dry run says so by row, submit orders none of them
// (not even when its own results file is fed back in), and
// --include-hidden orders them like the others.
func TestHiddenAndStruckRowsAreHeldBack(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	in := filepath.Join(e.dir, "staff.xlsx")
	x := excelize.NewFile()
	const s = "Sheet1"
	for i, r := range staff(5, 1) {
		row := make([]any, len(r))
		for k, c := range r {
			row[k] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow(s, cell, &row)
	}
	x.SetRowVisible(s, 3, false) // person2
	struck, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Strike: true}})
	x.SetCellStyle(s, "A4", "F4", struck)              // person3
	x.SetCellRichText(s, "C5", []excelize.RichTextRun{ // person4: an old address struck through
		{Text: "old4@example.com", Font: &excelize.Font{Strike: true}}, {Text: "; person4@example.com"}})
	if err := x.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	e.input = in

	r := run(t, e.vars, "validate", in, "--config", e.config, "-o", filepath.Join(e.dir, "v.csv"))
	for _, want := range []string{
		"row 3: held back, not ordered: the row is hidden in Excel; check it, then --include-hidden orders it",
		`row 4: held back, not ordered: the row is struck through in Excel (column "Employee ID")`,
		`row 5: held back, not ordered: the row is part of the text in column "Email" is struck through in Excel`,
		"5 rows read from sheet \"Sheet1\", 2 valid, 3 held",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("validate lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
	if r.code != ExitOK {
		t.Errorf("validate: exit %d", r.code)
	}

	r = e.submit()
	if r.code != ExitOK || len(e.sb.Orders()) != 2 {
		t.Fatalf("submit: exit %d, %d orders\n%s%s", r.code, len(e.sb.Orders()), r.stdout, r.stderr)
	}
	res := e.results()
	for row, want := range map[int]string{2: "ordered", 3: "held", 4: "held", 5: "held", 6: "ordered"} {
		if res[row].outcome != want {
			t.Errorf("row %d: %s (%s), want %s", row, res[row].outcome, res[row].err, want)
		}
	}

	// The results file fed back in holds the same rows back.
	again := filepath.Join(e.dir, "again.csv")
	r = run(t, e.vars, "submit", e.resultsPath(), "--config", e.config, "--state", e.state, "--base-url", e.base,
		"-o", again, "--yes", "--quiet", "--settle", "0s")
	f := readResults(t, again)
	if got := outcomes(f); r.code != ExitOK || got["held"] != 3 || got["skipped"] != 2 || len(e.sb.Orders()) != 2 {
		t.Fatalf("results fed back: exit %d, outcomes %v, %d orders\n%s%s", r.code, got, len(e.sb.Orders()), r.stdout, r.stderr)
	}
	if msg := f.Records[1].Error; !strings.Contains(msg, "hidden in Excel (in the input of the run that wrote this file)") {
		t.Errorf("row 3 fed back: %q", msg)
	}

	r = e.submit("--include-hidden")
	if r.code != ExitOK || len(e.sb.Orders()) != 5 {
		t.Fatalf("--include-hidden: exit %d, %d orders\n%s%s", r.code, len(e.sb.Orders()), r.stdout, r.stderr)
	}
}
