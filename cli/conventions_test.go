package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
)

// -v has one meaning: --verbose. --version has no shorthand.
func TestVersionAndVerboseFlags(t *testing.T) {
	r := run(t, nil, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "certbatch ") {
		t.Fatalf("--version: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, nil, "-v")
	if r.code != ExitUsage || strings.Contains(r.stdout, "certbatch ") || !strings.Contains(r.stderr, "--version") {
		t.Errorf("-v at the top: exit %d, want 2 with a hint naming --version\n%s%s", r.code, r.stdout, r.stderr)
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultVersionFlag()
		c.InitDefaultHelpFlag()
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Shorthand == "v" && f.Name != "verbose" {
				t.Errorf("%s: -v is --%s, want --verbose", c.CommandPath(), f.Name)
			}
		})
		// Every command that logs takes the same logging flags.
		if c.Flags().Lookup("quiet") != nil {
			for _, name := range []string{"verbose", "log-format"} {
				if c.Flags().Lookup(name) == nil {
					t.Errorf("%s has --quiet but not --%s", c.CommandPath(), name)
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(IO{}))
}

// status and reconcile log as validate and submit do: --log-format json
// makes every stderr line JSON; -v logs the API requests.
func TestStatusReconcileLogFlags(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{IssueDelay: time.Hour}) // still pending: status asks
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	res := filepath.Join(e.dir, "results.csv")
	r := run(t, e.vars, "status", res, "--state", e.state, "--base-url", e.base, "-v", "--log-format", "json")
	if r.code != 0 {
		t.Fatalf("status: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	checkJSONLines(t, "status stderr", r.stderr, 1)
	if !strings.Contains(r.stderr, `"level":"DEBUG"`) {
		t.Errorf("status -v logs no API request:\n%s", r.stderr)
	}
	for _, cmd := range [][]string{{"status", res}, {"reconcile"}} {
		args := append(cmd, "--state", e.state, "--base-url", e.base, "--log-format", "xml")
		if r := run(t, e.vars, args...); r.code != ExitUsage || !strings.Contains(r.stderr, "--log-format must be text or json") {
			t.Errorf("%s --log-format xml: %d %s", cmd[0], r.code, r.stderr)
		}
	}
}

// checkJSONLines fails unless s is at least min lines, each a JSON object.
func checkJSONLines(t *testing.T, what, s string, min int) []map[string]any {
	t.Helper()
	var objs []map[string]any
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line == "" && min == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("%s: not a JSON object: %q", what, line)
			continue
		}
		objs = append(objs, m)
	}
	if len(objs) < min {
		t.Errorf("%s: %d JSON lines, want at least %d:\n%s", what, len(objs), min, s)
	}
	return objs
}

// validate --json prints the summary as one JSON object on stdout.
func TestValidateJSONSummary(t *testing.T) {
	dir := t.TempDir()
	rows := staff(3, 1)
	rows[2][1], rows[2][4] = "", "" // row 3: no Full Name, and no First Name to compose one
	rows[3][2] = "cy@example"       // row 4: no dotted domain
	in := writeCSV(t, filepath.Join(dir, "staff.csv"), rows)
	cfg := writeFile(t, filepath.Join(dir, "batch.yaml"), clientConfigYAML)
	out := filepath.Join(dir, "out.results.csv")
	r := run(t, nil, "validate", in, "--config", cfg, "-o", out, "--json", "--log-format", "json")
	if r.code != ExitRowsBad {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("stdout is not one line:\n%s", r.stdout)
	}
	var got JSONSummary
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if got.Command != "validate" || got.Rows != 3 || got.Output != out || got.Sheet != "" || got.Batch != "" ||
		got.ExitCode != ExitRowsBad || got.ExitMeaning != exitMeaning(ExitRowsBad) {
		t.Errorf("summary: %+v", got)
	}
	if got.Outcomes[order.Valid] != 1 || got.Outcomes[order.Invalid] != 2 || len(got.Outcomes) != len(order.Outcomes) {
		t.Errorf("outcomes: %v (every outcome name wanted, zeros too)", got.Outcomes)
	}
	// The config says client_premium_sha2; rows are counted under the ID
	// they are ordered as, today's client_premium.
	if p := got.ByProduct["client_premium"]; p[order.Valid] != 1 || p[order.Invalid] != 2 || len(got.ByProduct) != 1 {
		t.Errorf("by_product: %v", got.ByProduct)
	}
	if len(got.Problems) != 2 || !strings.HasPrefix(got.Problems[0], "row 3: ") {
		t.Errorf("problems: %q", got.Problems)
	}
	checkJSONLines(t, "stderr", r.stderr, 0)
	// Every key is present, whatever the values.
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(r.stdout), &raw)
	for _, k := range []string{"command", "rows", "outcomes", "by_product", "batch", "output", "sheet", "problems", "more_problems", "exit_code", "exit_meaning"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("key %q missing: %s", k, r.stdout)
		}
	}
}

