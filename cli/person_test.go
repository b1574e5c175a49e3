package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

// A person is the set of their emails, each normalized (Unicode NFC, any
// case, the domain in A-labels): the emails of a row in another order, or
// one of them spelt another way, is the same person, in the batch's
// duplicate check, against the journal and against the account.
func TestPersonIsTheSetOfTheirEmails(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	writeFile(t, e.config, strings.Replace(clientConfigYAML, "key: Employee ID\n", "", 1))
	header := []string{"Employee ID", "Full Name", "Email", "Department", "First Name", "Last Name"}
	write := func(emails ...string) {
		rows := [][]string{header}
		for i, m := range emails {
			rows = append(rows, []string{"E" + itoa(i), "Ann Lee", m, "R&D", "Ann", "Lee"})
		}
		writeCSV(t, e.input, rows)
	}
	posts := func() int { return e.sb.Stats().OrderPOSTs }
	step := func(what string, wantPosts int, want ...string) {
		t.Helper()
		r := e.submit()
		res := e.results()
		for i, w := range want {
			if got := res[i+2]; got.outcome != w {
				t.Errorf("%s: row %d %s (%s), want %s", what, i+2, got.outcome, got.err, w)
			}
		}
		if posts() != wantPosts {
			t.Fatalf("%s: %d POSTs, want %d (exit %d)\n%s", what, posts(), wantPosts, r.code, r.stderr)
		}
	}

	write("a@example.com; b@example.com")
	step("first order", 1, "ordered")
	write("b@example.com; a@example.com")
	step("the same emails in the other order", 1, "skipped")
	write("b@example.com")
	step("the second email alone", 1, "skipped")

	write("Ann@Bücher.example")
	step("a Unicode domain", 2, "ordered")
	if o := e.sb.Orders(); !slices.Equal(o[len(o)-1].Emails, []string{"Ann@xn--bcher-kva.example"}) {
		t.Errorf("sent %q, want the domain in A-labels", o[len(o)-1].Emails)
	}
	write("ann@xn--BCHER-kva.example")
	step("the same mailbox in A-labels", 2, "skipped")
	write("c@example.com; ANN@BU\u0308CHER.example")
	step("the same mailbox decomposed (NFD), in upper case, as a second email", 2, "skipped")

	// In one batch: one mailbox written two ways is one person; a local
	// part beyond ASCII is refused before anything is sent.
	write("d@bücher.example", "D@xn--bcher-kva.example", "jos\u00e9@example.com", "jos\u0065\u0301@example.com")
	step("one batch", 3, "ordered", "invalid", "invalid", "invalid")
	res := e.results()
	if !strings.Contains(res[3].err, "duplicate of row 2") || !strings.Contains(res[4].err, "beyond ASCII before the @") || !strings.Contains(res[5].err, "beyond ASCII before the @") {
		t.Errorf("one batch: %q / %q / %q", res[3].err, res[4].err, res[5].err)
	}

	// A lost journal: the account check finds the person by any email
	// order info names.
	e.state = filepath.Join(e.dir, "fresh.db")
	write("b@example.com")
	step("a lost journal", 3, "skipped")
	if res := e.results(); !strings.Contains(res[2].note, "found at DigiCert") {
		t.Errorf("lost journal: %q", res[2].note)
	}
}
