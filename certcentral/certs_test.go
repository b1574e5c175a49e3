package certcentral

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// sandboxClient starts a sandbox with cfg behind httptest and returns a
// client for it.
func sandboxClient(t *testing.T, cfg sandbox.Config) (*Client, *sandbox.Server) {
	t.Helper()
	cfg.APIKey, cfg.Windows = testKey, []sandbox.Window{}
	s, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, _ := newClient(t, srv.URL+"/services/v2", nil)
	return c, s
}

const clientOrder = `{"certificate":{"common_name":"Kim Minji","emails":["minji@example.com"],"signature_hash":"sha256",
 "common_name_indicator":"given_name_surname","individual":{"first_name":"Minji","last_name":"Kim"}},
 "organization":{"id":112233},"validity_years":1,"skip_approval":%s,"csr":""}`

func place(t *testing.T, c *Client, skipApproval bool) *OrderResponse {
	t.Helper()
	body := strings.Replace(clientOrder, "%s", map[bool]string{true: "true", false: "false"}[skipApproval], 1)
	body = strings.Replace(body, `,"csr":""`, "", 1)
	r, err := c.PlaceOrder(context.Background(), "client_premium", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAccountReads(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.Config{Products: []string{"client_premium"}})
	ctx := context.Background()
	u, err := c.UserMe(ctx)
	if err != nil || u.Username == "" || len(u.RoleNames()) == 0 {
		t.Fatalf("user: %+v %v", u, err)
	}
	ps, err := c.Products(ctx)
	if err != nil || len(ps) != 1 || ps[0].NameID != "client_premium" {
		t.Fatalf("products: %+v %v", ps, err)
	}
	o, err := c.Organization(ctx, 112233)
	if err != nil || o.Name != "Example Corp" || !o.Active() {
		t.Fatalf("organization: %+v %v", o, err)
	}
	_, err = c.Organization(ctx, 999999)
	if apiErr, ok := errors.AsType[*APIError](err); !ok || apiErr.StatusCode != 404 {
		t.Fatalf("missing organization: %v", err)
	}
	k, err := c.Container(ctx, 445566)
	if err != nil || k.Name == "" || !k.Active() {
		t.Fatalf("container: %+v %v", k, err)
	}
	if _, err := c.Container(ctx, 1); err == nil {
		t.Fatal("missing container: no error")
	}
	noKey(t, err)
	if c.Host() != "127.0.0.1" || !strings.HasSuffix(c.BaseURL(), "/services/v2") {
		t.Errorf("host %q base %q", c.Host(), c.BaseURL())
	}
}

func TestDownloadAndChain(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.Config{})
	ctx := context.Background()
	r := place(t, c, true)
	chain := r.ChainPEM()
	if strings.Count(chain, "BEGIN CERTIFICATE") != 3 {
		t.Fatalf("POST answer chain: %q", chain)
	}
	pem, err := c.Download(ctx, r.CertificateID, FormatPEMAll)
	if err != nil || string(pem) != chain {
		t.Fatalf("pem_all differs from the POST chain (%v):\n%s\n---\n%s", err, pem, chain)
	}
	p7, err := c.DownloadByOrder(ctx, r.ID, FormatP7B)
	if err != nil || !strings.Contains(string(p7), "PKCS7") {
		t.Fatalf("p7b: %v %q", err, p7)
	}
	if _, err := c.Download(ctx, 123, FormatPEMAll); err == nil {
		t.Fatal("unknown certificate downloaded")
	}
	if _, err := c.Download(ctx, r.CertificateID, "../x"); err == nil || !strings.Contains(err.Error(), "not sent") {
		t.Fatalf("bad format: %v", err)
	}
}

