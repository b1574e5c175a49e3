package journal

import (
	"testing"

	"github.com/certbatch/certbatch/order"
)

// A renewal is an order attempt linked to the order it renews: the link
// is recorded with the intent, in one transaction, and decides whether
// the order still needs renewing.
func TestRenewals(t *testing.T) {
	j := tempJournal(t)
	b := beginBatch(t, j)
	if e, err := j.Renewal(100); err != nil || e != nil {
		t.Fatalf("before any renewal (no table yet): %+v %v", e, err)
	}
	in := Intent{Batch: b.ID, Row: 2, Identity: "client_premium|email:a@example.com", Product: "client_premium", ProductKey: "client_premium_sha2", Email: "a@example.com"}
	id, err := j.AddRenewalIntent(in, 100, "2027-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := j.Renewal(100); e == nil || e.ID != id || e.State != StateIntent {
		t.Fatalf("an unanswered renewal decides: %+v", e)
	}
	if of, _ := j.RenewalOf(id); of != 100 {
		t.Errorf("RenewalOf = %d", of)
	}
	// The renewal is an order of the person like any other.
	if m, _ := j.FindPerson(Person{ProductKey: "client_premium_sha2", Email: "a@example.com"}); m.Entry == nil || m.Entry.ID != id {
		t.Errorf("FindPerson: %+v", m.Entry)
	}
	complete(t, j, id, Result{State: StateFailed})
	if e, _ := j.Renewal(100); e != nil {
		t.Errorf("a failed renewal created nothing: %+v", e)
	}
	id2, _ := j.AddRenewalIntent(in, 100, "2027-01-01")
	complete(t, j, id2, Result{State: StateOrdered, Answer: order.Answer{OrderID: 101}})
	if e, _ := j.Renewal(100); e == nil || e.OrderID != 101 {
		t.Errorf("ordered renewal: %+v", e)
	}
	j.UpdateStatus(order.Answer{OrderID: 101, OrderStatus: "canceled"})
	if e, _ := j.Renewal(100); e != nil {
		t.Errorf("a canceled renewal no longer stands: %+v", e)
	}
	if of, _ := j.RenewalOf(addIntent(t, j, Intent{Batch: b.ID, Row: 3, Identity: "x", Product: "client_premium", Email: "b@example.com"})); of != 0 {
		t.Errorf("not a renewal: %d", of)
	}
}

// Approve, reject and revoke are journaled before they are sent and
// answered after, so a run can resume and never acts twice.
func TestActions(t *testing.T) {
	j := tempJournal(t)
	if a, err := j.LastAction(100, ActionRevoke); err != nil || a != nil {
		t.Fatalf("no table yet: %+v %v", a, err)
	}
	if _, err := j.AddAction(Action{OrderID: 100, Kind: "delete"}); err == nil {
		t.Error("unknown kind accepted")
	}
	id, err := j.AddAction(Action{OrderID: 100, Kind: ActionRevoke, Who: "a@example.com", Reason: "cessationOfOperation", Comment: "left"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := j.LastAction(100, ActionRevoke)
	if a == nil || a.State != ActionIntent || a.Reason != "cessationOfOperation" || a.IntentAt.IsZero() || !a.CompletedAt.IsZero() {
		t.Fatalf("intent: %+v", a)
	}
	if err := j.CompleteAction(id, ActionRequested, 5001, ""); err != nil {
		t.Fatal(err)
	}
	if err := j.CompleteAction(id, ActionDone, 0, ""); err != nil {
		t.Fatal(err)
	}
	a, _ = j.LastAction(100, ActionRevoke)
	if a.State != ActionDone || a.RequestID != 5001 || a.CompletedAt.IsZero() {
		t.Errorf("done: %+v", a)
	}
	if err := j.CompleteAction(id, ActionFailed, 0, "x"); err == nil {
		t.Error("a done action answered again")
	}
	all, err := j.Actions()
	if err != nil || len(all) != 1 {
		t.Errorf("Actions: %+v %v", all, err)
	}
}
