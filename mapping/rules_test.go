package mapping

import (
	"strings"
	"testing"
)

// mapOne compiles cfg against header and maps one row given by column.
func mapOne(t *testing.T, cfg string, row map[string]string) Result {
	t.Helper()
	var header, cells []string
	for h, v := range row {
		header = append(header, h)
		cells = append(cells, v)
	}
	m := compile(t, cfg, header)
	return m.Map(2, cells, &Scratch{}, true)
}

// wantProblem checks that r has a problem in column col whose message
// holds msg; col "" means r must be valid with payload want (when not "").
func wantProblem(t *testing.T, r Result, col, msg, want string) {
	t.Helper()
	if col == "" {
		if !r.Valid() {
			t.Fatalf("want valid, got %v", r.Problems)
		}
		if want != "" && string(r.Payload) != want {
			t.Fatalf("payload\n got %s\nwant %s", r.Payload, want)
		}
		return
	}
	for _, p := range r.Problems {
		if p.Column == col && strings.Contains(p.Message, msg) {
			return
		}
	}
	t.Fatalf("want a problem in %q mentioning %q, got %v", col, msg, r.Problems)
}

const seConfig = `product: secure_email_sponsor
order:
  organization: {id: 112233}
  validity_years: 1
  certificate: {usage_designation: {primary_usage: dual_use}}
`

