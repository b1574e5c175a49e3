package templates

import (
	"slices"
	"strings"
	"testing"
)

// "On July 10, 2025, DigiCert deprecated the old S/MIME products:
// Premium, Email Security Plus, Digital Signature Plus, and Class 1
// S/MIME. These are replaced by Secure Email Certificates"
// (docs.digicert.com, reissue-your-client-certificate.html): each names
// its successor; Authentication Plus (not S/MIME) and the new products
// none.
func TestSuccessors(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"client_premium": "secure_email_sponsor", "client_premium_sha2": "secure_email_sponsor",
		"client_email_security_plus": "secure_email_sponsor", "client_digital_signature_plus": "secure_email_sponsor",
		"client_digital_signature_plus_sha2": "secure_email_sponsor", "class1_smime": "secure_email_mailbox",
		"client_authentication_plus": "", "secure_email_sponsor": "", "document_signing_org_1": "", "ds_org": "",
	} {
		got, since, ok := s.Successor(id)
		if got != want || ok != (want != "") || ok && since != "2025-07-10" {
			t.Errorf("Successor(%s) = %q, %q, %v; want %q", id, got, since, ok, want)
		}
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"client_email_security_plus", "secure_email_sponsor", true},
		{"secure_email_sponsor", "client_premium_sha2", true},
		{"secure_email_mailbox", "class1_smime", true},
		{"secure_email_mailbox", "client_premium", false},
		{"secure_email_sponsor", "secure_email_mailbox", false},
		{"client_premium", "client_email_security_plus", false},
		{"client_authentication_plus", "secure_email_sponsor", false},
	} {
		if got := s.Related(c.a, c.b); got != c.want {
			t.Errorf("Related(%s, %s) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	// The successors are distinct products for "never twice" (README:
	// a migration orders the successor for people with a legacy order).
	if s.Canonical("secure_email_sponsor") == s.Canonical("client_email_security_plus") {
		t.Error("secure_email_sponsor shares client_email_security_plus's product key")
	}
}

// Secure Email per product (dev.digicert.com order-secure-email-certificate:
// "common_name_indicator ... Required for secure_email_sponsor and
// secure_email_organization. Ignored for secure_email_mailbox"; "The
// individual object is only used with secure_email_sponsor"; mailbox
// certificates "do not require organization validation").
func TestSecureEmailFieldsPerProduct(t *testing.T) {
	s, _ := Builtin()
	tpl, _ := s.ForProduct("secure_email_sponsor")
	for _, c := range []struct {
		path, product    string
		applies, require bool
		allowed          []string
	}{
		{"certificate.common_name_indicator", "secure_email_mailbox", false, true, nil},
		{"certificate.common_name_indicator", "secure_email_sponsor", true, true, []string{"given_name_surname", "pseudonym", "email_address"}},
		{"certificate.common_name_indicator", "secure_email_organization", true, true, []string{"organization_name", "email_address"}},
		{"certificate.individual.first_name", "secure_email_sponsor", true, false, nil},
		{"certificate.individual.first_name", "secure_email_organization", false, false, nil},
		{"certificate.individual.pseudonym", "secure_email_mailbox", false, false, nil},
		{"organization.id", "secure_email_mailbox", true, false, nil},
		{"organization.id", "secure_email_sponsor", true, true, nil},
		{"organization.id", "secure_email_organization", true, true, nil},
		{"certificate.usage_designation.primary_usage", "secure_email_mailbox", true, true, []string{"signing", "key_management", "dual_use"}},
		{"certificate.profile_type", "secure_email_organization", true, false, []string{"strict", "multipurpose"}},
	} {
		f, ok := tpl.Field(c.path)
		if !ok {
			t.Errorf("no field %s", c.path)
			continue
		}
		if f.AppliesTo(c.product) != c.applies || f.RequiredForProduct(c.product) != c.require {
			t.Errorf("%s for %s: applies %v required %v, want %v %v", c.path, c.product, f.AppliesTo(c.product), f.RequiredForProduct(c.product), c.applies, c.require)
		}
		if c.allowed != nil && !slices.Equal(f.AllowedValues(c.product), c.allowed) {
			t.Errorf("%s for %s: allowed %v, want %v", c.path, c.product, f.AllowedValues(c.product), c.allowed)
		}
	}
	if f, _ := tpl.Field("custom_expiration_date"); f.MaxDaysAhead != 824 {
		t.Errorf("custom_expiration_date at most %d days ahead, want 824 (docs.digicert.com: Strict and Multipurpose at most 824 days)", f.MaxDaysAhead)
	}
	if f, _ := tpl.Field("validity_years"); !slices.Equal(f.Allowed, []string{"1", "2"}) {
		t.Errorf("validity_years %v, want 1, 2 (docs.digicert.com: 1 and 2-year certificates)", f.Allowed)
	}
}

// Today's document signing: ds_individual is issued to a person without
// an organization, ds_org to a team (no individual), ds_org_individual
// to an employee of an organization; the legacy products send
// order_validity.years, never the deprecated validity_years.
func TestDocumentSigningToday(t *testing.T) {
	s, _ := Builtin()
	ds, _ := s.ForProduct("ds_org")
	for _, c := range []struct {
		path, product string
		applies       bool
	}{
		{"individual.email", "ds_individual", true},
		{"individual.email", "ds_org_individual", true},
		{"individual.email", "ds_org", false},
		{"organization.id", "ds_individual", false},
		{"organization.id", "ds_org", true},
		{"cs_provisioning_method", "ds_individual", true},
	} {
		f, ok := ds.Field(c.path)
		if !ok || f.AppliesTo(c.product) != c.applies {
			t.Errorf("%s for %s: applies %v, want %v", c.path, c.product, ok && f.AppliesTo(c.product), c.applies)
		}
	}
	if got := ds.IdentityPath("ds_org"); got != "additional_emails" {
		t.Errorf("ds_org identity %q", got)
	}
	if got := ds.IdentityPath("ds_individual"); got != "individual.email" {
		t.Errorf("ds_individual identity %q", got)
	}
	legacy, _ := s.ForProduct("document_signing_org_1")
	if _, ok := legacy.Field("validity_years"); ok {
		t.Error("document_signing_org_1 still has the deprecated validity_years")
	}
	if f, ok := legacy.Field("order_validity.years"); !ok || !f.Required || !slices.Contains(f.ConfigAliases, "validity_years") {
		t.Errorf("order_validity.years: %+v", f)
	}
}

func TestCondAndCompose(t *testing.T) {
	c := Cond{Field: "p", Equals: "multipurpose"}
	if !c.Matches("MultiPurpose") || c.Matches("strict") || c.String() != "p is multipurpose" {
		t.Errorf("equals: %v %v %q", c.Matches("MultiPurpose"), c.Matches("strict"), c.String())
	}
	c = Cond{Field: "u", In: []string{"signing", "dual_use"}}
	if !c.Matches("dual_use") || c.Matches("") || c.String() != "u is signing or dual_use" {
		t.Errorf("in: %q", c.String())
	}
	vals := map[string]string{"f": "Jane", "l": "Example"}
	if got, ok := ComposeWith("{f} {l}", func(p string) string { return vals[p] }); !ok || got != "Jane Example" {
		t.Errorf("compose %q %v", got, ok)
	}
	if got, ok := ComposeWith("{ f } {x}", func(p string) string { return vals[p] }); ok {
		t.Errorf("compose with a missing value: %q %v", got, ok)
	}
	if got := ComposeRefs("{a.b}, {c}"); !slices.Equal(got, []string{"a.b", "c"}) {
		t.Errorf("refs %v", got)
	}
}

func TestParseRejectsBadRules(t *testing.T) {
	const head = "family: x\nproducts: [{id: p}]\n"
	for _, c := range []struct{ name, yaml, want string }{
		{"required_for unknown product", head + "fields: [{path: a, type: string, required_for: [q]}]\n", "required_for names"},
		{"allowed_for value not allowed", head + "fields: [{path: a, type: string, allowed: [x], allowed_for: {p: [y]}}]\n", `"y" is not allowed`},
		{"value_requires unknown field", head + "fields: [{path: a, type: list, value_requires: {x: [{field: b, equals: c}]}}]\n", "bad condition"},
		{"compose unknown field", head + "fields: [{path: a, type: string, compose: '{b} {a}'}]\n", "compose names unknown field b"},
		{"compose_cjk alone", head + "fields: [{path: a, type: string}, {path: b, type: string, compose_cjk: '{a}'}]\n", "compose_cjk without compose"},
		{"required_unless without required_if", head + "fields: [{path: a, type: string}, {path: b, type: string, required_unless: a}]\n", "required_unless needs"},
		{"alias is a field", head + "fields: [{path: a, type: string}, {path: b, type: string, config_aliases: [a]}]\n", "config alias a"},
		{"successor without date", "family: x\nproducts: [{id: p, successor: q}]\nfields: [{path: a, type: string}]\n", "go together"},
		{"product identity unknown", "family: x\nproducts: [{id: p, identity: z}]\nfields: [{path: a, type: string}]\n", "identity names unknown field z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
	s, _ := Builtin()
	tpl, err := Parse([]byte("family: y\nproducts: [{id: p, successor: nowhere, deprecated: '2025-07-10'}]\nfields: [{path: a, type: string}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	s.Add(tpl)
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), `successor "nowhere"`) {
		t.Errorf("Check: %v", err)
	}
}
