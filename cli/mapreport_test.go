package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/sandbox"
)

// validate says which column feeds which order field and which columns
// are ignored, naming a free-text column that is not sent; the results'
// Summary sheet keeps the same report (and keeps it when status writes
// the file again). submit warns of the free-text column before asking.
func TestMappingReportInValidateAndSummary(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	rows := staff(2, 1)
	rows[0] = append(rows[0], "Comment", "Notes")
	rows[1] = append(rows[1], "do not issue before May", "desk 4")
	rows[2] = append(rows[2], "", "")
	writeCSV(t, e.input, rows)
	out := filepath.Join(e.dir, "check.xlsx")
	payloads := filepath.Join(e.dir, "bodies.jsonl")
	r := run(t, e.vars, "validate", e.input, "--config", e.config, "-o", out, "--payloads", payloads, "--state", e.state)
	if r.code != 0 {
		t.Fatalf("validate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"mapping (input column -> order field):",
		"Full Name   -> certificate.common_name (named by the config (columns:))",
		"Employee ID -> key (key: identifies the person across runs, never sent)",
		"Comment     -> - (NOT sent: free text (comments) the config does not map)",
		"Notes       -> - (ignored: no order field)",
		"First Name  -> certificate.individual.first_name (the template's header)",
		"constants from the config (order:): organization.id, payment_method, skip_approval, validity_years",
		`column "Comment" is NOT sent: it looks like comments`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("validate output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(readFile(t, payloads), "do not issue") {
		t.Error("the unmapped Comment column is in the order body")
	}
	check := func(path string) {
		t.Helper()
		f, err := results.Read(path)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]results.MappingRow{}
		for _, m := range f.Meta.Mapping {
			got[m.Column+"|"+m.Field] = m
		}
		for _, k := range []string{"Full Name|certificate.common_name", "Comment|", "Notes|", "|organization.id"} {
			if _, ok := got[k]; !ok {
				t.Errorf("%s: the Summary sheet's mapping lacks %q: %+v", filepath.Base(path), k, f.Meta.Mapping)
			}
		}
		if !strings.HasPrefix(got["Comment|"].How, "NOT sent: free text") {
			t.Errorf("Comment: %+v", got["Comment|"])
		}
	}
	check(out)

	r = e.submit("--quiet=false", "-o", filepath.Join(e.dir, "ordered.xlsx"))
	if r.code != 0 || !strings.Contains(r.stderr, `WARNING: column "Comment" is NOT sent`) {
		t.Errorf("submit: exit %d, no warning of the free-text column:\n%s", r.code, r.stderr)
	}
	check(filepath.Join(e.dir, "ordered.xlsx"))
	if r := run(t, e.vars, "status", filepath.Join(e.dir, "ordered.xlsx"), "--state", e.state, "--base-url", e.base); r.code != 0 {
		t.Fatalf("status: exit %d\n%s", r.code, r.stderr)
	}
	check(filepath.Join(e.dir, "ordered.xlsx"))
}

// With a journal at hand, the dry run says who submit would skip, by
// name and why, and notes it on the row; a key that belongs to another
// person's order is a problem, as submit would find.
func TestDryRunSaysWhoWouldBeSkipped(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	// Person 2 is ordered already, person 3 is new, and person 4 comes
	// with person 1's key.
	rows := staff(3, 2)
	rows[3][0] = "E1"
	writeCSV(t, e.input, rows)
	out := filepath.Join(e.dir, "dry.csv")
	r := run(t, e.vars, "validate", e.input, "--config", e.config, "--state", e.state, "-o", out, "--json")
	var js JSONSummary
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if r.code != ExitRowsBad || js.WouldSkip != 1 || js.Outcomes["valid"] != 2 || js.Outcomes["invalid"] != 1 {
		t.Errorf("exit %d, summary %+v", r.code, js)
	}
	f := readResults(t, out)
	if x := f.Records[0]; x.Outcome != "valid" || !strings.HasPrefix(x.Note, "would be skipped: already ordered in batch") {
		t.Errorf("row 2: %s %q", x.Outcome, x.Note)
	}
	if x := f.Records[1]; x.Outcome != "valid" || x.Note != "" {
		t.Errorf("row 3: %s %q", x.Outcome, x.Note)
	}
	if x := f.Records[2]; x.Outcome != "invalid" || !strings.Contains(x.Error, "conflicts with order") {
		t.Errorf("row 4: %s %q", x.Outcome, x.Error)
	}
	r = run(t, e.vars, "validate", e.input, "--config", e.config, "--state", e.state, "-o", out)
	for _, want := range []string{"Would be skipped, already ordered (1):", "row 2     Person 2 <person2@example.com>: would be skipped: already ordered in batch"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("validate output lacks %q:\n%s", want, r.stdout)
		}
	}
	// Without a journal nothing is said.
	r = run(t, e.vars, "validate", e.input, "--config", e.config, "--state", filepath.Join(e.dir, "none.db"), "-o", out)
	if strings.Contains(r.stdout, "Would be skipped") || fileExists(filepath.Join(e.dir, "none.db")) {
		t.Errorf("a dry run without a journal: %s", r.stdout)
	}
}

func readFile(t *testing.T, path string) string { return string(fileBytes(t, path)) }
