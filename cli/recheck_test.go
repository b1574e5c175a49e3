package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/sandbox"
	"github.com/certbatch/certbatch/templates"
)

// An admin who reads the plan for a while: another admin orders one of
// the people meanwhile; the account is read again before sending, and
// that person is skipped.
func TestAccountIsReadAgainAfterALongConfirmation(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	set, _ := templates.Builtin()
	cfg, err := mapping.LoadConfig(e.config)
	if err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(e.state, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	c, err := certcentral.New(certcentral.Config{BaseURL: e.base, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	o := pipeline.SubmitOptions{Source: pipeline.Source{Input: e.input, Config: cfg, Templates: set}, Client: c, Journal: j,
		Output: filepath.Join(e.dir, "r.csv"), RecheckAfter: 1} // every plan counts as old
	plan, err := pipeline.PlanSubmit(context.Background(), o)
	if err != nil || plan.NewOrders() != 3 {
		t.Fatalf("plan: %v, %d orders", err, plan.NewOrders())
	}
	postOrder(t, e.base, "person2@example.com", "Person 2") // meanwhile, elsewhere
	sum, err := pipeline.Submit(context.Background(), o, plan)
	if err != nil {
		t.Fatal(err)
	}
	if sum.ByOutcome[order.Ordered] != 2 || sum.ByOutcome[order.Skipped] != 1 {
		t.Errorf("outcomes %v, want 2 ordered and person 2 skipped", sum.ByOutcome)
	}
	for _, x := range readResults(t, o.Output).Records {
		if x.Input[2] == "person2@example.com" && (x.Outcome != order.Skipped || !strings.Contains(x.Note, "found at DigiCert")) {
			t.Errorf("person 2: %s %s", x.Outcome, x.Note)
		}
	}
	if n := len(e.sb.Orders()); n != 3 {
		t.Errorf("%d orders for 3 people", n)
	}
}
