package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// `validate` after `submit` never replaces the results file that holds
// the orders: it keeps it, writes its own results beside it under a new
// name and says so; `status` on the kept file still follows the orders.
// `status` on a dry run's results says there is nothing to follow
// instead of exiting 0 having done nothing.
func TestDryRunNeverReplacesASubmissionsResults(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	res := filepath.Join(e.dir, "res.xlsx")
	base := []string{"--config", e.config, "--state", e.state, "--base-url", e.base, "-o", res}
	if r := run(t, e.vars, append([]string{"submit", e.input, "--yes", "--quiet"}, base...)...); r.code != 0 {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	before := fileBytes(t, res)
	r := run(t, e.vars, "validate", e.input, "--config", e.config, "-o", res)
	if r.code != 0 {
		t.Fatalf("validate: exit %d\n%s", r.code, r.stderr)
	}
	moved := filepath.Join(e.dir, "res-2.xlsx")
	if !bytes.Equal(fileBytes(t, res), before) {
		t.Error("validate replaced the results file that holds the orders")
	}
	if !strings.Contains(r.stderr, res+" holds the results of batch") || !strings.Contains(r.stderr, "it is kept, and the results go to "+moved) {
		t.Errorf("validate does not say the file was kept and where its results went:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, "Results: "+moved) {
		t.Errorf("the summary does not name the new results file:\n%s", r.stdout)
	}
	if f := readResults(t, moved); len(f.Records) != 3 || f.Records[0].Outcome != "valid" {
		t.Errorf("the dry run's results: %+v", f.Records)
	}
	r = run(t, e.vars, "status", res, "--state", e.state, "--base-url", e.base)
	if r.code != 0 || !strings.Contains(r.stdout, "orders by status: issued 3") {
		t.Errorf("status on the kept file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, e.vars, "status", moved, "--state", e.state, "--base-url", e.base)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "holds no orders to follow") {
		t.Errorf("status on a dry run's results: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A second dry run replaces the first dry run's results: those are
	// nobody's orders.
	if r := run(t, e.vars, "validate", e.input, "--config", e.config, "-o", moved); r.code != 0 || strings.Contains(r.stderr, "kept") {
		t.Errorf("a dry run over a dry run's results: exit %d\n%s", r.code, r.stderr)
	}
}

// A second submit of a file with the same name (next Monday's staff.csv)
// keeps the previous batch's results and writes its own beside them;
// and a file at -o that is not a certbatch results file is never
// replaced either.
func TestAnotherBatchKeepsThePreviousResults(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	submit := func() result {
		t.Helper()
		return run(t, e.vars, "submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base, "--yes", "--quiet")
	}
	first := filepath.Join(e.dir, "staff.results.xlsx")
	if r := submit(); r.code != 0 || !strings.Contains(r.stdout, "Results: "+first) {
		t.Fatalf("first submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	before := fileBytes(t, first)
	writeCSV(t, e.input, staff(2, 50)) // other people, the same file name
	r := submit()
	second := filepath.Join(e.dir, "staff.results-2.xlsx")
	if r.code != 0 || !strings.Contains(r.stdout, "Results: "+second) || !strings.Contains(r.stderr, "it is kept") {
		t.Fatalf("second submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !bytes.Equal(fileBytes(t, first), before) {
		t.Error("the second batch replaced the first batch's results")
	}
	if f := readResults(t, second); len(f.Records) != 2 || f.Records[0].Email != "person50@example.com" {
		t.Errorf("second results: %+v", f.Records)
	}

	notResults := filepath.Join(e.dir, "budget.xlsx")
	if err := os.WriteFile(notResults, []byte("not a workbook"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, e.vars, "validate", e.input, "--config", e.config, "-o", notResults)
	if r.code != 0 || !strings.Contains(r.stderr, "is not a certbatch results file: it is kept") {
		t.Errorf("validate -o a file of someone's: exit %d\n%s", r.code, r.stderr)
	}
	if string(fileBytes(t, notResults)) != "not a workbook" {
		t.Error("a file that is not a results file was replaced")
	}
}
