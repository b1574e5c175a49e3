package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const key = "sandbox-test-key"

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

func start(t *testing.T, cfg Config) (*Server, string, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
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
	ctype  string
}

func call(t *testing.T, method, url, k, body string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if k != "" {
		req.Header.Set("X-DC-DEVKEY", k)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: string(b), ctype: resp.Header.Get("Content-Type")}
	json.Unmarshal(b, &a.body)
	return a
}

func codes(a answer) []string {
	var out []string
	list, _ := a.body["errors"].([]any)
	for _, e := range list {
		out = append(out, e.(map[string]any)["code"].(string))
	}
	return out
}

func seedBody(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "cli", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func csrPEM(t *testing.T) string {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

// The seed pages' example bodies are accepted as they are.
func TestSeedExamplesAccepted(t *testing.T) {
	_, base, _ := start(t, Config{})
	csr, _ := json.Marshal(csrPEM(t))
	client := strings.Replace(seedBody(t, "seed-client-example.json"), `"<csr>"`, string(csr), 1)
	for product, body := range map[string]string{"client_premium_sha2": client, "client_email_security_plus": client,
		"document_signing_org_1": seedBody(t, "seed-document-signing-example.json")} {
		a := call(t, "POST", base+"/order/certificate/"+product, key, body)
		if a.status != 201 || a.ctype != "application/json" {
			t.Fatalf("%s: %d %s", product, a.status, a.raw)
		}
		reqs := a.body["requests"].([]any)
		if a.body["id"] == nil || reqs[0].(map[string]any)["status"] != "approved" || a.body["certificate_id"] == nil {
			t.Errorf("%s: %s", product, a.raw)
		}
	}
}

func TestOrderRules(t *testing.T) {
	_, base, _ := start(t, Config{})
	client := seedBody(t, "seed-client-example.json")
	client = strings.Replace(client, `"csr": "<csr>"`, `"organization_units": ["Accounting"]`, 1)
	client = strings.Replace(client, `"organization_units": [
"Accounting"
],`, "", 1)
	doc := seedBody(t, "seed-document-signing-example.json")
	edit := func(body string, f func(m map[string]any)) string {
		var m map[string]any
		json.Unmarshal([]byte(body), &m)
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	cert := func(m map[string]any) map[string]any { return m["certificate"].(map[string]any) }
	for _, c := range []struct {
		name, product, body string
		status              int
		want                []string
	}{
		{"unknown product", "client_gold", client, 404, []string{"not_found|product"}},
		{"not json", "client_premium_sha2", "{nope", 400, []string{"bad_request_format"}},
		{"wrong type", "client_premium_sha2", edit(client, func(m map[string]any) { m["validity_years"] = "1" }), 400, []string{"bad_request_format"}},
		{"validity 3 client", "client_premium_sha2", edit(client, func(m map[string]any) { m["validity_years"] = 3 }), 400, []string{"invalid_value:validity_years"}},
		{"validity 3 doc ok", "document_signing_org_2", edit(doc, func(m map[string]any) { m["validity_years"] = 3 }), 201, nil},
		{"validity 4 doc", "document_signing_org_2", edit(doc, func(m map[string]any) { m["validity_years"] = 4 }), 400, []string{"invalid_value:validity_years"}},
		{"several problems at once", "client_premium_sha2", edit(client, func(m map[string]any) {
			delete(cert(m), "common_name")
			cert(m)["signature_hash"] = "sha1"
			m["payment_method"] = "cash"
		}), 400, []string{"invalid_value:certificate.signature_hash", "invalid_value:payment_method", "missing_field:certificate.common_name"}},
		{"bad email", "client_premium_sha2", edit(client, func(m map[string]any) { cert(m)["emails"] = []string{"Jane <j@x.com>"} }), 400, []string{"invalid_value:certificate.emails"}},
		{"no org", "client_premium_sha2", edit(client, func(m map[string]any) { delete(m, "organization") }), 400, []string{"missing_field:organization.id"}},
		{"custom date replaces validity", "client_premium_sha2", edit(client, func(m map[string]any) { delete(m, "validity_years"); m["custom_expiration_date"] = "2027-11-23" }), 201, nil},
		{"custom date too far", "client_premium_sha2", edit(client, func(m map[string]any) { m["custom_expiration_date"] = "2029-02-26" }), 400, []string{"invalid_value:custom_expiration_date"}},
		{"custom date past", "client_premium_sha2", edit(client, func(m map[string]any) { m["custom_expiration_date"] = "2026-11-22" }), 400, []string{"invalid_value:custom_expiration_date"}},
		{"bad csr", "client_premium_sha2", edit(client, func(m map[string]any) { cert(m)["csr"] = "<csr>" }), 400, []string{"csr_invalid_cannot_parse"}},
		{"doc subject missing", "document_signing_org_1", edit(doc, func(m map[string]any) { delete(m["subject"].(map[string]any), "job_title") }), 400, []string{"missing_field:subject.job_title"}},
		{"doc email provisioning without csr", "document_signing_org_1", edit(doc, func(m map[string]any) { m["cs_provisioning_method"] = "email" }), 400, []string{"missing_field:certificate.csr"}},
		{"doc bad provisioning", "document_signing_org_1", edit(doc, func(m map[string]any) { m["cs_provisioning_method"] = "pigeon" }), 400, []string{"invalid_value:cs_provisioning_method"}},
		{"ship method", "document_signing_org_1", edit(doc, func(m map[string]any) { m["ship_info"].(map[string]any)["method"] = "overnight" }), 400, []string{"invalid_value:ship_info.method"}},
		{"ship method case", "document_signing_org_1", edit(doc, func(m map[string]any) { m["ship_info"].(map[string]any)["method"] = "EXPEDITED" }), 201, nil},
		{"ship info partial", "document_signing_org_1", edit(doc, func(m map[string]any) { delete(m["ship_info"].(map[string]any), "city") }), 400, []string{"missing_field:ship_info.city"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := call(t, "POST", base+"/order/certificate/"+c.product, key, c.body)
			got := codes(a)
			if a.status != c.status || strings.Join(sorted(got), ",") != strings.Join(sorted(c.want), ",") {
				t.Fatalf("%d %v, want %d %v (%s)", a.status, got, c.status, c.want, a.raw)
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestAuthRoutesAndErrorShape(t *testing.T) {
	_, base, _ := start(t, Config{ErrorsAsObject: false})
	for _, c := range []struct {
		method, path, key string
		status            int
		code              string
	}{
		{"GET", "/order/certificate/1", "", 401, "access_denied|invalid_api_key"},
		{"GET", "/order/certificate/1", "wrong", 401, "access_denied|invalid_api_key"},
		{"GET", "/order/certificate/1", key, 404, "not_found|order"},
		{"GET", "/user/me", key, 404, "not_found|route"},
		{"DELETE", "/order/certificate/1", key, 405, "method_not_allowed"},
	} {
		a := call(t, c.method, base+c.path, c.key, "")
		if a.status != c.status || len(codes(a)) != 1 || codes(a)[0] != c.code || a.ctype != "application/json" {
			t.Errorf("%s %s: %d %s", c.method, c.path, a.status, a.raw)
		}
	}
	_, base2, _ := start(t, Config{ErrorsAsObject: true})
	a := call(t, "GET", base2+"/order/certificate/1", key, "")
	if obj, ok := a.body["errors"].(map[string]any); !ok || obj["code"] != "not_found|order" {
		t.Errorf("errors as object: %s", a.raw)
	}
}

func place(t *testing.T, base, email string) int64 {
	t.Helper()
	body := `{"certificate":{"common_name":"N","emails":["` + email + `"],"signature_hash":"sha256"},"organization":{"id":1},"validity_years":1,"skip_approval":true}`
	a := call(t, "POST", base+"/order/certificate/client_premium_sha2", key, body)
	if a.status != 201 {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	return int64(a.body["id"].(float64))
}

func TestListFiltersAndPaging(t *testing.T) {
	_, base, clk := start(t, Config{})
	for i := 0; i < 5; i++ {
		place(t, base, "a@example.com")
		clk.add(24 * time.Hour)
	}
	place(t, base, "b@example.com")
	list := func(q string) (ids []int64, total int) {
		a := call(t, "GET", base+"/order/certificate?"+q, key, "")
		for _, o := range a.body["orders"].([]any) {
			ids = append(ids, int64(o.(map[string]any)["id"].(float64)))
		}
		return ids, int(a.body["page"].(map[string]any)["total"].(float64))
	}
	if ids, total := list("filters[email]=A@example.com"); total != 5 || len(ids) != 5 {
		t.Errorf("email filter: %v %d", ids, total)
	}
	if ids, total := list("filters[email]=a@example.com&limit=2&offset=3"); total != 5 || len(ids) != 2 || ids[0] != 100004 {
		t.Errorf("offset paging: %v %d", ids, total)
	}
	if ids, _ := list("filters[email]=a@example.com&limit=2&page=3"); len(ids) != 1 || ids[0] != 100005 {
		t.Errorf("page paging: %v", ids)
	}
	if ids, _ := list("filters[date_created]=>=2026-11-25&filters[email]=a@example.com"); len(ids) != 3 {
		t.Errorf("date filter: %v", ids)
	}
	if ids, _ := list("filters[date_created]=2026-11-24...2026-11-25"); len(ids) != 2 {
		t.Errorf("date range: %v", ids)
	}
	if ids, _ := list("filters[product_name_id]=document_signing_org_1"); len(ids) != 0 {
		t.Errorf("product filter: %v", ids)
	}
	if ids, _ := list("sort=-date_created&limit=1"); len(ids) != 1 || ids[0] != 100006 {
		t.Errorf("sort: %v", ids)
	}
	if ids, _ := list("filters[status]=issued&filters[common_name]=N"); len(ids) != 6 {
		t.Errorf("status and common name: %v", ids)
	}
}

func TestRollingWindows(t *testing.T) {
	s, base, clk := start(t, Config{Windows: []Window{{Limit: 3, Per: time.Second}, {Limit: 5, Per: 10 * time.Second}}})
	get := func() int { return call(t, "GET", base+"/order/certificate/1", key, "").status }
	for i := 0; i < 3; i++ {
		if st := get(); st != 404 {
			t.Fatalf("request %d: %d", i, st)
		}
	}
	a := call(t, "GET", base+"/order/certificate/1", key, "")
	if a.status != 429 || codes(a)[0] != "request_limit_exceeded" {
		t.Fatalf("4th in a second: %s", a.raw)
	}
	clk.add(1001 * time.Millisecond)
	if get() != 404 || get() != 404 || get() != 429 {
		t.Fatal("short window did not slide, or the long one did not bind")
	}
	clk.add(10 * time.Second)
	if get() != 404 {
		t.Fatal("long window did not slide")
	}
	st := s.Stats()
	if st.RateLimited != 2 || st.MaxInWindow[0] != 3 || st.MaxInWindow[1] != 5 {
		t.Errorf("stats %+v", st)
	}
}

func TestFaultsAndIssuance(t *testing.T) {
	s, base, clk := start(t, Config{FailEvery: 3, FailAfterCreateEvery: 4, DropEvery: 5, IssueDelay: time.Minute})
	statuses := []string{}
	for i := 1; i <= 6; i++ {
		body := `{"certificate":{"common_name":"N","emails":["p@example.com"],"signature_hash":"sha256"},"organization":{"id":1},"validity_years":1,"skip_approval":true}`
		req, _ := http.NewRequest("POST", base+"/order/certificate/client_premium", strings.NewReader(body))
		req.Header.Set("X-DC-DEVKEY", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			statuses = append(statuses, "dropped")
			continue
		}
		resp.Body.Close()
		statuses = append(statuses, resp.Status[:3])
	}
	if got := strings.Join(statuses, ","); got != "201,201,500,500,dropped,500" {
		t.Fatalf("answers %s", got)
	}
	st := s.Stats()
	// POST 3 and 6 created nothing; 4 (500 after create) and 5 (dropped) did.
	if st.OrdersCreated != 4 || len(s.Orders()) != 4 || st.Dropped != 1 || st.Failed5xx != 3 {
		t.Errorf("stats %+v", st)
	}
	o := s.Orders()[0]
	if o.Status != "pending" || o.CertificateID != 0 {
		t.Errorf("before the delay: %+v", o)
	}
	clk.add(time.Minute)
	a := call(t, "GET", base+"/order/certificate/100001", key, "")
	cert := a.body["certificate"].(map[string]any)
	if a.body["status"] != "issued" || cert["id"] == nil {
		t.Errorf("after the delay: %s", a.raw)
	}
}

func TestDataFilePersists(t *testing.T) {
	p := filepath.Join(t.TempDir(), "orders.json")
	_, base, _ := start(t, Config{DataFile: p})
	id := place(t, base, "keep@example.com")
	s2, base2, _ := start(t, Config{DataFile: p})
	if o := s2.Orders(); len(o) != 1 || o[0].ID != id || o[0].Emails[0] != "keep@example.com" {
		t.Fatalf("after restart: %+v", o)
	}
	if next := place(t, base2, "next@example.com"); next != id+1 {
		t.Errorf("IDs restart: %d after %d", next, id)
	}
}