// Secure Email's rules, each from
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-secure-email-certificate.html
// ([SE]), the profile table of docs.digicert.com's reissue page for
// Secure Email ([PROF]: strict supports non-repudiation; multipurpose
// also data encipherment and client authentication; at most 824 days)
// and the S/MIME BR 7.1.2.3(e) ([SBR]).
func TestSecureEmailRules(t *testing.T) {
	person := map[string]string{"Work Email": "jane.doe@example.com", "Given Name": "Jane", "Surname": "Doe"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(out, kv[i])
				continue
			}
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	for _, c := range []struct {
		name, cfg     string
		row           map[string]string
		col, msg, out string
	}{
		{"[SE] sponsor: names give given_name_surname and the individual object", seConfig, person, "", "",
			`{"certificate":{"emails":["jane.doe@example.com"],"signature_hash":"sha256","usage_designation":{"primary_usage":"dual_use"},"common_name_indicator":"given_name_surname","individual":{"first_name":"Jane","last_name":"Doe"}},"organization":{"id":112233},"validity_years":1}`},
		{"[SE] sponsor always needs the individual object", seConfig, with(person, "Given Name", "", "Surname", ""),
			"First Name/Last Name/Pseudonym", "fill in First Name and Last Name, or Pseudonym", ""},
		{"[SE] email_address needs names or a pseudonym", seConfig, with(person, "Given Name", "", "Surname", "", "Common Name Indicator", "email_address"),
			"certificate.individual.first_name", "unless certificate.individual.pseudonym is given", ""},
		{"[SE] email_address with a pseudonym", seConfig, with(person, "Given Name", "", "Surname", "", "Common Name Indicator", "email_address", "Pseudonym", "J.D."), "", "",
			`{"certificate":{"emails":["jane.doe@example.com"],"signature_hash":"sha256","usage_designation":{"primary_usage":"dual_use"},"common_name_indicator":"email_address","individual":{"pseudonym":"J.D."}},"organization":{"id":112233},"validity_years":1}`},
		{"[SBR] 7.1.4.2.2 a sponsor's common name is no organization name", seConfig, with(person, "Common Name Indicator", "organization_name"),
			"Common Name Indicator", "must be one of given_name_surname, pseudonym, email_address for secure_email_sponsor", ""},
		{"[SE] organization needs common_name_indicator", strings.Replace(seConfig, "secure_email_sponsor", "secure_email_organization", 1), person,
			"certificate.common_name_indicator", "is required for secure_email_organization: one of organization_name, email_address", ""},
		{"[SE] the individual object is only used with sponsor", strings.Replace(seConfig, "secure_email_sponsor", "secure_email_organization", 1),
			with(person, "Common Name Indicator", "organization_name"), "", "",
			`{"certificate":{"emails":["jane.doe@example.com"],"signature_hash":"sha256","usage_designation":{"primary_usage":"dual_use"},"common_name_indicator":"organization_name"},"organization":{"id":112233},"validity_years":1}`},
		{"[SE] mailbox: indicator ignored, not sent; no organization needed",
			"product: secure_email_mailbox\norder: {validity_years: 2, certificate: {usage_designation: {primary_usage: signing}}}\n",
			with(person, "Common Name Indicator", "given_name_surname"), "", "",
			`{"certificate":{"emails":["jane.doe@example.com"],"signature_hash":"sha256","usage_designation":{"primary_usage":"signing"}},"validity_years":2}`},
		{"[SE] sponsor needs an organization", strings.Replace(seConfig, "  organization: {id: 112233}\n", "", 1), person,
			"organization.id", "is required", ""},
		{"[SE] a primary use is required", strings.Replace(seConfig, "  certificate: {usage_designation: {primary_usage: dual_use}}\n", "", 1), person,
			"certificate.usage_designation.primary_usage", "is required", ""},
		{"[SE] primary uses", seConfig, with(person, "Primary Usage", "encryption"), "Primary Usage", "signing, key_management, dual_use", ""},
		{"[SE] profile_type strict or multipurpose", seConfig, with(person, "Profile Type", "legacy"), "Profile Type", "strict, multipurpose", ""},
		{"[PROF] client_auth needs multipurpose; left empty DigiCert's default is strict", seConfig, with(person, "Additional Usages", "client_auth"),
			"Additional Usages", "client_auth needs certificate.profile_type is multipurpose; left empty, DigiCert uses the account's default (strict)", ""},
		{"[PROF] strict takes no client_auth", seConfig, with(person, "Additional Usages", "non_repudiation; client_auth", "Profile Type", "strict"),
			"Additional Usages", `client_auth needs certificate.profile_type is multipurpose (column "Profile Type")`, ""},
		{"[PROF] multipurpose takes client_auth", seConfig, with(person, "Additional Usages", "Client_Auth", "Profile Type", "multipurpose"), "", "", ""},
		{"[SBR] non_repudiation only with signing or dual_use", seConfig, with(person, "Primary Usage", "key_management", "Additional Usages", "non_repudiation"),
			"Additional Usages", "non_repudiation needs certificate.usage_designation.primary_usage is signing or dual_use", ""},
		{"[SBR] data_encipherment only with key management or dual use", seConfig, with(person, "Primary Usage", "signing", "Additional Usages", "data_encipherment", "Profile Type", "multipurpose"),
			"Additional Usages", "data_encipherment needs certificate.usage_designation.primary_usage is key_management or dual_use", ""},
		{"[PROF] data_encipherment with dual use, multipurpose", seConfig, with(person, "Additional Usages", "data_encipherment", "Profile Type", "multipurpose"), "", "", ""},
		{"additional usages are the documented ones", seConfig, with(person, "Additional Usages", "code_signing"), "Additional Usages", "non_repudiation, data_encipherment, client_auth", ""},
		{"[REN] 1 and 2-year certificates", seConfig, with(person, "Validity Years", "3"), "Validity Years", "one of 1, 2", ""},
		{"[PROF] at most 824 days: 825 is too far", seConfig, with(person, "Expires", "2029-02-25"), "Expires", "at most 824 days", ""},
		{"[PROF] 824 days", seConfig, with(person, "Expires", "2029-02-24"), "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) { wantProblem(t, mapOne(t, c.cfg, c.row), c.col, c.msg, c.out) })
	}
}

// Today's document signing, from the ds_org, ds_org_individual and
// ds_individual pages (dev.digicert.com ... order-document-signing-for-*).
func TestDocumentSigningTodayRules(t *testing.T) {
	signer := map[string]string{"First Name": "Rene", "Last Name": "Pierce", "Email": "rene.pierce@example.com", "Phone": "054-139-0798",
		"Job Title": "School Counselor", "Provisioning Method": "client_app"}
	cfg := func(product string) string {
		return "product: " + product + "\norder: {organization: {id: 334455}, validity_years: 1}\n"
	}
	for _, c := range []struct {
		name, cfg     string
		row           map[string]string
		col, msg, out string
	}{
		{"ds_individual: the individual object, no organization (issued to you), order_validity", cfg("ds_individual"), signer, "", "",
			`{"certificate":{"signature_hash":"sha256","usage_designation":{"primary_usage":"signing"}},"cs_provisioning_method":"client_app","individual":{"first_name":"Rene","last_name":"Pierce","email":"rene.pierce@example.com","telephone":"054-139-0798","job_title":"School Counselor"},"order_validity":{"years":1}}`},
		{"ds_org_individual: an employee of an organization", cfg("ds_org_individual"), signer, "", "",
			`{"certificate":{"signature_hash":"sha256","usage_designation":{"primary_usage":"signing"}},"cs_provisioning_method":"client_app","individual":{"first_name":"Rene","last_name":"Pierce","email":"rene.pierce@example.com","telephone":"054-139-0798","job_title":"School Counselor"},"organization":{"id":334455},"order_validity":{"years":1}}`},
		{"ds_org: a team, identified by its mailbox", cfg("ds_org"), map[string]string{"Team Email": "signing-team@example.com", "Provisioning Method": "ship_token"}, "", "",
			`{"certificate":{"signature_hash":"sha256","usage_designation":{"primary_usage":"signing"}},"cs_provisioning_method":"ship_token","organization":{"id":334455},"additional_emails":["signing-team@example.com"],"order_validity":{"years":1}}`},
		{"ds_org needs the team's mailbox", cfg("ds_org"), map[string]string{"Provisioning Method": "ship_token", "Email": "x@example.com"}, "additional_emails", "is required", ""},
		{"cs_provisioning_method is required", cfg("ds_individual"), map[string]string{"First Name": "Rene", "Last Name": "Pierce", "Email": "rene.pierce@example.com"},
			"cs_provisioning_method", "is required", ""},
		{"email provisioning (your HSM) needs a CSR", cfg("ds_org_individual"), map[string]string{"First Name": "Rene", "Last Name": "Pierce", "Email": "rene.pierce@example.com", "Provisioning Method": "email"},
			"certificate.csr", "required when cs_provisioning_method is email", ""},
		{"primary use is signing only", cfg("ds_individual"), map[string]string{"First Name": "R", "Last Name": "P", "Email": "r@example.com", "Provisioning Method": "ship_token", "Primary Usage": "dual_use"},
			"Primary Usage", "must be one of signing", ""},
		{"additional uses", cfg("ds_individual"), map[string]string{"First Name": "R", "Last Name": "P", "Email": "r@example.com", "Provisioning Method": "ship_token", "Additional Usages": "ms_document_signing; client_auth"},
			"Additional Usages", `"client_auth" must be one of adobe_authentic_documents_trust`, ""},
		{"order_validity 1-3", cfg("ds_individual"), map[string]string{"First Name": "R", "Last Name": "P", "Email": "r@example.com", "Provisioning Method": "ship_token", "Validity": "4"},
			"Validity", "1, 2, 3", ""},
		{"the signer's email is required", cfg("ds_org_individual"), map[string]string{"First Name": "R", "Last Name": "P", "Provisioning Method": "ship_token"},
			"individual.email", "is required", ""},
	} {
		t.Run(c.name, func(t *testing.T) { wantProblem(t, mapOne(t, c.cfg, c.row), c.col, c.msg, c.out) })
	}
	r := mapOne(t, cfg("ds_org"), map[string]string{"Team Email": "Signing-Team@Example.com; b@example.com", "Provisioning Method": "ship_token"})
	if r.Email != "signing-team@example.com" || r.ProductKey != "ds_org" {
		t.Errorf("ds_org identity: email %q product %q", r.Email, r.ProductKey)
	}
	// A sheet of teams is found by its Team Email column.
	if m := compile(t, "product: ds_org\n", []string{"Team Email", "Provisioning Method"}); !m.HasIdentityColumn() {
		t.Error("a ds_org sheet has no identity column")
	}
}

// The legacy document signing page marks order_validity.years required
// and validity_years deprecated
// (https://dev.digicert.com/zh-tw/services-api/orders/order-document-signing-certificate/):
// a config's validity_years and a Validity Years column fill
// order_validity.years, and validity_years is never sent.
func TestLegacyDocumentSigningSendsOrderValidity(t *testing.T) {
	row := map[string]string{"Subject Name": "Rene Pierce", "Job Title": "Counselor", "Phone": "1", "Email": "rene@example.com"}
	r := mapOne(t, "product: document_signing_org_2\norder: {organization: {id: 334455}, validity_years: 2}\n", row)
	wantProblem(t, r, "", "", `{"certificate":{"signature_hash":"sha256"},"order_validity":{"years":2},"organization":{"id":334455},"subject":{"name":"Rene Pierce","job_title":"Counselor","phone":"1","email":"rene@example.com"}}`)
	row["Validity Years"] = "3"
	r = mapOne(t, "product: document_signing_org_2\norder: {organization: {id: 334455}}\n", row)
	if !r.Valid() || !strings.Contains(string(r.Payload), `"order_validity":{"years":3}`) || strings.Contains(string(r.Payload), "validity_years") {
		t.Errorf("column: %s %v", r.Payload, r.Problems)
	}
	r = mapOne(t, "product: document_signing_org_2\norder: {organization: {id: 334455}}\ncolumns: {validity_years: Years}\n",
		map[string]string{"Subject Name": "R", "Job Title": "C", "Phone": "1", "Email": "r@example.com", "Years": "1"})
	if !r.Valid() || !strings.Contains(string(r.Payload), `"order_validity":{"years":1}`) {
		t.Errorf("columns: alias: %s %v", r.Payload, r.Problems)
	}
}

// A sheet with First Name and Last Name needs no Full Name column.
func TestComposeCommonName(t *testing.T) {
	const cfg = "product: client_premium\norder: {organization: {id: 1}, validity_years: 1}\n"
	for _, c := range []struct {
		name, cfg string
		row       map[string]string
		cn        string
	}{
		{"First Last", cfg, map[string]string{"Email": "a@example.com", "First Name": "Jane", "Last Name": "Doe"}, "Jane Doe"},
		{"Korean: family name first, no space", cfg, map[string]string{"이메일": "gd@example.com", "이름(성 제외)": "길동", "성": "홍"}, "홍길동"},
		{"Chinese: family name first, no space", cfg, map[string]string{"電子郵件": "tw@example.com", "名字": "大文", "姓氏": "陳"}, "陳大文"},
		{"mixed scripts stay First Last", cfg, map[string]string{"Email": "a@example.com", "First Name": "Jane", "Last Name": "金"}, "Jane 金"},
		{"a Full Name column wins", cfg, map[string]string{"Email": "a@example.com", "Full Name": "J. Doe", "First Name": "Jane", "Last Name": "Doe"}, "J. Doe"},
		{"the config's pattern", cfg + "compose: {certificate.common_name: \"{certificate.individual.last_name}, {certificate.individual.first_name}\"}\n",
			map[string]string{"Email": "a@example.com", "First Name": "Jane", "Last Name": "Doe"}, "Doe, Jane"},
		{"Authentication Plus sends no names but composes from them", strings.Replace(cfg, "client_premium", "client_authentication_plus", 1),
			map[string]string{"Email": "a@example.com", "First Name": "Jane", "Last Name": "Doe"}, "Jane Doe"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := mapOne(t, c.cfg, c.row)
			if !r.Valid() || r.CommonName != c.cn || !strings.Contains(string(r.Payload), `"common_name":"`+c.cn+`"`) {
				t.Fatalf("common name %q (want %q), %v: %s", r.CommonName, c.cn, r.Problems, r.Payload)
			}
		})
	}
	r := mapOne(t, strings.Replace(cfg, "client_premium", "client_authentication_plus", 1), map[string]string{"Email": "a@example.com", "First Name": "Jane", "Last Name": "Doe"})
	if strings.Contains(string(r.Payload), "individual") {
		t.Errorf("Authentication Plus sent the names: %s", r.Payload)
	}
	// Constant names never compose: every row would get the same name.
	r = mapOne(t, "product: client_premium\norder: {organization: {id: 1}, validity_years: 1, certificate: {individual: {first_name: Lock, last_name: Cole}}}\n",
		map[string]string{"Email": "a@example.com"})
	wantProblem(t, r, "certificate.common_name", "or fill in First Name and Last Name to compose it", "")
	r = mapOne(t, cfg, map[string]string{"Email": "a@example.com", "First Name": strings.Repeat("J", 40), "Last Name": strings.Repeat("D", 30)})
	wantProblem(t, r, "certificate.common_name", "composed from First Name and Last Name: is 71 characters long; DigiCert takes at most 64", "")
	for _, bad := range []struct{ yaml, want string }{
		{"compose: {certificate.common_nam: \"{certificate.individual.first_name}\"}\n", `unknown order field "certificate.common_nam"`},
		{"compose: {certificate.common_name: \"{certificate.individual.first}\"}\n", "{certificate.individual.first} is not another field"},
		{"compose: {certificate.common_name: \"First Last\"}\n", "names no field"},
	} {
		c, err := ParseConfig([]byte(cfg + bad.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Compile(c, []string{"Email"}, builtin(t), Options{Now: fixedNow}); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: err %v, want %q", bad.yaml, err, bad.want)
		}
	}
}

// The usual HR spellings of email and name headers are read without a
// columns: block, in every supported language.
func TestHRHeaders(t *testing.T) {
	const cfg = "product: client_premium\norder: {organization: {id: 1}, validity_years: 1}\n"
	for _, row := range []map[string]string{
		{"Work Email": "a@example.com", "Given Name": "Jane", "Surname": "Doe"},
		{"Business Email": "a@example.com", "Forename": "Jane", "Family Name": "Doe", "Display Name": "Jane Doe"},
		{"E-Mail-Adresse": "a@example.com", "Vorname": "Jane", "Nachname": "Doe"},
		{"Company Email": "a@example.com", "First": "Jane", "Last": "Doe"},
		{"업무용 이메일": "a@example.com", "이름(성 제외)": "Jane", "성씨": "Doe", "표시 이름": "Jane Doe"},
		{"電子信箱": "a@example.com", "名": "Jane", "姓": "Doe", "顯示名稱": "Jane Doe"},
		{"公司電子郵件": "a@example.com", "名字": "Jane", "姓氏": "Doe"},
	} {
		r := mapOne(t, cfg, row)
		if !r.Valid() || r.Email != "a@example.com" || r.CommonName != "Jane Doe" {
			t.Errorf("%v: email %q, common name %q, %v", row, r.Email, r.CommonName, r.Problems)
		}
	}
	r := mapOne(t, strings.Replace(seConfig, "dual_use", "signing", 1), map[string]string{"Work Email": "a@example.com", "Given Name": "Jane", "Surname": "Doe"})
	wantProblem(t, r, "", "", "")
}

// A missing column's message suggests the sheet's nearest header, whether
// or not the config names the field.
func TestMissingSuggestsSheetHeader(t *testing.T) {
	const cfg = "product: client_premium\norder: {organization: {id: 1}, validity_years: 1}\n"
	r := mapOne(t, cfg, map[string]string{"E-mial": "a@example.com", "Frist Name": "Jane", "Last Name": "Doe"})
	wantProblem(t, r, "certificate.emails", `did you mean the column "E-mial"? Map it under columns: (certificate.emails: E-mial)`, "")
	found := false
	for _, p := range r.Problems {
		if strings.Contains(p.Message, `"Frist Name"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no hint at Frist Name: %v", r.Problems)
	}
	// No near header: the usual hint.
	r = mapOne(t, cfg, map[string]string{"Full Name": "Jane Doe", "Notes": "x"})
	wantProblem(t, r, "certificate.emails", `(add a "Email" column`, "")
}
