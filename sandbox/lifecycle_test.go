package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// step is one moment in an order's life: wait, then do something, then
// check what GET /order/certificate/{id} and GET /request/{id} tell.
type step struct {
	wait    time.Duration
	do      string // "", approve, reject, validate, validate-api, pickup, cancel
	fails   bool   // the action must be refused
	status  string
	request string
}

// The life of an order (today.md §2), for every combination of the
// knobs that shape it.
func TestLifecycle(t *testing.T) {
	noCSRManual := simpleClient("a@example.com", "A", false)
	noCSRSkip := simpleClient("a@example.com", "A", true)
	withCSR := modify(t, clientSeed(t), set("skip_approval", false))
	doc := docSeed(t)
	for _, c := range []struct {
		name, product, body string
		cfg                 Config
		steps               []step
		history             []string
	}{
		{"without skip_approval: needs approval, then issued", "client_premium", noCSRManual, Config{}, []step{
			{status: "needs_approval", request: "pending"},
			{do: "validate", fails: true, status: "needs_approval", request: "pending"},
			{wait: time.Hour, do: "approve", status: "issued", request: "approved"},
			{do: "approve", fails: true, status: "issued", request: "approved"},
		}, []string{"needs_approval", "pending", "issued"}},
		{"approval starts the issue delay", "client_premium", noCSRManual, Config{IssueDelay: time.Hour}, []step{
			{status: "needs_approval", request: "pending"},
			{wait: 5 * time.Hour, status: "needs_approval", request: "pending"},
			{do: "approve", status: "pending", request: "approved"},
			{wait: 59 * time.Minute, status: "pending", request: "approved"},
			{wait: time.Minute, status: "issued", request: "approved"},
		}, []string{"needs_approval", "pending", "issued"}},
		{"rejection", "client_premium", noCSRManual, Config{}, []step{
			{do: "reject", status: "rejected", request: "rejected"},
			{do: "approve", fails: true, status: "rejected", request: "rejected"},
			{do: "cancel", fails: true, status: "rejected", request: "rejected"},
		}, []string{"needs_approval", "rejected"}},
		{"email validation holds an S/MIME order", "client_premium", noCSRSkip, Config{EmailValidation: true, IssueDelay: 10 * time.Minute}, []step{
			{status: "pending", request: "approved"},
			{wait: 24 * time.Hour, status: "pending", request: "approved"},
			{do: "pickup", fails: true, status: "pending", request: "approved"},
			{do: "validate-api", status: "pending", request: "approved"},
			{wait: 9 * time.Minute, status: "pending", request: "approved"},
			{wait: time.Minute, status: "issued", request: "approved"},
			{do: "validate", fails: true, status: "issued", request: "approved"},
		}, []string{"pending", "issued"}},
		{"class1_smime is validated too", "class1_smime", modify(t, noCSRSkip, del("certificate.common_name")), Config{EmailValidation: true}, []step{
			{wait: time.Hour, status: "pending", request: "approved"},
			{do: "validate", status: "issued", request: "approved"},
		}, []string{"pending", "issued"}},
		{"no email validation for client_authentication_plus", "client_authentication_plus", noCSRSkip, Config{EmailValidation: true}, []step{
			{status: "issued", request: "approved"},
			{do: "validate", fails: true, status: "issued", request: "approved"},
		}, []string{"pending", "issued"}},
		{"no CSR: waiting_pickup until picked up", "client_premium", noCSRSkip, Config{ManualPickup: true, PickupDelay: time.Minute}, []step{
			{status: "waiting_pickup", request: "approved"},
			{wait: 24 * time.Hour, status: "waiting_pickup", request: "approved"},
			{do: "pickup", status: "issued", request: "approved"},
			{do: "pickup", fails: true, status: "issued", request: "approved"},
		}, []string{"pending", "waiting_pickup", "issued"}},
		{"PickupDelay picks up by itself", "client_premium", noCSRSkip, Config{PickupDelay: 30 * time.Minute}, []step{
			{status: "waiting_pickup", request: "approved"},
			{wait: 29 * time.Minute, status: "waiting_pickup", request: "approved"},
			{wait: time.Minute, status: "issued", request: "approved"},
		}, []string{"pending", "waiting_pickup", "issued"}},
		{"an early pickup wins over PickupDelay", "client_premium", noCSRSkip, Config{PickupDelay: 30 * time.Minute}, []step{
			{wait: 10 * time.Minute, do: "pickup", status: "issued", request: "approved"},
			{wait: time.Hour, status: "issued", request: "approved"},
		}, []string{"pending", "waiting_pickup", "issued"}},
		{"with a CSR there is no pickup", "client_premium", withCSR, Config{ManualPickup: true}, []step{
			{do: "approve", status: "issued", request: "approved"},
		}, []string{"needs_approval", "pending", "issued"}},
		{"every stage", "client_email_security_plus", noCSRManual, Config{EmailValidation: true, IssueDelay: time.Hour, PickupDelay: time.Hour}, []step{
			{status: "needs_approval", request: "pending"},
			{do: "approve", status: "pending", request: "approved"},
			{wait: 2 * time.Hour, do: "validate", status: "pending", request: "approved"},
			{wait: time.Hour, status: "waiting_pickup", request: "approved"},
			{wait: time.Hour, status: "issued", request: "approved"},
		}, []string{"needs_approval", "pending", "waiting_pickup", "issued"}},
		{"document signing: no validation, no pickup", "document_signing_org_1", doc, Config{EmailValidation: true, ManualPickup: true}, []step{
			{status: "issued", request: "approved"},
		}, []string{"pending", "issued"}},
		// A cancel is allowed from pending and waiting_pickup only
		// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html);
		// an order awaiting approval is stopped by rejecting its request
		// (https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/).
		{"no cancel while waiting for approval: reject the request", "client_premium", noCSRManual, Config{}, []step{
			{wait: time.Minute, do: "cancel", fails: true, status: "needs_approval", request: "pending"},
			{do: "reject", status: "rejected", request: "rejected"},
			{do: "cancel", fails: true, status: "rejected", request: "rejected"},
		}, []string{"needs_approval", "rejected"}},
		{"cancel while pending stops issuance", "client_premium", noCSRSkip, Config{IssueDelay: time.Hour}, []step{
			{wait: 30 * time.Minute, do: "cancel", status: "canceled", request: "approved"},
			{wait: 2 * time.Hour, status: "canceled", request: "approved"},
		}, []string{"pending", "canceled"}},
		{"cancel while waiting for pickup", "client_premium", noCSRSkip, Config{ManualPickup: true}, []step{
			{do: "cancel", status: "canceled", request: "approved"},
			{do: "pickup", fails: true, status: "canceled", request: "approved"},
		}, []string{"pending", "waiting_pickup", "canceled"}},
		{"no cancel once issued", "client_premium", noCSRSkip, Config{}, []step{
			{do: "cancel", fails: true, status: "issued", request: "approved"},
		}, []string{"pending", "issued"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, base, clk := start(t, c.cfg)
			a := place(t, base, c.product, c.body)
			if a.body["status"] != nil {
				t.Errorf("the POST answer claims a status: %s", a.raw)
			}
			id, reqID := num(t, a.body["id"]), num(t, obj(t, a.body["requests"].([]any)[0])["id"])
			for i, st := range c.steps {
				clk.add(st.wait)
				err := act(t, s, base, st.do, id, reqID)
				if st.fails != (err != nil) {
					t.Fatalf("step %d (%s): error %v, want failure %v", i+1, st.do, err, st.fails)
				}
				if got := orderStatus(t, base, id); got != st.status {
					t.Fatalf("step %d (%s): status %s, want %s", i+1, st.do, got, st.status)
				}
				r := call(t, "GET", fmt.Sprintf("%s/request/%d", base, reqID), key, "")
				if r.body["status"] != st.request {
					t.Fatalf("step %d (%s): request %s, want %s", i+1, st.do, r.raw, st.request)
				}
			}
			var hist []string
			for _, h := range s.Orders()[0].History {
				hist = append(hist, h.Status)
			}
			if !slices.Equal(hist, c.history) {
				t.Errorf("history %v, want %v", hist, c.history)
			}
		})
	}
}

