package cli

import (
	"strings"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

// A person is one identity whatever the spelling: the key's formatting,
// adding key: later, and conflicts that only --force passes.
func TestIdentityWhateverTheSpelling(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	noKey := strings.Replace(clientConfigYAML, "key: Employee ID\n", "", 1)
	write := func(rows ...[]string) {
		writeCSV(t, e.input, append([][]string{{"Employee ID", "Full Name", "Email", "Department", "First Name", "Last Name"}}, rows...))
	}
	writeFile(t, e.config, noKey)
	write([]string{"00124", "Ann Lee", "Ann.Lee@example.com", "R&D", "Ann", "Lee"})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("first run: %d %s", r.code, r.stderr)
	}
	posts := func() int { return e.sb.Stats().OrderPOSTs }

	// key: added to the config later: the email still identifies her.
	writeFile(t, e.config, clientConfigYAML)
	if r := e.submit(); r.code != 0 || posts() != 1 || e.results()[2].outcome != "skipped" {
		t.Fatalf("after adding key: exit %d, %d POSTs, %+v\n%s", r.code, posts(), e.results()[2], r.stderr)
	}
	// The key typed without the zeros a spreadsheet showed, email spelled
	// in another case: the same person.
	write([]string{"124", "Ann Lee", " ann.lee@EXAMPLE.com", "R&D", "Ann", "Lee"})
	if r := e.submit(); r.code != 0 || posts() != 1 || e.results()[2].outcome != "skipped" {
		t.Fatalf("other spelling: exit %d, %d POSTs, %+v\n%s", r.code, posts(), e.results()[2], r.stderr)
	}
	// Same key, another email: a conflict naming the earlier order.
	write([]string{"124", "Ann Lee", "ann.married@example.com", "R&D", "Ann", "Lee"})
	r := e.submit()
	x := e.results()[2]
	if r.code != ExitRowsBad || posts() != 1 || x.outcome != "invalid" || !strings.Contains(x.err, "conflicts with order 100001") {
		t.Fatalf("same key, other email: exit %d, %d POSTs, %+v", r.code, posts(), x)
	}
	// --force is the only way past it.
	if r := e.submit("--force"); r.code != 0 || posts() != 2 {
		t.Fatalf("--force: exit %d, %d POSTs\n%s", r.code, posts(), r.stderr)
	}
}

// A person recorded with a key conflicts with a row giving the same email
// and another key.
func TestIdentitySameEmailOtherKey(t *testing.T) {
	e := newEnv(t, 1, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatal(r.stderr)
	}
	rows := staff(1, 1)
	rows[1][0] = "E999"
	writeCSV(t, e.input, rows)
	r := e.submit()
	if x := e.results()[2]; r.code != ExitRowsBad || x.outcome != "invalid" || !strings.Contains(x.err, `under key "e1"`) {
		t.Fatalf("exit %d: %+v", r.code, x)
	}
	if n := e.sb.Stats().OrderPOSTs; n != 1 {
		t.Errorf("%d POSTs", n)
	}
}
