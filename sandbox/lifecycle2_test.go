package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

// Revoke order certificates
// (https://dev.digicert.com/certcentral-apis/services-api/orders/revoke-order-certificates.html):
// without skip_approval a pending "revoke" request (201) that an
// administrator approves with PUT /request/{id}/status; with it, 204 and
// the order is revoked at once; revocation_reason takes the five
// documented values.
func TestRevokeOrderCertificatesPage(t *testing.T) {
	_, base, clk := start(t, Config{})
	place(t, base, "client_premium", simpleClient("a@example.com", "Alice", true)) // 100001, issued
	place(t, base, "client_premium", simpleClient("b@example.com", "Bob", true))   // 100002, issued
	place(t, base, "client_premium", simpleClient("c@example.com", "Carol", false))
	clk.add(time.Minute)
	revoke := func(id int64, body string) answer {
		t.Helper()
		return callRaw(t, "PUT", fmt.Sprintf("%s/order/certificate/%d/revoke", base, id), key, body)
	}
	for _, c := range []struct {
		name, body string
		id         int64
		code       int
		errs       []string
	}{
		{"unknown reason", `{"revocation_reason":"key_compromise"}`, 100001, 400, []string{"invalid_value:revocation_reason"}},
		{"reason not a string", `{"revocation_reason":1}`, 100001, 400, []string{"bad_request_format"}},
		{"skip_approval not a bool", `{"skip_approval":"yes"}`, 100001, 400, []string{"bad_request_format"}},
		{"unknown order", `{}`, 100099, 404, []string{"not_found|order"}},
		{"not issued (needs approval)", `{"skip_approval":true}`, 100003, 400, []string{"revoke_not_allowed"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := revoke(c.id, c.body)
			if a.status != c.code || !slices.Equal(codes(t, a), c.errs) {
				t.Errorf("%d %s, want %d %v", a.status, a.raw, c.code, c.errs)
			}
		})
	}
	// A request for an approver.
	a := call(t, "PUT", fmt.Sprintf("%s/order/certificate/%d/revoke", base, 100001), key, `{"revocation_reason":"cessationOfOperation","comments":"left the company"}`)
	if a.status != http.StatusCreated || a.body["type"] != "revoke" || a.body["status"] != "pending" || a.body["comments"] != "left the company" {
		t.Fatalf("revoke request: %d %s", a.status, a.raw)
	}
	reqID := num(t, a.body["id"])
	if st := orderStatus(t, base, 100001); st != "issued" {
		t.Errorf("revoked before approval: %s", st)
	}
	if a := revoke(100001, `{}`); a.status != 400 || !slices.Equal(codes(t, a), []string{"revoke_not_allowed"}) {
		t.Errorf("second request while one is pending: %d %s", a.status, a.raw)
	}
	info := call(t, "GET", fmt.Sprintf("%s/request/%d", base, reqID), key, "")
	if info.body["type"] != "revoke" || info.body["status"] != "pending" || num(t, obj(t, info.body["order"])["id"]) != 100001 {
		t.Errorf("request info: %s", info.raw)
	}
	list := call(t, "GET", base+"/request?filters[type]=revoke&filters[status]=pending", key, "")
	if items, _ := list.body["requests"].([]any); len(items) != 1 || num(t, obj(t, items[0])["id"]) != reqID {
		t.Errorf("pending revoke requests: %s", list.raw)
	}
	clk.add(time.Minute)
	approve(t, base, reqID)
	if st := orderStatus(t, base, 100001); st != "revoked" {
		t.Errorf("after approval: %s", st)
	}
	// skip_approval: revoked at once, 204 and no body.
	if a := revoke(100002, `{"skip_approval":true,"revocation_reason":"superseded"}`); a.status != http.StatusNoContent || a.raw != "" {
		t.Fatalf("skip approval: %d %s", a.status, a.raw)
	}
	if st := orderStatus(t, base, 100002); st != "revoked" {
		t.Errorf("skip approval: %s", st)
	}
	if a := revoke(100002, `{"skip_approval":true}`); a.status != 400 {
		t.Errorf("revoked twice: %d %s", a.status, a.raw)
	}
	// The status-change feed reports the revocations (status-change-list).
	feed := call(t, "GET", base+"/order/certificate/status-changes?minutes=1", key, "")
	got := map[int64]string{}
	for _, it := range feed.body["orders"].([]any) {
		m := obj(t, it)
		got[num(t, m["order_id"])] = m["status"].(string)
	}
	if got[100001] != "revoked" || got[100002] != "revoked" {
		t.Errorf("feed: %v", got)
	}
}

