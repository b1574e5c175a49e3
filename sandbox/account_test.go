package sandbox

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// GET /product lists the enabled products; others cannot be ordered
// (today.md §1, §5).
func TestProducts(t *testing.T) {
	for _, c := range []struct {
		name     string
		products []string
		listed   []string
		orders   map[string]int // product -> POST status
	}{
		{"all by default", nil, []string{"client_premium", "client_email_security_plus", "client_digital_signature_plus", "class1_smime",
			"client_authentication_plus", "document_signing_org_1", "document_signing_org_2",
			"secure_email_mailbox", "secure_email_sponsor", "secure_email_organization", "ds_org", "ds_org_individual", "ds_individual"},
			map[string]int{"client_premium_sha2": 201, "client_digital_signature_plus_sha2": 201, "client_gold": 404}},
		{"an old ID enables the current product", []string{"client_premium_sha2"}, []string{"client_premium"},
			map[string]int{"client_premium": 201, "client_premium_sha2": 201, "client_email_security_plus": 404, "client_digital_signature_plus_sha2": 404}},
		{"none", []string{}, nil, map[string]int{"client_premium": 404, "client_authentication_plus": 404}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, base, _ := start(t, Config{Products: c.products})
			a := call(t, "GET", base+"/product", key, "")
			var ids []string
			for _, p := range a.body["products"].([]any) {
				m := obj(t, p)
				ids = append(ids, m["name_id"].(string))
				if m["group_name"] == nil || m["name"] == nil || m["type"] != m["group_name"] || m["allowed_validity_years"] == nil {
					t.Errorf("product fields: %v", m)
				}
			}
			if !slices.Equal(ids, c.listed) {
				t.Errorf("listed %v, want %v", ids, c.listed)
			}
			for p, want := range c.orders {
				a := call(t, "POST", base+"/order/certificate/"+p, key, simpleClient("a@example.com", "A", true))
				if a.status != want || want == 404 && !slices.Equal(codes(t, a), []string{"not_found|product"}) {
					t.Errorf("order %s: %d %s, want %d", p, a.status, a.raw, want)
				}
			}
		})
	}
	t.Run("validity years", func(t *testing.T) {
		_, base, _ := start(t, Config{Products: []string{"client_premium", "document_signing_org_1"}})
		a := call(t, "GET", base+"/product", key, "")
		got := fmt.Sprint(obj(t, a.body["products"].([]any)[0])["allowed_validity_years"], obj(t, a.body["products"].([]any)[1])["allowed_validity_years"])
		if got != "[1 2] [1 2 3]" || obj(t, a.body["products"].([]any)[1])["group_name"] != "document_signing" {
			t.Errorf("%s", a.raw)
		}
	})
}

// Organizations, containers and the key's user (today.md §5).
func TestAccountObjects(t *testing.T) {
	_, base, _ := start(t, Config{})
	_, custom, _ := start(t, Config{Organizations: map[int64]string{7: "Seven Ltd"}, Containers: map[int64]string{8: "Eight"}})
	for _, c := range []struct {
		url, want string
		status    int
	}{
		{base + "/organization/112233", "112233 Example Corp active", 200},
		{base + "/organization/334455", "334455 Example Signing Ltd active", 200},
		{base + "/organization/7", "not_found|organization", 404},
		{base + "/organization/abc", "not_found|organization", 404},
		{base + "/container/445566", "445566 Example Corp Division <nil>", 200},
		{base + "/container/221122", "221122 Example Signing Division <nil>", 200},
		{base + "/container/8", "not_found|container", 404},
		{custom + "/organization/7", "7 Seven Ltd active", 200},
		{custom + "/organization/112233", "not_found|organization", 404},
		{custom + "/container/8", "8 Eight <nil>", 200},
	} {
		a := call(t, "GET", c.url, key, "")
		got := ""
		if a.status == 200 {
			got = fmt.Sprintf("%d %s %v", num(t, a.body["id"]), a.body["name"], a.body["status"])
		} else {
			got = codes(t, a)[0]
		}
		if a.status != c.status || got != c.want {
			t.Errorf("%s: %d %q, want %d %q", c.url, a.status, got, c.status, c.want)
		}
	}
	if a := call(t, "POST", custom+"/order/certificate/client_premium", key, simpleClient("a@example.com", "A", true)); a.status != 400 ||
		!slices.Equal(codes(t, a), []string{"invalid_value:organization.id"}) {
		t.Errorf("order for an organization not in the account: %d %s", a.status, a.raw)
	}
	a := call(t, "GET", base+"/user/me", key, "")
	roles := a.body["access_roles"].([]any)
	if a.status != 200 || a.body["username"] == nil || a.body["email"] == nil || a.body["first_name"] == nil || a.body["last_name"] == nil ||
		a.body["account_id"] == nil || num(t, obj(t, a.body["container"])["id"]) != 221122 || len(roles) != 1 ||
		num(t, obj(t, roles[0])["id"]) != 1 || obj(t, roles[0])["name"] != "Administrator" {
		t.Errorf("user/me: %s", a.raw)
	}
}