// status --json and reconcile --json print one JSON object on stdout.
func TestStatusReconcileJSON(t *testing.T) {
	e := newEnv(t, 4, sandbox.Config{DropEvery: 2})
	if r := e.submit("--settle", "1h"); r.code != ExitRowsRetry {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := run(t, e.vars, "reconcile", "--state", e.state, "--base-url", e.base, "--settle", "0s", "--json", "-q")
	if r.code != 0 {
		t.Fatalf("reconcile: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var rec JSONReconcile
	if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("reconcile stdout: %v\n%s", err, r.stdout)
	}
	if rec.Command != "reconcile" || rec.Adopted != 2 || len(rec.Entries) != 2 || rec.ExitCode != 0 ||
		rec.Entries[0].Result != "adopted" || rec.Entries[0].OrderID == 0 || rec.Entries[0].Email == "" {
		t.Errorf("reconcile: %+v", rec)
	}
	if !strings.Contains(r.stderr, "adopted order") {
		t.Errorf("the per-entry lines should go to stderr with --json: %q", r.stderr)
	}
	r = run(t, e.vars, "reconcile", "--state", e.state, "--base-url", e.base, "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"entries":[]`) {
		t.Errorf("reconcile with nothing to do: %d %s", r.code, r.stdout)
	}

	res := filepath.Join(e.dir, "results.csv")
	r = run(t, e.vars, "status", res, "--state", e.state, "--base-url", e.base, "--settle", "0s", "--json", "-q")
	if r.code != 0 {
		t.Fatalf("status: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var st JSONStatus
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("status stdout: %v\n%s", err, r.stdout)
	}
	if st.Command != "status" || st.Rows != 4 || st.Orders != 4 || st.OrdersByStatus["issued"] != 4 || st.Output != res || st.ExitCode != 0 {
		t.Errorf("status: %+v", st)
	}
}

// Counts read as English: "1 row", "1 order", never "1 rows".
func TestPluralCounts(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 rows"}, {1, "1 row"}, {2, "2 rows"}} {
		if got := plural(c.n, "row", "rows"); got != c.want {
			t.Errorf("plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	if got := isAre(1, "entry", "entries"); got != "1 entry is" {
		t.Errorf("isAre(1) = %q", got)
	}
	e := newEnv(t, 1, sandbox.Config{})
	r := run(t, nil, "validate", e.input, "--config", e.config, "-o", filepath.Join(e.dir, "v.csv"), "-q")
	if !strings.Contains(r.stdout, "validate: 1 row read, 1 valid") {
		t.Errorf("validate: %s", r.stdout)
	}
	r = e.submit()
	if r.code != 0 || !strings.Contains(r.stdout, "submit: 1 row read, 1 ordered") {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	res := filepath.Join(e.dir, "results.csv")
	r = run(t, e.vars, "status", res, "--state", e.state, "--base-url", e.base, "-q")
	if !strings.Contains(r.stdout, "status: 1 row, orders by status") {
		t.Errorf("status: %s%s", r.stdout, r.stderr)
	}
	r = run(t, nil, "results", "--state", e.state, "-o", filepath.Join(e.dir, "rebuilt.csv"))
	if !strings.Contains(r.stdout, ": 1 row: ") {
		t.Errorf("results: %s%s", r.stdout, r.stderr)
	}
	r = run(t, nil, "history", "--state", e.state, "-o", filepath.Join(e.dir, "h.csv"))
	if !strings.Contains(r.stdout, "history: 1 entry written") {
		t.Errorf("history: %s%s", r.stdout, r.stderr)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		for _, bad := range []string{"1 rows", "1 orders", "1 entries"} {
			if strings.Contains(out, bad) {
				t.Errorf("%q in %s", bad, out)
			}
		}
	}
}
