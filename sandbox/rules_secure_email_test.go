package sandbox

import (
	"crypto/x509"
	"fmt"
	"slices"
	"testing"
	"time"
)

// secureEmailBody is a secure_email_sponsor order the way the order page
// shows one: usage_designation inside certificate, the individual object.
func secureEmailBody(t testing.TB, email string) string {
	t.Helper()
	return modify(t, `{}`, set("certificate", map[string]any{"emails": []any{email}, "signature_hash": "sha256",
		"usage_designation":     map[string]any{"primary_usage": "dual_use"},
		"common_name_indicator": "given_name_surname",
		"individual":            map[string]any{"first_name": "Jane", "last_name": "Doe"}}),
		set("organization", map[string]any{"id": 112233}), set("validity_years", 1), set("skip_approval", true))
}

type ruleCase struct {
	name, product, body string
	status              int
	want                []string
}

func runRules(t *testing.T, base string, s *Server, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(s.Orders())
			a := call(t, "POST", base+"/order/certificate/"+c.product, key, c.body)
			got, want := codes(t, a), slices.Sorted(slices.Values(c.want))
			if a.status != c.status || !slices.Equal(got, want) {
				t.Fatalf("%d %v, want %d %v (%s)", a.status, got, c.status, want, a.raw)
			}
			if created := len(s.Orders()) - before; c.status == 201 && created != 1 || c.status != 201 && created != 0 {
				t.Errorf("answered %d but created %d orders", a.status, created)
			}
		})
	}
}

