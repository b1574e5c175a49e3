package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/sandbox"
)

// runTTY runs certbatch as if stdin were a terminal that types stdin.
func (e *env) runTTY(stdin string, args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	io := IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, Getenv: func(k string) string { return e.vars[k] }, InTTY: true}
	code := Main(context.Background(), append(args, "--state", e.state, "--base-url", e.base, "--quiet"), io)
	return result{code, out.String(), errb.String()}
}

// Revoke (https://dev.digicert.com/certcentral-apis/services-api/orders/revoke-order-certificates.html):
// a documented reason, a plan naming each person and certificate, a
// typed confirmation, a request an approver approves; twice is harmless.
func TestRevokeOnePersonWithReasonAndTypedConfirmation(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	r := e.cmd("revoke", "--email", "person2@example.com", "--reason", "left", "--yes")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "cessationOfOperation") {
		t.Fatalf("bad reason: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = e.runTTY("yes\n", "revoke", "--email", "person2@example.com", "--reason", "cessationOfOperation", "--comment", "left 2026-11-30")
	if r.code != ExitUsage || !strings.Contains(r.stderr, `Type "revoke 1"`) || !strings.Contains(r.stderr, "will revoke (1)") ||
		!strings.Contains(r.stderr, "person2@example.com") || !strings.Contains(r.stderr, "certificate 9") {
		t.Fatalf("\"yes\" is not the typed confirmation: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := statusesOf(e); st["person2@example.com"] != "issued" {
		t.Fatalf("revoked without confirmation: %v", st)
	}
	r = e.runTTY("revoke 1\n", "revoke", "--email", "person2@example.com", "--reason", "cessationOfOperation", "--comment", "left 2026-11-30")
	if r.code != 0 || !strings.Contains(r.stdout, "1 waiting for an approver") {
		t.Fatalf("revoke: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The request, approved with certbatch approve: revoked.
	r = e.cmd("approve", "--email", "person2@example.com", "--yes")
	if r.code != 0 || !strings.Contains(r.stderr, "REVOCATION") || !strings.Contains(r.stdout, "1 approved") {
		t.Fatalf("approve the revocation: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := statusesOf(e); st["person2@example.com"] != "revoked" || st["person1@example.com"] != "issued" || st["person3@example.com"] != "issued" {
		t.Fatalf("%v", st)
	}
	mut := e.sb.Stats().Mutations
	r = e.cmd("revoke", "--email", "person2@example.com", "--reason", "cessationOfOperation", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "1 revoked already") || e.sb.Stats().Mutations != mut {
		t.Fatalf("revoke again: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	j, err := journal.Open(e.state, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	acts, _ := j.Actions()
	// The revocation was requested, then approved: the run that found it
	// revoked closed it as done.
	if len(acts) != 2 || acts[0].Kind != journal.ActionRevoke || acts[0].State != journal.ActionDone || acts[0].Reason != "cessationOfOperation" ||
		acts[0].Comment != "cessationOfOperation: left 2026-11-30" {
		t.Errorf("journaled: %+v", acts)
	}
}

// A leavers file (any input format) names the people; the account
// supplies the orders the journal does not know. A revoked person comes
// back as a new order without --force.
func TestRevokeLeaversFile(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{Holdings: []sandbox.Holding{{Email: "gone@example.com", ExpiresIn: 100}}})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	leavers := writeCSV(t, filepath.Join(e.dir, "leavers.csv"), [][]string{staff(0, 0)[0],
		{"E1", "Person 1", "person1@example.com", "Dept 1", "Person", "1"},
		{"E99", "Gone Holder", "gone@example.com", "Dept 2", "Gone", "Holder"}})
	r := e.cmd("revoke", "--leavers", leavers, "--config", e.config, "--reason", "affiliationChanged", "--skip-approval", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "2 revoked") || !strings.Contains(r.stderr, "will revoke (2)") {
		t.Fatalf("revoke leavers: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := statusesOf(e); st["person1@example.com"] != "revoked" || st["gone@example.com"] != "revoked" || st["person2@example.com"] != "issued" {
		t.Fatalf("%v", st)
	}
	// Person 1 is hired again: ordered again without --force.
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "1 ordered") || !strings.Contains(r.stdout, "1 skipped") {
		t.Fatalf("submit after the revocation: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// revoke never touches a certificate whose holder is not confirmed.
func TestRevokeRefusesUnconfirmedHolders(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	f := readResults(t, e.resultsPath())
	f.Records[0].OrderID = f.Records[2].OrderID // row 2 names person3's order
	for i := range f.Records[1].Input {
		f.Records[1].Input[i] = "" // row 3 names nobody
	}
	edited := filepath.Join(e.dir, "edited.csv")
	if err := f.Rewrite(edited); err != nil {
		t.Fatal(err)
	}
	r := e.cmd("revoke", edited, "--row", "2", "--reason", "superseded", "--skip-approval", "--yes")
	if r.code != ExitRowsBad || !strings.Contains(r.stderr, "REFUSED") || !strings.Contains(r.stderr, "person3@example.com") {
		t.Fatalf("someone else's order: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Row 3 names nobody and this journal does not know its order.
	r = run(t, e.vars, "revoke", edited, "--row", "3", "--reason", "superseded", "--skip-approval", "--yes", "--state", filepath.Join(e.dir, "fresh.db"), "--base-url", e.base, "--quiet")
	if r.code != ExitRowsBad || !strings.Contains(r.stderr, "neither the journal nor DigiCert's order info says") {
		t.Fatalf("holder not confirmed: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for email, st := range statusesOf(e) {
		if st != "issued" {
			t.Errorf("%s: %s", email, st)
		}
	}
}

// A revocation a stopped run journaled and never sent is closed by the
// next run, which then revokes: resumable.
func TestRevokeResumesAStoppedRun(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	id := holdingID(t, e.sb, "person2@example.com")
	j, err := journal.Open(e.state, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.AddAction(journal.Action{OrderID: id, Kind: journal.ActionRevoke, Who: "person2@example.com", Reason: "superseded"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	r := e.cmd("revoke", "--email", "person2@example.com", "--reason", "superseded", "--skip-approval", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "1 revoked,") {
		t.Fatalf("resumed revoke: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	j, _ = journal.Open(e.state, journal.Options{ReadOnly: true})
	defer j.Close()
	acts, _ := j.Actions()
	if len(acts) != 2 || acts[0].State != journal.ActionFailed || !strings.Contains(acts[0].Error, "no revocation reached DigiCert") || acts[1].State != journal.ActionDone {
		t.Errorf("actions: %+v", acts)
	}
}