func TestCancelOrder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults map[string]sandbox.Faults
		puts   int // mutating requests the sandbox sees, the order's POST included
	}{
		{"plain", nil, 3},
		{"dropped answer", map[string]sandbox.Faults{sandbox.EndpointOrderStatus: {DropEvery: 1}}, 3},
		{"500 after the change", map[string]sandbox.Faults{sandbox.EndpointOrderStatus: {FailAfterChangeEvery: 1}}, 3},
		// The first PUT is answered 500 and changes nothing: the order is
		// read, still pending, and the PUT is sent again.
		{"500 before the change", map[string]sandbox.Faults{sandbox.EndpointAny: {FailEvery: 2}}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, sb := sandboxClient(t, sandbox.Config{Faults: tc.faults, IssueDelay: time.Hour})
			ctx := context.Background()
			r := place(t, c, true) // pending
			if err := c.CancelOrder(ctx, r.ID, "wrong product"); err != nil {
				t.Fatalf("cancel: %v", err)
			}
			if err := c.CancelOrder(ctx, r.ID, "again"); err != nil {
				t.Fatalf("cancelling twice: %v", err)
			}
			o := sb.Orders()[0]
			if o.Status != "canceled" || o.Note != "wrong product" {
				t.Fatalf("sandbox status %q note %q", o.Status, o.Note)
			}
			if n := sb.Stats().Mutations; n != tc.puts {
				t.Errorf("%d mutating requests, want %d", n, tc.puts)
			}
		})
	}
}

// An order awaiting approval is stopped by rejecting its request
// (https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/),
// not by a cancel, which DigiCert allows from pending and waiting_pickup
// only (https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html).
func TestRejectRequest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults map[string]sandbox.Faults
		puts   int
	}{
		{"plain", nil, 3},
		{"dropped answer", map[string]sandbox.Faults{sandbox.EndpointRequestStatus: {DropEvery: 1}}, 3},
		{"500 after the change", map[string]sandbox.Faults{sandbox.EndpointRequestStatus: {FailAfterChangeEvery: 1}}, 3},
		{"500 before the change", map[string]sandbox.Faults{sandbox.EndpointAny: {FailEvery: 2}}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, sb := sandboxClient(t, sandbox.Config{Faults: tc.faults})
			ctx := context.Background()
			r := place(t, c, false) // needs_approval
			if err := c.RejectRequest(ctx, r.Requests[0].ID, "ordered by mistake"); err != nil {
				t.Fatalf("reject: %v", err)
			}
			if err := c.RejectRequest(ctx, r.Requests[0].ID, "again"); err != nil {
				t.Fatalf("rejecting twice: %v", err)
			}
			o := sb.Orders()[0]
			if o.Status != "rejected" || o.RequestStatus != "rejected" {
				t.Fatalf("sandbox order %q request %q", o.Status, o.RequestStatus)
			}
			if n := sb.Stats().Mutations; n != tc.puts {
				t.Errorf("%d mutating requests, want %d", n, tc.puts)
			}
		})
	}
	t.Run("cancel is refused, the order is untouched", func(t *testing.T) {
		c, sb := sandboxClient(t, sandbox.Config{})
		r := place(t, c, false)
		err := c.CancelOrder(context.Background(), r.ID, "no")
		if !errors.Is(err, ErrNotCancelable) || !strings.Contains(err.Error(), "needs_approval") {
			t.Fatalf("cancel of an order awaiting approval: %v", err)
		}
		if o := sb.Orders()[0]; o.Status != "needs_approval" || o.RequestStatus != "pending" {
			t.Fatalf("sandbox order %q request %q", o.Status, o.RequestStatus)
		}
	})
	t.Run("an approved request cannot be rejected", func(t *testing.T) {
		c, _ := sandboxClient(t, sandbox.Config{IssueDelay: time.Hour})
		r := place(t, c, true)
		err := c.RejectRequest(context.Background(), r.Requests[0].ID, "no")
		if !errors.Is(err, ErrNotCancelable) || !strings.Contains(err.Error(), "approved") {
			t.Fatalf("reject of an approved request: %v", err)
		}
	})
}

func TestCancelIssuedIsRefused(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.Config{})
	r := place(t, c, true) // issued at once
	err := c.CancelOrder(context.Background(), r.ID, "no")
	if !errors.Is(err, ErrNotCancelable) || !strings.Contains(err.Error(), "issued") {
		t.Fatalf("cancel of an issued order: %v", err)
	}
	if err := c.CancelOrder(context.Background(), 4242, "no"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("cancel of a missing order: %v", err)
	}
	noKey(t, err)
}