// Each rule names its line: [SE] is dev.digicert.com's "Order Secure
// Email (S/MIME) certificate" page, [PROF] docs.digicert.com's Secure
// Email reissue page (profiles and their usages, 824 days), [REN] its
// renewal page (1 and 2-year certificates), [TLM] Trust Lifecycle
// Manager's REST profile page, [SBR] the S/MIME Baseline Requirements.
func TestSecureEmailRules(t *testing.T) {
	s, base, _ := start(t, Config{})
	sp := secureEmailBody(t, "jane.doe@example.com")
	const sponsor, mailbox, org = "secure_email_sponsor", "secure_email_mailbox", "secure_email_organization"
	mbox := modify(t, sp, del("certificate.common_name_indicator"), del("certificate.individual"), del("organization"))
	orgBody := modify(t, sp, set("certificate.common_name_indicator", "organization_name"), del("certificate.individual"))
	runRules(t, base, s, []ruleCase{
		{"[SE] sponsor with given_name_surname", sponsor, sp, 201, nil},
		{"[SE] Choosing a primary use is required", sponsor, modify(t, sp, del("certificate.usage_designation")), 400,
			[]string{"missing_field:certificate.usage_designation.primary_usage"}},
		{"[SE] primary uses signing, key_management, dual_use", sponsor, modify(t, sp, set("certificate.usage_designation.primary_usage", "encryption")), 400,
			[]string{"invalid_value:certificate.usage_designation.primary_usage"}},
		{"[SE] primary use signing", sponsor, modify(t, sp, set("certificate.usage_designation.primary_usage", "signing")), 201, nil},
		{"[SE] primary use key_management", sponsor, modify(t, sp, set("certificate.usage_designation.primary_usage", "key_management")), 201, nil},
		{"[SE] profile_type Allowed: multipurpose, strict", sponsor, modify(t, sp, set("certificate.profile_type", "legacy")), 400,
			[]string{"invalid_value:certificate.profile_type"}},
		{"[PROF] strict: non-repudiation", sponsor, modify(t, sp, set("certificate.profile_type", "strict"),
			set("certificate.usage_designation.additional_usages", []any{"non_repudiation"})), 201, nil},
		{"[PROF] strict: no client authentication", sponsor, modify(t, sp, set("certificate.profile_type", "strict"),
			set("certificate.usage_designation.additional_usages", []any{"client_auth"})), 400,
			[]string{"invalid_value:certificate.usage_designation.additional_usages"}},
		{"[SE] profile_type omitted: strict", sponsor, modify(t, sp, set("certificate.usage_designation.additional_usages", []any{"client_auth"})), 400,
			[]string{"invalid_value:certificate.usage_designation.additional_usages"}},
		{"[PROF] multipurpose: client authentication, data encipherment", sponsor, modify(t, sp, set("certificate.profile_type", "multipurpose"),
			set("certificate.usage_designation.additional_usages", []any{"non_repudiation", "client_auth", "data_encipherment"})), 201, nil},
		{"[SBR] 7.1.2.3(e) no nonRepudiation for key management only", sponsor, modify(t, sp, set("certificate.usage_designation.primary_usage", "key_management"),
			set("certificate.usage_designation.additional_usages", []any{"non_repudiation"})), 400,
			[]string{"invalid_value:certificate.usage_designation.additional_usages"}},
		{"[SBR] 7.1.2.3(e) no dataEncipherment for signing only", sponsor, modify(t, sp, set("certificate.profile_type", "multipurpose"),
			set("certificate.usage_designation.primary_usage", "signing"), set("certificate.usage_designation.additional_usages", []any{"data_encipherment"})), 400,
			[]string{"invalid_value:certificate.usage_designation.additional_usages"}},
		{"[SE] common_name_indicator required for secure_email_sponsor", sponsor, modify(t, sp, del("certificate.common_name_indicator")), 400,
			[]string{"missing_field:certificate.common_name_indicator"}},
		{"[SE] sponsor: always the individual object", sponsor, modify(t, sp, set("certificate.common_name_indicator", "email_address"), del("certificate.individual")), 400,
			[]string{"missing_field:certificate.individual"}},
		{"[SE] first_name / last_name required when given_name_surname", sponsor, modify(t, sp, del("certificate.individual.last_name")), 400,
			[]string{"missing_field:certificate.individual.last_name"}},
		{"[SE] pseudonym required when pseudonym", sponsor, modify(t, sp, set("certificate.common_name_indicator", "pseudonym")), 400,
			[]string{"missing_field:certificate.individual.pseudonym"}},
		{"[SE] pseudonym", sponsor, modify(t, sp, set("certificate.common_name_indicator", "pseudonym"), set("certificate.individual", map[string]any{"pseudonym": "JD"})), 201, nil},
		{"[SE] email_address with names", sponsor, modify(t, sp, set("certificate.common_name_indicator", "email_address")), 201, nil},
		{"[SE] email_address with a pseudonym", sponsor, modify(t, sp, set("certificate.common_name_indicator", "email_address"), set("certificate.individual", map[string]any{"pseudonym": "JD"})), 201, nil},
		{"[SE] email_address needs names or a pseudonym", sponsor, modify(t, sp, set("certificate.common_name_indicator", "email_address"), set("certificate.individual", map[string]any{})), 400,
			[]string{"missing_field:certificate.individual.first_name", "missing_field:certificate.individual.last_name"}},
		{"[SBR] 7.1.4.2.2(a) no organization name for a sponsor", sponsor, modify(t, sp, set("certificate.common_name_indicator", "organization_name")), 400,
			[]string{"invalid_value:certificate.common_name_indicator"}},
		{"[TLM] Common Name is not supported", sponsor, modify(t, sp, set("certificate.common_name", "Jane Doe")), 400,
			[]string{"invalid_value:certificate.common_name"}},
		{"sponsor needs an organization", sponsor, modify(t, sp, del("organization")), 400, []string{"missing_field:organization.id"}},
		{"[SE] mailbox: no organization validation, indicator ignored", mailbox, modify(t, mbox, set("certificate.common_name_indicator", "nonsense")), 201, nil},
		{"[SE] mailbox needs emails", mailbox, modify(t, mbox, del("certificate.emails")), 400, []string{"missing_field:certificate.emails"}},
		{"[SE] common_name_indicator required for secure_email_organization", org, modify(t, orgBody, del("certificate.common_name_indicator")), 400,
			[]string{"missing_field:certificate.common_name_indicator"}},
		{"[SE] organization: organization_name", org, orgBody, 201, nil},
		{"[SBR] 7.1.4.2.2(a) no personal name for an organization", org, modify(t, orgBody, set("certificate.common_name_indicator", "given_name_surname")), 400,
			[]string{"invalid_value:certificate.common_name_indicator"}},
		{"[REN] 1 and 2-year certificates", sponsor, modify(t, sp, set("validity_years", 2)), 201, nil},
		{"[REN] no 3-year certificates", sponsor, modify(t, sp, set("validity_years", 3)), 400, []string{"invalid_value:validity_years"}},
		{"[PROF] at most 824 days", sponsor, modify(t, sp, del("validity_years"), set("custom_expiration_date", "2029-02-24")), 201, nil},
		{"[PROF] 825 days is too far", sponsor, modify(t, sp, del("validity_years"), set("custom_expiration_date", "2029-02-25")), 400,
			[]string{"invalid_value:custom_expiration_date"}},
	})
}

