package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Cancel: PUT /order/certificate/{id}/status (today.md §5).
func TestCancel(t *testing.T) {
	s, base, clk := start(t, Config{ManualPickup: true})
	place(t, base, "client_premium", simpleClient("a@example.com", "A", false)) // 100001 needs_approval
	place(t, base, "client_premium", simpleClient("b@example.com", "B", true))  // 100002 waiting_pickup
	place(t, base, "client_premium", modify(t, clientSeed(t)))                  // 100003 issued
	for _, c := range []struct {
		name  string
		id    int64
		body  string
		code  int
		errs  []string
		after string
	}{
		{"bad json", 100001, `{"status":`, 400, []string{"bad_request_format"}, "needs_approval"},
		{"note not a string", 100001, `{"status":"canceled","note":5}`, 400, []string{"bad_request_format"}, "needs_approval"},
		{"status missing", 100001, `{"note":"x"}`, 400, []string{"missing_field:status"}, "needs_approval"},
		{"note missing", 100001, `{"status":"canceled"}`, 400, []string{"missing_field:note"}, "needs_approval"},
		{"other status", 100001, `{"status":"revoked","note":"x"}`, 400, []string{"invalid_value:status"}, "needs_approval"},
		{"unknown order", 999, `{"status":"canceled","note":"x"}`, 404, []string{"not_found|order"}, ""},
		{"issued", 100003, `{"status":"canceled","note":"x"}`, 400, []string{"order_status_change_not_allowed"}, "issued"},
		// A cancel needs pending or waiting_pickup
		// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html);
		// an order awaiting approval is refused (the code is the
		// sandbox's: DigiCert documents none) and stays as it is.
		{"from needs_approval: refused", 100001, `{"status":"canceled","note":"duplicate row"}`, 400, []string{"order_status_change_not_allowed"}, "needs_approval"},
		{"from waiting_pickup, upper case", 100002, `{"status":"CANCELED","note":"left","send_emails":false}`, 204, nil, "canceled"},
		{"again", 100002, `{"status":"canceled","note":"again"}`, 400, []string{"order_status_change_not_allowed"}, "canceled"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := callRaw(t, "PUT", orderURL(base, c.id)+"/status", key, c.body)
			if a.status != c.code {
				t.Fatalf("%d %s, want %d", a.status, a.raw, c.code)
			}
			if c.code == 204 && a.raw != "" {
				t.Errorf("204 with a body %q", a.raw)
			}
			if c.code != 204 {
				if got := codes(t, a); !slices.Equal(got, c.errs) {
					t.Errorf("codes %v, want %v", got, c.errs)
				}
			}
			if c.after != "" {
				if got := orderStatus(t, base, c.id); got != c.after {
					t.Errorf("status %s, want %s", got, c.after)
				}
			}
		})
	}
	clk.add(time.Hour)
	o := s.Orders()
	if o[0].Note != "" || !o[0].DateCanceled.IsZero() || o[1].Note != "left" || !o[1].DateCanceled.Equal(t0) || o[2].Note != "" {
		t.Errorf("notes: %+v", o)
	}
	a := call(t, "GET", orderURL(base, 100002), key, "")
	if a.body["note"] != "left" || a.body["date_canceled"] != "2026-11-23T10:00:00+00:00" {
		t.Errorf("order info: %s", a.raw)
	}
}

