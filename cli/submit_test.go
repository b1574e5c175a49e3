package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
)

// env is a test environment: a directory with an input, a config and a
// journal, and a sandbox.
type env struct {
	t      *testing.T
	dir    string
	input  string
	config string
	state  string
	base   string
	sb     *sandbox.Server
	vars   map[string]string
	// tr, when not nil, carries the API requests of e.run (a bubble's
	// in-memory connections, newBubbleEnv).
	tr http.RoundTripper
}

func newEnv(t *testing.T, rows int, cfg sandbox.Config) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir()}
	e.input = writeCSV(t, filepath.Join(e.dir, "staff.csv"), staff(rows, 1))
	e.config = writeFile(t, filepath.Join(e.dir, "batch.yaml"), clientConfigYAML)
	e.state = filepath.Join(e.dir, "certbatch.db")
	e.sb, e.base = sandboxServer(t, cfg)
	e.vars = map[string]string{"DIGICERT_API_KEY": testKey}
	return e
}

func (e *env) submit(extra ...string) result {
	e.t.Helper()
	args := append([]string{"submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base,
		"-o", filepath.Join(e.dir, "results.csv"), "--yes", "--quiet", "--settle", "0s"}, extra...)
	return e.run(args...)
}

// run runs certbatch in-process with e's environment and transport.
func (e *env) run(args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	sio := IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string { return e.vars[k] }, Transport: e.tr}
	code := Main(context.Background(), args, sio)
	return result{code, out.String(), errb.String()}
}

func (e *env) results() map[int]resultsRow {
	e.t.Helper()
	f := readResults(e.t, e.resultsPath())
	m := map[int]resultsRow{}
	prev := 0
	for _, r := range f.Records {
		if r.Row <= prev {
			e.t.Fatalf("results not in input order: row %d after %d", r.Row, prev)
		}
		prev = r.Row
		m[r.Row] = resultsRow{outcome: string(r.Outcome), orderID: order.ID(r.OrderID), certID: order.ID(r.CertificateID), email: r.Input[2], note: r.Note, err: r.Error}
	}
	return m
}

type resultsRow struct{ outcome, orderID, certID, email, note, err string }

// ordersByEmail maps each email to the sandbox's order IDs for it.
func (e *env) ordersByEmail() map[string][]string {
	m := map[string][]string{}
	for _, o := range e.sb.Orders() {
		m[o.Emails[0]] = append(m[o.Emails[0]], strconv.FormatInt(o.ID, 10))
	}
	return m
}

// checkMatchesSandbox asserts every ordered row's IDs are the sandbox's
// one order for that person.
func (e *env) checkMatchesSandbox(res map[int]resultsRow) {
	e.t.Helper()
	byEmail := e.ordersByEmail()
	for row, r := range res {
		if r.outcome != "ordered" && r.outcome != "skipped" {
			continue
		}
		ids := byEmail[r.email]
		if len(ids) != 1 || ids[0] != r.orderID {
			e.t.Errorf("row %d (%s): results order %q, sandbox orders %v", row, r.email, r.orderID, ids)
		}
	}
}

func TestSubmitOrdersEveryRowInInputOrder(t *testing.T) {
	e := newEnv(t, 60, sandbox.Config{Latency: 15 * time.Millisecond})
	r := e.submit("--concurrency", "8")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	res := e.results()
	if len(res) != 60 {
		t.Fatalf("%d results", len(res))
	}
	for row, x := range res {
		if x.outcome != "ordered" || x.orderID == "" || x.certID == "" {
			t.Errorf("row %d: %+v", row, x)
		}
	}
	e.checkMatchesSandbox(res)
	if n := len(e.sb.Orders()); n != 60 {
		t.Errorf("sandbox holds %d orders", n)
	}
	if !strings.Contains(r.stdout, "60 ordered") {
		t.Errorf("summary: %s", r.stdout)
	}
}

