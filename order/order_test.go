package order

import (
	"reflect"
	"testing"
)

func TestSummaryAdd(t *testing.T) {
	var s Summary // the zero value is ready
	s.Add(&Result{Product: "a", Outcome: Ordered})
	s.Add(&Result{Product: "a", Outcome: Ordered})
	s.Add(&Result{Product: "b", Outcome: Failed})
	s.Add(&Result{Outcome: Invalid})
	want := Summary{Rows: 4, ByOutcome: map[Outcome]int{Ordered: 2, Failed: 1, Invalid: 1},
		ByProduct: map[string]map[Outcome]int{"a": {Ordered: 2}, "b": {Failed: 1}, NoProduct: {Invalid: 1}}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("summary %+v, want %+v", s, want)
	}
	if s.NeedFix() != 1 || s.NeedRetry() != 1 || s.Count(Ordered, Failed) != 3 {
		t.Errorf("counts: fix %d retry %d ordered+failed %d", s.NeedFix(), s.NeedRetry(), s.Count(Ordered, Failed))
	}
}

func TestFinalStatuses(t *testing.T) {
	for status, final := range map[string]bool{
		"issued": true, "rejected": true, "canceled": true, "revoked": true, "denied": true, "expired": true,
		"pending": false, "needs_approval": false, "waiting_pickup": false, "reissue_pending": false, "": false, "processing": false,
	} {
		if IsFinal(status) != final {
			t.Errorf("IsFinal(%q) = %v, want %v", status, !final, final)
		}
	}
}

func TestID(t *testing.T) {
	if ID(0) != "" || ID(42) != "42" {
		t.Errorf("ID(0) = %q, ID(42) = %q", ID(0), ID(42))
	}
}

func TestRefreshKeepsKnownIDs(t *testing.T) {
	a := Answer{OrderID: 1, RequestID: 2, CertificateID: 3, RequestStatus: "approved", OrderStatus: "pending", Error: "x"}
	a.Refresh(Answer{OrderID: 1, OrderStatus: "issued"})
	want := Answer{OrderID: 1, RequestID: 2, CertificateID: 3, RequestStatus: "approved", OrderStatus: "issued", Error: "x"}
	if a != want {
		t.Errorf("after a refresh without IDs: %+v, want %+v", a, want)
	}
	a.Refresh(Answer{OrderID: 1, OrderStatus: "revoked", RequestStatus: "rejected", CertificateID: 9})
	if a.CertificateID != 9 || a.RequestStatus != "rejected" || a.OrderStatus != "revoked" {
		t.Errorf("after a full refresh: %+v", a)
	}
}

func TestNormalizeKey(t *testing.T) {
	for in, want := range map[string]string{"00124": "124", "124": "124", " E1001 ": "e1001", "１２４": "124", "000": "0", "A-07": "a-07", "": ""} {
		if got := NormalizeKey(in); got != want {
			t.Errorf("NormalizeKey(%q) = %q, want %q", in, got, want)
		}
	}
}
