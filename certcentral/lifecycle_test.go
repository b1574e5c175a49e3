package certcentral

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// Approving and rejecting requests: PUT /request/{id}/status (update
// request status page) is resolved by reading the request when its
// answer is lost or refused, so doing it twice is harmless.
func TestUpdateRequestStatus(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults map[string]sandbox.Faults
		puts   int // mutating requests the sandbox sees, the order's POST included
	}{
		{"plain", nil, 3},
		{"dropped answer", map[string]sandbox.Faults{sandbox.EndpointRequestStatus: {DropEvery: 1}}, 3},
		{"500 after the change", map[string]sandbox.Faults{sandbox.EndpointRequestStatus: {FailAfterChangeEvery: 1}}, 3},
		{"500 before the change", map[string]sandbox.Faults{sandbox.EndpointAny: {FailEvery: 2}}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, sb := sandboxClient(t, sandbox.Config{Faults: tc.faults})
			ctx := context.Background()
			r := place(t, c, false)
			reqs, sent, err := c.AllRequests(ctx, RequestPending, "")
			if err != nil || sent != 1 || len(reqs) != 1 || reqs[0].Order.ID != r.ID || reqs[0].Type != RequestTypeNew {
				t.Fatalf("pending requests: %+v %d %v", reqs, sent, err)
			}
			if err := c.UpdateRequestStatus(ctx, reqs[0].ID, RequestApproved, "ok"); err != nil {
				t.Fatalf("approve: %v", err)
			}
			if err := c.UpdateRequestStatus(ctx, reqs[0].ID, RequestApproved, "again"); err != nil {
				t.Fatalf("approving twice: %v", err)
			}
			if err := c.UpdateRequestStatus(ctx, reqs[0].ID, RequestRejected, "no"); !errors.Is(err, ErrRequestProcessed) {
				t.Fatalf("rejecting an approved request: %v", err)
			}
			if st := sb.Orders()[0].Status; st != "issued" {
				t.Errorf("order %s", st)
			}
			if n := sb.Stats().Mutations; n != tc.puts+1 {
				t.Errorf("%d mutating requests, want %d", n, tc.puts+1)
			}
		})
	}
}

// Revoking (revoke order certificates page): a request without
// skip_approval, at once with it; a lost answer is resolved by reading
// the order and the pending revoke requests, never by revoking blind.
func TestRevokeOrder(t *testing.T) {
	ctx := context.Background()
	t.Run("request for an approver, twice", func(t *testing.T) {
		c, sb := sandboxClient(t, sandbox.Config{Faults: map[string]sandbox.Faults{sandbox.EndpointRevoke: {DropEvery: 1}}})
		r := place(t, c, true)
		got, err := c.RevokeOrder(ctx, r.ID, RevokeOptions{Reason: "cessationOfOperation", Comment: "left"})
		if err != nil || got.Revoked || got.RequestID == 0 {
			t.Fatalf("revoke: %+v %v", got, err)
		}
		again, err := c.RevokeOrder(ctx, r.ID, RevokeOptions{})
		if err != nil || again.RequestID != got.RequestID {
			t.Fatalf("revoking twice: %+v %v", again, err)
		}
		if n := sb.Stats().Mutations; n != 3 {
			t.Errorf("%d mutating requests, want 3 (the order and two revokes, the second refused)", n)
		}
		if err := c.UpdateRequestStatus(ctx, got.RequestID, RequestApproved, ""); err != nil {
			t.Fatal(err)
		}
		if st := sb.Orders()[0].Status; st != "revoked" {
			t.Errorf("after approval: %s", st)
		}
		done, err := c.RevokeOrder(ctx, r.ID, RevokeOptions{})
		if err != nil || !done.Revoked {
			t.Fatalf("revoking a revoked order: %+v %v", done, err)
		}
	})
	t.Run("skip approval with a lost answer", func(t *testing.T) {
		c, sb := sandboxClient(t, sandbox.Config{Faults: map[string]sandbox.Faults{sandbox.EndpointRevoke: {FailAfterChangeEvery: 1}}})
		r := place(t, c, true)
		got, err := c.RevokeOrder(ctx, r.ID, RevokeOptions{SkipApproval: true, Reason: "keyCompromise"})
		if err != nil || !got.Revoked {
			t.Fatalf("revoke: %+v %v", got, err)
		}
		if st := sb.Orders()[0].Status; st != "revoked" {
			t.Errorf("%s", st)
		}
	})
	t.Run("not issued", func(t *testing.T) {
		c, _ := sandboxClient(t, sandbox.Config{})
		r := place(t, c, false)
		_, err := c.RevokeOrder(ctx, r.ID, RevokeOptions{})
		if !errors.Is(err, ErrNotRevocable) || !strings.Contains(err.Error(), "needs_approval") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("bad reason is not sent", func(t *testing.T) {
		c, sb := sandboxClient(t, sandbox.Config{})
		if _, err := c.RevokeOrder(ctx, 1, RevokeOptions{Reason: "left"}); err == nil || !strings.Contains(err.Error(), "not sent") {
			t.Fatalf("%v", err)
		}
		if sb.Stats().Requests != 0 {
			t.Error("sent")
		}
	})
}

// Email validation status page and the expiring report page, and the
// order fields a renewal is derived from (order info page).
func TestEmailValidationExpiringAndRenewalFields(t *testing.T) {
	ctx := context.Background()
	c, _ := sandboxClient(t, sandbox.Config{EmailValidation: true, Holdings: []sandbox.Holding{{Email: "soon@example.com", ExpiresIn: 10}}})
	r := place(t, c, true)
	v, err := c.GetEmailValidation(ctx, r.ID)
	if err != nil || len(v.Unvalidated()) != 1 || v.Unvalidated()[0].Email != "minji@example.com" || len(v.Unvalidated()[0].DateEmailed) != 10 {
		t.Fatalf("email validation: %+v %v", v, err)
	}
	rep, err := c.ExpiringReport(ctx)
	if err != nil || len(rep) != 4 {
		t.Fatalf("report: %+v %v", rep, err)
	}
	for _, b := range rep {
		if want := map[int]int{30: 1}[b.DaysExpiring]; b.OrderCount != want {
			t.Errorf("window %d: %d, want %d", b.DaysExpiring, b.OrderCount, want)
		}
	}
	now := time.Now().UTC()
	p, err := c.ListValidTillPage(ctx, now.AddDate(0, 0, -1), now.AddDate(0, 0, 31), 0)
	if err != nil || len(p.Orders) != 1 {
		t.Fatalf("valid_till page: %+v %v", p, err)
	}
	o, err := c.GetOrder(ctx, p.Orders[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	till, ok := o.Certificate.ValidTillDate()
	if !ok || o.IsRenewed || o.Organization.ID != 112233 || o.Certificate.Individual == nil || o.Certificate.Individual.LastName != "Holder" ||
		o.Certificate.CommonNameIndicator != "given_name_surname" || till.Sub(now) > 11*24*time.Hour {
		t.Errorf("order: %+v", o)
	}
}
