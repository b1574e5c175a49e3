package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/sandbox"
)

// testKey is distinctive so a leak is easy to find in any byte written.
const testKey = "KEY-9f3b1c7e-do-not-leak-4d2a"

// result of one in-process run of certbatch.
type result struct {
	code           int
	stdout, stderr string
}

// run runs certbatch in-process with env as its whole environment.
func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return runCtx(t, context.Background(), env, "", args...)
}

func runCtx(t *testing.T, ctx context.Context, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	io := IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }}
	code := Main(ctx, args, io)
	return result{code, out.String(), errb.String()}
}

// sandboxServer starts a sandbox behind httptest and returns its base URL.
func sandboxServer(t *testing.T, cfg sandbox.Config) (*sandbox.Server, string) {
	t.Helper()
	if cfg.APIKey == "" {
		cfg.APIKey = testKey
	}
	if cfg.Windows == nil {
		cfg.Windows = []sandbox.Window{}
	}
	s, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL + "/services/v2"
}

// writeCSV writes rows as a CSV file in dir.
func writeCSV(t *testing.T, path string, rows [][]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// staff returns a header and n client-certificate rows.
func staff(n int, from int) [][]string {
	rows := [][]string{{"Employee ID", "Full Name", "Email", "Department", "First Name", "Last Name"}}
	for i := from; i < from+n; i++ {
		rows = append(rows, []string{"E" + itoa(i), "Person " + itoa(i), "person" + itoa(i) + "@example.com", "Dept " + itoa(i%7), "Person", itoa(i)})
	}
	return rows
}

func itoa(i int) string { return strconv.Itoa(i) }

const clientConfigYAML = `product: client_premium_sha2
key: Employee ID
order:
  organization: {id: 112233}
  validity_years: 1
  skip_approval: true
  payment_method: balance
columns:
  certificate.common_name: Full Name
  certificate.emails: Email
  certificate.organization_units: Department
`

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readResults(t *testing.T, path string) *results.File {
	t.Helper()
	f, err := results.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func outcomes(f *results.File) map[string]int {
	m := map[string]int{}
	for _, r := range f.Records {
		m[string(r.Outcome)]++
	}
	return m
}

// repoFile returns a path relative to the repository root.
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{".."}, parts...)...)
}

// manualClock is a sandbox clock that moves only when the test moves it:
// an order stays pending until the test jumps past its issue delay,
// however long the machine takes to submit it.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func newManualClock() *manualClock { return &manualClock{t: time.Now()} }

func (c *manualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
