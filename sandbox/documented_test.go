package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// authPlus is a client_authentication_plus order body: not an S/MIME
// product, so no profile fields (today.md §1).
func authPlus(email, cn string) string {
	b, _ := json.Marshal(map[string]any{
		"certificate":  map[string]any{"common_name": cn, "emails": []string{email}, "signature_hash": "sha256"},
		"organization": map[string]any{"id": 112233}, "validity_years": 1, "skip_approval": true,
	})
	return string(b)
}

// Order info names certificate.emails only for S/MIME orders: the
// order-info page's response table, certificate.emails: "List of emails
// the certificate secures. Returned only for S/MIME certificate orders."
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html).
// DigiCert's S/MIME client certificates are "Premium, Email Security Plus,
// Digital Signature Plus, and Client 1 S/MIME"
// (https://docs.digicert.com/manage-certificates/client-certificates-guide/issue-personal-id-certificates-admin/;
// the same four are "the old S/MIME products" at
// https://docs.digicert.com/es/certcentral/order-and-manage-certificates/request-certificates/request-client-certificate.html):
// Authentication Plus is not one, and document signing is no S/MIME
// product. The page documents no subject object either.
func TestOrderInfoNamesEmailsOnlyForSMIMEOrders_OrderInfoPage(t *testing.T) {
	_, base, _ := start(t, Config{})
	class1, _ := json.Marshal(map[string]any{"certificate": map[string]any{"emails": []string{"c1@example.com"}, "signature_hash": "sha256"},
		"organization": map[string]any{"id": 112233}, "validity_years": 1})
	orders := []struct {
		product, body, emails string
	}{
		{"client_premium", simpleClient("p@example.com", "P", true), "[p@example.com]"},
		{"client_premium_sha2", simpleClient("p2@example.com", "P2", true), "[p2@example.com]"},
		{"client_email_security_plus", simpleClient("e@example.com", "E", true), "[e@example.com]"},
		{"client_digital_signature_plus", simpleClient("d@example.com", "D", true), "[d@example.com]"},
		{"class1_smime", string(class1), "[c1@example.com]"},
		{"client_authentication_plus", authPlus("auth@example.com", "Auth Person"), ""},
		{"document_signing_org_1", docSeed(t), ""},
		{"secure_email_sponsor", secureEmailBody(t, "se@example.com"), "[se@example.com]"},
		{"ds_individual", dsBody(t), ""},
	}
	for _, o := range orders {
		id := num(t, place(t, base, o.product, o.body).body["id"])
		a := call(t, "GET", orderURL(base, id), key, "")
		cert := obj(t, a.body["certificate"])
		emails, has := cert["emails"]
		switch {
		case o.emails == "" && has:
			t.Errorf("%s: order info names emails %v; the page returns them only for S/MIME orders", o.product, emails)
		case o.emails != "" && fmt.Sprint(emails) != o.emails:
			t.Errorf("%s: emails %v, want %s", o.product, emails, o.emails)
		}
		if _, has := a.body["subject"]; has {
			t.Errorf("%s: order info carries an undocumented subject: %s", o.product, a.raw)
		}
		if cert["common_name"] == "" || a.body["status"] == "" {
			t.Errorf("%s: no common name or status: %s", o.product, a.raw)
		}
	}
}

// The list's filters[email] and the email half of filters[search] match
// only the emails order info documents (S/MIME orders); filters[common_name]
// is exact. The list-orders page
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html):
// filters[common_name] "Limits results to orders with the given
// common_name value"; filters[search] "Limits response to results where
// the value of the email or common_name property matches or contains"
// (a % prefix for "contains"); filters[email] is listed without a word,
// so what it matches beyond S/MIME orders is the sandbox's strict choice.
func TestListEmailFiltersMatchDocumentedEmailsOnly_ListOrdersPage(t *testing.T) {
	_, base, _ := start(t, Config{})
	place(t, base, "client_authentication_plus", authPlus("auth@example.com", "Auth Person")) // 100001
	place(t, base, "client_premium", simpleClient("p@example.com", "Premium Person", true))   // 100002
	runListCases(t, base, []listCase{
		{"email of an Authentication Plus order is not matched", "filters[email]=auth@example.com", nil, 0},
		{"email of an S/MIME order", "filters[email]=p@example.com", []int64{100002}, 1},
		{"search: Authentication Plus email not matched", "filters[search]=auth@example.com", nil, 0},
		{"search: Authentication Plus common name", "filters[search]=Auth%20Person", []int64{100001}, 1},
		{"search contains", "filters[search]=%25Person", []int64{100001, 100002}, 2},
		{"common name, exact", "filters[common_name]=Auth%20Person", []int64{100001}, 1},
		{"common name is no search", "filters[common_name]=%25Person", nil, 0},
	})
}