// Approval: GET /request, GET /request/{id}, PUT /request/{id}/status
// (today.md §5, digest §5.3).
func TestRequests(t *testing.T) {
	_, base, clk := start(t, Config{})
	place(t, base, "client_premium", simpleClient("a@example.com", "Alice", false))
	clk.add(time.Minute)
	place(t, base, "client_premium", simpleClient("b@example.com", "Bob", true))
	place(t, base, "client_premium", modify(t, simpleClient("c@example.com", "Carol", false), set("container.id", 221122)))
	ids := func(q string) []int64 {
		t.Helper()
		a := call(t, "GET", base+"/request?"+q, key, "")
		if a.status != 200 {
			t.Fatalf("%s: %d %s", q, a.status, a.raw)
		}
		var out []int64
		list, has := a.body["requests"].([]any)
		if has && len(list) == 0 {
			t.Errorf("empty requests array: %s", a.raw)
		}
		for _, r := range list {
			out = append(out, num(t, obj(t, r)["id"]))
		}
		return out
	}
	for _, c := range []struct {
		q    string
		want []int64
	}{
		{"", []int64{500001, 500002, 500003}},
		{"filters[status]=pending", []int64{500001, 500003}},
		{"filters[status]=approved", []int64{500002}},
		{"filters[type]=new_request&limit=1&offset=1", []int64{500002}},
		{"filters[search]=Bob", []int64{500002}},
		{"filters[search]=%25o", []int64{500002, 500003}},
		{"filters[container_id]=221122", []int64{500003}},
		{"filters[status]=rejected", nil},
	} {
		if got := ids(c.q); !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, want %v", c.q, got, c.want)
		}
	}
	a := call(t, "GET", base+"/request/500001", key, "")
	ord := obj(t, a.body["order"])
	if a.body["status"] != "pending" || a.body["type"] != "new_request" || a.body["date"] != "2026-11-23T10:00:00+00:00" ||
		a.body["date_processed"] != nil || num(t, ord["id"]) != 100001 || ord["status"] != "needs_approval" ||
		obj(t, ord["certificate"])["common_name"] != "Alice" || obj(t, ord["product"])["name_id"] != "client_premium" {
		t.Errorf("request info: %s", a.raw)
	}
	for _, c := range []struct {
		name, body string
		id, code   int
		errs       []string
	}{
		{"status missing", `{}`, 500001, 400, []string{"missing_field:status"}},
		{"unknown status", `{"status":"approve"}`, 500001, 400, []string{"invalid_value:status"}},
		{"status is case-sensitive", `{"status":"Approved"}`, 500001, 400, []string{"invalid_value:status"}},
		{"comment not a string", `{"status":"approved","processor_comment":1}`, 500001, 400, []string{"bad_request_format"}},
		{"unknown request", `{"status":"approved"}`, 500009, 404, []string{"not_found|request"}},
		{"already approved", `{"status":"rejected"}`, 500002, 400, []string{"request_status_change_not_allowed"}},
		{"approve", `{"status":"approved","processor_comment":"ok by me"}`, 500001, 204, nil},
		{"twice", `{"status":"approved"}`, 500001, 400, []string{"request_status_change_not_allowed"}},
		{"reject", `{"status":"rejected"}`, 500003, 204, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := callRaw(t, "PUT", fmt.Sprintf("%s/request/%d/status", base, c.id), key, c.body)
			if a.status != c.code || c.code != 204 && !slices.Equal(codes(t, a), c.errs) {
				t.Errorf("%d %s, want %d %v", a.status, a.raw, c.code, c.errs)
			}
		})
	}
	a = call(t, "GET", base+"/request/500001", key, "")
	if a.body["status"] != "approved" || a.body["processor_comment"] != "ok by me" || a.body["date_processed"] != "2026-11-23T10:01:00+00:00" {
		t.Errorf("after approval: %s", a.raw)
	}
	if got := ids("filters[status]=pending"); got != nil {
		t.Errorf("pending after processing: %v", got)
	}
	if got := orderStatus(t, base, 100003); got != "rejected" {
		t.Errorf("rejected request, order %s", got)
	}
	t.Run("undocumented forms refused", func(t *testing.T) {
		for _, q := range []string{"filters[email]=a@example.com", "filters%5Bstatus%5D=pending", "sort=id", "page=1"} {
			a := call(t, "GET", base+"/request?"+q, key, "")
			if a.status != 400 || !strings.HasPrefix(codes(t, a)[0], "invalid_value:") {
				t.Errorf("%s: %d %s", q, a.status, a.raw)
			}
		}
	})
}

