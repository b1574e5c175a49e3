package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/sandbox"
)

// newSampleEnv is an env whose input and config are copies of a sample.
func newSampleEnv(t *testing.T, input, config string, cfg sandbox.Config) *env {
	t.Helper()
	e := newEnv(t, 0, cfg)
	for src, dst := range map[string]*string{input: &e.input, config: &e.config} {
		b, err := os.ReadFile(repoFile("samples", src))
		if err != nil {
			t.Fatal(err)
		}
		*dst = writeFile(t, filepath.Join(e.dir, src), string(b))
	}
	return e
}

// postBody places an order at the sandbox as another admin would.
func postBody(t *testing.T, base, product, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/order/certificate/"+product, strings.NewReader(body))
	req.Header.Set("X-DC-DEVKEY", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("create %s order: %d %s", product, resp.StatusCode, b)
	}
}

func sponsorBody(email string) string {
	return `{"certificate":{"emails":["` + email + `"],"usage_designation":{"primary_usage":"dual_use"},` +
		`"common_name_indicator":"pseudonym","individual":{"pseudonym":"P"}},"organization":{"id":112233},"validity_years":1,"skip_approval":true}`
}

// Secure Email is a product like the others, end to end against the
// sandbox: the account check, submit (the bodies of the golden file),
// the journal, never twice (same journal, another journal), statuses,
// downloads, cancel and ordering again.
func TestSecureEmailEndToEnd(t *testing.T) {
	e := newSampleEnv(t, "secure_email.csv", "secure_email.yaml", sandbox.Config{})
	if r := e.validateAccount(); r.code != 0 {
		t.Fatalf("validate --check-account: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := e.submit()
	if r.code != 0 || !strings.Contains(r.stdout, "5 ordered") {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "secure_email.payloads.golden.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	_, lines := goldenHeader(golden)
	orders := e.sb.Orders()
	if len(orders) != 5 {
		t.Fatalf("%d orders", len(orders))
	}
	wantCN := map[string]string{"mina.park@example.com": "Mina Park", "agent.seven@example.com": "Agent 7",
		"contracts@example.com": "Example Corp", "gildong.hong@example.com": "gildong.hong@example.com"}
	for _, o := range orders {
		if !strings.Contains(string(lines), `"product":"`+o.Product+`","payload":`+string(o.Body)+"}") {
			t.Errorf("order %d (%s) body is not a golden payload: %s", o.ID, o.Product, o.Body)
		}
		if cn, ok := wantCN[o.Emails[0]]; ok && o.CommonName != cn {
			t.Errorf("order %d common name %q, want %q", o.ID, o.CommonName, cn)
		}
	}
	// The journal holds each person under their product.
	j, err := journal.Open(e.state, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	es, err := j.History(journal.HistoryFilter{})
	j.Close()
	if err != nil || len(es) != 5 {
		t.Fatalf("history %v %v", es, err)
	}
	for _, x := range es {
		if x.State != journal.StateOrdered || !strings.HasPrefix(x.Product, "secure_email_") || x.OrderID == 0 {
			t.Errorf("journal entry %+v", x)
		}
	}
	// Never twice: the same journal, then another journal (the account).
	posts := e.sb.Stats().OrderPOSTs
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "5 skipped") {
		t.Fatalf("second submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	e.state = filepath.Join(e.dir, "other.db")
	if r := e.submit("-o", filepath.Join(e.dir, "other.results.csv")); r.code != 0 || !strings.Contains(r.stdout, "5 skipped") {
		t.Fatalf("submit with another journal: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, x := range readResults(t, filepath.Join(e.dir, "other.results.csv")).Records {
		if !strings.Contains(x.Note, "found at DigiCert") {
			t.Errorf("row %d: %s %q", x.Row, x.Outcome, x.Error)
		}
	}
	if n := e.sb.Stats().OrderPOSTs - posts; n != 0 {
		t.Fatalf("%d orders placed again", n)
	}
	e.state = filepath.Join(e.dir, "certbatch.db")
	// Statuses and downloads.
	if r := e.cmd("status", e.resultsPath()); r.code != 0 {
		t.Fatalf("status: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	dir := filepath.Join(e.dir, "certs")
	if r := e.cmd("download", e.resultsPath(), "--dir", dir); r.code != 0 || !strings.Contains(r.stdout, "5 written") {
		t.Fatalf("download: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, x := range readResults(t, e.resultsPath()).Records {
		if x.OrderStatus != "issued" || !strings.Contains(x.Note, "downloaded: row-") {
			t.Errorf("row %d: %s %q", x.Row, x.OrderStatus, x.Error)
		}
	}
}

func TestSecureEmailCancelThenOrderAgain(t *testing.T) {
	e := newSampleEnv(t, "secure_email.csv", "secure_email.yaml", sandbox.Config{IssueDelay: time.Hour})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	for _, x := range readResults(t, e.resultsPath()).Records {
		if x.OrderStatus != "pending" {
			t.Errorf("row %d: status %q after submit, want pending", x.Row, x.OrderStatus)
		}
	}
	if r := e.cmd("cancel", "--batch", e.batchID(), "--yes", "--note", "ordered as the wrong profile"); r.code != 0 || !strings.Contains(r.stdout, "5 canceled") {
		t.Fatalf("cancel: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "5 ordered") {
		t.Fatalf("submit after cancel: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Orders()); n != 10 {
		t.Errorf("sandbox holds %d orders, want 10", n)
	}
}

// Never twice across the Secure Email migration (README: a legacy
// product and its successor are different products, and the account
// check stops a legacy order for a person whose successor order is
// active, never the other way round).
func TestSecureEmailMigration(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	// Another admin ordered person 1 as Email Security Plus and person 2
	// as Secure Email for Employee.
	postBody(t, e.base, "client_email_security_plus", `{"certificate":{"common_name":"Person 1","emails":["person1@example.com"],"signature_hash":"sha256",`+
		`"common_name_indicator":"pseudonym","individual":{"pseudonym":"P"}},"organization":{"id":112233},"validity_years":1,"skip_approval":true}`)
	postBody(t, e.base, "secure_email_sponsor", sponsorBody("person2@example.com"))

	// The legacy product: person 2 has its successor, so is not ordered.
	writeFile(t, e.config, strings.Replace(clientConfigYAML, "client_premium_sha2", "client_email_security_plus", 1))
	r := e.submit()
	res := e.results()
	if r.code != 0 || res[2].outcome != "skipped" || res[3].outcome != "skipped" || !strings.Contains(res[3].note, "found at DigiCert") {
		t.Fatalf("legacy batch: %d %+v\n%s", r.code, res, r.stderr)
	}
	if !strings.Contains(r.stderr, "certbatch: hint") && strings.Contains(r.stderr, "hint") {
		t.Errorf("stderr %s", r.stderr)
	}

	// The successor: person 1's legacy order does not stop the migration.
	e2 := newEnv(t, 2, sandbox.Config{})
	e2.sb, e2.base = e.sb, e.base
	writeFile(t, e2.config, `product: secure_email_sponsor
key: Employee ID
order:
  organization: {id: 112233}
  validity_years: 1
  skip_approval: true
  certificate: {usage_designation: {primary_usage: signing}}
`)
	posts := e.sb.Stats().OrderPOSTs
	r = e2.submit()
	res = e2.results()
	if r.code != 0 || res[2].outcome != "ordered" || res[3].outcome != "skipped" || !strings.Contains(res[3].note, "found at DigiCert") {
		t.Fatalf("successor batch: %d %+v\n%s", r.code, res, r.stderr)
	}
	if n := e.sb.Stats().OrderPOSTs - posts; n != 1 {
		t.Errorf("%d orders placed, want 1 (person 1's migration)", n)
	}
}

// An uncertain legacy request whose order DigiCert lists, and describes,
// under its successor's ID is found, not ordered again: the finder never
// rules out a product's successor (templates.Set.Related).
func TestReconcileFindsALegacyOrderListedAsItsSuccessor(t *testing.T) {
	e := newEnv(t, 1, sandbox.Config{})
	sb, _ := sandbox.New(sandbox.Config{APIKey: testKey, Windows: []sandbox.Window{}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/order/certificate") {
			sb.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, r)
		body := strings.ReplaceAll(rec.Body.String(), `"client_premium"`, `"secure_email_sponsor"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		io.WriteString(w, body)
	}))
	defer srv.Close()
	e.sb, e.base = sb, srv.URL+"/services/v2"
	j, err := journal.Open(e.state, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := j.BeginBatch("submit", e.input, "x", []string{"Employee ID"})
	if _, err := j.AddIntent(journal.Intent{Batch: b.ID, Row: 2, Identity: "client_premium_sha2|key:E1", Product: "client_premium_sha2",
		Email: "person1@example.com", CommonName: "Person 1"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	postOrder(t, e.base, "person1@example.com", "Person 1") // the request whose answer was lost
	posts := sb.Stats().OrderPOSTs
	r := e.submit()
	x := e.results()[2]
	if r.code != 0 || x.outcome != "ordered" || !strings.Contains(x.note, "recovered") || sb.Stats().OrderPOSTs != posts {
		t.Fatalf("exit %d, %+v, %d new POSTs\n%s", r.code, x, sb.Stats().OrderPOSTs-posts, r.stderr)
	}
}

// Today's document signing end to end: the bodies sent are the golden
// ones, the sandbox accepts them, and nobody is ordered twice.
func TestDocumentSigningTodayEndToEnd(t *testing.T) {
	e := newSampleEnv(t, "ds.csv", "ds.yaml", sandbox.Config{})
	r := e.submit()
	if r.code != 0 || !strings.Contains(r.stdout, "3 ordered") || strings.Contains(r.stderr, "hint") {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "ds.payloads.golden.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	_, lines := goldenHeader(golden)
	for _, o := range e.sb.Orders() {
		if !strings.Contains(string(lines), `"product":"`+o.Product+`","payload":`+string(o.Body)+"}") {
			t.Errorf("order %d (%s) body is not a golden payload: %s", o.ID, o.Product, o.Body)
		}
	}
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "3 skipped") || len(e.sb.Orders()) != 3 {
		t.Fatalf("second submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
