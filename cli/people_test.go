package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
)

// The results say who each row is beside what happened to it: the name
// and email columns come right after the outcome, as the input wrote
// them (an email that is not valid too), before the note (what
// happened) and the error (what went wrong); success text is never in
// the error column. Document signing rows are named by their signer
// (the template's person_name), not the certificate's common name.
func TestResultsSayWhoBesideTheOutcome(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	rows := staff(3, 1)
	rows[1][1], rows[1][2] = "Ann Lee", "Ann.Lee@Example.com"
	rows[3][2] = "not an email"
	writeCSV(t, e.input, rows)
	if r := e.submit(); r.code != ExitRowsBad {
		t.Fatalf("submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := e.submit(); r.code != ExitRowsBad {
		t.Fatalf("re-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := e.resultsPath()
	f := readResults(t, out)
	want := []struct {
		name, email string
		outcome     order.Outcome
	}{
		{"Ann Lee", "Ann.Lee@Example.com", order.Skipped},
		{"Person 2", "person2@example.com", order.Skipped},
		{"Person 3", "not an email", order.Invalid},
	}
	for i, w := range want {
		r := f.Records[i]
		if r.Name != w.name || r.Email != w.email || r.Outcome != w.outcome {
			t.Errorf("row %d: %q %q %s, want %q %q %s", r.Row, r.Name, r.Email, r.Outcome, w.name, w.email, w.outcome)
		}
		if r.Outcome == order.Skipped && (!strings.HasPrefix(r.Note, "already ordered") || r.Error != "") {
			t.Errorf("row %d: note %q, error %q: why it was skipped is a note, not an error", r.Row, r.Note, r.Error)
		}
	}
	if f.Records[2].Error == "" || f.Records[2].Note != "" {
		t.Errorf("invalid row: note %q, error %q", f.Records[2].Note, f.Records[2].Error)
	}
	// The header: who sits next to the outcome.
	b := readHeader(t, out)
	if !slices.Equal(b[:6], []string{"row", "outcome", "name", "email", "note", "error"}) {
		t.Errorf("results header starts %q", b[:6])
	}

	// Document signing: the signer's name.
	doc := filepath.Join(e.dir, "doc.results.csv")
	r := run(t, nil, "validate", repoFile("samples", "document_signing.csv"), "--config", repoFile("samples", "document_signing.yaml"), "-o", doc)
	if r.code != 0 {
		t.Fatalf("validate: exit %d\n%s", r.code, r.stderr)
	}
	if d := readResults(t, doc).Records[0]; d.Name != "Rene Pierce" || d.Email != "rene.pierce@yahoo.com" {
		t.Errorf("document signing row: name %q, email %q", d.Name, d.Email)
	}
}

// readHeader returns the first line of a results CSV file as cells.
func readHeader(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(strings.TrimPrefix(string(b), "\uFEFF"), "\r\n")
	return strings.Split(line, ",")
}