// A Secure Email order lives like an S/MIME order (today.md §2): held
// until its email is validated, picked up in the browser without a CSR;
// order info names its emails; the issued certificate carries the key
// usages of its primary and additional uses ([SE] "The primary use
// determines the values DigiCert includes in the certificate's key usage
// (KU) extension").
func TestSecureEmailIssued(t *testing.T) {
	s, base, clk := start(t, Config{EmailValidation: true, ManualPickup: true})
	body := modify(t, secureEmailBody(t, "jane.doe@example.com"), set("certificate.profile_type", "multipurpose"),
		set("certificate.usage_designation.additional_usages", []any{"non_repudiation", "client_auth"}))
	a := place(t, base, "secure_email_sponsor", body)
	id := num(t, a.body["id"])
	if got := orderStatus(t, base, id); got != "pending" {
		t.Fatalf("status %s, want pending until the email is validated", got)
	}
	info := call(t, "GET", orderURL(base, id), key, "")
	cert := obj(t, info.body["certificate"])
	if emails, _ := cert["emails"].([]any); len(emails) != 1 || emails[0] != "jane.doe@example.com" || cert["common_name"] != "Jane Doe" {
		t.Errorf("order info certificate %v", cert)
	}
	if p := obj(t, info.body["product"]); p["name_id"] != "secure_email_sponsor" || p["type"] != "secure_email" {
		t.Errorf("product %v", p)
	}
	if err := s.ValidateEmail(id); err != nil {
		t.Fatal(err)
	}
	clk.add(time.Minute)
	if got := orderStatus(t, base, id); got != "waiting_pickup" {
		t.Fatalf("status %s, want waiting_pickup (no CSR: generated in the browser)", got)
	}
	if err := s.Pickup(id); err != nil {
		t.Fatal(err)
	}
	if got := orderStatus(t, base, id); got != "issued" {
		t.Fatalf("status %s", got)
	}
	certID := num(t, obj(t, call(t, "GET", orderURL(base, id), key, "").body["certificate"])["id"])
	d := callRaw(t, "GET", fmt.Sprintf("%s/certificate/%d/download/format/pem_all", base, certID), key, "")
	leaf := pemCerts(t, d.raw)[0]
	wantKU := x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageContentCommitment
	if leaf.KeyUsage != wantKU || !slices.Equal(leaf.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth}) ||
		leaf.Subject.CommonName != "Jane Doe" || !slices.Equal(leaf.EmailAddresses, []string{"jane.doe@example.com"}) {
		t.Errorf("leaf KU %v EKU %v subject %v emails %v", leaf.KeyUsage, leaf.ExtKeyUsage, leaf.Subject, leaf.EmailAddresses)
	}
	// The mailbox product's common name is the email ([SBR] 7.1.4.2.2(a):
	// mailbox-validated: the mailbox address).
	mb := place(t, base, "secure_email_mailbox", modify(t, secureEmailBody(t, "box@example.com"), del("certificate.common_name_indicator"),
		del("certificate.individual"), del("organization")))
	if o := s.Orders()[1]; o.ID != num(t, mb.body["id"]) || o.CommonName != "box@example.com" || o.Family != "secure_email" {
		t.Errorf("mailbox order %+v", o)
	}
}
