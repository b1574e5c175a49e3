package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

// smimeProducts are DigiCert's S/MIME client certificates: "Premium,
// Email Security Plus, Digital Signature Plus, and Client 1 S/MIME"
// (https://docs.digicert.com/manage-certificates/client-certificates-guide/issue-personal-id-certificates-admin/).
var smimeProducts = map[string]bool{"client_premium": true, "client_email_security_plus": true, "client_digital_signature_plus": true, "class1_smime": true}

var orderInfoPath = regexp.MustCompile(`^/services/v2/order/certificate/[0-9]+$`)

// todaysOrderInfo serves sb with order info as the order-info page
// documents it: certificate.emails "Returned only for S/MIME certificate
// orders"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html),
// and no document-signing subject (the page has none). It keeps these
// tests about today's CertCentral whatever the sandbox answers.
func todaysOrderInfo(t *testing.T, sb *sandbox.Server) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !orderInfoPath.MatchString(r.URL.Path) {
			sb.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var m map[string]any
		if rec.Code == http.StatusOK && json.Unmarshal(body, &m) == nil {
			prod, _ := m["product"].(map[string]any)
			if cert, ok := m["certificate"].(map[string]any); ok && !smimeProducts[fmt.Sprint(prod["name_id"])] {
				delete(cert, "emails")
			}
			delete(m, "subject")
			body, _ = json.Marshal(m)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/services/v2"
}

const authPlusConfigYAML = `product: client_authentication_plus
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

// authPlusEnv is an environment ordering client_authentication_plus
// (not an S/MIME product: order info names no email) for rows people.
func authPlusEnv(t *testing.T, rows int, cfg sandbox.Config) *env {
	t.Helper()
	e := newEnv(t, rows, cfg)
	writeFile(t, e.config, authPlusConfigYAML)
	e.base = todaysOrderInfo(t, e.sb)
	return e
}

// postAuthPlus places a client_authentication_plus order directly, as
// another admin or an earlier lost request would have.
func postAuthPlus(t *testing.T, base, email, name string, org int) int64 {
	t.Helper()
	id, _ := placeAuthPlus(t, base, email, name, org, true)
	return id
}

// placeAuthPlus places a client_authentication_plus order and returns
// its order and request IDs.
func placeAuthPlus(t *testing.T, base, email, name string, org int, skipApproval bool) (id, requestID int64) {
	t.Helper()
	body := fmt.Sprintf(`{"certificate":{"common_name":%q,"emails":[%q],"signature_hash":"sha256"},"organization":{"id":%d},"validity_years":1,"skip_approval":%v}`,
		name, email, org, skipApproval)
	req, _ := http.NewRequest("POST", base+"/order/certificate/client_authentication_plus", strings.NewReader(body))
	req.Header.Set("X-DC-DEVKEY", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create order: %v %v", err, resp)
	}
	defer resp.Body.Close()
	var a struct {
		ID       int64
		Requests []struct{ ID int64 }
	}
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, &a)
	return a.ID, a.Requests[0].ID
}

// Never twice for a product whose order info names no email
// (client_authentication_plus): a person another admin ordered, or one
// a lost journal knew, is recognised by what DigiCert documents for
// every order, the common name, product and organization the order is
// listed under, and skipped as found at DigiCert (issue 15: before, such
// orders "name no email and cannot be matched", and everyone was ordered
// again).
func TestNeverTwiceWithoutEmails_AuthenticationPlus(t *testing.T) {
	e := authPlusEnv(t, 5, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("first run: %d %s", r.code, r.stderr)
	}
	postAuthPlus(t, e.base, "person6@example.com", "Person 6", 112233) // another admin
	writeCSV(t, e.input, staff(6, 1))
	e.state = filepath.Join(e.dir, "lost.db") // the journal is lost
	before := e.sb.Stats()
	r := e.submit()
	after := e.sb.Stats()
	if r.code != 0 || after.OrderPOSTs != before.OrderPOSTs {
		t.Fatalf("lost journal: exit %d, %d new POSTs\n%s%s", r.code, after.OrderPOSTs-before.OrderPOSTs, r.stdout, r.stderr)
	}
	for row, x := range e.results() {
		if x.outcome != "skipped" || !strings.Contains(x.note, "found at DigiCert") || !strings.Contains(x.note, "listed under this person's name") {
			t.Errorf("row %d: %+v", row, x)
		}
	}
	e.checkMatchesSandbox(e.results())
	// One list page, and order info for the orders listed under the
	// batch's names.
	if n := after.Requests - before.Requests; n != 1+6 {
		t.Errorf("the account check took %d requests, want 7", n)
	}
}

// What DigiCert's documented fields cannot tell is held back for a
// person to decide, never ordered and never taken as someone's: several
// orders under one name, or one under a name two rows share. An order of
// another organization, or a canceled one, is nobody's here. --force
// sends the held rows.
func TestNeverTwiceHoldsWhatItCannotTell(t *testing.T) {
	e := authPlusEnv(t, 0, sandbox.Config{})
	ann1 := postAuthPlus(t, e.base, "ann.lee@example.com", "Ann Lee", 112233)
	ann2 := postAuthPlus(t, e.base, "a.lee@example.com", "ANN  LEE", 112233) // another spelling of the name
	bo := postAuthPlus(t, e.base, "bo.kim@example.com", "Bo Kim", 112233)
	postAuthPlus(t, e.base, "cy.park@example.com", "Cy Park", 334455) // another organization
	_, diRequest := placeAuthPlus(t, e.base, "di.lu@example.com", "Di Lu", 112233, false)
	rejectRequest(t, e.base, diRequest) // a rejected order is nobody's
	head := []string{"Employee ID", "Full Name", "Email", "Department", "First Name", "Last Name"}
	writeCSV(t, e.input, [][]string{head,
		{"E1", "Ann Lee", "ann.lee@example.com", "R&D", "Ann", "Lee"},
		{"E2", "Bo Kim", "bo.kim@example.com", "R&D", "Bo", "Kim"},
		{"E3", "Bo Kim", "bo.kim2@example.com", "Sales", "Bo", "Kim"},
		{"E4", "Cy Park", "cy.park@example.com", "R&D", "Cy", "Park"},
		{"E5", "Di Lu", "di.lu@example.com", "R&D", "Di", "Lu"},
	})
	posts := e.sb.Stats().OrderPOSTs
	r := e.submit()
	res := e.results()
	if r.code != ExitRowsBad || e.sb.Stats().OrderPOSTs-posts != 2 {
		t.Fatalf("exit %d, %d POSTs\n%s%s", r.code, e.sb.Stats().OrderPOSTs-posts, r.stdout, r.stderr)
	}
	for row, want := range map[int]string{
		2: fmt.Sprintf("orders %d, %d", ann1, ann2),
		3: fmt.Sprintf("order %d", bo),
		4: fmt.Sprintf("order %d", bo),
	} {
		if x := res[row]; x.outcome != "invalid" || !strings.Contains(x.err, "held back: "+want) || !strings.Contains(x.err, "--force") {
			t.Errorf("row %d: %+v, want held back naming %s", row, x, want)
		}
	}
	if !strings.Contains(res[3].err, "another person of the batch") {
		t.Errorf("row 3 should say the name is shared: %s", res[3].err)
	}
	for _, row := range []int{5, 6} {
		if res[row].outcome != "ordered" {
			t.Errorf("row %d: %+v", row, res[row])
		}
	}
	if !strings.Contains(r.stdout+r.stderr, "3 rows are held back") {
		t.Errorf("the plan does not say what is held back:\n%s%s", r.stdout, r.stderr)
	}
	// --force is the way past it.
	posts = e.sb.Stats().OrderPOSTs
	if r := e.submit("--force"); e.sb.Stats().OrderPOSTs-posts != 5 {
		t.Errorf("--force: exit %d, %d POSTs", r.code, e.sb.Stats().OrderPOSTs-posts)
	}
}

// rejectRequest rejects an order's request through the API.
func rejectRequest(t *testing.T, base string, id int64) {
	t.Helper()
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/request/%d/status", base, id), strings.NewReader(`{"status":"rejected","processor_comment":"test"}`))
	req.Header.Set("X-DC-DEVKEY", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("reject %d: %v %v", id, err, resp)
	}
	resp.Body.Close()
}

// S/MIME orders name their emails in order info: among the orders
// listed under a row's name, the email decides; one naming another email
// is another person's, whatever its name.
func TestNeverTwiceSMIMEEmailsDecide(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	e.base = todaysOrderInfo(t, e.sb)
	postOrder(t, e.base, "someone.else@example.com", "Person 1") // person 1's name, another person
	postOrder(t, e.base, "PERSON2@example.com", "person  2")     // person 2, the name spelled otherwise
	posts := e.sb.Stats().OrderPOSTs
	r := e.submit()
	res := e.results()
	if r.code != 0 || e.sb.Stats().OrderPOSTs != posts+1 || res[2].outcome != "ordered" {
		t.Fatalf("exit %d, %d POSTs, %+v\n%s", r.code, e.sb.Stats().OrderPOSTs-posts, res[2], r.stderr)
	}
	if x := res[3]; x.outcome != "skipped" || x.orderID != "100002" || !strings.Contains(x.note, "names this person's email") {
		t.Fatalf("row 3: %+v", x)
	}
}

const docSigningConfigYAML = `product: document_signing_org_1
order:
  certificate: {signature_hash: sha256}
  cs_provisioning_method: ship_token
  use_org_as_common_name: %s
  validity_years: 2
  organization: {id: 334455}
  csa_agreed_to: 1
  skip_approval: true
  payment_method: balance
columns:
  subject.name: Subject Name
  subject.job_title: Job Title
  subject.phone: Phone
  subject.email: Email
`

// Document signing orders name nobody in order info; by default DigiCert
// lists them under the organization's name (use_org_as_common_name, the
// seed page's default true), which names no person: an order of the
// organization the journal does not know holds the organization's new
// signers back. With use_org_as_common_name false the signer's
// subject.name is the certificate's name and recognises the person.
func TestNeverTwiceDocumentSigning(t *testing.T) {
	rows := [][]string{{"Subject Name", "Job Title", "Phone", "Email"}, {"Rene Pierce", "Counselor", "054-139-0798", "rene.pierce@example.com"},
		{"Hiro Tanaka", "Manager", "+81-3-1234-5678", "hiro@example.com"}}
	for _, c := range []struct {
		useOrg string
		want   map[int]string
	}{
		{"true", map[int]string{2: "invalid", 3: "invalid"}},
		{"false", map[int]string{2: "skipped", 3: "ordered"}},
	} {
		t.Run("use_org_as_common_name "+c.useOrg, func(t *testing.T) {
			e := newEnv(t, 0, sandbox.Config{})
			writeFile(t, e.config, fmt.Sprintf(docSigningConfigYAML, c.useOrg))
			writeCSV(t, e.input, rows[:2])
			if r := e.submit(); r.code != 0 {
				t.Fatalf("first run: %d %s%s", r.code, r.stdout, r.stderr)
			}
			e.base = todaysOrderInfo(t, e.sb)
			e.state = filepath.Join(e.dir, "lost.db")
			writeCSV(t, e.input, rows)
			posts := e.sb.Stats().OrderPOSTs
			e.submit()
			res := e.results()
			for row, want := range c.want {
				if res[row].outcome != want {
					t.Errorf("row %d: %+v, want %s", row, res[row], want)
				}
			}
			if c.useOrg == "true" && (e.sb.Stats().OrderPOSTs != posts || !strings.Contains(res[3].err, "organization's name")) {
				t.Errorf("%d POSTs; row 3: %s", e.sb.Stats().OrderPOSTs-posts, res[3].err)
			}
		})
	}
}

// An S/MIME order listed under another spelling of the person's name
// (Robert for the row's Person 2, a name DigiCert derived) still names
// the person's email in order info: a new journal finds it, both when
// the account's unknown orders are few (each one's order info is read
// once: the sweep) and when they outnumber the people to check (the
// documented filters[email] finds the candidates). Either way nobody is
// ordered twice, and the check costs at most about one request per new
// person.
func TestNeverTwiceSMIMEOrderUnderAnotherName(t *testing.T) {
	for _, c := range []struct {
		name   string
		others int // unknown orders of other people on the account
	}{{"sweep", 0}, {"search by email", 40}} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, 3, sandbox.Config{})
			e.base = todaysOrderInfo(t, e.sb)
			for i := range c.others {
				postOrder(t, e.base, fmt.Sprintf("other%d@example.com", i), fmt.Sprintf("Other %d", i))
			}
			postOrder(t, e.base, "person2@example.com", "Robert Two") // person 2, listed under another name
			posts, reqs := e.sb.Stats().OrderPOSTs, e.sb.Stats().Requests
			r := e.submit()
			res := e.results()
			if r.code != 0 || res[3].outcome != "skipped" || !strings.Contains(res[3].note, "names this person's email") {
				t.Fatalf("exit %d, row 3 %+v\n%s", r.code, res[3], r.stderr)
			}
			if n := e.sb.Stats().OrderPOSTs - posts; n != 2 {
				t.Errorf("%d orders placed, want 2 (persons 1 and 3)", n)
			}
			// 3 new people: the list, at most one request each to check
			// them, two POSTs, the first statuses and the account
			// preflight (key, product, organization).
			if n := e.sb.Stats().Requests - reqs; n > 12 {
				t.Errorf("%d requests for 3 people", n)
			}
		})
	}
}