// The status-change feed is paged: "This endpoint supports filters,
// sorting, and pagination"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/status-change-list.html),
// with the Services API's offset and limit
// (https://dev.digicert.com/en/certcentral-apis/services-api.html). A page
// holds at most the server's page size whatever the limit asked; the
// answer has only "orders" (the page's response table), newest order ID
// first as in its example.
func TestStatusChangesArePaged_StatusChangeListPage(t *testing.T) {
	_, base, clk := start(t, Config{StatusPageSize: 2})
	for i := range 5 {
		place(t, base, "client_premium", simpleClient(fmt.Sprintf("p%d@example.com", i), fmt.Sprintf("P %d", i), true))
	}
	clk.add(time.Minute)
	feed := func(q string) string {
		t.Helper()
		a := call(t, "GET", base+"/order/certificate/status-changes?minutes=10"+q, key, "")
		if a.status != http.StatusOK {
			t.Fatalf("%s: %d %s", q, a.status, a.raw)
		}
		if _, has := a.body["page"]; has {
			t.Errorf("%s: a page object the page does not document: %s", q, a.raw)
		}
		var ids []string
		list, _ := a.body["orders"].([]any)
		for _, o := range list {
			ids = append(ids, fmt.Sprint(num(t, obj(t, o)["order_id"])))
		}
		return strings.Join(ids, ",")
	}
	for _, c := range []struct{ q, want string }{
		{"", "100005,100004"},
		{"&offset=2", "100003,100002"},
		{"&offset=4", "100001"},
		{"&offset=5", ""},
		{"&limit=1000", "100005,100004"},
		{"&limit=1&offset=1", "100004"},
	} {
		if got := feed(c.q); got != c.want {
			t.Errorf("%q: %s, want %s", c.q, got, c.want)
		}
	}
	for _, q := range []string{"&limit=0", "&limit=x", "&offset=-1"} {
		a := call(t, "GET", base+"/order/certificate/status-changes?minutes=10"+q, key, "")
		want := "invalid_value:" + strings.SplitN(strings.TrimPrefix(q, "&"), "=", 2)[0]
		if a.status != http.StatusBadRequest || !slices.Equal(codes(t, a), []string{want}) {
			t.Errorf("%s: %d %s", q, a.status, a.raw)
		}
	}
	// The default page size is DefaultStatusPageSize.
	_, base2, clk2 := start(t, Config{})
	for i := range 3 {
		place(t, base2, "client_premium", simpleClient(fmt.Sprintf("q%d@example.com", i), fmt.Sprintf("Q %d", i), true))
	}
	clk2.add(time.Minute)
	a := call(t, "GET", base2+"/order/certificate/status-changes?minutes=10&limit=5000", key, "")
	if list, _ := a.body["orders"].([]any); len(list) != 3 || DefaultStatusPageSize != 1000 {
		t.Errorf("default page: %s", a.raw)
	}
}

// Every answer carries the server's Date from the sandbox's clock (RFC
// 9110 §6.6.1), so a client can measure how far its clock is from the
// server's (issue 20: reconciliation must not trust the local clock).
func TestDateHeaderIsTheSandboxClock(t *testing.T) {
	_, base, clk := start(t, Config{})
	clk.add(-3 * time.Hour)
	for _, path := range []string{"/order/certificate", "/order/certificate/999", "/no-such-route"} {
		a := call(t, "GET", base+path, key, "")
		if d, err := http.ParseTime(a.header.Get("Date")); err != nil || !d.Equal(t0.Add(-3*time.Hour)) {
			t.Errorf("%s: Date %q, want %s", path, a.header.Get("Date"), t0.Add(-3*time.Hour).Format(http.TimeFormat))
		}
	}
}

// AddOrder places orders under the POST's rules without a request, to
// fill an account quickly.
func TestAddOrder(t *testing.T) {
	s, base, _ := start(t, Config{})
	id, err := s.AddOrder("client_premium", []byte(simpleClient("seed@example.com", "Seed", true)))
	if err != nil || id != 100001 {
		t.Fatalf("AddOrder: %d %v", id, err)
	}
	if _, err := s.AddOrder("client_premium", []byte(`{"certificate":{}}`)); err == nil || !strings.Contains(err.Error(), "common_name") {
		t.Errorf("a body DigiCert refuses: %v", err)
	}
	if _, err := s.AddOrder("no_such_product", []byte(simpleClient("x@example.com", "X", true))); err == nil {
		t.Error("an unknown product was accepted")
	}
	if _, err := s.AddOrder("client_premium", []byte(`not json`)); err == nil {
		t.Error("a body that is not JSON was accepted")
	}
	if st := s.Stats(); st.Requests != 0 || st.OrdersCreated != 1 {
		t.Errorf("stats %+v", st)
	}
	if ids, _ := listIDs(t, base, "filters[common_name]=Seed"); !slices.Equal(ids, []int64{100001}) {
		t.Errorf("listed: %v", ids)
	}
}
