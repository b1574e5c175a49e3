package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestAuth(t *testing.T) {
	s, base, _ := start(t, Config{Windows: []Window{{Limit: 1, Per: time.Minute}}})
	for _, c := range []struct{ name, key string }{
		{"missing key", ""},
		{"wrong key", "not-the-key"},
		{"key prefix", key[:len(key)-1]},
		{"key with suffix", key + "x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, m := range []struct{ method, path, body string }{
				{"GET", "/order/certificate/100001", ""},
				{"GET", "/order/certificate", ""},
				{"POST", "/order/certificate/client_premium", simpleClient("a@example.com", "A", true)},
			} {
				a := call(t, m.method, base+m.path, c.key, m.body)
				// 403, not 401 (today.md §4).
				if a.status != http.StatusForbidden || !slices.Equal(codes(t, a), []string{"access_denied|access_denied_invalid_key"}) {
					t.Errorf("%s %s: %d %s", m.method, m.path, a.status, a.raw)
				}
			}
		})
	}
	st := s.Stats()
	if len(s.Orders()) != 0 || st.OrderPOSTs != 0 || st.RateLimited != 0 {
		t.Errorf("unauthenticated requests reached the API: %+v", st)
	}
	// Refused requests did not use the 1-per-minute window.
	if a := call(t, "GET", base+"/order/certificate", key, ""); a.status != http.StatusOK {
		t.Errorf("first request with the key: %d %s", a.status, a.raw)
	}
	if st := s.Stats(); st.Requests != 13 {
		t.Errorf("Requests = %d, want 13 (every request counts)", st.Requests)
	}
}

func TestRoutes(t *testing.T) {
	_, base, _ := start(t, Config{})
	root := strings.TrimSuffix(base, "/services/v2")
	place(t, base, "client_premium", simpleClient("a@example.com", "A", true))
	for _, c := range []struct {
		name, method, url string
		status            int
		code, allow       string
	}{
		{"unknown order", "GET", base + "/order/certificate/999", 404, "not_found|order", ""},
		{"order id not a number", "GET", base + "/order/certificate/abc", 404, "not_found|order", ""},
		{"certificate id is not an order id", "GET", base + "/order/certificate/900001", 404, "not_found|order", ""},
		{"unknown route", "GET", base + "/domain", 404, "not_found|route", ""},
		{"unknown user route", "GET", base + "/user/42", 404, "not_found|route", ""},
		{"deeper route", "GET", base + "/order/certificate/100001/reissue", 404, "not_found|route", ""},
		{"empty id segment", "GET", base + "/organization/", 404, "not_found|route", ""},
		{"unknown request", "GET", base + "/request/1", 404, "not_found|request", ""},
		{"post a status", "POST", base + "/order/certificate/100001/status", 405, "method_not_allowed", "PUT"},
		{"put the email validation", "PUT", base + "/order/certificate/100001/email-validation", 405, "method_not_allowed", "GET"},
		{"delete a request", "DELETE", base + "/request/500001", 405, "method_not_allowed", "GET"},
		{"similar prefix", "GET", base + "/order/certificates", 404, "not_found|route", ""},
		{"outside the API", "GET", root + "/services/v1/order/certificate", 404, "not_found|route", ""},
		{"api root", "GET", base, 404, "not_found|route", ""},
		{"delete an order", "DELETE", base + "/order/certificate/100001", 405, "method_not_allowed", "GET, POST"},
		{"put an order", "PUT", base + "/order/certificate/100001", 405, "method_not_allowed", "GET, POST"},
		{"post to the list", "POST", base + "/order/certificate", 405, "method_not_allowed", "GET"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := call(t, c.method, c.url, key, "")
			if a.status != c.status || !slices.Equal(codes(t, a), []string{c.code}) {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			if got := a.header.Get("Allow"); got != c.allow {
				t.Errorf("Allow %q, want %q", got, c.allow)
			}
		})
	}
	t.Run("EU host, same paths", func(t *testing.T) {
		req, _ := http.NewRequest("GET", base+"/order/certificate/100001", nil)
		req.Host = "certcentral.digicert.eu"
		req.Header.Set("X-DC-DEVKEY", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("EU host: %d", resp.StatusCode)
		}
	})
}

