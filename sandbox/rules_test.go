package sandbox

import (
	"encoding/json"
	"encoding/pem"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// The seed pages' example bodies are accepted under every product of
// their group, with the S/MIME profile fields today's service requires
// for the profile products (today.md §1), and stored byte for byte.
func TestSeedExamplesAccepted(t *testing.T) {
	s, base, _ := start(t, Config{})
	client, doc := clientSeed(t), docSeed(t)
	cases := []struct{ product, body, family, cn string }{
		{"client_premium_sha2", client, familyClient, "Lock Cole"},
		{"client_email_security_plus", client, familyClient, "Lock Cole"},
		{"client_authentication_plus", rawClientSeed(t), familyClient, "Lock Cole"},
		{"client_digital_signature_plus_sha2", client, familyClient, "Lock Cole"},
		{"client_premium", client, familyClient, "Lock Cole"},
		{"client_digital_signature_plus", client, familyClient, "Lock Cole"},
		{"class1_smime", modify(t, rawClientSeed(t), del("certificate.common_name")), familyClient, "locke.cole@example.com"},
		{"document_signing_org_1", doc, familyDocSign, "Example Signing Ltd"},
		{"document_signing_org_2", modify(t, doc, set("use_org_as_common_name", false)), familyDocSign, "Rene Pierce"},
	}
	for i, c := range cases {
		t.Run(c.product, func(t *testing.T) {
			a := place(t, base, c.product, c.body)
			id, cert := num(t, a.body["id"]), num(t, a.body["certificate_id"])
			reqs, _ := a.body["requests"].([]any)
			if len(reqs) != 1 {
				t.Fatalf("requests: %s", a.raw)
			}
			req := obj(t, reqs[0])
			if req["status"] != "approved" || a.body["status"] != nil {
				t.Errorf("skip_approval: request %v, want approved, and no order status: %s", req["status"], a.raw)
			}
			// Issued at once (a CSR, no delay): the chain comes along.
			chain, _ := a.body["certificate_chain"].([]any)
			if len(chain) != 3 || obj(t, chain[0])["subject_common_name"] != c.cn {
				t.Errorf("certificate_chain: %s", a.raw)
			}
			// Distinct ID bases tell order, request and certificate IDs apart.
			if id != 100001+int64(i) || num(t, req["id"]) != 500001+int64(i) || cert != 900001+int64(i) {
				t.Errorf("IDs: order %d, request %v, certificate %d", id, req["id"], cert)
			}
			o := s.Orders()[i]
			if o.ID != id || string(o.Body) != c.body || o.Product != c.product || o.Family != c.family || o.Status != "issued" || o.CommonName != c.cn {
				t.Errorf("stored order %+v", o)
			}
		})
	}
	if o := s.Orders(); o[0].Emails[0] != "locke.cole@example.com" || o[7].Emails[0] != "rene.pierce@yahoo.com" {
		t.Errorf("emails: %+v / %+v", o[0], o[7])
	}
}

// The seed page's client body as it is lacks today's S/MIME profile
// fields (today.md §1) for the profile products and their old IDs.
func TestSeedClientExampleRefusedToday(t *testing.T) {
	_, base, _ := start(t, Config{})
	for _, p := range []string{"client_premium", "client_premium_sha2", "client_email_security_plus", "client_digital_signature_plus", "client_digital_signature_plus_sha2"} {
		t.Run(p, func(t *testing.T) {
			a := call(t, "POST", base+"/order/certificate/"+p, key, rawClientSeed(t))
			if a.status != 400 || !slices.Equal(codes(t, a), []string{"missing_field:certificate.common_name_indicator"}) {
				t.Errorf("%d %s", a.status, a.raw)
			}
		})
	}
}

func TestOrderRules(t *testing.T) {
	s, base, _ := start(t, Config{})
	client := modify(t, clientSeed(t), del("certificate.csr"))
	doc := docSeed(t)
	csr := csrPEM(t)
	// A CSR whose signature does not match: flip a byte of the signature.
	blk, _ := pem.Decode([]byte(csr))
	blk.Bytes[len(blk.Bytes)-3] ^= 0xff
	tampered := string(pem.EncodeToMemory(blk))
	const cp, d1 = "client_premium_sha2", "document_signing_org_1"
	type rule struct {
		name, product, body string
		status              int
		want                []string
	}
	cases := []rule{
		// Routing and format.
		// S/MIME profile fields (today.md §1).
		{"indicator missing", cp, modify(t, client, del("certificate.common_name_indicator")), 400, []string{"missing_field:certificate.common_name_indicator"}},
		{"indicator unknown", cp, modify(t, client, set("certificate.common_name_indicator", "email_address")), 400, []string{"invalid_value:certificate.common_name_indicator"}},
		{"indicator not a string", cp, modify(t, client, set("certificate.common_name_indicator", 1)), 400, []string{"bad_request_format"}},
		{"first name missing", cp, modify(t, client, del("certificate.individual.first_name")), 400, []string{"missing_field:certificate.individual.first_name"}},
		{"last name blank", cp, modify(t, client, set("certificate.individual.last_name", " ")), 400, []string{"missing_field:certificate.individual.last_name"}},
		{"individual missing", cp, modify(t, client, del("certificate.individual")), 400, []string{
			"missing_field:certificate.individual.first_name", "missing_field:certificate.individual.last_name"}},
		{"individual not an object", cp, modify(t, client, set("certificate.individual", "Lock Cole")), 400, []string{"bad_request_format"}},
		{"pseudonym", cp, modify(t, client, set("certificate.common_name_indicator", "pseudonym"), set("certificate.individual", map[string]any{"pseudonym": "LC"})), 201, nil},
		{"pseudonym missing", cp, modify(t, client, set("certificate.common_name_indicator", "pseudonym")), 400, []string{"missing_field:certificate.individual.pseudonym"}},
		{"indicator on email security plus", "client_email_security_plus", modify(t, client, del("certificate.common_name_indicator")), 400, []string{"missing_field:certificate.common_name_indicator"}},
		{"indicator on digital signature plus", "client_digital_signature_plus", modify(t, client, del("certificate.individual.last_name")), 400, []string{"missing_field:certificate.individual.last_name"}},
		{"authentication plus is exempt", "client_authentication_plus", modify(t, client, del("certificate.common_name_indicator"), del("certificate.individual")), 201, nil},
		{"class1 refuses a common name", "class1_smime", client, 400, []string{"invalid_value:certificate.common_name"}},
		{"class1 refuses an empty common name", "class1_smime", modify(t, client, set("certificate.common_name", "")), 400, []string{"invalid_value:certificate.common_name"}},
		{"class1 without common name", "class1_smime", modify(t, client, del("certificate.common_name")), 201, nil},
		{"class1 needs emails", "class1_smime", modify(t, client, del("certificate.common_name"), del("certificate.emails")), 400, []string{"missing_field:certificate.emails"}},

		// The account's organizations and containers (today.md §5).
		{"unknown organization", cp, modify(t, client, set("organization.id", 1)), 400, []string{"invalid_value:organization.id"}},
		{"other known organization", cp, modify(t, client, set("organization.id", 334455)), 201, nil},
		{"unknown container", cp, modify(t, client, set("container.id", 1)), 400, []string{"invalid_value:container.id"}},
		{"doc unknown organization", d1, modify(t, doc, set("organization.id", 112234)), 400, []string{"invalid_value:organization.id"}},
		{"doc unknown container", d1, modify(t, doc, set("container.id", 9)), 400, []string{"invalid_value:container.id"}},

		{"unknown product", "client_gold", client, 404, []string{"not_found|product"}},
		{"tls product is not sandboxed", "ssl_plus", client, 404, []string{"not_found|product"}},
		{"not json", cp, "{nope", 400, []string{"bad_request_format"}},
		{"empty body", cp, "", 400, []string{"bad_request_format"}},
		{"null body", cp, "null", 400, []string{"bad_request_format"}},
		{"array body", cp, "[" + client + "]", 400, []string{"bad_request_format"}},
		{"data after the object", cp, client + " {}", 400, []string{"bad_request_format"}},
		{"string for an int", cp, modify(t, client, set("validity_years", "1")), 400, []string{"bad_request_format"}},
		{"fraction for an int", cp, modify(t, client, set("organization.id", 1.5)), 400, []string{"bad_request_format"}},
		{"string for an org id", cp, modify(t, client, set("organization.id", "112233")), 400, []string{"bad_request_format"}},
		{"string for emails", cp, modify(t, client, set("certificate.emails", "a@example.com")), 400, []string{"bad_request_format"}},
		{"number in emails", cp, modify(t, client, set("certificate.emails", []any{1})), 400, []string{"bad_request_format"}},
		{"string for certificate", cp, modify(t, client, set("certificate", "x")), 400, []string{"bad_request_format"}},
		{"string for skip_approval", cp, modify(t, client, set("skip_approval", "yes")), 400, []string{"bad_request_format"}},
		{"string for organization_units", cp, modify(t, client, set("certificate.organization_units", "Accounting")), 400, []string{"bad_request_format"}},
		{"string for container id", cp, modify(t, client, set("container.id", "1")), 400, []string{"bad_request_format"}},
		{"string for auto_renew", cp, modify(t, client, set("auto_renew", "1")), 400, []string{"bad_request_format"}},
		{"string for renewal_of_order_id", cp, modify(t, client, set("renewal_of_order_id", "1")), 400, []string{"bad_request_format"}},
		{"custom field id as string", cp, modify(t, client, set("custom_fields", []any{map[string]any{"metadata_id": "7", "value": "x"}})), 400, []string{"bad_request_format"}},
		{"custom fields as object", cp, modify(t, client, set("custom_fields", map[string]any{"metadata_id": 7, "value": "x"})), 400, []string{"bad_request_format"}},
		{"format error wins over problems", cp, modify(t, client, set("validity_years", "1"), del("certificate.common_name")), 400, []string{"bad_request_format"}},

		// Client certificates: each required field missing.
		{"client common_name missing", cp, modify(t, client, del("certificate.common_name")), 400, []string{"missing_field:certificate.common_name"}},
		{"client common_name blank", cp, modify(t, client, set("certificate.common_name", "  ")), 400, []string{"missing_field:certificate.common_name"}},
		{"client emails missing", cp, modify(t, client, del("certificate.emails")), 400, []string{"missing_field:certificate.emails"}},
		{"client emails empty", cp, modify(t, client, set("certificate.emails", []any{})), 400, []string{"missing_field:certificate.emails"}},
		{"client signature_hash missing", cp, modify(t, client, del("certificate.signature_hash")), 400, []string{"missing_field:certificate.signature_hash"}},
		{"client organization missing", cp, modify(t, client, del("organization")), 400, []string{"missing_field:organization.id"}},
		{"client organization id null", cp, modify(t, client, set("organization.id", nil)), 400, []string{"missing_field:organization.id"}},
		{"client validity missing", cp, modify(t, client, del("validity_years")), 400, []string{"missing_field:validity_years"}},
		{"client certificate missing", cp, modify(t, client, del("certificate")), 400, []string{
			"missing_field:certificate.common_name", "missing_field:certificate.common_name_indicator", "missing_field:certificate.emails",
			"missing_field:certificate.signature_hash"}},
		{"custom field value missing", cp, modify(t, client, set("custom_fields", []any{map[string]any{"metadata_id": 7}})), 400, []string{"missing_field:custom_fields.value"}},
		{"custom field id missing", cp, modify(t, client, set("custom_fields", []any{map[string]any{"value": "x"}})), 400, []string{"missing_field:custom_fields.metadata_id"}},

		// Client certificates: each invalid value.
		{"client sha1", cp, modify(t, client, set("certificate.signature_hash", "sha1")), 400, []string{"invalid_value:certificate.signature_hash"}},
		{"client sha384 not allowed", cp, modify(t, client, set("certificate.signature_hash", "sha384")), 400, []string{"invalid_value:certificate.signature_hash"}},
		{"client validity 3", cp, modify(t, client, set("validity_years", 3)), 400, []string{"invalid_value:validity_years"}},
		{"client validity 0", cp, modify(t, client, set("validity_years", 0)), 400, []string{"invalid_value:validity_years"}},
		{"client validity 2", cp, modify(t, client, set("validity_years", 2)), 201, nil},
		{"email with display name", cp, modify(t, client, set("certificate.emails", []any{"Jane <jane@example.com>"})), 400, []string{"invalid_value:certificate.emails"}},
		{"email in angle brackets", cp, modify(t, client, set("certificate.emails", []any{"<jane@example.com>"})), 400, []string{"invalid_value:certificate.emails"}},
		{"two emails in one", cp, modify(t, client, set("certificate.emails", []any{"a@example.com, b@example.com"})), 400, []string{"invalid_value:certificate.emails"}},
		{"email without at", cp, modify(t, client, set("certificate.emails", []any{"jane.example.com"})), 400, []string{"invalid_value:certificate.emails"}},
		{"email with spaces", cp, modify(t, client, set("certificate.emails", []any{" jane@example.com"})), 400, []string{"invalid_value:certificate.emails"}},
		{"email without a dotted domain", cp, modify(t, client, set("certificate.emails", []any{"jane@localhost"})), 400, []string{"invalid_value:certificate.emails"}},
		{"second email bad", cp, modify(t, client, set("certificate.emails", []any{"a@example.com", "b@"})), 400, []string{"invalid_value:certificate.emails"}},
		{"several emails", cp, modify(t, client, set("certificate.emails", []any{"a@example.com", "b.c+tag@sub.example.co.kr"})), 201, nil},
		{"payment method", cp, modify(t, client, set("payment_method", "cash")), 400, []string{"invalid_value:payment_method"}},
		{"payment method card", cp, modify(t, client, set("payment_method", "card")), 201, nil},
		{"payment method profile", cp, modify(t, client, set("payment_method", "profile")), 201, nil},
		{"csr garbage", cp, modify(t, client, set("certificate.csr", "<csr>")), 400, []string{"csr_invalid_cannot_parse"}},
		{"csr bad signature", cp, modify(t, client, set("certificate.csr", tampered)), 400, []string{"csr_invalid_cannot_parse"}},
		{"csr is a certificate block", cp, modify(t, client, set("certificate.csr", strings.Replace(csr, "CERTIFICATE REQUEST", "CERTIFICATE", 2))), 400, []string{"csr_invalid_cannot_parse"}},
		{"csr valid", cp, modify(t, client, set("certificate.csr", csr)), 201, nil},
		{"custom fields ok", cp, modify(t, client, set("custom_fields", []any{map[string]any{"metadata_id": 7, "value": "row-2"}})), 201, nil},
		{"unknown fields ignored", cp, modify(t, client, set("no_such_field", map[string]any{"x": []any{1}}), set("certificate.no_such", 1)), 201, nil},
		{"several problems at once", cp, modify(t, client, del("certificate.common_name"), set("certificate.signature_hash", "sha1"),
			set("payment_method", "cash"), set("validity_years", 5), set("certificate.emails", []any{"x"})), 400, []string{
			"invalid_value:certificate.emails", "invalid_value:certificate.signature_hash", "invalid_value:payment_method",
			"invalid_value:validity_years", "missing_field:certificate.common_name"}},

		// Validity: custom_expiration_date (clock: 2026-11-23). S/MIME: at
		// most 824 days, the Multipurpose profile's maximum
		// (https://docs.digicert.com/nl/certcentral/order-and-manage-certificates/manage-certificate-orders/order-and-manage-your-client-certificates/reissue-your-client-certificate.html).
		{"custom date replaces validity", cp, modify(t, client, del("validity_years"), set("custom_expiration_date", "2027-11-23")), 201, nil},
		{"custom date overrides bad validity", cp, modify(t, client, set("validity_years", 9), set("custom_expiration_date", "2027-11-23")), 201, nil},
		{"custom date at the S/MIME limit", cp, modify(t, client, set("custom_expiration_date", "2029-02-24")), 201, nil},
		{"custom date past the S/MIME limit", cp, modify(t, client, set("custom_expiration_date", "2029-02-25")), 400, []string{"invalid_value:custom_expiration_date"}},
		{"custom date today", cp, modify(t, client, set("custom_expiration_date", "2026-11-23")), 400, []string{"invalid_value:custom_expiration_date"}},
		{"custom date tomorrow", cp, modify(t, client, set("custom_expiration_date", "2026-11-24")), 201, nil},
		{"custom date past", cp, modify(t, client, set("custom_expiration_date", "2025-01-01")), 400, []string{"invalid_value:custom_expiration_date"}},
		{"custom date format", cp, modify(t, client, set("custom_expiration_date", "24/11/2027")), 400, []string{"invalid_value:custom_expiration_date"}},
		{"custom date as number", cp, modify(t, client, set("custom_expiration_date", 20271124)), 400, []string{"bad_request_format"}},

		// Document signing: each required field missing.
		{"doc signature_hash missing", d1, modify(t, doc, del("certificate.signature_hash")), 400, []string{"missing_field:certificate.signature_hash"}},
		{"doc organization missing", d1, modify(t, doc, del("organization.id")), 400, []string{"missing_field:organization.id"}},
		// The legacy page marks order_validity.years required and
		// validity_years deprecated (dev.digicert.com/zh-tw/services-api/
		// orders/order-document-signing-certificate/).
		{"doc order_validity missing", d1, modify(t, doc, del("order_validity")), 400, []string{"missing_field:order_validity.years"}},
		{"doc deprecated validity_years alone", d1, seedBody(t, "seed-document-signing-example.json"), 400, []string{"missing_field:order_validity.years"}},
		{"doc without the deprecated validity_years", d1, modify(t, doc, del("validity_years")), 201, nil},
		{"doc subject missing", d1, modify(t, doc, del("subject")), 400, []string{"missing_field:subject.email",
			"missing_field:subject.job_title", "missing_field:subject.name", "missing_field:subject.phone"}},
		{"doc subject name missing", d1, modify(t, doc, del("subject.name")), 400, []string{"missing_field:subject.name"}},
		{"doc subject job title missing", d1, modify(t, doc, del("subject.job_title")), 400, []string{"missing_field:subject.job_title"}},
		{"doc subject phone missing", d1, modify(t, doc, del("subject.phone")), 400, []string{"missing_field:subject.phone"}},
		{"doc subject email missing", d1, modify(t, doc, del("subject.email")), 400, []string{"missing_field:subject.email"}},
		{"doc ship name missing", d1, modify(t, doc, del("ship_info.name")), 400, []string{"missing_field:ship_info.name"}},
		{"doc ship addr1 missing", d1, modify(t, doc, del("ship_info.addr1")), 400, []string{"missing_field:ship_info.addr1"}},
		{"doc ship city missing", d1, modify(t, doc, del("ship_info.city")), 400, []string{"missing_field:ship_info.city"}},
		{"doc ship state missing", d1, modify(t, doc, del("ship_info.state")), 400, []string{"missing_field:ship_info.state"}},
		{"doc ship zip missing", d1, modify(t, doc, del("ship_info.zip")), 400, []string{"missing_field:ship_info.zip"}},
		{"doc ship country missing", d1, modify(t, doc, del("ship_info.country")), 400, []string{"missing_field:ship_info.country"}},
		{"doc ship method missing", d1, modify(t, doc, del("ship_info.method")), 400, []string{"missing_field:ship_info.method"}},
		{"doc ship addr2 optional", d1, modify(t, doc, del("ship_info.addr2")), 201, nil},
		{"doc ship info optional", d1, modify(t, doc, del("ship_info")), 201, nil},
		{"doc server platform optional", d1, modify(t, doc, del("certificate.server_platform")), 201, nil},
		{"doc server platform without id", d1, modify(t, doc, del("certificate.server_platform.id")), 400, []string{"missing_field:certificate.server_platform.id"}},
		{"doc container without id", d1, modify(t, doc, del("container.id")), 400, []string{"missing_field:container.id"}},
		{"doc email provisioning without csr", d1, modify(t, doc, set("cs_provisioning_method", "email")), 400, []string{"missing_field:certificate.csr"}},

		// Document signing: each invalid value.
		{"doc sha512", d1, modify(t, doc, set("certificate.signature_hash", "sha512")), 400, []string{"invalid_value:certificate.signature_hash"}},
		{"doc validity 3", "document_signing_org_2", modify(t, doc, set("validity_years", 3), set("order_validity.years", 3)), 201, nil},
		{"doc deprecated validity 4", d1, modify(t, doc, set("validity_years", 4)), 400, []string{"invalid_value:validity_years"}},
		{"doc order_validity years", d1, modify(t, doc, del("validity_years"), set("order_validity.years", 3)), 201, nil},
		{"doc order_validity years 4", d1, modify(t, doc, del("validity_years"), set("order_validity.years", 4)), 400, []string{"invalid_value:order_validity.years"}},
		{"doc email provisioning with csr", d1, modify(t, doc, set("cs_provisioning_method", "email"), set("certificate.csr", csr)), 201, nil},
		{"doc client_app provisioning", d1, modify(t, doc, set("cs_provisioning_method", "client_app")), 201, nil},
		{"doc bad provisioning", d1, modify(t, doc, set("cs_provisioning_method", "pigeon")), 400, []string{"invalid_value:cs_provisioning_method"}},
		{"doc provisioning is case sensitive", d1, modify(t, doc, set("cs_provisioning_method", "SHIP_TOKEN")), 400, []string{"invalid_value:cs_provisioning_method"}},
		{"doc ship method", d1, modify(t, doc, set("ship_info.method", "overnight")), 400, []string{"invalid_value:ship_info.method"}},
		{"doc ship method any case", d1, modify(t, doc, set("ship_info.method", "EXPEDITED")), 201, nil},
		{"doc subject email", d1, modify(t, doc, set("subject.email", "Rene <rene@example.com>")), 400, []string{"invalid_value:subject.email"}},
		{"doc payment method", d1, modify(t, doc, set("payment_method", "wire")), 400, []string{"invalid_value:payment_method"}},
		{"doc use_org_as_common_name string", d1, modify(t, doc, set("use_org_as_common_name", "true")), 400, []string{"bad_request_format"}},
		{"doc csa_agreed_to bool", d1, modify(t, doc, set("csa_agreed_to", true)), 400, []string{"bad_request_format"}},
		{"doc user ids as strings", d1, modify(t, doc, set("user_id_assignments", []any{"12"})), 400, []string{"bad_request_format"}},
		{"doc user ids", d1, modify(t, doc, set("user_id_assignments", []any{12, 13})), 201, nil},
		{"doc comments number", d1, modify(t, doc, set("comments", 5)), 400, []string{"bad_request_format"}},
		{"doc server platform id string", d1, modify(t, doc, set("certificate.server_platform.id", "21")), 400, []string{"bad_request_format"}},
		{"doc client fields not required", d1, modify(t, doc, del("certificate.common_name"), del("certificate.emails")), 201, nil},
		{"doc several problems", d1, modify(t, doc, del("subject.phone"), set("ship_info.method", "drone"), set("validity_years", 7),
			set("cs_provisioning_method", "email")), 400, []string{"invalid_value:ship_info.method", "invalid_value:validity_years",
			"missing_field:certificate.csr", "missing_field:subject.phone"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(s.Orders())
			a := call(t, "POST", base+"/order/certificate/"+c.product, key, c.body)
			got := codes(t, a)
			want := slices.Sorted(slices.Values(c.want))
			if a.status != c.status || !slices.Equal(got, want) {
				t.Fatalf("%d %v, want %d %v (%s)", a.status, got, c.status, want, a.raw)
			}
			created := len(s.Orders()) - before
			if c.status == 201 && created != 1 || c.status != 201 && created != 0 {
				t.Errorf("answered %d but created %d orders", a.status, created)
			}
		})
	}
}

// Problem messages follow DigiCert's wording for the code's field.
func TestProblemMessages(t *testing.T) {
	_, base, _ := start(t, Config{})
	body := modify(t, simpleClient("a@example.com", "A", false), del("certificate.common_name"), set("validity_years", 4),
		set("certificate.common_name_indicator", "nickname"))
	a := call(t, "POST", base+"/order/certificate/client_premium", key, body)
	var env struct{ Errors []apiError }
	if err := json.Unmarshal([]byte(a.raw), &env); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"missing_field:certificate.common_name":           "certificate.common_name is required.",
		"invalid_value:validity_years":                    "validity_years contains an invalid value.",
		"invalid_value:certificate.common_name_indicator": "certificate.common_name_indicator contains an invalid value.",
	}
	if a.status != http.StatusBadRequest || len(env.Errors) != len(want) {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	for _, e := range env.Errors {
		if want[e.Code] != e.Message {
			t.Errorf("%s: message %q, want %q", e.Code, e.Message, want[e.Code])
		}
	}
}

// Config.MaxCustomDays bounds custom_expiration_date; S/MIME products are
// held to 824 days whatever it says (SMIMEMaxCustomDays: the Multipurpose
// profile's maximum, https://docs.digicert.com/nl/certcentral/order-and-manage-certificates/manage-certificate-orders/order-and-manage-your-client-certificates/reissue-your-client-certificate.html).
func TestMaxCustomDays(t *testing.T) {
	for _, c := range []struct {
		name, product string
		max           int
		date          string
		status        int
	}{
		{"30 days allowed", "client_premium", 30, "2026-12-23", 201},
		{"31 days over 30", "client_premium", 30, "2026-12-24", 400},
		{"default 825 allows 400", "client_authentication_plus", 0, "2027-12-28", 201},
		{"default 825 allows 825 for client_authentication_plus", "client_authentication_plus", 0, "2029-02-25", 201},
		{"S/MIME: 824 allowed", "client_premium", 0, "2029-02-24", 201},
		{"S/MIME: 825 refused", "client_premium", 0, "2029-02-25", 400},
		{"S/MIME: 825 refused for class1_smime", "class1_smime", 0, "2029-02-25", 400},
		{"S/MIME: 825 refused whatever MaxCustomDays says", "client_email_security_plus", 1185, "2029-02-25", 400},
		{"1185 allows 1185", "client_authentication_plus", 1185, "2030-02-20", 201},
		{"1185 refuses 1186", "client_authentication_plus", 1185, "2030-02-21", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, base, _ := start(t, Config{MaxCustomDays: c.max})
			body := modify(t, simpleClient("a@example.com", "A", false), set("custom_expiration_date", c.date))
			if c.product == "class1_smime" {
				body = modify(t, body, del("certificate.common_name"), del("certificate.common_name_indicator"), del("certificate.individual"))
			}
			a := call(t, "POST", base+"/order/certificate/"+c.product, key, body)
			if a.status != c.status {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			if c.status == 400 && !slices.Equal(codes(t, a), []string{"invalid_value:custom_expiration_date"}) {
				t.Errorf("codes %v", codes(t, a))
			}
		})
	}
}