// Email validation (digest §4.1): the state per email, the token PUT.
func TestEmailValidation(t *testing.T) {
	s, base, _ := start(t, Config{EmailValidation: true})
	two := modify(t, simpleClient("a@example.com", "A", true), set("certificate.emails", []any{"a@example.com", "b@example.com"}))
	place(t, base, "client_premium", two)
	place(t, base, "client_authentication_plus", simpleClient("c@example.com", "C", true))
	place(t, base, "client_premium", simpleClient("d@example.com", "D", false))
	state := func(id int64) string {
		t.Helper()
		a := call(t, "GET", orderURL(base, id)+"/email-validation", key, "")
		var out []string
		for _, e := range a.body["emails"].([]any) {
			m := obj(t, e)
			out = append(out, fmt.Sprintf("%s=%s", m["email"], m["status"]))
		}
		return strings.Join(out, ",")
	}
	if got := state(100001); got != "a@example.com=unvalidated,b@example.com=unvalidated" {
		t.Errorf("before: %s", got)
	}
	if got := state(100002); got != "c@example.com=validated" {
		t.Errorf("not an S/MIME product: %s", got)
	}
	tok, err := s.EmailValidationToken(100001)
	if err != nil || tok == "" {
		t.Fatal(tok, err)
	}
	if _, err := s.EmailValidationToken(100002); err == nil {
		t.Error("a token for an order without validation")
	}
	if _, err := s.EmailValidationToken(1); err == nil {
		t.Error("a token for an unknown order")
	}
	if err := s.ValidateEmail(100003); err == nil {
		t.Error("validated an order waiting for approval")
	}
	if err := s.ValidateEmail(1); err == nil {
		t.Error("validated an unknown order")
	}
	for _, c := range []struct {
		name, url string
		code      int
		errs      []string
	}{
		{"unknown token", base + "/email-validation/nope?email=a@example.com", 404, []string{"not_found|email_validation"}},
		{"email missing", base + "/email-validation/" + tok, 400, []string{"missing_field:email"}},
		{"another email", base + "/email-validation/" + tok + "?email=c@example.com", 400, []string{"invalid_value:email"}},
		{"email case matters", base + "/email-validation/" + tok + "?email=A@example.com", 400, []string{"invalid_value:email"}},
		{"first email", base + "/email-validation/" + tok + "?email=a@example.com", 204, nil},
		{"first email again", base + "/email-validation/" + tok + "?email=a@example.com", 204, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := callRaw(t, "PUT", c.url, key, "")
			if a.status != c.code || c.code != 204 && !slices.Equal(codes(t, a), c.errs) {
				t.Errorf("%d %s, want %d %v", a.status, a.raw, c.code, c.errs)
			}
		})
	}
	if got := state(100001); got != "a@example.com=validated,b@example.com=unvalidated" {
		t.Errorf("after one: %s", got)
	}
	if st := orderStatus(t, base, 100001); st != "pending" {
		t.Errorf("one email of two validated: %s", st)
	}
	if a := callRaw(t, "PUT", base+"/email-validation/"+tok+"?email=b@example.com", key, ""); a.status != 204 {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	if st := orderStatus(t, base, 100001); st != "issued" {
		t.Errorf("both validated: %s", st)
	}
	if a := call(t, "GET", orderURL(base, 999)+"/email-validation", key, ""); a.status != 404 || codes(t, a)[0] != "not_found|order" {
		t.Errorf("unknown order: %d %s", a.status, a.raw)
	}
}