func TestErrorsAsObject(t *testing.T) {
	for _, c := range []struct {
		name   string
		object bool
	}{{"array by default", false}, {"object when configured", true}} {
		t.Run(c.name, func(t *testing.T) {
			_, base, _ := start(t, Config{ErrorsAsObject: c.object})
			body := modify(t, simpleClient("a@example.com", "A", false), del("certificate.common_name"), set("validity_years", 7))
			a := call(t, "POST", base+"/order/certificate/client_premium", key, body)
			if a.status != http.StatusBadRequest {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			switch errs := a.body["errors"].(type) {
			case map[string]any:
				if !c.object || !strings.HasPrefix(errs["code"].(string), "missing_field:") && !strings.HasPrefix(errs["code"].(string), "invalid_value:") || errs["message"] == "" {
					t.Errorf("errors object: %s", a.raw)
				}
			case []any:
				if c.object || len(errs) != 2 {
					t.Errorf("errors array: %s", a.raw)
				}
			default:
				t.Errorf("errors: %s", a.raw)
			}
		})
	}
}

func TestOrderInfo(t *testing.T) {
	_, base, clk := start(t, Config{})
	client := modify(t, clientSeed(t), set("skip_approval", false))
	cid := num(t, place(t, base, "client_email_security_plus", client).body["id"])
	clk.add(90 * time.Minute)
	doc := modify(t, docSeed(t), del("certificate.server_platform"), set("user_id_assignments", []any{7}))
	did := num(t, place(t, base, "document_signing_org_2", doc).body["id"])

	t.Run("client, waiting for approval", func(t *testing.T) {
		a := call(t, "GET", fmt.Sprintf("%s/order/certificate/%d", base, cid), key, "")
		cert := obj(t, a.body["certificate"])
		reqs := a.body["requests"].([]any)
		if a.status != 200 || num(t, a.body["id"]) != cid || a.body["status"] != "needs_approval" || cert["id"] != nil || cert["valid_till"] != nil {
			t.Fatalf("%s", a.raw)
		}
		if a.body["date_created"] != "2026-11-23T10:00:00+00:00" || obj(t, reqs[0])["status"] != "pending" || num(t, obj(t, reqs[0])["id"]) != 500001 {
			t.Errorf("date or request: %s", a.raw)
		}
		if cert["common_name"] != "Lock Cole" || fmt.Sprint(cert["emails"]) != "[locke.cole@example.com]" ||
			fmt.Sprint(cert["organization_units"]) != "[Accounting]" || cert["signature_hash"] != "sha256" ||
			!strings.HasPrefix(fmt.Sprint(cert["csr"]), "-----BEGIN CERTIFICATE REQUEST-----") {
			t.Errorf("certificate: %v", cert)
		}
		if p := obj(t, a.body["product"]); p["name_id"] != "client_email_security_plus" || p["type"] != "client_certificate" || p["name"] != "Email Security Plus" {
			t.Errorf("product: %v", p)
		}
		if cert["common_name_indicator"] != "given_name_surname" || obj(t, cert["individual"])["last_name"] != "Cole" {
			t.Errorf("profile fields: %v", cert)
		}
		if org := obj(t, a.body["organization"]); num(t, org["id"]) != 112233 || org["name"] != "Example Corp" || num(t, obj(t, a.body["container"])["id"]) != 445566 ||
			num(t, a.body["validity_years"]) != 1 || a.body["payment_method"] != "balance" {
			t.Errorf("order fields: %s", a.raw)
		}
	})
	t.Run("document signing, issued", func(t *testing.T) {
		a := call(t, "GET", fmt.Sprintf("%s/order/certificate/%d", base, did), key, "")
		cert := obj(t, a.body["certificate"])
		if a.body["status"] != "issued" || num(t, cert["id"]) != 900001 || a.body["date_created"] != "2026-11-23T11:30:00+00:00" {
			t.Fatalf("%s", a.raw)
		}
		if cert["common_name"] != "Example Signing Ltd" || cert["emails"] != nil || cert["valid_till"] != "2028-11-23" || cert["date_issued"] != "2026-11-23T11:30:00+00:00" ||
			cert["serial_number"] != "d1c0000000dbba1" || num(t, cert["days_remaining"]) != 731 {
			t.Errorf("certificate: %v", cert)
		}
		if pf := obj(t, cert["server_platform"]); num(t, pf["id"]) != -1 || pf["name"] != "OTHER" {
			t.Errorf("default server platform: %v", pf)
		}
		ship := obj(t, a.body["ship_info"])
		if a.body["subject"] != nil || ship["city"] != "Richmond" ||
			a.body["cs_provisioning_method"] != "ship_token" || num(t, a.body["validity_years"]) != 2 {
			t.Errorf("document signing fields: %s", a.raw)
		}
		if ua := a.body["user_assignments"].([]any); len(ua) != 1 || num(t, obj(t, ua[0])["id"]) != 7 {
			t.Errorf("user assignments: %v", ua)
		}
	})
}

// serve calls the handler directly: fast, for tests that send many
// requests.
func serve(s *Server, method, path, k, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://sandbox"+path, strings.NewReader(body))
	if k != "" {
		req.Header.Set("X-DC-DEVKEY", k)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func TestRateWindows(t *testing.T) {
	t.Run("5 per second, rolling", func(t *testing.T) {
		s, base, clk := start(t, Config{Windows: []Window{{Limit: 5, Per: time.Second}}})
		get := func() answer { return call(t, "GET", base+"/order/certificate", key, "") }
		for i := range 5 {
			if a := get(); a.status != 200 {
				t.Fatalf("request %d: %d", i+1, a.status)
			}
			clk.add(100 * time.Millisecond)
		}
		a := get() // at +500ms: the 6th in the window
		if a.status != 429 || !slices.Equal(codes(t, a), []string{"request_limit_exceeded"}) ||
			!strings.Contains(a.raw, "Service unavailable, please limit request volume") {
			t.Fatalf("6th request: %d %s", a.status, a.raw)
		}
		clk.add(499 * time.Millisecond) // +999ms: the first is still inside
		if get().status != 429 {
			t.Fatal("the window slid early")
		}
		clk.add(time.Millisecond) // +1s: the first left the window
		if a := get(); a.status != 200 {
			t.Fatalf("after the first left: %d", a.status)
		}
		if get().status != 429 {
			t.Fatal("only one request left the window, but two were admitted")
		}
		// Rejected requests did not count: after all five admitted ones
		// leave, five more fit.
		clk.add(time.Second)
		for i := range 5 {
			if a := get(); a.status != 200 {
				t.Fatalf("new window, request %d: %d", i+1, a.status)
			}
		}
		if st := s.Stats(); st.RateLimited != 3 || !slices.Equal(st.MaxInWindow, []int{5}) {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("every window binds", func(t *testing.T) {
		s, _, clk := start(t, Config{Windows: []Window{{Limit: 3, Per: time.Second}, {Limit: 5, Per: 10 * time.Second}}})
		var got []int
		for range 4 {
			for range 3 {
				got = append(got, serve(s, "GET", "/services/v2/order/certificate", key, "").Code)
			}
			clk.add(1001 * time.Millisecond)
		}
		want := []int{200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		clk.add(10 * time.Second)
		if c := serve(s, "GET", "/services/v2/order/certificate", key, "").Code; c != 200 {
			t.Errorf("after the long window: %d", c)
		}
		if st := s.Stats(); !slices.Equal(st.MaxInWindow, []int{3, 5}) || st.RateLimited != 7 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("DigiCert's windows by default", func(t *testing.T) {
		clk := &clock{t: t0}
		s, err := New(Config{APIKey: key, Now: clk.now})
		if err != nil {
			t.Fatal(err)
		}
		var limited []int
		for i := range 1100 {
			if serve(s, "GET", "/services/v2/order/certificate", key, "").Code == 429 {
				limited = append(limited, i)
			}
			if i%100 == 99 {
				clk.add(5 * time.Second)
			}
		}
		// 100 per 5 s never binds at this pace; 1000 per 3 min does, after
		// the 1000th request (10 blocks of 100 span 50 s).
		if len(limited) != 100 || limited[0] != 1000 {
			t.Errorf("%d limited, first at %v", len(limited), limited[:min(1, len(limited))])
		}
		clk.t = t0
		s2, _ := New(Config{APIKey: key, Now: clk.now})
		for range 100 {
			serve(s2, "GET", "/services/v2/order/certificate", key, "")
		}
		if c := serve(s2, "GET", "/services/v2/order/certificate", key, "").Code; c != 429 {
			t.Errorf("101st request in 5 s: %d", c)
		}
	})
	t.Run("empty windows disable limiting", func(t *testing.T) {
		s, _, _ := start(t, Config{Windows: []Window{}})
		for i := range 300 {
			if c := serve(s, "GET", "/services/v2/order/certificate", key, "").Code; c != 200 {
				t.Fatalf("request %d: %d", i, c)
			}
		}
	})
}

func TestFaults(t *testing.T) {
	valid := simpleClient("a@example.com", "A", true)
	invalid := modify(t, valid, set("validity_years", 9))
	post := func(t *testing.T, base, body string) string {
		t.Helper()
		req, _ := http.NewRequest("POST", base+"/order/certificate/client_premium", strings.NewReader(body))
		req.Header.Set("X-DC-DEVKEY", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return "dropped"
		}
		defer resp.Body.Close()
		return resp.Status[:3]
	}
	for _, c := range []struct {
		name     string
		cfg      Config
		bodies   []string
		want     string
		created  int
		stats    Stats
		ordersOK func([]Order) bool
	}{
		{"fail every 2nd: 500, nothing created", Config{FailEvery: 2}, []string{valid, valid, valid, valid},
			"201,500,201,500", 2, Stats{OrderPOSTs: 4, Failed5xx: 2}, nil},
		{"fail every 2nd counts invalid posts", Config{FailEvery: 2}, []string{invalid, valid, invalid, invalid},
			"400,500,400,500", 0, Stats{OrderPOSTs: 4, Failed5xx: 2}, nil},
		{"fail after create: 500, order exists", Config{FailAfterCreateEvery: 2}, []string{valid, valid, valid},
			"201,500,201", 3, Stats{OrderPOSTs: 3, Failed5xx: 1}, nil},
		{"fail after create needs a valid body", Config{FailAfterCreateEvery: 2}, []string{valid, invalid, valid},
			"201,400,201", 2, Stats{OrderPOSTs: 3}, nil},
		{"drop: connection error, order exists", Config{DropEvery: 3}, []string{valid, valid, valid, valid},
			"201,201,dropped,201", 4, Stats{OrderPOSTs: 4, Dropped: 1}, nil},
		{"drop wins over fail after create", Config{DropEvery: 2, FailAfterCreateEvery: 2}, []string{valid, valid},
			"201,dropped", 2, Stats{OrderPOSTs: 2, Dropped: 1}, nil},
		{"fail wins over everything", Config{FailEvery: 2, DropEvery: 2, FailAfterCreateEvery: 2}, []string{valid, valid},
			"201,500", 1, Stats{OrderPOSTs: 2, Failed5xx: 1}, nil},
		{"all three", Config{FailEvery: 3, FailAfterCreateEvery: 4, DropEvery: 5}, []string{valid, valid, valid, valid, valid, valid},
			"201,201,500,500,dropped,500", 4, Stats{OrderPOSTs: 6, Failed5xx: 3, Dropped: 1}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, base, _ := start(t, c.cfg)
			var got []string
			for _, b := range c.bodies {
				got = append(got, post(t, base, b))
			}
			if g := strings.Join(got, ","); g != c.want {
				t.Fatalf("answers %s, want %s", g, c.want)
			}
			st := s.Stats()
			if len(s.Orders()) != c.created || st.OrdersCreated != c.created || st.OrderPOSTs != c.stats.OrderPOSTs ||
				st.Failed5xx != c.stats.Failed5xx || st.Dropped != c.stats.Dropped {
				t.Errorf("%d orders, stats %+v", len(s.Orders()), st)
			}
			// The order a dropped or failed-after-create POST made can be
			// found by the reconciliation query.
			a := call(t, "GET", base+"/order/certificate?filters[email]=a@example.com", key, "")
			if n := num(t, obj(t, a.body["page"])["total"]); n != int64(c.created) {
				t.Errorf("list finds %d orders, want %d", n, c.created)
			}
		})
	}
}

// An approved order stays pending for IssueDelay (today.md §2: approval
// is not issuance); the POST answer carries the certificate ID but no
// chain and no order status.
func TestIssueDelay(t *testing.T) {
	s, base, clk := start(t, Config{IssueDelay: time.Hour})
	first := place(t, base, "client_premium", simpleClient("a@example.com", "A", true))
	clk.add(time.Minute)
	second := place(t, base, "client_premium", simpleClient("b@example.com", "B", true))
	manual := place(t, base, "client_premium", simpleClient("c@example.com", "C", false))
	for i, a := range []answer{first, second} {
		if num(t, a.body["certificate_id"]) != 900001+int64(i) || obj(t, a.body["requests"].([]any)[0])["status"] != "approved" ||
			a.body["certificate_chain"] != nil || a.body["status"] != nil {
			t.Errorf("answer before issuance: %s", a.raw)
		}
	}
	if manual.body["certificate_id"] != nil || obj(t, manual.body["requests"].([]any)[0])["status"] != "pending" || manual.body["status"] != nil {
		t.Errorf("answer without skip_approval: %s", manual.raw)
	}
	status := func(id int64) (string, int64) {
		a := call(t, "GET", orderURL(base, id), key, "")
		cert := obj(t, a.body["certificate"])
		var cid int64
		if cert["id"] != nil {
			cid = num(t, cert["id"])
		}
		return a.body["status"].(string), cid
	}
	if st, cid := status(100001); st != "pending" || cid != 900001 {
		t.Errorf("before the delay: %s %d", st, cid)
	}
	clk.add(58*time.Minute + 59*time.Second) // 1 s before the first is due
	if o := s.Orders(); o[0].Status != "pending" || !o[0].DateIssued.IsZero() || !o[0].IssueAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("1 s early: %+v", o[0])
	}
	clk.add(time.Second)
	if st, _ := status(100002); st != "pending" {
		t.Errorf("second order issued early: %s", st)
	}
	if st, cid := status(100001); st != "issued" || cid != 900001 {
		t.Errorf("first order at its time: %s %d", st, cid)
	}
	clk.add(time.Minute)
	if st, cid := status(100002); st != "issued" || cid != 900002 {
		t.Errorf("second order at its time: %s %d", st, cid)
	}
	o := s.Orders()
	if o[0].RequestStatus != "approved" || !o[0].DateIssued.Equal(t0.Add(time.Hour)) ||
		!slices.Equal(o[0].History, []StatusChange{{"pending", t0}, {"issued", t0.Add(time.Hour)}}) {
		t.Errorf("issued order: %+v", o[0])
	}
	clk.add(24 * time.Hour)
	if o := s.Orders(); o[2].Status != "needs_approval" || o[2].CertificateID != 0 {
		t.Errorf("an order without skip_approval moved on: %+v", o[2])
	}
	a := call(t, "GET", base+"/order/certificate?filters[status]=issued", key, "")
	if num(t, obj(t, a.body["page"])["total"]) != 2 {
		t.Errorf("issued list: %s", a.raw)
	}
}

func TestDataFile(t *testing.T) {
	t.Run("orders persist across New", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "orders.json")
		cfg := Config{DataFile: p, IssueDelay: time.Hour}
		_, base, clk := start(t, cfg)
		body := "{\n \"certificate\": {\"common_name\": \"K\", \"emails\": [\"keep@example.com\"], \"signature_hash\": \"sha256\"},\n \"organization\": {\"id\": 112233}, \"validity_years\": 2, \"skip_approval\": true}"
		id := num(t, place(t, base, "client_authentication_plus", body).body["id"])
		place(t, base, "client_premium", simpleClient("now@example.com", "N", false))
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("data file: %v %v", fi, err)
		}
		s2, base2, clk2 := start(t, cfg)
		o := s2.Orders()
		if len(o) != 2 || o[0].ID != id || o[0].Emails[0] != "keep@example.com" || string(o[0].Body) != body ||
			!o[0].DateCreated.Equal(clk.now()) || o[0].Status != "pending" || o[0].Family != familyClient {
			t.Fatalf("after restart: %+v", o)
		}
		next := place(t, base2, "client_premium", simpleClient("next@example.com", "X", true))
		if num(t, next.body["id"]) != id+2 || num(t, obj(t, next.body["requests"].([]any)[0])["id"]) != 500003 {
			t.Errorf("IDs restart: %s", next.raw)
		}
		// The delayed order issues after the restart, with the
		// certificate ID reserved before it.
		clk2.add(2 * time.Hour)
		if o := s2.Orders(); o[0].Status != "issued" || o[0].CertificateID != 900001 || o[2].CertificateID != 900002 {
			t.Errorf("issued after restart: %+v", o)
		}
		a := call(t, "GET", base2+"/order/certificate?filters[common_name]=K", key, "")
		if num(t, obj(t, a.body["page"])["total"]) != 1 {
			t.Errorf("list after restart: %s", a.raw)
		}
	})
	t.Run("earlier format: body as an object", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "orders.json")
		old := `{"NextID":100003,"NextReq":500003,"NextCert":900002,"Orders":[` +
			`{"id":100001,"request_id":500001,"certificate_id":900001,"product":"client_premium","status":"issued","request_status":"approved","date_created":"2026-11-20T10:00:00Z","common_name":"A","emails":["a@example.com"],"body":{"validity_years":2,"organization":{"id":9}}},` +
			`{"id":100002,"request_id":500002,"product":"client_premium","status":"pending","request_status":"pending","date_created":"2026-11-20T10:00:00Z","issue_at":"2026-11-23T09:00:00Z","common_name":"B","emails":["b@example.com"],"body":{}}]}`
		if err := os.WriteFile(p, []byte(old), 0o600); err != nil {
			t.Fatal(err)
		}
		s, base, _ := start(t, Config{DataFile: p})
		o := s.Orders()
		if len(o) != 2 || o[0].Family != familyClient || o[1].Status != "issued" || o[1].CertificateID != 900002 {
			t.Fatalf("%+v", o)
		}
		a := call(t, "GET", base+"/order/certificate/100001", key, "")
		if num(t, a.body["validity_years"]) != 2 || num(t, obj(t, a.body["organization"])["id"]) != 9 {
			t.Errorf("%s", a.raw)
		}
		if id := num(t, place(t, base, "client_premium", simpleClient("c@example.com", "C", true)).body["certificate_id"]); id != 900003 {
			t.Errorf("next certificate ID %d, want 900003", id)
		}
	})
	t.Run("unreadable data file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "orders.json")
		os.WriteFile(p, []byte("{not json"), 0o600)
		if _, err := New(Config{APIKey: key, DataFile: p}); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("New: %v", err)
		}
	})
	t.Run("unwritable data file: 500 after creating", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "missing-dir", "orders.json")
		s, base, _ := start(t, Config{DataFile: p})
		a := call(t, "POST", base+"/order/certificate/client_premium", key, simpleClient("a@example.com", "A", true))
		if a.status != 500 || len(s.Orders()) != 1 || s.Stats().Failed5xx != 1 {
			t.Errorf("%d %s, %d orders", a.status, a.raw, len(s.Orders()))
		}
	})
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"no key", Config{}},
		{"zero limit", Config{APIKey: key, Windows: []Window{{Limit: 0, Per: time.Second}}}},
		{"zero length", Config{APIKey: key, Windows: []Window{{Limit: 5}}}},
		{"negative fault", Config{APIKey: key, DropEvery: -1}},
		{"negative latency", Config{APIKey: key, Latency: -time.Second}},
		{"negative custom days", Config{APIKey: key, MaxCustomDays: -1}},
		{"negative pickup delay", Config{APIKey: key, PickupDelay: -time.Second}},
		{"view-only key equals the key", Config{APIKey: key, ViewOnlyKey: key}},
		{"unknown product", Config{APIKey: key, Products: []string{"client_gold"}}},
		{"faults for an unknown endpoint", Config{APIKey: key, Faults: map[string]Faults{"reissue": {FailEvery: 1}}}},
		{"holding of a document signing product", Config{APIKey: key, Holdings: []Holding{{Email: "a@example.com", Product: "document_signing_org_1"}}}},
		{"negative endpoint fault", Config{APIKey: key, Faults: map[string]Faults{EndpointOrderStatus: {DropEvery: -1}}}},
		{"shorthand and Faults for orders", Config{APIKey: key, FailEvery: 2, Faults: map[string]Faults{EndpointPlaceOrder: {FailEvery: 3}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := New(c.cfg); err == nil {
				t.Error("New accepted it")
			}
		})
	}
}

