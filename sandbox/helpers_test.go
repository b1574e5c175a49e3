package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const key = "sandbox-test-key"

// t0 is the injected clock's start.
var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// start serves a sandbox with an injected clock and, unless cfg says
// otherwise, no rate limit.
func start(t *testing.T, cfg Config) (*Server, string, *clock) {
	t.Helper()
	c := &clock{t: t0}
	if cfg.APIKey == "" {
		cfg.APIKey = key
	}
	if cfg.Now == nil {
		cfg.Now = c.now
	}
	if cfg.Windows == nil {
		cfg.Windows = []Window{}
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL + "/services/v2", c
}

type answer struct {
	status int
	body   map[string]any
	raw    string
	header http.Header
}

func call(t *testing.T, method, url, k, body string) answer {
	t.Helper()
	a := callRaw(t, method, url, k, body)
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q", method, url, ct)
	}
	if err := json.Unmarshal([]byte(a.raw), &a.body); err != nil {
		t.Errorf("%s %s: answer is not a JSON object: %q", method, url, a.raw)
	}
	return a
}

// callRaw sends a request and returns the answer without reading it as
// JSON (204s, downloads).
func callRaw(t *testing.T, method, url, k, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if k != "" {
		req.Header.Set("X-DC-DEVKEY", k)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, raw: string(b), header: resp.Header}
}

// codes returns the error codes of an answer, sorted; it fails the test
// when the errors are not an array of {code, message}.
func codes(t *testing.T, a answer) []string {
	t.Helper()
	var env struct {
		Errors []apiError `json:"errors"`
	}
	if err := json.Unmarshal([]byte(a.raw), &env); err != nil {
		t.Fatalf("errors are not an array of objects: %s", a.raw)
	}
	var out []string
	for _, e := range env.Errors {
		if e.Code == "" || e.Message == "" {
			t.Errorf("error without code or message: %s", a.raw)
		}
		out = append(out, e.Code)
	}
	slices.Sort(out)
	return out
}

func num(t *testing.T, v any) int64 {
	t.Helper()
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("not a number: %#v", v)
	}
	return int64(f)
}

func obj(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %#v", v)
	}
	return m
}

func seedBody(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func csrPEM(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "Lock Cole"}}, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

// clientSeed is the client seed example with a real CSR for "<csr>" and
// the S/MIME profile fields today's service requires (today.md §1).
func clientSeed(t testing.TB) string {
	t.Helper()
	return modify(t, rawClientSeed(t), set("certificate.common_name_indicator", "given_name_surname"),
		set("certificate.individual", map[string]any{"first_name": "Lock", "last_name": "Cole"}))
}

// docSeed is the document signing seed example with the
// order_validity.years today's page marks required (the seed's deprecated
// validity_years stays: the page still allows it).
func docSeed(t testing.TB) string {
	t.Helper()
	return modify(t, seedBody(t, "seed-document-signing-example.json"), set("order_validity", map[string]any{"years": 2}))
}

// rawClientSeed is the client seed example as the seed page has it, with
// a real CSR for "<csr>".
func rawClientSeed(t testing.TB) string {
	t.Helper()
	csr, _ := json.Marshal(csrPEM(t))
	body := seedBody(t, "seed-client-example.json")
	if !strings.Contains(body, `"<csr>"`) {
		t.Fatal("seed client example lost its csr placeholder")
	}
	return strings.Replace(body, `"<csr>"`, string(csr), 1)
}

// edit is one change to a JSON body at a dotted path.
type edit func(m map[string]any)

func walk(m map[string]any, path string) (map[string]any, string) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	return m, parts[len(parts)-1]
}

func set(path string, v any) edit {
	return func(m map[string]any) { parent, k := walk(m, path); parent[k] = v }
}

func del(path string) edit {
	return func(m map[string]any) { parent, k := walk(m, path); delete(parent, k) }
}

func modify(t testing.TB, body string, edits ...edit) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		e(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// simpleClient is a minimal valid client order body (without a CSR) for
// the profile products such as client_premium.
func simpleClient(email, cn string, skip bool) string {
	b, _ := json.Marshal(map[string]any{
		"certificate": map[string]any{"common_name": cn, "emails": []string{email}, "signature_hash": "sha256",
			"common_name_indicator": "given_name_surname", "individual": map[string]any{"first_name": "Jane", "last_name": cn}},
		"organization": map[string]any{"id": 112233}, "validity_years": 1, "skip_approval": skip,
	})
	return string(b)
}

func place(t *testing.T, base, product, body string) answer {
	t.Helper()
	a := call(t, "POST", base+"/order/certificate/"+product, key, body)
	if a.status != http.StatusCreated {
		t.Fatalf("order: %d %s", a.status, a.raw)
	}
	return a
}

// id returns the order path of an order ID.
func orderURL(base string, id int64) string { return fmt.Sprintf("%s/order/certificate/%d", base, id) }

// orderStatus is the status GET /order/certificate/{id} tells.
func orderStatus(t *testing.T, base string, id int64) string {
	t.Helper()
	a := call(t, "GET", orderURL(base, id), key, "")
	if a.status != http.StatusOK {
		t.Fatalf("order %d: %d %s", id, a.status, a.raw)
	}
	return a.body["status"].(string)
}

// approve approves a request through the API.
func approve(t *testing.T, base string, reqID int64) {
	t.Helper()
	a := callRaw(t, "PUT", fmt.Sprintf("%s/request/%d/status", base, reqID), key, `{"status":"approved"}`)
	if a.status != http.StatusNoContent || a.raw != "" {
		t.Fatalf("approve %d: %d %s", reqID, a.status, a.raw)
	}
}
