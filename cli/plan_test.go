package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
)

// The plan says, by name and before the question, who will be ordered,
// who is skipped and why, and who is left out: every person of a small
// batch.
func TestPlanNamesEveryPersonOfASmallBatch(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("first submit: exit %d\n%s", r.code, r.stderr)
	}
	rows := staff(4, 1) // persons 1 and 2 are ordered already
	rows[4][2] = "not-an-email"
	writeCSV(t, e.input, rows)
	r := e.submit("--quiet=false")
	if r.code != ExitRowsBad {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"To order (1):", "row 4     Person 3 <person3@example.com>: client_premium; validity: 1 year",
		"Skipped, already ordered (2):", "row 2     Person 1 <person1@example.com>: already ordered in batch ",
		"row 3     Person 2 <person2@example.com>: already ordered in batch ",
		"Invalid, not sent (1):", `row 5     Person 4 <not-an-email>: Email "not-an-email": not a single email address`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the plan lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Index(r.stderr, "To order (1):") > strings.Index(r.stderr, "certbatch will place up to 1 order") {
		t.Error("the names come after the counts: they should come before the question")
	}
}

// A big batch lists the first rows of each kind and counts the rest;
// --show-plan lists them all. People the account could not be checked
// for are held back, by name.
func TestPlanOfABigBatchAndShowPlan(t *testing.T) {
	e := newEnv(t, 30, sandbox.Config{Faults: map[string]sandbox.Faults{sandbox.EndpointRead: {FailEvery: 1}}})
	r := e.submit("--quiet=false")
	if r.code != ExitRowsRetry {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	listed := regexp.MustCompile(`(?m)^  row \d+ +Person \d+ <person\d+@example.com>: not sent: DigiCert could not be checked`)
	if n := len(listed.FindAllString(r.stderr, -1)); n != 10 || !strings.Contains(r.stderr, "Held back, not sent (30):") ||
		!strings.Contains(r.stderr, "... and 20 more") || !strings.Contains(r.stderr, "--show-plan lists every row") {
		t.Errorf("%d rows listed, want the first 10 and a count:\n%s", n, r.stderr)
	}
	r = e.submit("--quiet=false", "--show-plan")
	if n := len(listed.FindAllString(r.stderr, -1)); n != 30 || strings.Contains(r.stderr, "more") {
		t.Errorf("--show-plan listed %d rows, want 30:\n%s", n, r.stderr)
	}
	if len(e.sb.Orders()) != 0 {
		t.Errorf("%d orders placed for people the account could not be checked for", len(e.sb.Orders()))
	}
}

// `results --batch` after a run was killed lists every row of the
// batch's input: the rows it answered, the one in flight (uncertain),
// and the rows it never reached, each saying so with its cells and its
// person, instead of leaving them out. A file holding another batch's
// results is kept.
func TestResultsOfAKilledBatchListEveryRow(t *testing.T) {
	bin := binary(t)
	e, gate := newGatedEnv(t, 20, sandbox.Config{})
	rows := staff(20, 1)
	rows[20][2] = "broken" // row 21: invalid whether reached or not
	writeCSV(t, e.input, rows)
	held := gate.arm(4, dropAnswer)
	cmd := e.command(bin, "--concurrency", "1", "--no-account-check")
	exited := startHeld(t, cmd, held, "kill")
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	gate.open()
	gate.quiesce(t)
	out := filepath.Join(e.dir, "rebuilt.csv")
	r := run(t, nil, "results", "--state", e.state, "--batch", e.batchID(), "-o", out)
	if r.code != 0 {
		t.Fatalf("results: exit %d\n%s", r.code, r.stderr)
	}
	f := readResults(t, out)
	if len(f.Records) != 20 {
		t.Fatalf("the rebuilt results hold %d of 20 rows", len(f.Records))
	}
	n := map[order.Outcome]int{}
	for i, x := range f.Records {
		n[x.Outcome]++
		if x.Row != i+2 || x.Input[2] != rows[i+1][2] || x.Email != rows[i+1][2] || x.Name != rows[i+1][1] {
			t.Errorf("record %d: row %d, cells %q, who %q %q", i, x.Row, x.Input, x.Name, x.Email)
		}
		if x.Outcome == order.NotReached && !strings.Contains(x.Error, "not reached") {
			t.Errorf("row %d: not reached without saying so: %q", x.Row, x.Error)
		}
	}
	if n[order.Ordered] != 3 || n[order.Uncertain] != 1 || n[order.Invalid] != 1 || n[order.NotReached] != 15 {
		t.Errorf("outcomes %v, want 3 ordered, the held one uncertain, the invalid row invalid, 15 not reached", n)
	}
	if !strings.Contains(r.stdout, "not_reached 15") {
		t.Errorf("the summary does not count the rows not reached:\n%s", r.stdout)
	}

	// Another batch's rebuild does not replace this file.
	if r := e.submit(); r.code != ExitRowsBad { // the invalid row
		t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
	}
	r = run(t, nil, "results", "--state", e.state, "--batch", e.batchID(), "-o", out)
	if r.code != 0 || !strings.Contains(r.stderr, "rebuilt.csv holds the results of a submission (its orders): it is kept") || !strings.Contains(r.stdout, "rebuilt-2.csv") {
		t.Errorf("results of another batch into the same file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if f := readResults(t, out); len(f.Records) != 20 || f.Records[18].Outcome != order.NotReached {
		t.Error("the first rebuild was replaced")
	}
}