// Revoke certificate
// (https://dev.digicert.com/certcentral-apis/services-api/certificates/revoke-certificate.html):
// one certificate; "The order is still active".
func TestRevokeCertificatePage(t *testing.T) {
	_, base, _ := start(t, Config{})
	a := place(t, base, "client_premium", simpleClient("a@example.com", "Alice", true))
	cert := num(t, a.body["certificate_id"])
	r := callRaw(t, "PUT", fmt.Sprintf("%s/certificate/%d/revoke", base, cert), key, `{"skip_approval":true}`)
	if r.status != http.StatusNoContent {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if st := orderStatus(t, base, 100001); st != "issued" {
		t.Errorf("the order is no longer active: %s", st)
	}
	if r := callRaw(t, "PUT", fmt.Sprintf("%s/certificate/%d/revoke", base, 999), key, `{}`); r.status != 404 {
		t.Errorf("unknown certificate: %d %s", r.status, r.raw)
	}
}

// A revocation request rejected by the approver leaves the order issued
// (update-request-status, https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/).
func TestRevokeRequestRejected(t *testing.T) {
	_, base, _ := start(t, Config{})
	place(t, base, "client_premium", simpleClient("a@example.com", "Alice", true))
	a := call(t, "PUT", orderURL(base, 100001)+"/revoke", key, `{}`)
	reqID := num(t, a.body["id"])
	r := callRaw(t, "PUT", fmt.Sprintf("%s/request/%d/status", base, reqID), key, `{"status":"rejected","processor_comment":"not a leaver"}`)
	if r.status != http.StatusNoContent {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if st := orderStatus(t, base, 100001); st != "issued" {
		t.Errorf("rejected revocation: %s", st)
	}
	info := call(t, "GET", fmt.Sprintf("%s/request/%d", base, reqID), key, "")
	if info.body["status"] != "rejected" || info.body["processor_comment"] != "not a leaver" {
		t.Errorf("request info: %s", info.raw)
	}
	// The order's own request is unchanged.
	if own := call(t, "GET", base+"/request/500001", key, ""); own.body["type"] != "new_request" || own.body["status"] != "approved" {
		t.Errorf("the order's request: %s", own.raw)
	}
}

// Renewals: renewal_of_order_id (client certificate seed page, body
// table) -> is_renewal on the renewal, is_renewed / renewed_order_id on
// the order renewed (order info,
// https://dev.digicert.com/zh-tw/services-api/orders/order-info/) and
// is_renewed with filters[is_renewed] in the list
// (https://dev.digicert.com/ja/services-api/orders/list-orders/).
func TestRenewalLinksOrderInfoAndListPages(t *testing.T) {
	_, base, clk := start(t, Config{})
	place(t, base, "client_premium", simpleClient("a@example.com", "Alice", true)) // 100001
	clk.add(time.Hour)
	bad := call(t, "POST", base+"/order/certificate/client_premium", key, modify(t, simpleClient("a@example.com", "Alice", true), set("renewal_of_order_id", 100099)))
	if bad.status != 400 || !slices.Equal(codes(t, bad), []string{"invalid_value:renewal_of_order_id"}) {
		t.Errorf("renewal of an unknown order: %d %s", bad.status, bad.raw)
	}
	// A renewal waiting for approval does not count yet (the sandbox's
	// conservative choice: see renewal.go).
	place(t, base, "client_premium", modify(t, simpleClient("a@example.com", "Alice", false), set("renewal_of_order_id", 100001))) // 100002
	info := call(t, "GET", orderURL(base, 100001), key, "")
	if info.body["is_renewed"] != false || info.body["renewed_order_id"] != nil {
		t.Errorf("renewal not issued yet: %s", info.raw)
	}
	if r := call(t, "GET", orderURL(base, 100002), key, ""); r.body["is_renewal"] != true || num(t, r.body["renewal_of_order_id"]) != 100001 {
		t.Errorf("the renewal: %s", r.raw)
	}
	approve(t, base, 500002)
	info = call(t, "GET", orderURL(base, 100001), key, "")
	if info.body["is_renewed"] != true || num(t, info.body["renewed_order_id"]) != 100002 {
		t.Errorf("renewed: %s", info.raw)
	}
	list := call(t, "GET", base+"/order/certificate?filters[is_renewed]=1", key, "")
	items, _ := list.body["orders"].([]any)
	if len(items) != 1 || num(t, obj(t, items[0])["id"]) != 100001 || obj(t, items[0])["is_renewed"] != true {
		t.Errorf("filters[is_renewed]=1: %s", list.raw)
	}
	if _, has := obj(t, items[0])["renewed_order_id"]; has {
		t.Errorf("the list shows renewed_order_id: %s", list.raw)
	}
}

// filters[valid_till] (list-orders page) finds the orders whose
// certificate expires in a range; a holding starts the sandbox with such
// an order.
func TestHoldingsAndValidTillFilter(t *testing.T) {
	s, base, _ := start(t, Config{Holdings: []Holding{{Email: "soon@example.com", ExpiresIn: 20}, {Email: "later@example.com", ExpiresIn: 200}}})
	if n := len(s.Orders()); n != 2 {
		t.Fatalf("%d orders", n)
	}
	till := func(days int) string { return t0.AddDate(0, 0, days).Format(time.DateOnly) }
	list := call(t, "GET", base+"/order/certificate?filters[valid_till]="+till(0)+"..."+till(30), key, "")
	items, _ := list.body["orders"].([]any)
	if len(items) != 1 || obj(t, obj(t, items[0])["certificate"])["valid_till"] != till(20) || obj(t, items[0])["status"] != "issued" {
		t.Errorf("valid_till within 30 days: %s", list.raw)
	}
	info := call(t, "GET", orderURL(base, num(t, obj(t, items[0])["id"])), key, "")
	if e := obj(t, info.body["certificate"])["emails"].([]any); e[0] != "soon@example.com" {
		t.Errorf("order info: %s", info.raw)
	}
}

// Expiring orders and certificates
// (https://dev.digicert.com/en/certcentral-apis/services-api/reports/expiring-orders-and-certificates.html):
// counts in the 90, 60, 30 and -7 windows; include_expiring_certs renames
// order_count to count.
func TestExpiringOrdersReportPage(t *testing.T) {
	_, base, _ := start(t, Config{Holdings: []Holding{
		{Email: "a@example.com", ExpiresIn: 5}, {Email: "b@example.com", ExpiresIn: 29}, {Email: "c@example.com", ExpiresIn: 30},
		{Email: "d@example.com", ExpiresIn: 75}, {Email: "e@example.com", ExpiresIn: 120}, {Email: "f@example.com", ExpiresIn: -3},
	}})
	counts := func(q, k string) map[int64]int64 {
		t.Helper()
		a := call(t, "GET", base+"/report/order/expiring"+q, key, "")
		if a.status != 200 {
			t.Fatalf("%d %s", a.status, a.raw)
		}
		out := map[int64]int64{}
		for _, it := range a.body["expiring_orders"].([]any) {
			m := obj(t, it)
			out[num(t, m["days_expiring"])] = num(t, m[k])
		}
		return out
	}
	want := map[int64]int64{90: 1, 60: 1, 30: 2, -7: 1}
	if got := counts("", "order_count"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order_count: %v, want %v", got, want)
	}
	if got := counts("?include_expiring_certs=true", "count"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("count: %v, want %v", got, want)
	}
	if a := call(t, "GET", base+"/report/order/expiring?days=30", key, ""); a.status != 400 {
		t.Errorf("undocumented parameter: %d %s", a.status, a.raw)
	}
}

// Email validation status: date_emailed is "YYYY-MM-DD"
// (https://dev.digicert.com/certcentral-apis/services-api/orders/email-validation-status.html).
func TestEmailValidationStatusPageDateFormat(t *testing.T) {
	_, base, _ := start(t, Config{EmailValidation: true})
	place(t, base, "client_premium", simpleClient("a@example.com", "A", true))
	a := call(t, "GET", orderURL(base, 100001)+"/email-validation", key, "")
	e := obj(t, a.body["emails"].([]any)[0])
	if e["date_emailed"] != "2026-11-23" || e["status"] != "unvalidated" {
		t.Errorf("%s", a.raw)
	}
}
