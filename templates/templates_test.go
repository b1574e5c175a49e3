package templates

import (
	"strings"
	"testing"
)

func TestBuiltinCoversAllProducts(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"client_premium_sha2":                "client_certificate",
		"client_email_security_plus":         "client_certificate",
		"client_authentication_plus":         "client_certificate",
		"client_digital_signature_plus_sha2": "client_certificate",
		"client_premium":                     "client_certificate",
		"client_digital_signature_plus":      "client_certificate",
		"class1_smime":                       "client_certificate",
		"document_signing_org_1":             "document_signing",
		"document_signing_org_2":             "document_signing",
		"secure_email_mailbox":               "secure_email",
		"secure_email_sponsor":               "secure_email",
		"secure_email_organization":          "secure_email",
		"ds_org":                             "ds",
		"ds_org_individual":                  "ds",
		"ds_individual":                      "ds",
	}
	for id, fam := range want {
		tpl, ok := s.ForProduct(id)
		if !ok || tpl.Family != fam {
			t.Errorf("product %s: got %v, want family %s", id, tpl, fam)
		}
	}
	if got := len(s.ProductIDs()); got != len(want) {
		t.Errorf("%d products, want %d", got, len(want))
	}
	// The seed pages' IDs and today's name one product each.
	for a, b := range map[string]string{"client_premium": "client_premium_sha2", "client_digital_signature_plus": "client_digital_signature_plus_sha2"} {
		if s.Canonical(a) != s.Canonical(b) {
			t.Errorf("%s and %s are different products (%s, %s)", a, b, s.Canonical(a), s.Canonical(b))
		}
	}
	if s.Canonical("class1_smime") == s.Canonical("client_premium") {
		t.Error("class1_smime is the same product as client_premium")
	}
}

// Fields follow today's per-product rules (certcentral-today.md §1).
func TestClientFieldsPerProduct(t *testing.T) {
	s, _ := Builtin()
	tpl, _ := s.ForProduct("client_premium")
	for _, c := range []struct {
		path, product string
		applies       bool
	}{
		{"certificate.common_name", "client_premium", true},
		{"certificate.common_name", "class1_smime", false},
		{"certificate.common_name_indicator", "client_premium", true},
		{"certificate.common_name_indicator", "client_premium_sha2", true},
		{"certificate.common_name_indicator", "client_email_security_plus", true},
		{"certificate.common_name_indicator", "client_digital_signature_plus_sha2", true},
		{"certificate.common_name_indicator", "client_authentication_plus", false},
		{"certificate.common_name_indicator", "class1_smime", false},
		{"certificate.individual.first_name", "client_digital_signature_plus", true},
		{"certificate.individual.pseudonym", "client_authentication_plus", false},
	} {
		f, ok := tpl.Field(c.path)
		if !ok || f.AppliesTo(c.product) != c.applies {
			t.Errorf("%s for %s: applies %v, want %v", c.path, c.product, ok && f.AppliesTo(c.product), c.applies)
		}
	}
}

// Every field of the seed pages' tables and example bodies is in a template.
func TestBuiltinCoversSeedFields(t *testing.T) {
	s, _ := Builtin()
	client, _ := s.ForProduct("client_premium_sha2")
	doc, _ := s.ForProduct("document_signing_org_1")
	for tpl, paths := range map[*Template][]string{
		client: {"certificate.common_name", "certificate.emails", "certificate.signature_hash", "certificate.organization_units",
			"certificate.csr", "auto_renew", "renewal_of_order_id", "skip_approval", "organization.id", "container.id",
			"validity_years", "custom_expiration_date", "custom_fields", "payment_method"},
		doc: {"certificate.csr", "certificate.server_platform.id", "certificate.signature_hash", "cs_provisioning_method",
			"use_org_as_common_name", "order_validity.years", "comments", "organization.id", "container.id",
			"ship_info.name", "ship_info.addr1", "ship_info.addr2", "ship_info.city", "ship_info.state", "ship_info.zip",
			"ship_info.country", "ship_info.method", "subject.name", "subject.job_title", "subject.phone", "subject.email",
			"custom_fields", "user_id_assignments", "skip_approval", "payment_method", "csa_agreed_to"},
	} {
		for _, p := range paths {
			f, ok := tpl.Field(p)
			if !ok {
				t.Errorf("%s: no field %s", tpl.Family, p)
				continue
			}
			if f.Description == "" {
				t.Errorf("%s: field %s has no description", tpl.Family, p)
			}
		}
	}
}

