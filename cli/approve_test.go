package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/sandbox"
)

// newApprovalEnv is an env whose config leaves skip_approval out: every
// order waits in needs_approval, as CertCentral's default approval step
// has it (https://docs.digicert.com/manage-certificates/managing-certificate-request-approvals/).
func newApprovalEnv(t *testing.T, rows int, cfg sandbox.Config) *env {
	t.Helper()
	e := newEnv(t, rows, cfg)
	writeFile(t, e.config, strings.Replace(clientConfigYAML, "  skip_approval: true\n", "", 1))
	return e
}

func statusesOf(e *env) map[string]string {
	m := map[string]string{}
	for _, o := range e.sb.Orders() {
		m[o.Emails[0]] = o.Status
	}
	return m
}

func TestApproveListsConfirmsAndApprovesPendingRequests(t *testing.T) {
	e := newApprovalEnv(t, 3, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	// status --wait stops at once: nothing changes until someone approves.
	r := e.cmd("status", e.resultsPath(), "--wait", "10h", "--interval", "1h")
	if r.code != ExitRowsRetry || !strings.Contains(r.stderr, "3 orders wait for an approver") || !strings.Contains(r.stderr, "certbatch approve "+e.resultsPath()) ||
		!strings.Contains(r.stdout, "3 orders wait for an approver: certbatch approve") {
		t.Fatalf("status --wait: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Without a terminal and without --yes nothing is approved.
	r = e.cmd("approve", e.resultsPath(), "--row", "2")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "will approve (1)") || !strings.Contains(r.stderr, "person1@example.com") ||
		!strings.Contains(r.stderr, "new order") {
		t.Fatalf("approve without --yes: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := statusesOf(e); st["person1@example.com"] != "needs_approval" {
		t.Fatalf("approved without confirmation: %v", st)
	}
	// One person, by row.
	r = e.cmd("approve", e.resultsPath(), "--row", "2", "--yes", "--comment", "week 48")
	if r.code != 0 || !strings.Contains(r.stdout, "1 approved") {
		t.Fatalf("approve row 2: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := statusesOf(e); st["person1@example.com"] != "issued" || st["person2@example.com"] != "needs_approval" || st["person3@example.com"] != "needs_approval" {
		t.Fatalf("after approving row 2: %v", st)
	}
	// One person, by email, rejected.
	r = e.cmd("approve", "--email", "PERSON3@example.com", "--reject", "--comment", "wrong product", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "1 rejected") {
		t.Fatalf("reject by email: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The rest of the file.
	r = e.cmd("approve", e.resultsPath(), "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "1 approved") || !strings.Contains(r.stderr, "nothing pending") {
		t.Fatalf("approve the rest: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := statusesOf(e); st["person2@example.com"] != "issued" || st["person3@example.com"] != "rejected" {
		t.Fatalf("after approving the rest: %v", st)
	}
	// Twice is harmless: nothing is pending any more.
	r = e.cmd("approve", e.resultsPath(), "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "0 approved") {
		t.Fatalf("approve again: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	j, err := journal.Open(e.state, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	acts, err := j.Actions()
	if err != nil || len(acts) != 3 {
		t.Fatalf("journaled actions: %+v %v", acts, err)
	}
	for _, a := range acts {
		if a.State != journal.ActionDone || a.RequestID == 0 {
			t.Errorf("action %+v", a)
		}
	}
	if acts[0].Comment != "week 48" || acts[1].Kind != journal.ActionReject {
		t.Errorf("actions: %+v", acts)
	}
}

// A hand-edited results row whose order ID is someone else's is refused:
// the journal and order info say whose the order is.
func TestApproveAndCancelRefuseSomeoneElsesOrder(t *testing.T) {
	e := newApprovalEnv(t, 3, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	f := readResults(t, e.resultsPath())
	f.Records[0].OrderID = f.Records[2].OrderID // row 2 now names person3's order
	edited := filepath.Join(e.dir, "edited.csv")
	if err := f.Rewrite(edited); err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"approve", "cancel"} {
		r := e.cmd(verb, edited, "--row", "2", "--yes")
		if r.code != ExitRowsBad || !strings.Contains(r.stderr, "REFUSED row 2") || !strings.Contains(r.stderr, "person3@example.com's") {
			t.Fatalf("%s: %d\n%s%s", verb, r.code, r.stdout, r.stderr)
		}
	}
	if st := statusesOf(e); st["person3@example.com"] != "needs_approval" || st["person1@example.com"] != "needs_approval" {
		t.Fatalf("an order was touched: %v", st)
	}
	// Without the journal, order info alone tells (S/MIME orders name
	// their emails).
	os.Remove(e.state)
	r := run(t, e.vars, "approve", edited, "--row", "2", "--yes", "--state", filepath.Join(e.dir, "other.db"), "--base-url", e.base, "--quiet")
	if r.code != ExitRowsBad || !strings.Contains(r.stderr, "DigiCert's order info names person3@example.com") {
		t.Fatalf("approve without the journal: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// cancel --email acts on exactly that person's orders.
func TestCancelOnePerson(t *testing.T) {
	e := newApprovalEnv(t, 3, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	r := e.cmd("cancel", "--email", "person2@example.com", "--yes", "--note", "left before starting")
	// Awaiting approval: its request is rejected (DigiCert cancels from
	// pending and waiting_pickup only).
	if r.code != 0 || !strings.Contains(r.stdout, "1 rejected before approval") {
		t.Fatalf("cancel one person: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := statusesOf(e); st["person2@example.com"] != "rejected" || st["person1@example.com"] != "needs_approval" || st["person3@example.com"] != "needs_approval" {
		t.Fatalf("%v", st)
	}
	r = e.cmd("cancel", e.resultsPath(), "--key", "E3", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "1 rejected before approval") {
		t.Fatalf("cancel by key from the results (no key in a results row: the journal's): %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// status says what each waiting order waits for, and who can act.
func TestStatusSaysWhatOrdersWaitFor(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{EmailValidation: true})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	r := e.cmd("status", e.resultsPath(), "--resend")
	day := e.sb.Orders()[0].DateApproved.UTC().Format("2006-01-02")
	if r.code != 0 || !strings.Contains(r.stdout, "2 orders wait for the person to validate their mailbox") ||
		!strings.Contains(r.stdout, "waits for person1@example.com to validate the mailbox (DigiCert emailed it on "+day+")") ||
		!strings.Contains(r.stdout, "--resend: DigiCert documents no API") {
		t.Fatalf("status: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if err := e.sb.ValidateEmail(holdingID(t, e.sb, "person1@example.com")); err != nil {
		t.Fatal(err)
	}
	r = e.cmd("status", e.resultsPath(), "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"waiting_for":{"mailbox":1}`) {
		t.Fatalf("status --json: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, x := range readResults(t, e.resultsPath()).Records {
		if want := map[int]string{2: "issued", 3: "pending"}[x.Row]; x.OrderStatus != want {
			t.Errorf("row %d: %s, want %s", x.Row, x.OrderStatus, want)
		}
	}
}

// The starter config carries skip_approval, commented, with what it means.
func TestStarterConfigExplainsSkipApproval(t *testing.T) {
	dir := t.TempDir()
	r := run(t, nil, "template", "--product", "client_premium", "-o", filepath.Join(dir, "staff.xlsx"))
	if r.code != 0 {
		t.Fatalf("%d %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "staff.yaml"))
	if err != nil || !strings.Contains(string(b), "  # skip_approval: true  # without it each order waits in needs_approval until an administrator approves it (certbatch approve)") {
		t.Fatalf("starter config:\n%s %v", b, err)
	}
	if _, err := results.Read(filepath.Join(dir, "staff.xlsx")); err == nil {
		t.Log("(a template is not a results file)")
	}
	_ = order.Ordered
}
