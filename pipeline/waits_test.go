package pipeline

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
	"github.com/certbatch/certbatch/templates"
)

// status's "waits for": an approver (needs_approval), the person's
// mailbox (email validation status page), the person's pickup
// (waiting_pickup), DigiCert (document signing pending: nothing for the
// account to do). Statuses come from the sandbox's configuration, not
// from the clock.
func TestWaitsForSaysWhoCanAct(t *testing.T) {
	s, err := sandbox.New(sandbox.Config{APIKey: "k", Windows: []sandbox.Window{}, EmailValidation: true, ManualPickup: true, IssueDelay: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c, err := certcentral.New(certcentral.Config{BaseURL: srv.URL + "/services/v2", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	set, _ := templates.Builtin()
	ctx := context.Background()
	client := func(email string, skip bool) string {
		return `{"certificate":{"common_name":"A B","emails":["` + email + `"],"signature_hash":"sha256","common_name_indicator":"given_name_surname",
		"individual":{"first_name":"A","last_name":"B"}},"organization":{"id":112233},"validity_years":1,"skip_approval":` + map[bool]string{true: "true", false: "false"}[skip] + `}`
	}
	seed, err := os.ReadFile("../cli/testdata/seed-document-signing-example.json")
	if err != nil {
		t.Fatal(err)
	}
	// The legacy page now requires order_validity.years (validity_years
	// is deprecated: dev.digicert.com zh-tw order-document-signing-certificate).
	var body map[string]any
	if err := json.Unmarshal(seed, &body); err != nil {
		t.Fatal(err)
	}
	delete(body, "validity_years")
	body["order_validity"] = map[string]any{"years": 1}
	doc, _ := json.Marshal(body)
	place := func(product, body string) order.Result {
		t.Helper()
		r, err := c.PlaceOrder(ctx, product, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		o, err := c.GetOrder(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return order.Result{Product: product, Outcome: order.Ordered, Answer: o.Answer()}
	}
	recs := []order.Result{
		place("client_premium", client("approve.me@example.com", false)),
		place("client_premium", client("mailbox@example.com", true)),
		place("document_signing_org_1", string(doc)),
	}
	waits, n, err := WaitsFor(ctx, c, set, recs, 2)
	if err != nil || n != 1 {
		t.Fatalf("%v, %d requests (want 1: the pending client order's email validation)", err, n)
	}
	want := []WaitKind{WaitApprover, WaitMailbox, WaitDigiCert}
	for i, r := range recs {
		if w := waits[r.OrderID]; w.Kind != want[i] {
			t.Errorf("order %d (%s): %s, want %s", r.OrderID, r.OrderStatus, w.Kind, want[i])
		}
	}
	if w := waits[recs[2].OrderID]; w.Text(l10n.Printer{}) != "waits for DigiCert's organization validation" {
		t.Errorf("document signing: %q", w.Text(l10n.Printer{}))
	}
	if w := waits[recs[1].OrderID]; len(w.Mailboxes) != 1 || w.EmailedOn == "" || !strings.Contains(w.Text(l10n.Printer{}), "mailbox@example.com to validate the mailbox (DigiCert emailed it on ") {
		t.Errorf("mailbox: %+v %q", w, w.Text(l10n.Printer{}))
	}
	// Issued to a person who has no key yet: they pick it up in the
	// browser.
	s2, _ := sandbox.New(sandbox.Config{APIKey: "k", Windows: []sandbox.Window{}, ManualPickup: true})
	srv2 := httptest.NewServer(s2)
	defer srv2.Close()
	c2, _ := certcentral.New(certcentral.Config{BaseURL: srv2.URL + "/services/v2", APIKey: "k"})
	r2, err := c2.PlaceOrder(ctx, "client_premium", []byte(client("pickup@example.com", true)))
	if err != nil {
		t.Fatal(err)
	}
	o2, _ := c2.GetOrder(ctx, r2.ID)
	waits, _, err = WaitsFor(ctx, c2, set, []order.Result{{Product: "client_premium", Answer: o2.Answer()}}, 1)
	if err != nil || waits[r2.ID].Kind != WaitPickup {
		t.Errorf("waiting_pickup: %+v %v", waits[r2.ID], err)
	}
}
