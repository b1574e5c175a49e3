package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

func (e *env) validateAccount(extra ...string) result {
	e.t.Helper()
	args := append([]string{"validate", e.input, "--config", e.config, "--check-account", "--base-url", e.base,
		"-o", e.resultsPath(), "--quiet"}, extra...)
	return run(e.t, e.vars, args...)
}

func TestCheckAccountFindsWhatDigiCertWouldRefuse(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	before := e.sb.Stats().Requests
	if r := e.validateAccount(); r.code != 0 || !strings.Contains(r.stderr, "the API key works: user sandbox.admin") ||
		!strings.Contains(r.stderr, "Administrator") {
		t.Fatalf("good account: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := e.sb.Stats().Requests - before; n != 3 || e.sb.Stats().Mutations != 0 {
		t.Errorf("%d requests (want user, product, organization), %d mutations", n, e.sb.Stats().Mutations)
	}

	// An organization that is not on the account, from the config.
	writeFile(t, e.config, strings.Replace(clientConfigYAML, "112233", "999999", 1))
	r := e.validateAccount()
	want := `account problem: rows 2-4: config order.organization.id "999999": organization 999999 is not on this account`
	if r.code != ExitRowsBad || !strings.Contains(r.stderr, want) {
		t.Fatalf("missing organization: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, x := range readResults(t, e.resultsPath()).Records {
		if x.Outcome != "invalid" || !strings.Contains(x.Error, "organization 999999 is not on this account") {
			t.Errorf("row %d: %s %q", x.Row, x.Outcome, x.Error)
		}
	}

	// A container column naming one unknown container: only that row.
	writeFile(t, e.config, clientConfigYAML)
	rows := staff(3, 1)
	rows[0] = append(rows[0], "Container ID")
	rows[1] = append(rows[1], "445566")
	rows[2] = append(rows[2], "1234")
	rows[3] = append(rows[3], "")
	writeCSV(t, e.input, rows)
	r = e.validateAccount()
	if r.code != ExitRowsBad || !strings.Contains(r.stderr, `row 3: Container ID "1234": container 1234 is not on this account`) {
		t.Fatalf("missing container: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := outcomes(readResults(t, e.resultsPath())); got["valid"] != 2 || got["invalid"] != 1 {
		t.Errorf("outcomes %v", got)
	}

	// A key that does not work: exit 2.
	e.vars["DIGICERT_API_KEY"] = "wrong"
	if r := e.validateAccount(); r.code != ExitUsage || !strings.Contains(r.stderr, "hint: CertCentral refused the API key") {
		t.Fatalf("wrong key: %d\n%s", r.code, r.stderr)
	}
	delete(e.vars, "DIGICERT_API_KEY")
	if r := e.validateAccount(); r.code != ExitUsage || !strings.Contains(r.stderr, "DIGICERT_API_KEY") {
		t.Fatalf("no key: %d\n%s", r.code, r.stderr)
	}
}

func TestCheckAccountProducts(t *testing.T) {
	// client_premium enables its old ID client_premium_sha2; rows saying
	// the old ID are ordered, and checked, as today's.
	e := newEnv(t, 2, sandbox.Config{Products: []string{"client_premium"}})
	if r := e.validateAccount(); r.code != 0 {
		t.Fatalf("alias: %d\n%s", r.code, r.stderr)
	}
	e2 := newEnv(t, 2, sandbox.Config{Products: []string{"class1_smime", "document_signing_org_1"}})
	r := e2.validateAccount()
	if r.code != ExitRowsBad || !strings.Contains(r.stderr, `rows 2-3: product "client_premium": product client_premium is not enabled for this account (enabled: class1_smime, document_signing_org_1)`) {
		t.Fatalf("disabled product: %d\n%s", r.code, r.stderr)
	}
}

func TestSubmitPreflightAndConfirmation(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	rows := staff(3, 1)
	rows[0] = append(rows[0], "Org ID")
	rows[1] = append(rows[1], "")
	rows[2] = append(rows[2], "999999")
	rows[3] = append(rows[3], "112233")
	e.input = writeCSV(t, filepath.Join(e.dir, "staff.csv"), rows)
	// Without a terminal or --yes: the confirmation is shown, nothing sent.
	r := run(t, e.vars, "submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base, "--quiet")
	for _, want := range []string{`account problem: row 3: Org ID "999999": organization 999999 is not on this account`,
		"will place up to 2 orders", "(SANDBOX)", "Organizations: Example Corp (112233)", "Journal: " + e.state, "1 invalid row:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != ExitUsage || e.sb.Stats().Mutations != 0 {
		t.Fatalf("unconfirmed: exit %d, %d mutations", r.code, e.sb.Stats().Mutations)
	}
	r = e.submit()
	if r.code != ExitRowsBad {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	res := e.results()
	if res[3].outcome != "invalid" || !strings.Contains(res[3].err, "999999 is not on this account") || res[2].outcome != "ordered" || res[4].outcome != "ordered" {
		t.Errorf("results: %+v", res)
	}
	if n := e.sb.Stats().OrderPOSTs; n != 2 {
		t.Errorf("%d order POSTs, want 2: nothing is sent for a row the pre-flight refused", n)
	}
}

func TestEndpointKind(t *testing.T) {
	for base, want := range map[string]string{
		"https://www.digicert.com/services/v2":        "production",
		"https://certcentral.digicert.eu/services/v2": "production",
		"http://127.0.0.1:8080/services/v2":           "sandbox",
		"http://localhost:8080/services/v2":           "sandbox",
		"https://digicert.example.net/services/v2":    "unknown endpoint",
	} {
		var a apiFlags
		a.rateLimit, a.concurrency, a.baseURL = "90/5s", 1, base
		conn, err := a.connect(IO{Getenv: func(k string) string { return map[string]string{"DIGICERT_API_KEY": "k"}[k] }}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := endpointKind(conn.client, false); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want %q", base, got, want)
		}
	}
}