func TestRerunSkipsGrownFileSendsOnlyNewForceOrdersAgain(t *testing.T) {
	e := newEnv(t, 20, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("first run: %d %s", r.code, r.stderr)
	}
	before := e.sb.Stats().Requests
	r := e.submit()
	if r.code != 0 || e.sb.Stats().Requests != before {
		t.Fatalf("re-run: exit %d, %d requests sent", r.code, e.sb.Stats().Requests-before)
	}
	res := e.results()
	for row, x := range res {
		if x.outcome != "skipped" || x.orderID == "" || !strings.Contains(x.note, "already ordered") || x.err != "" {
			t.Errorf("re-run row %d: %+v", row, x)
		}
	}
	e.checkMatchesSandbox(res)

	writeCSV(t, e.input, append(staff(20, 1), staff(5, 21)[1:]...))
	r = e.submit()
	if r.code != 0 {
		t.Fatalf("grown file: %d %s", r.code, r.stderr)
	}
	if got := e.sb.Stats().OrderPOSTs; got != 25 {
		t.Errorf("grown file: %d order POSTs in all, want 25", got)
	}
	res = e.results()
	n := map[string]int{}
	for _, x := range res {
		n[x.outcome]++
	}
	if n["skipped"] != 20 || n["ordered"] != 5 {
		t.Errorf("grown file outcomes %v", n)
	}
	e.checkMatchesSandbox(res)

	r = e.submit("--force")
	if r.code != 0 || !strings.Contains(r.stderr, "25 of them ALREADY HAVE an order") {
		t.Fatalf("--force: %d\n%s", r.code, r.stderr)
	}
	if got := len(e.sb.Orders()); got != 50 {
		t.Errorf("--force: sandbox holds %d orders, want 50", got)
	}
}

func TestSubmitOutcomesAndExitCodes(t *testing.T) {
	t.Run("rejected", func(t *testing.T) {
		// A user template that allows 5 years: the API rejects it.
		e := newEnv(t, 3, sandbox.Config{})
		tpl, _ := os.ReadFile(repoFile("templates", "client.yaml"))
		lenient := strings.Replace(string(tpl), `allowed: ["1", "2"]`, `allowed: ["1", "2", "5"]`, 1)
		tplPath := writeFile(t, filepath.Join(e.dir, "lenient.yaml"), lenient)
		writeFile(t, e.config, strings.Replace(clientConfigYAML, "validity_years: 1", "validity_years: 5", 1))
		r := e.submit("--template", tplPath)
		if r.code != ExitRowsBad {
			t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
		}
		for row, x := range e.results() {
			if x.outcome != "rejected" || !strings.Contains(x.err, "400 invalid_value:validity_years: validity_years contains an invalid value.") {
				t.Errorf("row %d: %+v", row, x)
			}
		}
		if len(e.sb.Orders()) != 0 {
			t.Error("rejected rows created orders")
		}
	})
	t.Run("uncertain after create, not resent", func(t *testing.T) {
		e := newEnv(t, 9, sandbox.Config{FailAfterCreateEvery: 3, DropEvery: 4})
		r := e.submit("--concurrency", "3")
		if r.code != ExitRowsRetry {
			t.Fatalf("exit %d, want 4\n%s", r.code, r.stderr)
		}
		st := e.sb.Stats()
		if st.OrderPOSTs != 9 {
			t.Errorf("%d order POSTs for 9 rows: something was resent", st.OrderPOSTs)
		}
		n := map[string]int{}
		for _, x := range e.results() {
			n[x.outcome]++
		}
		// POSTs 3, 6, 9 answer 500 after creating; 4 and 8 drop.
		if n["uncertain"] != 5 || n["ordered"] != 4 {
			t.Errorf("outcomes %v, stats %+v", n, st)
		}
	})
	t.Run("failed when nothing can be sent", func(t *testing.T) {
		e := newEnv(t, 1, sandbox.Config{})
		ln := e.base
		e.base = "http://127.0.0.1:1/services/v2" // nothing listens on port 1
		r := e.submit()
		if r.code != ExitRowsRetry {
			t.Fatalf("exit %d, want 4\n%s", r.code, r.stderr)
		}
		for _, x := range e.results() {
			if x.outcome != "failed" || !strings.Contains(x.err, "safe to run again") {
				t.Errorf("%+v", x)
			}
		}
		// The next run, with the API back, orders the row.
		e.base = ln
		if r := e.submit(); r.code != 0 {
			t.Fatalf("second run: %d %s", r.code, r.stderr)
		}
	})
}