// Status changes (today.md §2, digest §5.5), time-driven ones included.
func TestStatusChanges(t *testing.T) {
	_, base, clk := start(t, Config{IssueDelay: 2 * time.Hour})
	place(t, base, "client_premium", simpleClient("a@example.com", "A", true))  // 10:00 pending, 12:00 issued
	place(t, base, "client_premium", simpleClient("b@example.com", "B", false)) // 10:00 needs_approval
	clk.add(90 * time.Minute)
	place(t, base, "client_premium", simpleClient("c@example.com", "C", false)) // 11:30 needs_approval
	clk.add(time.Hour)                                                          // 12:30
	approve(t, base, 500002)                                                    // 12:30 pending
	clk.add(time.Hour)                                                          // 13:30
	for _, c := range []struct {
		q, want string
	}{
		{"minutes=30", ""},
		{"minutes=61", "100002:900002:pending"},
		{"minutes=91", "100002:900002:pending,100001:900001:issued"},
		{"minutes=120", "100003::needs_approval,100002:900002:pending,100001:900001:issued"},
		{"seconds=5400", "100002:900002:pending,100001:900001:issued"},
		{"minutes=60&seconds=60", "100002:900002:pending"},
		{"minutes=10080", "100003::needs_approval,100002:900002:pending,100001:900001:issued"},
		{"filters[status_last_updated]=2026-11-23+04:00:00...2026-11-23+05:45:00", "100003::needs_approval"},
		{"filters[status_last_updated]=2026-11-23...2026-11-24", "100003::needs_approval,100002:900002:pending,100001:900001:issued"},
	} {
		t.Run(c.q, func(t *testing.T) {
			a := call(t, "GET", base+"/order/certificate/status-changes?"+c.q, key, "")
			if a.status != 200 {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			var got []string
			list, has := a.body["orders"].([]any)
			if has && len(list) == 0 {
				t.Errorf("empty orders array: %s", a.raw)
			}
			for _, o := range list {
				m := obj(t, o)
				cid := ""
				if m["certificate_id"] != nil {
					cid = fmt.Sprint(num(t, m["certificate_id"]))
				}
				got = append(got, fmt.Sprintf("%d:%s:%s", num(t, m["order_id"]), cid, m["status"]))
			}
			if g := strings.Join(got, ","); g != c.want {
				t.Errorf("%s, want %s", g, c.want)
			}
		})
	}
	for _, c := range []struct{ q, code string }{
		{"minutes=10081", "time_frame_too_long"},
		{"seconds=604801", "time_frame_too_long"},
		{"minutes=10080&seconds=1", "time_frame_too_long"},
		{"filters[status_last_updated]=2026-11-01...2026-11-09", "time_frame_too_long"},
		{"", "missing_field:minutes"},
		{"minutes=abc", "invalid_value:minutes"},
		{"seconds=-1", "invalid_value:seconds"},
		{"filters[status_last_updated]=2026-11-01", "invalid_value:filters[status_last_updated]"},
		{"hours=1", "invalid_value:hours"},
	} {
		a := call(t, "GET", base+"/order/certificate/status-changes?"+c.q, key, "")
		if a.status != 400 || !slices.Equal(codes(t, a), []string{c.code}) {
			t.Errorf("%q: %d %s, want 400 %s", c.q, a.status, a.raw, c.code)
		}
	}
}

// Faults reach every mutating request (Config.Faults), counted per
// endpoint and, for EndpointAny, over all of them.
func TestMutationFaults(t *testing.T) {
	cancel := func(t *testing.T, base string, id int64) string {
		t.Helper()
		req, _ := http.NewRequest("PUT", orderURL(base, id)+"/status", strings.NewReader(`{"status":"canceled","note":"x"}`))
		req.Header.Set("X-DC-DEVKEY", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return "dropped"
		}
		resp.Body.Close()
		return resp.Status[:3]
	}
	for _, c := range []struct {
		name     string
		faults   map[string]Faults
		want     string // answers to four cancels of orders 100001..100004 (100004 does not exist)
		canceled int
	}{
		{"fail every 2nd: nothing changed", map[string]Faults{EndpointOrderStatus: {FailEvery: 2}}, "204,500,204,500", 2},
		{"fail after change", map[string]Faults{EndpointOrderStatus: {FailAfterChangeEvery: 2}}, "204,500,204,404", 3},
		{"drop after change", map[string]Faults{EndpointOrderStatus: {DropEvery: 3}}, "204,204,dropped,404", 3},
		{"only on the named endpoint", map[string]Faults{EndpointRequestStatus: {FailEvery: 1}}, "204,204,204,404", 3},
		{"any mutation counts the POSTs too", map[string]Faults{EndpointAny: {FailEvery: 4}}, "500,204,204,404", 2},
		{"any mutation, after change", map[string]Faults{EndpointAny: {FailAfterChangeEvery: 5}}, "204,500,204,404", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, base, _ := start(t, Config{Faults: c.faults, ManualPickup: true})
			for _, e := range []string{"a", "b", "c"} { // waiting for pickup: cancelable
				place(t, base, "client_premium", simpleClient(e+"@example.com", e, true))
			}
			var got []string
			for id := int64(100001); id <= 100004; id++ {
				got = append(got, cancel(t, base, id))
			}
			n := 0
			for _, o := range s.Orders() {
				if o.Status == "canceled" {
					n++
				}
			}
			if g := strings.Join(got, ","); g != c.want || n != c.canceled {
				t.Errorf("answers %s with %d canceled, want %s with %d", g, n, c.want, c.canceled)
			}
			if st := s.Stats(); st.Mutations != 7 || st.OrderPOSTs != 3 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// EmailValidationLog tells a standalone sandbox's user the validation
// PUTs, once the request is approved.
func TestEmailValidationLog(t *testing.T) {
	var log strings.Builder
	s, base, _ := start(t, Config{EmailValidation: true, EmailValidationLog: &log})
	place(t, base, "client_premium", simpleClient("a+x@example.com", "A", true))
	place(t, base, "client_premium", simpleClient("b@example.com", "B", false))
	place(t, base, "client_authentication_plus", simpleClient("c@example.com", "C", true))
	tok1, _ := s.EmailValidationToken(100001)
	want := "sandbox: email validation for order 100001: PUT /services/v2/email-validation/" + tok1 + "?email=a%2Bx%40example.com\n"
	if log.String() != want {
		t.Fatalf("log %q, want %q", log.String(), want)
	}
	approve(t, base, 500002)
	tok2, _ := s.EmailValidationToken(100002)
	want += "sandbox: email validation for order 100002: PUT /services/v2/email-validation/" + tok2 + "?email=b%40example.com\n"
	if log.String() != want {
		t.Fatalf("log %q, want %q", log.String(), want)
	}
	// The logged PUT works as it is.
	line := strings.Split(log.String(), "\n")[0]
	path := line[strings.Index(line, "PUT /services/v2")+len("PUT /services/v2"):]
	if a := callRaw(t, "PUT", base+path, key, ""); a.status != 204 || orderStatus(t, base, 100001) != "issued" {
		t.Errorf("%s: %d %s", path, a.status, a.raw)
	}
}

// Reads get fault injection too: every Nth GET answers 500, every Mth
// is dropped; mutations are not counted by it.
func TestReadFaults(t *testing.T) {
	s, base, _ := start(t, Config{Faults: map[string]Faults{EndpointRead: {FailEvery: 2, DropEvery: 3}}})
	var got []int
	for range 6 {
		req, _ := http.NewRequest(http.MethodGet, base+"/user/me", nil)
		req.Header.Set("X-DC-DEVKEY", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got = append(got, 0) // dropped
			continue
		}
		resp.Body.Close()
		got = append(got, resp.StatusCode)
	}
	if want := []int{200, 500, 0, 500, 200, 0}; !slices.Equal(got, want) {
		t.Errorf("answers %v, want %v", got, want)
	}
	if st := s.Stats(); st.Mutations != 0 || st.Dropped != 2 || st.Failed5xx != 2 {
		t.Errorf("stats %+v", st)
	}
}