// A view-only key may only GET (today.md §4: access_denied|missing_permission).
func TestViewOnlyKey(t *testing.T) {
	const viewer = "viewer-key"
	s, base, _ := start(t, Config{ViewOnlyKey: viewer, Windows: []Window{{Limit: 4, Per: time.Hour}}})
	place(t, base, "client_premium", simpleClient("a@example.com", "A", false))
	for _, c := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"GET", "/order/certificate/100001", "", 200, ""},
		{"GET", "/user/me", "", 200, ""},
		{"POST", "/order/certificate/client_premium", simpleClient("b@example.com", "B", true), 403, "access_denied|missing_permission"},
		{"PUT", "/request/500001/status", `{"status":"approved"}`, 403, "access_denied|missing_permission"},
		{"PUT", "/order/certificate/100001/status", `{"status":"canceled","note":"x"}`, 429, "request_limit_exceeded"},
	} {
		a := call(t, c.method, base+c.path, viewer, c.body)
		if a.status != c.status || c.code != "" && !slices.Equal(codes(t, a), []string{c.code}) {
			t.Errorf("%s %s: %d %s", c.method, c.path, a.status, a.raw)
		}
	}
	// The full key has its own windows.
	if st := orderStatus(t, base, 100001); st != "needs_approval" || len(s.Orders()) != 1 || s.Stats().Mutations != 1 {
		t.Errorf("the view-only key changed something: %s %+v", st, s.Stats())
	}
}

// Everything new survives a restart: events, notes, validations, the CA
// and the certificates it made.
func TestDataFileKeepsEverything(t *testing.T) {
	p := filepath.Join(t.TempDir(), "state.json")
	cfg := Config{DataFile: p, EmailValidation: true, ManualPickup: true}
	s, base, clk := start(t, cfg)
	place(t, base, "client_premium", simpleClient("a@example.com", "A", false)) // 100001: approved, validated, waiting pickup
	place(t, base, "client_premium", simpleClient("b@example.com", "B", false)) // 100002: approved, canceled
	place(t, base, "client_premium", clientSeed(t))                             // 100003: validated, issued, downloaded
	clk.add(time.Minute)
	approve(t, base, 500001)
	approve(t, base, 500002) // a cancel needs pending or waiting_pickup
	if err := s.ValidateEmail(100001); err != nil {
		t.Fatal(err)
	}
	if err := s.ValidateEmail(100003); err != nil {
		t.Fatal(err)
	}
	if a := callRaw(t, "PUT", orderURL(base, 100002)+"/status", key, `{"status":"canceled","note":"kept"}`); a.status != 204 {
		t.Fatal(a.status, a.raw)
	}
	pemAll := callRaw(t, "GET", base+"/certificate/900001/download/format/pem_all", key, "")
	if pemAll.status != 200 {
		t.Fatal(pemAll.status, pemAll.raw)
	}
	before := s.Orders()
	tok, _ := s.EmailValidationToken(100001)

	// A restart with another configuration keeps the old orders' rules.
	s2, base2, clk2 := start(t, Config{DataFile: p})
	clk2.add(time.Minute)
	after := s2.Orders()
	for i := range before {
		b, a := before[i], after[i]
		if a.Status != b.Status || a.RequestStatus != b.RequestStatus || a.CertificateID != b.CertificateID || a.Note != b.Note ||
			!a.DateApproved.Equal(b.DateApproved) || !slices.Equal(a.History, b.History) {
			t.Errorf("order %d: %+v, was %+v", b.ID, a, b)
		}
	}
	if after[0].Status != "waiting_pickup" || after[1].Status != "canceled" || after[1].Note != "kept" || after[2].Status != "issued" {
		t.Errorf("statuses after restart: %+v", after)
	}
	if tok2, err := s2.EmailValidationToken(100001); err != nil || tok2 != tok {
		t.Errorf("token %q, was %q (%v)", tok2, tok, err)
	}
	if again := callRaw(t, "GET", base2+"/certificate/900001/download/format/pem_all", key, ""); again.raw != pemAll.raw {
		t.Error("the certificate or the CA changed across the restart")
	}
	if err := s2.Pickup(100001); err != nil {
		t.Fatal(err)
	}
	// A certificate made after the restart chains to the same root.
	later := pemCerts(t, callRaw(t, "GET", base2+"/certificate/download/order/100001/format/pem_all", key, "").raw)
	if root := pemCerts(t, pemAll.raw)[2]; !later[2].Equal(root) {
		t.Error("a new root after the restart")
	}
	if a := call(t, "GET", base2+"/request?filters[status]=pending", key, ""); a.body["requests"] != nil {
		t.Errorf("pending requests after restart: %s", a.raw)
	}
	if n := place(t, base2, "client_premium", simpleClient("c@example.com", "C", true)); num(t, n.body["id"]) != 100004 || num(t, n.body["certificate_id"]) != 900004 {
		t.Errorf("IDs after restart: %s", n.raw)
	}
}