func TestParseRejectsBadTemplates(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"unknown key", "family: x\nproducts: [{id: p}]\nfields: [{path: a, type: string, colour: red}]\n", "colour"},
		{"bad type", "family: x\nproducts: [{id: p}]\nfields: [{path: a, type: float}]\n", "unknown type"},
		{"duplicate", "family: x\nproducts: [{id: p}]\nfields: [{path: a, type: string}, {path: a, type: int}]\n", "duplicate"},
		{"parent clash", "family: x\nproducts: [{id: p}]\nfields: [{path: a, type: string}, {path: a.b, type: int}]\n", "parent"},
		{"no products", "family: x\nfields: [{path: a, type: string}]\n", "no products"},
		{"dangling ref", "family: x\nproducts: [{id: p}]\nfields: [{path: a, type: string, replaced_by: b}]\n", "unknown field b"},
		{"reserved", "family: x\nproducts: [{id: p}]\nfields: [{path: product, type: string}]\n", "reserved"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestAddReplacesFamily(t *testing.T) {
	s, _ := Builtin()
	tpl, err := Parse([]byte("family: client_certificate\nproducts: [{id: client_premium_sha2}]\nfields: [{path: a, type: string}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	s.Add(tpl)
	if got, _ := s.ForProduct("client_premium_sha2"); got != tpl {
		t.Fatal("user template did not replace the builtin one")
	}
	if _, ok := s.ForProduct("client_email_security_plus"); ok {
		t.Fatal("products of the replaced family are still served")
	}
	if _, ok := s.ForProduct("document_signing_org_1"); !ok {
		t.Fatal("other families lost")
	}
}

func TestSameAs(t *testing.T) {
	s, _ := Builtin()
	for id, want := range map[string]string{"client_premium": "client_premium_sha2", "client_digital_signature_plus": "client_digital_signature_plus_sha2",
		"client_premium_sha2": "client_premium_sha2", "document_signing_org_1": "document_signing_org_1", "unknown": "unknown"} {
		if got := s.Canonical(id); got != want {
			t.Errorf("Canonical(%s) = %s, want %s", id, got, want)
		}
	}
	if _, err := Parse([]byte("family: x\nproducts: [{id: p, same_as: q}]\nfields: [{path: a, type: string}]\n")); err == nil || !strings.Contains(err.Error(), "same_as") {
		t.Errorf("dangling same_as: %v", err)
	}
	if _, err := Parse([]byte("family: x\nproducts: [{id: p, same_as: q}, {id: r, same_as: q}, {id: q}]\nfields: [{path: a, type: string}]\n")); err == nil || !strings.Contains(err.Error(), "one current ID") {
		t.Errorf("two current IDs for one product: %v", err)
	}
}

// Orders go out under today's IDs: the client certificate page lists
// client_premium and client_digital_signature_plus, not the seed page's
// _sha2 IDs
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-client-certificate.html).
func TestCurrent(t *testing.T) {
	s, _ := Builtin()
	for id, want := range map[string]string{"client_premium_sha2": "client_premium", "client_digital_signature_plus_sha2": "client_digital_signature_plus",
		"client_premium": "client_premium", "class1_smime": "class1_smime", "document_signing_org_2": "document_signing_org_2", "unknown": "unknown"} {
		if got := s.Current(id); got != want {
			t.Errorf("Current(%s) = %s, want %s", id, got, want)
		}
		if s.Canonical(s.Current(id)) != s.Canonical(id) {
			t.Errorf("%s and its current ID %s are different products", id, s.Current(id))
		}
	}
}