func TestSubmitRefusesBeforeSending(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	t.Run("no key", func(t *testing.T) {
		delete(e.vars, "DIGICERT_API_KEY")
		defer func() { e.vars["DIGICERT_API_KEY"] = testKey }()
		r := e.submit()
		if r.code != ExitUsage || !strings.Contains(r.stderr, "DIGICERT_API_KEY") {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
	})
	t.Run("config mistake: no journal is created", func(t *testing.T) {
		state := filepath.Join(e.dir, "fresh.db")
		r := run(t, e.vars, "submit", e.input, "--product", "client_gold", "--state", state, "--base-url", e.base, "--yes")
		if r.code != ExitUsage || !strings.Contains(r.stderr, "client_gold") {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		if _, err := os.Stat(state); !os.IsNotExist(err) {
			t.Errorf("a journal was created for a run that could not start: %v", err)
		}
	})
	t.Run("no terminal, no --yes", func(t *testing.T) {
		args := []string{"submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base, "--quiet"}
		r := run(t, e.vars, args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "--yes") || !strings.Contains(r.stderr, "will place up to 3 orders") {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
	})
	t.Run("terminal, answered no", func(t *testing.T) {
		var out, errb bytes.Buffer
		io := IO{In: strings.NewReader("no\n"), Out: &out, Err: &errb, Getenv: func(k string) string { return e.vars[k] }, InTTY: true}
		code := Main(context.Background(), []string{"submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base, "--quiet"}, io)
		if code != ExitUsage || !strings.Contains(errb.String(), "Type yes") {
			t.Fatalf("exit %d %s", code, errb.String())
		}
	})
	t.Run("locked journal", func(t *testing.T) {
		j, err := journal.Open(e.state, journal.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := e.submit()
		j.Close()
		if r.code != ExitUsage || !strings.Contains(r.stderr, "in use by another certbatch process") {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
	})
	t.Run("corrupt journal", func(t *testing.T) {
		bad := filepath.Join(e.dir, "bad.db")
		os.WriteFile(bad, bytes.Repeat([]byte("garbage!"), 512), 0o600)
		r := run(t, e.vars, "submit", e.input, "--config", e.config, "--state", bad, "--base-url", e.base, "--yes", "--quiet")
		if r.code != ExitUsage || !strings.Contains(r.stderr, "not a valid certbatch journal") {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
	})
	t.Run("wrong key: auth failure stops the run", func(t *testing.T) {
		e.vars["DIGICERT_API_KEY"] = "wrong-" + testKey
		defer func() { e.vars["DIGICERT_API_KEY"] = testKey }()
		r := e.submit()
		// Today's CertCentral refuses a wrong key with 403 (certcentral-today.md §4).
		if r.code != ExitUsage || !strings.Contains(r.stderr, "403 access_denied|access_denied_invalid_key") || !strings.Contains(r.stderr, "hint: CertCentral refused the API key") {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		ents, _ := os.ReadDir(e.dir)
		for _, x := range ents {
			if strings.Contains(x.Name(), ".tmp-") {
				t.Errorf("half-written file left: %s", x.Name())
			}
		}
		res := e.results()
		if len(res) != 3 {
			t.Fatalf("results hold %d of 3 rows", len(res))
		}
		for _, x := range res {
			if x.outcome != "failed" {
				t.Errorf("%+v", x)
			}
		}
	})
	if n := e.sb.Stats().OrdersCreated; n != 0 {
		t.Errorf("%d orders created by refused runs", n)
	}
}

// The API key appears in no byte certbatch writes, whatever happens.
func TestKeyNeverWritten(t *testing.T) {
	e := newEnv(t, 12, sandbox.Config{FailAfterCreateEvery: 4, DropEvery: 5, Windows: []sandbox.Window{{Limit: 6, Per: time.Second}}})
	var out strings.Builder
	for _, args := range [][]string{
		{"--rate-limit", "none", "--log-format", "json", "--verbose", "--payloads", filepath.Join(e.dir, "p.jsonl")},
		{"--log-format", "text", "-v"},
	} {
		r := e.submit(args...)
		out.WriteString(r.stdout + r.stderr)
	}
	e.vars["DIGICERT_API_KEY"] = "wrong-" + testKey
	r := e.submit()
	out.WriteString(r.stdout + r.stderr)
	r = run(t, map[string]string{"DIGICERT_API_KEY": testKey}, "reconcile", "--state", e.state, "--base-url", "http://127.0.0.1:1/services/v2")
	out.WriteString(r.stdout + r.stderr)
	r = run(t, nil, "history", "--state", e.state, "--all", "-o", filepath.Join(e.dir, "h.csv"))
	out.WriteString(r.stdout + r.stderr)
	if strings.Contains(out.String(), testKey) {
		t.Error("the key appears on stdout or stderr")
	}
	if !strings.Contains(out.String(), "certcentral attempt") {
		t.Error("--verbose logged no API request")
	}
	filepath.Walk(e.dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte(testKey)) {
			t.Errorf("the key appears in %s", filepath.Base(p))
		}
		return nil
	})
}

// postOrder creates an order in the sandbox directly, as another tool or
// an earlier lost request would have.
func postOrder(t *testing.T, base, email, name string) {
	t.Helper()
	body := `{"certificate":{"common_name":"` + name + `","emails":["` + email + `"],"signature_hash":"sha256",` +
		`"common_name_indicator":"pseudonym","individual":{"pseudonym":"` + name + `"}},"organization":{"id":112233},"validity_years":1,"skip_approval":true}`
	req, _ := http.NewRequest("POST", base+"/order/certificate/client_premium_sha2", strings.NewReader(body))
	req.Header.Set("X-DC-DEVKEY", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create order: %v %v", err, resp)
	}
	resp.Body.Close()
}

// An unanswered earlier request is reconciled before anything is sent.
func TestReconcileUncertainRows(t *testing.T) {
	for _, c := range []struct {
		name     string
		existing int
		outcome  string
		posts    int
		code     int
	}{
		{"no order: ordered now", 0, "ordered", 1, 0},
		{"one order: adopted", 1, "ordered", 0, 0},
		{"two orders: left for a person", 2, "uncertain", 0, ExitRowsRetry},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, 1, sandbox.Config{})
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
			for i := 0; i < c.existing; i++ {
				postOrder(t, e.base, "person1@example.com", "Person 1")
			}
			postOrder(t, e.base, "someone.else@example.com", "Person 1") // not a match
			posts := e.sb.Stats().OrderPOSTs
			r := e.submit()
			if r.code != c.code {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, c.code, r.stdout, r.stderr)
			}
			x := e.results()[2]
			if x.outcome != c.outcome || e.sb.Stats().OrderPOSTs-posts != c.posts {
				t.Fatalf("outcome %+v, %d new POSTs", x, e.sb.Stats().OrderPOSTs-posts)
			}
			switch c.existing {
			case 1:
				if !strings.Contains(x.note, "recovered") || x.orderID != e.ordersByEmail()["person1@example.com"][0] {
					t.Errorf("adopted: %+v", x)
				}
			case 2:
				ids := e.ordersByEmail()["person1@example.com"]
				if !strings.Contains(x.err, ids[0]) || !strings.Contains(x.err, ids[1]) {
					t.Errorf("error should list %v: %s", ids, x.err)
				}
			}
			// A further run changes nothing for 0 and 1; for 2 it stays uncertain.
			posts = e.sb.Stats().OrderPOSTs
			e.submit()
			if e.sb.Stats().OrderPOSTs != posts {
				t.Error("a later run sent an order")
			}
		})
	}
}

func TestReconcileCommandAndHistory(t *testing.T) {
	e := newEnv(t, 6, sandbox.Config{FailAfterCreateEvery: 2})
	if r := e.submit(); r.code != ExitRowsRetry {
		t.Fatalf("exit %d", r.code)
	}
	r := run(t, e.vars, "reconcile", "--state", e.state, "--base-url", e.base, "--settle", "0s")
	if r.code != 0 || strings.Count(r.stdout, "adopted order") != 3 {
		t.Fatalf("reconcile: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, e.vars, "reconcile", "--state", e.state, "--base-url", e.base, "--settle", "0s"); !strings.Contains(r.stdout, "nothing to do") {
		t.Errorf("second reconcile: %s", r.stdout)
	}
	r = run(t, nil, "history", "--state", e.state, "--email", "PERSON2@example.com")
	if r.code != 0 || !strings.Contains(r.stdout, "person2@example.com") || strings.Contains(r.stdout, "person3@") {
		t.Errorf("history --email: %s %s", r.stdout, r.stderr)
	}
	r = run(t, nil, "history", "--state", e.state, "--key", "E4")
	if !strings.Contains(r.stdout, "person4@example.com") || strings.Count(r.stdout, "@example.com") != 1 {
		t.Errorf("history --key: %s", r.stdout)
	}
	out := filepath.Join(e.dir, "h.xlsx")
	if r := run(t, nil, "history", "--state", e.state, "-o", out); r.code != 0 || !strings.Contains(r.stdout, "6 entries") {
		t.Errorf("history -o: %s %s", r.stdout, r.stderr)
	}
	// Rebuild the results from the journal: same rows as the run wrote.
	rebuilt := filepath.Join(e.dir, "rebuilt.csv")
	if r := run(t, nil, "results", "--state", e.state, "-o", rebuilt); r.code != 0 {
		t.Fatalf("results: %s", r.stderr)
	}
	a := readResults(t, e.resultsPath())
	b := readResults(t, rebuilt)
	if len(a.Records) != len(b.Records) {
		t.Fatalf("%d vs %d records", len(a.Records), len(b.Records))
	}
	for i := range a.Records {
		if a.Records[i].OrderID != b.Records[i].OrderID || a.Records[i].Outcome != b.Records[i].Outcome || a.Records[i].Input[2] != b.Records[i].Input[2] {
			t.Errorf("record %d: %+v vs %+v", i, a.Records[i], b.Records[i])
		}
	}
}

// Invalid rows are never sent; the valid ones are ordered; exit 3.
func TestSubmitSendsOnlyValidRows(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	rows := staff(4, 1)
	rows[2][2] = "not-an-email"
	rows[4][1], rows[4][4] = "", "" // no Full Name, no First Name to compose one
	writeCSV(t, e.input, rows)
	r := e.submit()
	if r.code != ExitRowsBad {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	res := e.results()
	want := map[int]string{2: "ordered", 3: "invalid", 4: "ordered", 5: "invalid"}
	for row, oc := range want {
		if res[row].outcome != oc {
			t.Errorf("row %d: %+v, want %s", row, res[row], oc)
		}
	}
	if st := e.sb.Stats(); st.OrderPOSTs != 2 {
		t.Errorf("%d order POSTs, want 2", st.OrderPOSTs)
	}
	if !strings.Contains(r.stderr, "2 invalid rows: not sent") {
		t.Errorf("plan: %s", r.stderr)
	}
}

// Switching the config to DigiCert's current product ID orders nobody again.
func TestProductAliasIsNotOrderedAgain(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	writeFile(t, e.config, strings.Replace(clientConfigYAML, "product: client_premium_sha2", "product: client_premium", 1))
	if r := e.submit(); r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	for row, x := range e.results() {
		if x.outcome != "skipped" {
			t.Errorf("row %d: %+v", row, x)
		}
	}
	if n := len(e.sb.Orders()); n != 3 {
		t.Errorf("%d orders, want 3", n)
	}
}

func TestPruneKeepsNeverOrderTwice(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	r := run(t, nil, "prune", "--state", e.state, "--before", time.Now().AddDate(0, 0, 1).Format("2006-01-02"))
	if r.code != 0 || !strings.Contains(r.stdout, "deleted 3 input rows") {
		t.Fatalf("prune: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := e.submit(); r.code != 0 || e.sb.Stats().OrderPOSTs != 3 {
		t.Fatalf("after prune: exit %d, %d POSTs", r.code, e.sb.Stats().OrderPOSTs)
	}
	if r := run(t, nil, "prune", "--state", e.state); r.code != ExitUsage {
		t.Errorf("prune without --before: %d", r.code)
	}
}

// A results file is also an input: re-running it retries what failed,
// and its result columns are not carried along a second time.
func TestResultsFileAsInput(t *testing.T) {
	e := newEnv(t, 4, sandbox.Config{FailAfterCreateEvery: 2})
	first := filepath.Join(e.dir, "first.xlsx")
	r := run(t, e.vars, "submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base, "-o", first, "--yes", "--quiet")
	if r.code != ExitRowsRetry {
		t.Fatalf("first run: %d %s", r.code, r.stderr)
	}
	second := filepath.Join(e.dir, "second.xlsx")
	r = run(t, e.vars, "submit", first, "--config", e.config, "--state", e.state, "--base-url", e.base, "-o", second, "--yes", "--quiet")
	if r.code != 0 {
		t.Fatalf("re-run of the results: %d %s", r.code, r.stderr)
	}
	f := readResults(t, second)
	if strings.Join(f.InputHeader, ",") != "Employee ID,Full Name,Email,Department,First Name,Last Name" {
		t.Errorf("input columns %q", f.InputHeader)
	}
	n := map[string]int{}
	for _, x := range f.Records {
		n[string(x.Outcome)]++
	}
	if n["skipped"] != 2 || n["ordered"] != 2 || len(e.sb.Orders()) != 4 {
		t.Errorf("outcomes %v, %d orders", n, len(e.sb.Orders()))
	}
}

// `certbatch sandbox` serves with its flags applied.
func TestSandboxCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		sio := IO{In: strings.NewReader(""), Out: pw, Err: io.Discard, Getenv: func(string) string { return "" }}
		done <- Main(ctx, []string{"sandbox", "--addr", "127.0.0.1:0", "--fail-every", "1", "--rate-limit", "none", "--hold", "bo.kim@example.com:12"}, sio)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if err != nil || i < 0 || !strings.Contains(line, `accepts the API key "sandbox"`) {
		cancel()
		t.Fatalf("first line %q, %v", line, err)
	}
	base := strings.Fields(line[i:])[0]
	req, _ := http.NewRequest("POST", base+"/order/certificate/client_premium_sha2", strings.NewReader(`{}`))
	req.Header.Set("X-DC-DEVKEY", "sandbox")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Errorf("--fail-every 1: status %d, want 500", resp.StatusCode)
	}
	// --hold: an issued order that expires in 12 days.
	req, _ = http.NewRequest("GET", base+"/report/order/expiring", nil)
	req.Header.Set("X-DC-DEVKEY", "sandbox")
	if resp, err = http.DefaultClient.Do(req); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `{"days_expiring":30,"order_count":1}`) {
			t.Errorf("--hold: expiring report %s", b)
		}
	}
	if r := run(t, nil, "sandbox", "--hold", "nobody"); r.code != ExitUsage || !strings.Contains(r.stderr, "EMAIL[:DAYS]") {
		t.Errorf("bad --hold: %d %s", r.code, r.stderr)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after shutdown", code)
	}
}

// status fails loudly: a refused key is exit 2 with submit's hint, an
// endpoint that does not answer is a failed run; the file is unchanged.
func TestStatusFailsLoudly(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{IssueDelay: time.Hour})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	res := filepath.Join(e.dir, "results.csv")
	before, _ := os.ReadFile(res)
	r := run(t, map[string]string{"DIGICERT_API_KEY": "wrong-" + testKey}, "status", res, "--base-url", e.base, "--state", e.state, "--quiet")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "403") || !strings.Contains(r.stderr, "hint: CertCentral refused the API key") {
		t.Errorf("refused key: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, e.vars, "status", res, "--base-url", "http://127.0.0.1:1/services/v2", "--state", e.state, "--quiet")
	if r.code != ExitRowsRetry || !strings.Contains(r.stderr, "results.csv is unchanged") || strings.Contains(r.stdout, "orders by status") {
		t.Errorf("nothing listening: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if after, _ := os.ReadFile(res); !bytes.Equal(before, after) {
		t.Error("a failed status run changed the results file")
	}
}

// status reconciles a row whose answer never arrived and then follows its order.
func TestStatusRecoversUncertainRows(t *testing.T) {
	e := newEnv(t, 4, sandbox.Config{DropEvery: 2})
	if r := e.submit(); r.code != ExitRowsRetry {
		t.Fatalf("exit %d, want 4: %s", r.code, r.stderr)
	}
	res := filepath.Join(e.dir, "results.csv")
	r := run(t, e.vars, "status", res, "--base-url", e.base, "--state", e.state, "--quiet", "--settle", "0s")
	if r.code != 0 {
		t.Fatalf("status: %d %s%s", r.code, r.stdout, r.stderr)
	}
	byEmail := e.ordersByEmail()
	for _, x := range readResults(t, res).Records {
		ids := byEmail[x.Input[2]]
		if x.Outcome != "ordered" || len(ids) != 1 || order.ID(x.OrderID) != ids[0] || x.OrderStatus == "" {
			t.Errorf("row %d: %s order %d status %q (%s); sandbox orders %v", x.Row, x.Outcome, x.OrderID, x.OrderStatus, x.Error, ids)
		}
	}
	if n := e.sb.Stats().OrderPOSTs; n != 4 {
		t.Errorf("%d order POSTs for 4 people", n)
	}
}

// Against today's strict CertCentral (list items without emails and with
// current product IDs, undocumented filters refused), dropped answers
// and 500s after creating, mixed-case emails and the seed page's product
// ID: re-runs recover every order and nobody is ordered twice.
func TestRecoveryAgainstTodaysCertCentral(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{DropEvery: 3, FailAfterCreateEvery: 5})
	rows := staff(30, 1)
	for i := 1; i < len(rows); i++ {
		rows[i][2] = "Person." + itoa(i) + "@Example.COM"
	}
	writeCSV(t, e.input, rows)
	r := e.submit("--concurrency", "4")
	if r.code != ExitRowsRetry {
		t.Fatalf("first run: exit %d, want 4\n%s", r.code, r.stderr)
	}
	for run := 0; run < 4 && r.code != 0; run++ {
		r = e.submit()
	}
	if r.code != 0 {
		t.Fatalf("re-runs did not settle: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	perPerson := map[string][]int64{}
	for _, o := range e.sb.Orders() {
		if o.Product != "client_premium" { // the seed page's ID goes out as today's
			t.Errorf("order %d placed as %s", o.ID, o.Product)
		}
		k := strings.ToLower(o.Emails[0])
		perPerson[k] = append(perPerson[k], o.ID)
	}
	if len(perPerson) != 30 {
		t.Fatalf("%d people have orders, want 30", len(perPerson))
	}
	for who, ids := range perPerson {
		if len(ids) != 1 {
			t.Errorf("%s has orders %v", who, ids)
		}
	}
	for _, x := range readResults(t, e.resultsPath()).Records {
		ids := perPerson[strings.ToLower(x.Input[2])]
		if (x.Outcome != "skipped" && x.Outcome != "ordered") || len(ids) != 1 || x.OrderID != ids[0] {
			t.Errorf("row %d: %s order %d, sandbox %v (%s)", x.Row, x.Outcome, x.OrderID, ids, x.Error)
		}
	}
}

// After submitting, each order's status is what order info (or, for a
// larger batch, the status-change feed) says: needs_approval without
// skip_approval, issued when DigiCert issued at once, never guessed from
// a certificate ID.
func TestOrderStatusAfterSubmitIsDigiCerts(t *testing.T) {
	for _, c := range []struct {
		name   string
		rows   int
		config string
		status string
	}{
		{"small batch, approval needed", 3, strings.Replace(clientConfigYAML, "  skip_approval: true\n", "", 1), "needs_approval"},
		{"large batch through the feed, issued at once", 15, clientConfigYAML, "issued"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.rows, sandbox.Config{})
			writeFile(t, e.config, c.config)
			if r := e.submit(); r.code != 0 {
				t.Fatalf("exit %d %s", r.code, r.stderr)
			}
			for _, x := range readResults(t, e.resultsPath()).Records {
				if x.OrderStatus != c.status {
					t.Errorf("row %d: order_status %q, want %q", x.Row, x.OrderStatus, c.status)
				}
			}
		})
	}
}