// Many clients at once: every order gets its own IDs and the windows
// hold under contention (run with -race).
func TestConcurrentClients(t *testing.T) {
	s, base, _ := start(t, Config{Windows: []Window{{Limit: 150, Per: time.Hour}}})
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for w := range 8 {
		wg.Go(func() {
			for i := range 25 {
				body := simpleClient(fmt.Sprintf("w%d.%d@example.com", w, i), "W", i%2 == 0)
				req, _ := http.NewRequest("POST", base+"/order/certificate/client_premium", strings.NewReader(body))
				req.Header.Set("X-DC-DEVKEY", key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				mu.Lock()
				codes[resp.StatusCode]++
				mu.Unlock()
				if i%5 == 0 {
					serve(s, "GET", "/services/v2/order/certificate?limit=10", key, "")
				}
			}
		})
	}
	wg.Wait()
	o := s.Orders()
	st := s.Stats()
	ids := map[int64]bool{}
	for _, x := range o {
		ids[x.ID], ids[x.RequestID] = true, true
	}
	// 200 POSTs and 40 GETs against 150 per hour.
	if codes[201] != len(o) || codes[201]+codes[429] != 200 || len(ids) != 2*len(o) || st.MaxInWindow[0] != 150 || st.RateLimited != 90 {
		t.Errorf("codes %v, %d orders, %d distinct IDs, stats %+v", codes, len(o), len(ids), st)
	}
}

// Latency delays every answer without serializing requests.
func TestLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := New(Config{APIKey: key, Latency: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		begin := time.Now()
		var wg sync.WaitGroup
		var done [3]time.Duration
		for i := range 3 {
			wg.Go(func() {
				k := key
				if i == 2 {
					k = "wrong"
				}
				serve(s, "POST", "/services/v2/order/certificate/client_premium", k, simpleClient("a@example.com", "A", true))
				done[i] = time.Since(begin)
			})
		}
		wg.Wait()
		for i, d := range done {
			if d != 300*time.Millisecond {
				t.Errorf("request %d answered after %v, want 300ms", i, d)
			}
		}
		if len(s.Orders()) != 2 {
			t.Errorf("%d orders", len(s.Orders()))
		}
	})
}

func TestStart(t *testing.T) {
	base, s, stop, err := Start(Config{APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/services/v2") {
		t.Errorf("base URL %s", base)
	}
	place(t, base, "client_premium", simpleClient("a@example.com", "A", true))
	if len(s.Orders()) != 1 {
		t.Error("order not in the returned server")
	}
	stop()
	stop() // a second stop is harmless
	if _, err := http.Get(base + "/order/certificate"); err == nil {
		t.Error("still serving after stop")
	}
	if _, _, _, err := Start(Config{}); err == nil {
		t.Error("Start without a key")
	}
}

func TestListenAndServe(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	urls := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- ListenAndServe(ctx, "127.0.0.1:0", Config{APIKey: key}, func(u string) { urls <- u })
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-errc:
		t.Fatal(err)
	}
	place(t, base, "client_premium", simpleClient("a@example.com", "A", true))
	// The port is taken: a second server fails.
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/services/v2")
	if err := ListenAndServe(t.Context(), addr, Config{APIKey: key}, nil); err == nil {
		t.Error("a second server on a used port")
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("after shutdown: %v", err)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("still listening after shutdown")
	}
	if err := ListenAndServe(t.Context(), "127.0.0.1:0", Config{}, nil); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("no key: %v", err)
	}
}
