package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

// The nightly roster: one joiner, one renewal, one leaver, in one run;
// --dry-run shows the three groups and sends nothing; leavers are
// revoked only with --revoke-leavers.
func TestSyncRosterJoinersRenewalsLeavers(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{Holdings: []sandbox.Holding{
		{Email: "renew.me@example.com", FirstName: "Renew", LastName: "Me", ExpiresIn: 10},
		{Email: "leaver@example.com", FirstName: "Lea", LastName: "Ver", ExpiresIn: 200},
	}})
	// person2 was ordered by an earlier submit: current.
	e.input = writeCSV(t, filepath.Join(e.dir, "first.csv"), [][]string{staff(0, 0)[0], staff(1, 2)[1]})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	roster := writeCSV(t, filepath.Join(e.dir, "roster.csv"), [][]string{staff(0, 0)[0],
		staff(1, 1)[1], // person1: a joiner
		staff(1, 2)[1], // person2: current
		{"E50", "Renew Me", "renew.me@example.com", "Dept 1", "Renew", "Me"}, // holds a certificate that expires in 10 days
	})
	sync := func(extra ...string) result {
		t.Helper()
		return run(t, e.vars, append([]string{"sync", roster, "--config", e.config, "--state", e.state, "--base-url", e.base,
			"-o", filepath.Join(e.dir, "sync.csv"), "--quiet", "--settle", "0s"}, extra...)...)
	}
	before := len(e.sb.Orders())
	r := sync("--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "1 joiners, 1 renewals, 1 leavers; nothing was sent") ||
		!strings.Contains(r.stderr, "joiners (1): new to the account: will order") || !strings.Contains(r.stderr, "person1@example.com") ||
		!strings.Contains(r.stderr, "renewals (1)") || !strings.Contains(r.stderr, "renew.me@example.com") ||
		!strings.Contains(r.stderr, "leavers (1): active certificates of people no longer on the roster: listed only") ||
		!strings.Contains(r.stderr, "leaver@example.com") {
		t.Fatalf("dry run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Orders()); n != before {
		t.Fatalf("the dry run ordered: %d orders, want %d", n, before)
	}
	r = sync("--yes", "--json")
	var js JSONSync
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || r.code != 0 {
		t.Fatalf("sync: %d %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if js.Joiners.Count != 1 || js.Renewals.Count != 1 || js.Leavers.Count != 1 || js.Revoked != 0 ||
		!slices.Equal(js.Joiners.People, []string{"person1@example.com"}) || !slices.Equal(js.Renewals.People, []string{"renew.me@example.com"}) ||
		!slices.Equal(js.Leavers.People, []string{"leaver@example.com"}) || js.Outcomes["ordered"] != 2 || js.ExitCode != 0 {
		t.Fatalf("sync --json: %+v", js)
	}
	if n := len(e.sb.Orders()); n != before+2 {
		t.Fatalf("%d orders, want %d", n, before+2)
	}
	if len(renewalsOf(t, e.sb, holdingID(t, e.sb, "renew.me@example.com"))) != 1 {
		t.Error("no renewal")
	}
	var groups []string
	for _, x := range readResults(t, filepath.Join(e.dir, "sync.csv")).Records {
		groups = append(groups, x.Input[0]+"/"+x.Input[1]+"/"+string(x.Outcome))
	}
	// renew.me was found at DigiCert (not in the journal): journaled as
	// current, and renewed.
	if want := []string{"joiner/person1@example.com/ordered", "renewal/renew.me@example.com/ordered", "leaver/leaver@example.com/skipped",
		"current/renew.me@example.com/skipped"}; !slices.Equal(groups, want) {
		t.Errorf("results groups: %v, want %v", groups, want)
	}
	if st := statusesOf(e); st["leaver@example.com"] != "issued" {
		t.Errorf("a leaver was revoked by default: %v", st)
	}
	// Nightly again: nothing new, the leaver still listed.
	r = sync("--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "0 joiners, 0 renewals, 1 leavers") || len(e.sb.Orders()) != before+2 {
		t.Fatalf("second sync: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Leavers are revoked only when asked, with a reason.
	if r = sync("--yes", "--revoke-leavers"); r.code != ExitUsage {
		t.Fatalf("--revoke-leavers without --reason: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = sync("--yes", "--revoke-leavers", "--reason", "cessationOfOperation", "--skip-approval")
	if r.code != 0 || !strings.Contains(r.stdout, "1 leavers (1 revoked or requested)") {
		t.Fatalf("revoke leavers: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := statusesOf(e); st["leaver@example.com"] != "revoked" || st["person1@example.com"] != "issued" {
		t.Errorf("%v", st)
	}
	if r = sync("--yes", "--json"); !strings.Contains(r.stdout, `"leavers":{"count":0`) {
		t.Errorf("after the revocation: %s", r.stdout)
	}
}