// act does one step's action through the API (or the Server methods for
// what the recipient does); err tells a refusal.
func act(t *testing.T, s *Server, base, do string, id, reqID int64) error {
	t.Helper()
	put := func(url, body string) error {
		a := callRaw(t, "PUT", url, key, body)
		if a.status != http.StatusNoContent {
			return fmt.Errorf("%d %s", a.status, a.raw)
		}
		return nil
	}
	switch do {
	case "":
		return nil
	case "approve", "reject":
		return put(fmt.Sprintf("%s/request/%d/status", base, reqID), fmt.Sprintf(`{"status":%q}`, map[string]string{"approve": "approved", "reject": "rejected"}[do]))
	case "validate":
		return s.ValidateEmail(id)
	case "validate-api":
		tok, err := s.EmailValidationToken(id)
		if err != nil {
			return err
		}
		for _, e := range s.Orders()[0].Emails {
			if err := put(base+"/email-validation/"+tok+"?email="+url.QueryEscape(e), ""); err != nil {
				return err
			}
		}
		return nil
	case "pickup":
		return s.Pickup(id)
	case "cancel":
		return put(orderURL(base, id)+"/status", `{"status":"canceled","note":"wrong recipient"}`)
	}
	t.Fatalf("unknown action %q", do)
	return nil
}

// Certificate IDs are given on approval, in approval order; order info
// shows the ID from then on, validity only once issued.
func TestCertificateIDOnApproval(t *testing.T) {
	s, base, _ := start(t, Config{IssueDelay: time.Hour})
	place(t, base, "client_premium", simpleClient("a@example.com", "A", false))
	place(t, base, "client_premium", simpleClient("b@example.com", "B", false))
	approve(t, base, 500002)
	approve(t, base, 500001)
	o := s.Orders()
	if o[0].CertificateID != 900002 || o[1].CertificateID != 900001 || !o[1].DateApproved.Equal(t0) {
		t.Errorf("%+v", o)
	}
	a := call(t, "GET", orderURL(base, 100001), key, "")
	cert := obj(t, a.body["certificate"])
	if num(t, cert["id"]) != 900002 || cert["valid_till"] != nil || cert["date_issued"] != nil || a.body["status"] != "pending" {
		t.Errorf("%s", a.raw)
	}
}
