package sandbox

import (
	"testing"
)

// dsBody is a ds_individual order as [IND]'s example shows one.
func dsBody(t testing.TB) string {
	t.Helper()
	return modify(t, `{}`, set("certificate", map[string]any{"signature_hash": "sha256",
		"usage_designation": map[string]any{"primary_usage": "signing", "additional_usages": []any{"adobe_authentic_documents_trust", "ms_document_signing", "document_signing"}}}),
		set("cs_provisioning_method", "client_app"), set("order_validity", map[string]any{"years": 1}),
		set("individual", map[string]any{"first_name": "Rene", "last_name": "Pierce", "email": "rene.pierce@example.com",
			"telephone": "+11234567890", "country": "us", "job_title": "Analyst"}),
		set("payment_method", "balance"), set("skip_approval", true))
}

// Each rule names its page: [ORG], [EMP] and [IND] are dev.digicert.com's
// "Order Document Signing for Organization", "... for Business –
// Employee" and "... for Individual"; [CS] the code signing page's
// provisioning methods.
func TestDocumentSigningTodayRules(t *testing.T) {
	s, base, _ := start(t, Config{})
	ind := dsBody(t)
	emp := modify(t, ind, set("organization", map[string]any{"id": 334455}))
	org := modify(t, emp, del("individual"), set("additional_emails", []any{"signing-team@example.com"}))
	csr := csrPEM(t)
	runRules(t, base, s, []ruleCase{
		{"[IND] example body", "ds_individual", ind, 201, nil},
		{"[EMP] employee of an organization", "ds_org_individual", emp, 201, nil},
		{"[ORG] a team of an organization, no individual", "ds_org", org, 201, nil},
		{"[EMP] usage_designation required", "ds_org_individual", modify(t, emp, del("certificate.usage_designation")), 400,
			[]string{"missing_field:certificate.usage_designation.primary_usage"}},
		{"[IND] primary_usage Allowed values: signing", "ds_individual", modify(t, ind, set("certificate.usage_designation.primary_usage", "dual_use")), 400,
			[]string{"invalid_value:certificate.usage_designation.primary_usage"}},
		{"[ORG] additional usages of the example", "ds_individual", modify(t, ind, set("certificate.usage_designation.additional_usages", []any{"client_auth"})), 400,
			[]string{"invalid_value:certificate.usage_designation.additional_usages"}},
		{"[EMP] cs_provisioning_method required", "ds_org_individual", modify(t, emp, del("cs_provisioning_method")), 400,
			[]string{"missing_field:cs_provisioning_method"}},
		{"[CS] provisioning methods", "ds_individual", modify(t, ind, set("cs_provisioning_method", "pigeon")), 400, []string{"invalid_value:cs_provisioning_method"}},
		{"[CS] email (HSM) needs a csr", "ds_individual", modify(t, ind, set("cs_provisioning_method", "email")), 400, []string{"missing_field:certificate.csr"}},
		{"[CS] email (HSM) with a csr", "ds_individual", modify(t, ind, set("cs_provisioning_method", "email"), set("certificate.csr", csr)), 201, nil},
		{"[ORG] ship_token with ship_info", "ds_org", modify(t, org, set("cs_provisioning_method", "ship_token"), set("ship_info", map[string]any{
			"name": "John Doe", "addr1": "360 Taylor Street", "city": "Richmond", "state": "va", "zip": "69662", "country": "us", "method": "EXPEDITED"})), 201, nil},
		{"[ORG] ship_info lines", "ds_org", modify(t, org, set("ship_info", map[string]any{"name": "John Doe"})), 400, []string{
			"missing_field:ship_info.addr1", "missing_field:ship_info.city", "missing_field:ship_info.country", "missing_field:ship_info.method",
			"missing_field:ship_info.state", "missing_field:ship_info.zip"}},
		{"[IND] order_validity required", "ds_individual", modify(t, ind, del("order_validity")), 400, []string{"missing_field:order_validity.years"}},
		{"order_validity 1-3", "ds_individual", modify(t, ind, set("order_validity.years", 4)), 400, []string{"invalid_value:order_validity.years"}},
		{"[IND] issued to you: no organization", "ds_individual", modify(t, ind, del("organization")), 201, nil},
		{"[EMP] an employee's organization", "ds_org_individual", modify(t, emp, del("organization")), 400, []string{"missing_field:organization.id"}},
		{"[IND] the individual's names and email", "ds_org_individual", modify(t, emp, del("individual")), 400, []string{
			"missing_field:individual.email", "missing_field:individual.first_name", "missing_field:individual.last_name"}},
		{"[IND] the individual's email", "ds_individual", modify(t, ind, set("individual.email", "Rene <r@example.com>")), 400, []string{"invalid_value:individual.email"}},
		{"[ORG] additional_emails", "ds_org", modify(t, org, set("additional_emails", []any{"nope"})), 400, []string{"invalid_value:additional_emails"}},
	})
	o := s.Orders()
	if o[0].Product != "ds_individual" || o[0].CommonName != "Rene Pierce" || o[0].Emails[0] != "rene.pierce@example.com" || o[0].Family != "document_signing" {
		t.Errorf("ds_individual order %+v", o[0])
	}
	if o[2].Product != "ds_org" || o[2].CommonName != "Example Signing Ltd" {
		t.Errorf("ds_org order %+v", o[2])
	}
	// Order info names no document signing order's email (today.md §3).
	info := call(t, "GET", orderURL(base, o[0].ID), key, "")
	if cert := obj(t, info.body["certificate"]); cert["emails"] != nil || info.body["status"] != "issued" {
		t.Errorf("order info %s", info.raw)
	}
}
