package pipeline

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/sandbox"
	"github.com/certbatch/certbatch/templates"
)

func TestNormalizeName(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Ann Lee", " ann  LEE "},
		{"Ａｎｎ Ｌｅｅ", "ann lee"}, // full-width letters
		{"Ann\tLee", "ann lee"},
	} {
		if NormalizeName(c.a) != NormalizeName(c.b) {
			t.Errorf("%q and %q are one name: %q vs %q", c.a, c.b, NormalizeName(c.a), NormalizeName(c.b))
		}
	}
	if NormalizeName("Ann Lee") == NormalizeName("Anne Lee") {
		t.Error("two names made one")
	}
}

// The name DigiCert lists an order under: the row's common name; for a
// body without one, the organization's name (""), unless
// use_org_as_common_name is false, when subject.name is the
// certificate's name (the seed page "Order document signing
// certificate").
func TestListedName(t *testing.T) {
	for _, c := range []struct {
		cn, payload, want string
	}{
		{"Ann Lee", `{}`, "Ann Lee"},
		{"", `{"subject":{"name":"Rene Pierce"}}`, ""},
		{"", `{"use_org_as_common_name":true,"subject":{"name":"Rene Pierce"}}`, ""},
		{"", `{"use_org_as_common_name":false,"subject":{"name":"Rene Pierce"}}`, "Rene Pierce"},
		{"", `not json`, ""},
	} {
		if got := ListedName(&mapping.Result{CommonName: c.cn, Payload: []byte(c.payload)}); got != c.want {
			t.Errorf("%q %s: %q, want %q", c.cn, c.payload, got, c.want)
		}
	}
}

func TestNamesShared(t *testing.T) {
	n := Names{}
	a := Person{ProductKey: "p", Name: "ann lee"}
	n.Add(a)
	if n.Shared(a) {
		t.Error("one person shares nothing")
	}
	n.Add(Person{ProductKey: "p", Name: "ann lee", Email: "other@example.com"})
	n.Add(Person{ProductKey: "q", Name: "bo kim"})
	n.Add(Person{ProductKey: "p", Name: ""}) // the organization's name counts for nobody
	if !n.Shared(a) || n.Shared(Person{ProductKey: "q", Name: "bo kim"}) || n.Shared(Person{ProductKey: "p"}) {
		t.Errorf("%v", n)
	}
}

// Decide, against today's sandbox (order info names emails only for
// S/MIME orders): the email decides where order info names one; the
// name, product and organization where it names none; what cannot be
// told is held.
func TestAccountDecide(t *testing.T) {
	sb, err := sandbox.New(sandbox.Config{APIKey: "k", Windows: []sandbox.Window{}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	defer srv.Close()
	add := func(product, email, cn string, org int) int64 {
		body := fmt.Sprintf(`{"certificate":{"common_name":%q,"emails":[%q],"signature_hash":"sha256","common_name_indicator":"pseudonym","individual":{"pseudonym":"x"}},"organization":{"id":%d},"validity_years":1,"skip_approval":true}`, cn, email, org)
		if product == "client_authentication_plus" {
			body = fmt.Sprintf(`{"certificate":{"common_name":%q,"emails":[%q],"signature_hash":"sha256"},"organization":{"id":%d},"validity_years":1,"skip_approval":true}`, cn, email, org)
		}
		id, err := sb.AddOrder(product, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	premium := add("client_premium", "ann@example.com", "Ann Lee", 112233)
	add("client_premium", "other@example.com", "Bo Kim", 112233)
	auth := add("client_authentication_plus", "cy@example.com", "Cy Park", 112233)
	two1, two2 := add("client_authentication_plus", "d1@example.com", "Di Lu", 112233), add("client_authentication_plus", "d2@example.com", "di lu", 112233)
	add("client_authentication_plus", "e@example.com", "Ed Ng", 334455)

	c, err := certcentral.New(certcentral.Config{BaseURL: srv.URL + "/services/v2", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	set, err := templates.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	a, err := CheckAccount(context.Background(), c, set, j)
	if err != nil || a.Orders != 6 {
		t.Fatalf("CheckAccount: %v, %v", a, err)
	}
	premiumKey, authKey := set.Canonical("client_premium"), set.Canonical("client_authentication_plus")
	for _, x := range []struct {
		name   string
		p      Person
		shared bool
		order  int64
		held   []int64
	}{
		{"S/MIME: the email", Person{ProductKey: premiumKey, Product: "client_premium_sha2", Email: "ann@example.com", Name: "ann lee", OrgID: 112233}, false, premium, nil},
		{"S/MIME: the name, another email", Person{ProductKey: premiumKey, Product: "client_premium", Email: "bo@example.com", Name: "bo kim", OrgID: 112233}, false, 0, nil},
		{"no email: the name", Person{ProductKey: authKey, Product: "client_authentication_plus", Email: "cy.park@example.com", Name: "cy park", OrgID: 112233}, false, auth, nil},
		{"no email: the name, shared in the batch", Person{ProductKey: authKey, Product: "client_authentication_plus", Name: "cy park", OrgID: 112233}, true, 0, []int64{auth}},
		{"no email: two orders under the name", Person{ProductKey: authKey, Product: "client_authentication_plus", Name: "di lu", OrgID: 112233}, false, 0, []int64{two1, two2}},
		{"no email: another organization", Person{ProductKey: authKey, Product: "client_authentication_plus", Name: "ed ng", OrgID: 112233}, false, 0, nil},
		{"another product", Person{ProductKey: premiumKey, Product: "client_premium", Name: "cy park", OrgID: 112233}, false, 0, nil},
		{"the organization's name", Person{ProductKey: authKey, Product: "client_authentication_plus", OrgID: 112233}, false, 0, []int64{auth, two1, two2}},
	} {
		v, err := a.Decide(context.Background(), x.p, x.shared)
		var got int64
		if v.Order != nil {
			got = v.Order.ID
		}
		if err != nil || got != x.order || fmt.Sprint(v.Held) != fmt.Sprint(x.held) {
			t.Errorf("%s: order %d held %v (%s), %v; want order %d held %v", x.name, got, v.Held, v.Why, err, x.order, x.held)
		}
	}
	// What order info said is kept: a second check reads the list only.
	before := sb.Stats().Requests
	b, _ := CheckAccount(context.Background(), c, set, j)
	b.Decide(context.Background(), Person{ProductKey: authKey, Product: "client_authentication_plus", Name: "di lu", OrgID: 112233}, false)
	if n := sb.Stats().Requests - before; n != 1 {
		t.Errorf("second check: %d requests, want 1 (the list)", n)
	}
}
