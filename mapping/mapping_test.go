package mapping

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certbatch/certbatch/templates"
)

var fixedNow = func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

func builtin(t testing.TB) *templates.Set {
	t.Helper()
	s, err := templates.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	csrOnce sync.Once
	csrs    map[string]string
)

func makeCSR(t testing.TB, key crypto.Signer) string {
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "Test"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

// testCSRs returns CSRs keyed by kind, generated once per test binary.
func testCSRs(t testing.TB) map[string]string {
	csrOnce.Do(func() {
		csrs = map[string]string{}
		rsa2048, _ := rsa.GenerateKey(rand.Reader, 2048)
		rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
		p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
		csrs["rsa2048"] = makeCSR(t, rsa2048)
		csrs["rsa1024"] = makeCSR(t, rsa1024)
		csrs["p256"] = makeCSR(t, p256)
		csrs["p224"] = makeCSR(t, p224)
		// Flip a byte inside the signature: still parses, signature invalid.
		b, _ := pem.Decode([]byte(csrs["p256"]))
		der := append([]byte(nil), b.Bytes...)
		der[len(der)-5] ^= 0xff
		csrs["badsig"] = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
	})
	return csrs
}

// rulesConfig is clientConfig without the constant names: TestRules
// gives them per row.
var rulesConfig = strings.Replace(clientConfig, "  certificate: {individual: {first_name: Lock, last_name: Cole}}\n", "", 1)

const clientConfig = `
product: client_premium_sha2
order:
  organization: {id: 112233}
  validity_years: 1
  payment_method: balance
  certificate: {individual: {first_name: Lock, last_name: Cole}}
columns:
  certificate.common_name: Full Name
  certificate.emails: Email
`

func compile(t *testing.T, cfgYAML string, header []string) *Mapper {
	t.Helper()
	cfg, err := ParseConfig([]byte(cfgYAML))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(cfg, header, builtin(t), Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRules runs every validation rule on a one-row input built from a
// base row plus overrides; each case names the column and message part
// that must appear, or "" for a valid row.
func TestRules(t *testing.T) {
	c := testCSRs(t)
	clientHeader := []string{"Full Name", "Email", "Department", "CSR", "Validity Years", "Custom Expiration Date",
		"Payment Method", "Skip Approval", "Auto Renew", "Organization ID", "Signature Hash", "Custom Fields",
		"First Name", "Last Name", "Pseudonym", "Common Name Indicator", "Product", "Comments"}
	docHeader := []string{"Subject Name", "Job Title", "Phone", "Email", "Provisioning Method", "CSR", "Validity Years",
		"Ship Name", "Ship Address 1", "Ship City", "Ship State", "Ship Zip", "Ship Country", "Ship Method", "User IDs", "Custom Expiration Date"}
	docConfig := "product: document_signing_org_1\norder: {organization: {id: 334455}}\n"
	type tc struct {
		name    string
		doc     bool
		set     map[string]string
		wantCol string // "" = valid
		wantMsg string
	}
	cases := []tc{
		{name: "valid client", set: nil},
		// Text that could say something else in an order or a terminal.
		{name: "NUL in a name", set: map[string]string{"Full Name": "Lock\x00Cole"}, wantCol: "Full Name", wantMsg: "control character (U+0000)"},
		{name: "escape in a name", set: map[string]string{"First Name": "\x1b[31mLock"}, wantCol: "First Name", wantMsg: "control character (U+001B) at character 1"},
		{name: "line break in a name", set: map[string]string{"Full Name": "Lock\nCole"}, wantCol: "Full Name", wantMsg: "U+000A"},
		{name: "bidi override", set: map[string]string{"Full Name": "Lock \u202eeloC"}, wantCol: "Full Name", wantMsg: "text-direction character (U+202E)"},
		{name: "zero width", set: map[string]string{"Department": "Acc\u200bounting"}, wantCol: "Department", wantMsg: "invisible character (U+200B)"},
		// Characters that reach a certificate unseen, and the ? Excel
		// writes for a letter its legacy code page lacks.
		{name: "soft hyphen in a name", set: map[string]string{"Last Name": "Wiś\u00adniewska"}, wantCol: "Last Name", wantMsg: "invisible soft hyphen (U+00AD) at character 4"},
		{name: "no-break space in a name", set: map[string]string{"Full Name": "Lock\u00a0Cole"}, wantCol: "Full Name", wantMsg: "no-break space (U+00A0) at character 5"},
		{name: "narrow no-break space", set: map[string]string{"First Name": "Jean\u202fPaul"}, wantCol: "First Name", wantMsg: "no-break space (U+202F)"},
		{name: "word joiner", set: map[string]string{"Full Name": "Lock\u2060Cole"}, wantCol: "Full Name", wantMsg: "invisible character (U+2060)"},
		{name: "ideographic space in a name", set: map[string]string{"Full Name": "山田\u3000太郎"}},
		{name: "question mark for a lost letter", set: map[string]string{"Full Name": "?ukasz Wi?niewski"}, wantCol: "Full Name", wantMsg: "question mark where a letter should be (character 1)"},
		{name: "question mark inside a word", set: map[string]string{"Last Name": "Wi?niewski"}, wantCol: "Last Name", wantMsg: "question mark where a letter should be (character 3)"},
		{name: "question mark ending a word", set: map[string]string{"Full Name": "Jos? Lima"}, wantCol: "Full Name", wantMsg: "question mark"},
		{name: "question mark in an email", set: map[string]string{"Email": "jos?@example.com"}, wantCol: "Email", wantMsg: "question mark"},
		{name: "question mark in a department", set: map[string]string{"Department": "R?D"}, wantCol: "Department", wantMsg: "question mark"},
		{name: "question mark alone", set: map[string]string{"Department": "Sales ? Europe"}},
		{name: "question mark in comments", set: map[string]string{"Comments": "Renewal?Ask Jane"}},
		{name: "line breaks separate emails", set: map[string]string{"Email": "locke.cole@example.com\r\nlc@example.com"}},
		{name: "common name over 64", set: map[string]string{"Full Name": strings.Repeat("L", 65)}, wantCol: "Full Name", wantMsg: "65 characters long; DigiCert takes at most 64"},
		{name: "common name of 64 CJK characters", set: map[string]string{"Full Name": strings.Repeat("陳", 64)}},
		{name: "unit over 64", set: map[string]string{"Department": "R&D; " + strings.Repeat("x", 65)}, wantCol: "Department", wantMsg: "at most 64"},
		// S/MIME profile fields (certcentral-today.md §1).
		{name: "smime names missing", set: map[string]string{"First Name": "", "Last Name": ""}, wantCol: "First Name/Last Name/Pseudonym", wantMsg: "fill in First Name and Last Name, or Pseudonym"},
		{name: "smime last name missing", set: map[string]string{"Last Name": ""}, wantCol: "Last Name", wantMsg: "required when certificate.common_name_indicator is given_name_surname"},
		{name: "smime pseudonym alone", set: map[string]string{"First Name": "", "Last Name": "", "Pseudonym": "Agent 7"}},
		{name: "smime indicator given, its names missing", set: map[string]string{"Common Name Indicator": "pseudonym"}, wantCol: "Pseudonym", wantMsg: "required when"},
		{name: "smime indicator bad", set: map[string]string{"Common Name Indicator": "nickname"}, wantCol: "Common Name Indicator", wantMsg: "given_name_surname, pseudonym"},
		{name: "smime current product ID", set: map[string]string{"Product": "client_digital_signature_plus", "First Name": ""}, wantCol: "First Name", wantMsg: "required"},
		{name: "smime email security", set: map[string]string{"Product": "client_email_security_plus", "First Name": "", "Last Name": ""}, wantCol: "First Name/Last Name/Pseudonym", wantMsg: "client_email_security_plus"},
		{name: "authentication plus needs no names", set: map[string]string{"Product": "client_authentication_plus", "First Name": "", "Last Name": ""}},
		{name: "class1 needs no names nor common name", set: map[string]string{"Product": "class1_smime", "First Name": "", "Last Name": "", "Full Name": ""}},
		{name: "common name required", set: map[string]string{"Full Name": "", "First Name": ""}, wantCol: "Full Name", wantMsg: "required; or fill in First Name and Last Name to compose it"},
		{name: "common name composed from the names", set: map[string]string{"Full Name": ""}},
		{name: "email required", set: map[string]string{"Email": ""}, wantCol: "Email", wantMsg: "required"},
		{name: "email display name", set: map[string]string{"Email": "Jane <jane@example.com>"}, wantCol: "Email", wantMsg: "single email"},
		{name: "email garbage", set: map[string]string{"Email": "jane@@example"}, wantCol: "Email", wantMsg: "single email"},
		{name: "email without a dotted domain", set: map[string]string{"Email": "jane@localhost"}, wantCol: "Email", wantMsg: "domain"},
		{name: "email domain ends with a dot", set: map[string]string{"Email": "jane@example.com."}, wantCol: "Email", wantMsg: "email address"},
		{name: "second email bad", set: map[string]string{"Email": "jane@example.com; nope"}, wantCol: "Email", wantMsg: `"nope"`},
		{name: "emails list ok", set: map[string]string{"Email": "jane@example.com;\njane2@example.com"}},
		// What DigiCert is documented to take (internal/mailbox).
		{name: "email local part beyond ASCII", set: map[string]string{"Email": "josé@example.com"}, wantCol: "Email", wantMsg: "beyond ASCII before the @"},
		{name: "email local part beyond ASCII, second", set: map[string]string{"Email": "jose@example.com; 민준@example.kr"}, wantCol: "Email", wantMsg: `"민준@example.kr": has a character beyond ASCII`},
		{name: "email quoted local part", set: map[string]string{"Email": `"jane doe"@example.com`}, wantCol: "Email", wantMsg: "single email"},
		{name: "email domain not a domain name", set: map[string]string{"Email": "jane@exa_mple.com"}, wantCol: "Email", wantMsg: `the domain "exa_mple.com" of the email address is not a valid domain name`},
		{name: "email Unicode domain", set: map[string]string{"Email": "jane@bücher.example"}},
		{name: "one mailbox listed twice", set: map[string]string{"Email": "jane@bücher.example; JANE@xn--bcher-kva.example"}, wantCol: "Email", wantMsg: "lists one mailbox twice"},
		{name: "signature hash", set: map[string]string{"Signature Hash": "sha1"}, wantCol: "Signature Hash", wantMsg: "sha256"},
		{name: "validity 3 for client", set: map[string]string{"Validity Years": "3"}, wantCol: "Validity Years", wantMsg: "one of 1, 2"},
		{name: "validity not int", set: map[string]string{"Validity Years": "1.5"}, wantCol: "Validity Years", wantMsg: "whole number"},
		{name: "validity octal trap", set: map[string]string{"Validity Years": "010"}, wantCol: "Validity Years", wantMsg: "one of"},
		{name: "custom date ok replaces validity", set: map[string]string{"Custom Expiration Date": "2027-06-30", "Validity Years": "9"}, wantCol: "Validity Years", wantMsg: "one of"},
		{name: "custom date format", set: map[string]string{"Custom Expiration Date": "30/06/2027"}, wantCol: "Custom Expiration Date", wantMsg: "yyyy-MM-dd"},
		{name: "custom date past", set: map[string]string{"Custom Expiration Date": "2026-11-23"}, wantCol: "Custom Expiration Date", wantMsg: "future"},
		// S/MIME certificates (the Multipurpose profile) last at most 824 days:
		// https://docs.digicert.com/nl/certcentral/order-and-manage-certificates/manage-certificate-orders/order-and-manage-your-client-certificates/reissue-your-client-certificate.html
		{name: "custom date 825 days: S/MIME allows 824", set: map[string]string{"Custom Expiration Date": "2029-02-25"}, wantCol: "Custom Expiration Date", wantMsg: "at most 824 days ahead (2029-02-24)"},
		{name: "custom date 824 days", set: map[string]string{"Custom Expiration Date": "2029-02-24"}},
		{name: "custom date as a midnight date-time", set: map[string]string{"Custom Expiration Date": "2027-06-30 00:00:00"}},
		{name: "custom date with a time of day", set: map[string]string{"Custom Expiration Date": "2027-06-30 14:30:00"}, wantCol: "Custom Expiration Date", wantMsg: "only at midnight"},
		{name: "payment method", set: map[string]string{"Payment Method": "cash"}, wantCol: "Payment Method", wantMsg: "balance, card, profile"},
		{name: "payment method case", set: map[string]string{"Payment Method": "Card"}},
		{name: "bool yes", set: map[string]string{"Skip Approval": "yes"}},
		{name: "bool bad", set: map[string]string{"Skip Approval": "maybe"}, wantCol: "Skip Approval", wantMsg: "true or false"},
		{name: "int bad", set: map[string]string{"Auto Renew": "two"}, wantCol: "Auto Renew", wantMsg: "whole number"},
		{name: "org id hex", set: map[string]string{"Organization ID": "0x1F"}, wantCol: "Organization ID", wantMsg: "whole number"},
		{name: "csr rsa2048", set: map[string]string{"CSR": c["rsa2048"]}},
		{name: "csr p256 flattened", set: map[string]string{"CSR": strings.ReplaceAll(c["p256"], "\n", " ")}},
		{name: "csr rsa1024", set: map[string]string{"CSR": c["rsa1024"]}, wantCol: "CSR", wantMsg: "2048"},
		{name: "csr p224", set: map[string]string{"CSR": c["p224"]}, wantCol: "CSR", wantMsg: "curve"},
		{name: "csr bad signature", set: map[string]string{"CSR": c["badsig"]}, wantCol: "CSR", wantMsg: "signature"},
		{name: "csr garbage", set: map[string]string{"CSR": "<csr>"}, wantCol: "CSR", wantMsg: "PEM"},
		{name: "custom fields json", set: map[string]string{"Custom Fields": `[{"metadata_id": 1, "value": "x"}]`}},
		{name: "custom fields bad json", set: map[string]string{"Custom Fields": `[{"metadata_id": 1,`}, wantCol: "Custom Fields", wantMsg: "JSON"},

		{name: "valid doc", doc: true},
		{name: "doc validity 3 ok", doc: true, set: map[string]string{"Validity Years": "3"}},
		{name: "doc validity 4", doc: true, set: map[string]string{"Validity Years": "4"}, wantCol: "Validity Years", wantMsg: "1, 2, 3"},
		{name: "subject job title required", doc: true, set: map[string]string{"Job Title": ""}, wantCol: "Job Title", wantMsg: "required"},
		{name: "subject phone required", doc: true, set: map[string]string{"Phone": ""}, wantCol: "Phone", wantMsg: "required"},
		{name: "subject email bad", doc: true, set: map[string]string{"Email": "rene"}, wantCol: "Email", wantMsg: "email"},
		{name: "provisioning bad", doc: true, set: map[string]string{"Provisioning Method": "pigeon"}, wantCol: "Provisioning Method", wantMsg: "ship_token, client_app, email"},
		{name: "email provisioning needs csr", doc: true, set: map[string]string{"Provisioning Method": "email"}, wantCol: "CSR", wantMsg: "required when cs_provisioning_method is email"},
		{name: "email provisioning with csr", doc: true, set: map[string]string{"Provisioning Method": "email", "CSR": c["p256"]}},
		{name: "ship info partial", doc: true, set: map[string]string{"Ship Name": "Erin Guerra"}, wantCol: "Ship Address 1", wantMsg: "required when any ship_info"},
		{name: "ship info method", doc: true, set: shipInfo("overnight"), wantCol: "Ship Method", wantMsg: "standard, expedited"},
		{name: "ship info full", doc: true, set: shipInfo("EXPEDITED")},
		{name: "user ids", doc: true, set: map[string]string{"User IDs": "12, 13"}},
		{name: "user ids bad", doc: true, set: map[string]string{"User IDs": "12, x"}, wantCol: "User IDs", wantMsg: `"x"`},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			header, cfg := clientHeader, rulesConfig
			base := map[string]string{"Full Name": "Lock Cole", "Email": "locke.cole@example.com", "Department": "Accounting",
				"First Name": "Lock", "Last Name": "Cole"}
			if tt.doc {
				header, cfg = docHeader, docConfig
				base = map[string]string{"Subject Name": "Rene Pierce", "Job Title": "School Counselor", "Phone": "054-139-0798",
					"Email": "rene.pierce@example.com", "Validity Years": "2"}
			}
			for k, v := range tt.set {
				base[k] = v
			}
			cells := make([]string, len(header))
			for i, h := range header {
				cells[i] = base[h]
			}
			m := compile(t, cfg, header)
			r := m.Map(7, cells, &Scratch{}, true)
			if tt.wantCol == "" {
				if !r.Valid() {
					t.Fatalf("want valid, got %v", r.Problems)
				}
				if !json.Valid(r.Payload) {
					t.Fatalf("invalid JSON payload %s", r.Payload)
				}
				return
			}
			for _, p := range r.Problems {
				if p.Column == tt.wantCol && strings.Contains(p.Message, tt.wantMsg) {
					if p.Row != 7 {
						t.Errorf("problem row %d, want 7", p.Row)
					}
					if r.Payload != nil {
						t.Error("invalid row has a payload")
					}
					return
				}
			}
			t.Fatalf("want a problem in column %q mentioning %q, got %v", tt.wantCol, tt.wantMsg, r.Problems)
		})
	}
}

func shipInfo(method string) map[string]string {
	return map[string]string{"Ship Name": "Erin Guerra", "Ship Address 1": "360 Taylor Street", "Ship City": "Richmond",
		"Ship State": "va", "Ship Zip": "69662", "Ship Country": "us", "Ship Method": method}
}

// All problems of a row are reported at once.
func TestAllProblemsAtOnce(t *testing.T) {
	m := compile(t, clientConfig, []string{"Full Name", "Email", "Validity Years", "Payment Method"})
	r := m.Map(3, []string{"", "bad", "7", "cash"}, &Scratch{}, false)
	if len(r.Problems) != 4 {
		t.Fatalf("want 4 problems, got %d: %v", len(r.Problems), r.Problems)
	}
	txt := r.ErrorText()
	for _, want := range []string{`Full Name: is required`, `Email "bad"`, `Validity Years "7"`, `Payment Method "cash"`} {
		if !strings.Contains(txt, want) {
			t.Errorf("error text %q lacks %q", txt, want)
		}
	}
}

func TestPayloadShape(t *testing.T) {
	m := compile(t, clientConfig+"  certificate.organization_units: Department\n", []string{"Full Name", "Email", "Department", "Custom Expiration Date"})
	r := m.Map(2, []string{"Zoë \"Q\" Ünal", "Zoe@Example.com, z2@example.com", "R&D; Ops", "2027-01-31"}, &Scratch{}, true)
	if !r.Valid() {
		t.Fatal(r.Problems)
	}
	var got map[string]any
	if err := json.Unmarshal(r.Payload, &got); err != nil {
		t.Fatalf("%v: %s", err, r.Payload)
	}
	want := map[string]any{
		"certificate": map[string]any{
			"common_name":           "Zoë \"Q\" Ünal",
			"emails":                []any{"Zoe@Example.com", "z2@example.com"},
			"signature_hash":        "sha256",
			"organization_units":    []any{"R&D", "Ops"},
			"common_name_indicator": "given_name_surname",
			"individual":            map[string]any{"first_name": "Lock", "last_name": "Cole"},
		},
		"organization":           map[string]any{"id": float64(112233)},
		"custom_expiration_date": "2027-01-31",
		"payment_method":         "balance",
	}
	if !jsonEqual(got, want) {
		t.Fatalf("payload\n got %s\nwant %v", r.Payload, want)
	}
	if r.Email != "zoe@example.com" || r.Identity != "client_premium_sha2|email:zoe@example.com" || r.CommonName != "Zoë \"Q\" Ünal" {
		t.Fatalf("identity fields: %+v", r)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestConfigErrors(t *testing.T) {
	header := []string{"Full Name", "E-Mail", "Dept", "Employee ID"}
	for _, c := range []struct{ name, cfg, want string }{
		{"unknown key", "product: client_premium_sha2\ncolour: red\n", "colour"},
		{"unknown product", "product: client_gold\n", `unknown product "client_gold"`},
		{"unknown column path", "product: client_premium_sha2\ncolumns: {certificate.nickname: Dept}\n", `unknown order field "certificate.nickname"`},
		{"missing header", "product: client_premium_sha2\ncolumns: {certificate.emails: Mail Address}\n", `header "Mail Address" is not in the input`},
		{"unknown order path", "product: client_premium_sha2\norder: {organisation: {id: 1}}\n", `unknown order field "organisation"`},
		{"bad constant", "product: client_premium_sha2\norder: {validity_years: 5}\n", "validity_years: 5: must be one of 1, 2"},
		{"missing key header", "product: client_premium_sha2\nkey: Staff Number\n", `key: header "Staff Number"`},
		{"no product", "order: {validity_years: 1}\n", "no product"},
		{"list constant for int", "product: client_premium_sha2\norder: {validity_years: [1, 2]}\n", "not a list"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(c.cfg))
			if err == nil {
				_, err = Compile(cfg, header, builtin(t), Options{Now: fixedNow})
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want a ConfigError mentioning %q", err, c.want)
			}
		})
	}
}

func TestHeaderMatching(t *testing.T) {
	for _, c := range []struct{ a, b string }{{"E-Mail", "email"}, {" Full  Name ", "fullname"}, {"이메일", "이메일"}, {"Organization_ID", "organizationid"}} {
		if got := NormalizeHeader(c.a); got != c.b {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", c.a, got, c.b)
		}
	}
	// Default headers are found case- and punctuation-insensitively.
	m := compile(t, "product: client_premium_sha2\norder: {organization: {id: 1}, validity_years: 1, certificate: {individual: {first_name: T, last_name: P}}}\n", []string{"full-name", "E-MAIL"})
	r := m.Map(2, []string{"A B", "a@example.com"}, &Scratch{}, true)
	if !r.Valid() || !strings.Contains(string(r.Payload), `"common_name":"A B"`) {
		t.Fatalf("%v %s", r.Problems, r.Payload)
	}
}

func TestProductColumnAndKey(t *testing.T) {
	header := []string{"Product", "Employee ID", "Full Name", "Email", "Job Title", "Phone"}
	cfg := "product: client_premium_sha2\nkey: Employee ID\norder: {organization: {id: 1}, validity_years: 1, certificate: {individual: {first_name: T, last_name: P}}}\n"
	m := compile(t, cfg, header)
	sc := &Scratch{}
	d := NewDeduper()
	rows := [][]string{
		{"", "E1", "A", "a@example.com", "", ""},
		{"document_signing_org_1", "E2", "B", "b@example.com", "Clerk", "1"},
		{"client_gold", "E3", "C", "c@example.com", "", ""},
		{"", "E1", "A again", "other@example.com", "", ""},                       // same key
		{"client_premium_sha2", "E4", "A twin", "A@Example.com", "", ""},         // same email, other case
		{"document_signing_org_1", "E5", "A doc", "a@example.com", "Clerk", "1"}, // other product: fine
		{"", "", "No key", "k@example.com", "", ""},
	}
	var res []Result
	for i, cells := range rows {
		r := m.Map(i+2, cells, sc, true)
		d.Check(&r)
		res = append(res, r)
	}
	if !res[0].Valid() || res[0].Identity != "client_premium_sha2|key:E1" {
		t.Errorf("row 2: %+v", res[0])
	}
	if !res[1].Valid() || res[1].Product != "document_signing_org_1" || !strings.Contains(string(res[1].Payload), `"subject":{"name":"B"`) {
		t.Errorf("row 3: %v %s", res[1].Problems, res[1].Payload)
	}
	if res[2].Valid() || res[2].Problems[0].Column != "Product" {
		t.Errorf("row 4: %v", res[2].Problems)
	}
	if res[3].Valid() || !strings.Contains(res[3].ErrorText(), "duplicate of row 2 (same product and key)") {
		t.Errorf("row 5: %v", res[3].Problems)
	}
	if res[4].Valid() || !strings.Contains(res[4].ErrorText(), "duplicate of row 2 (same product and email)") {
		t.Errorf("row 6: %v", res[4].Problems)
	}
	if !res[5].Valid() {
		t.Errorf("row 7: %v", res[5].Problems)
	}
	if res[6].Valid() || !strings.Contains(res[6].ErrorText(), "Employee ID: is empty") {
		t.Errorf("row 8: %v", res[6].Problems)
	}
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "ctl\x00\x1f\t\n\r", "ünï 漢字 🙂", "\u2028\u2029", "bad\xffutf8"} {
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if got != want {
			t.Errorf("round trip %q -> %q", s, got)
		}
	}
}

func TestIDTableGrowsAndFindsEverything(t *testing.T) {
	var tab idTable
	tab.init(4)
	for i := uint64(1); i <= 20000; i++ {
		if _, dup := tab.insert(i*0x9E3779B97F4A7C15, uint32(i)); dup {
			t.Fatalf("false duplicate at %d", i)
		}
	}
	for i := uint64(1); i <= 20000; i++ {
		row, dup := tab.insert(i*0x9E3779B97F4A7C15, 0)
		if !dup || row != uint32(i) {
			t.Fatalf("hash %d: row %d dup %v", i, row, dup)
		}
	}
	if tab.n != 20000 || tab.n*5 > tab.slots()*4 {
		t.Fatalf("n %d in %d slots", tab.n, tab.slots())
	}
	for i := range tab.parts {
		if p := &tab.parts[i]; p.n*5 > len(p.keys)*4 {
			t.Fatalf("part %d over 80%% full: %d of %d", i, p.n, len(p.keys))
		}
	}
	if _, dup := tab.insert(0, 5); dup {
		t.Fatal("hash 0 collides with the empty marker")
	}
}

// DigiCert's current product IDs are the same products as the older
// ones: a person ordered under either is not ordered again.
func TestProductAliasesShareIdentity(t *testing.T) {
	m := compile(t, "product: client_premium_sha2\norder: {organization: {id: 1}, validity_years: 1, certificate: {individual: {first_name: T, last_name: P}}}\n", []string{"Product", "Full Name", "Email"})
	sc, d := &Scratch{}, NewDeduper()
	a := m.Map(2, []string{"client_premium_sha2", "A", "a@example.com"}, sc, true)
	b := m.Map(3, []string{"client_premium", "A", "a@example.com"}, sc, true)
	c := m.Map(4, []string{"client_email_security_plus", "A", "a@example.com"}, sc, true)
	for _, r := range []*Result{&a, &b, &c} {
		d.Check(r)
	}
	if a.Identity != "client_premium_sha2|email:a@example.com" || b.Identity != a.Identity {
		t.Errorf("identities %q and %q", a.Identity, b.Identity)
	}
	if b.Valid() || !strings.Contains(b.ErrorText(), "duplicate of row 2") {
		t.Errorf("alias not a duplicate: %v", b.Problems)
	}
	if !c.Valid() || b.Product != "client_premium" {
		t.Errorf("another product is not a duplicate, and the row keeps its product ID: %v %s", c.Problems, b.Product)
	}
}

// The plan shown before submitting learns what each order buys from the
// mapper, not from the JSON it built.
func TestTerms(t *testing.T) {
	header := []string{"Full Name", "Email", "Validity Years", "Expires", "Payment Method"}
	m := compile(t, "product: client_premium_sha2\norder: {organization: {id: 1}, validity_years: 1, certificate: {individual: {first_name: T, last_name: P}}}\n", header)
	tests := []struct {
		cells             []string
		validity, payment string
	}{
		{[]string{"A", "a@example.com", "", "", ""}, "1 year", ""},
		{[]string{"B", "b@example.com", "2", "", "card"}, "2 years", "card"},
		{[]string{"C", "c@example.com", "2", "2027-06-30", "BALANCE"}, "until 2027-06-30", "balance"},
	}
	var sc Scratch
	for _, tt := range tests {
		r := m.Map(2, tt.cells, &sc, false)
		if !r.Valid() || r.Validity != tt.validity || r.Payment != tt.payment {
			t.Errorf("%q: valid %v, validity %q, payment %q; want %q, %q (%s)", tt.cells, r.Valid(), r.Validity, r.Payment, tt.validity, tt.payment, r.ErrorText())
		}
	}
}

// What each client product sends of the S/MIME profile fields and the
// common name (certcentral-today.md §1).
func TestPerProductFields(t *testing.T) {
	header := []string{"Product", "Full Name", "Email", "First Name", "Last Name", "Pseudonym"}
	m := compile(t, "product: client_premium\norder: {organization: {id: 1}, validity_years: 1}\n", header)
	tests := []struct {
		cells      []string
		want       map[string]any // certificate object
		commonName string
	}{
		{[]string{"", "Lock Cole", "Locke.Cole@example.com", "Lock", "Cole", ""},
			map[string]any{"common_name": "Lock Cole", "emails": []any{"Locke.Cole@example.com"}, "signature_hash": "sha256",
				"common_name_indicator": "given_name_surname", "individual": map[string]any{"first_name": "Lock", "last_name": "Cole"}}, "Lock Cole"},
		{[]string{"client_digital_signature_plus_sha2", "Agent", "a7@example.com", "", "", "Agent 7"},
			map[string]any{"common_name": "Agent", "emails": []any{"a7@example.com"}, "signature_hash": "sha256",
				"common_name_indicator": "pseudonym", "individual": map[string]any{"pseudonym": "Agent 7"}}, "Agent"},
		{[]string{"class1_smime", "Ignored Name", "Mail.Box@example.com", "Ignored", "Too", ""},
			map[string]any{"emails": []any{"Mail.Box@example.com"}, "signature_hash": "sha256"}, "Mail.Box@example.com"},
		{[]string{"client_authentication_plus", "Auth Only", "auth@example.com", "Not", "Sent", ""},
			map[string]any{"common_name": "Auth Only", "emails": []any{"auth@example.com"}, "signature_hash": "sha256"}, "Auth Only"},
	}
	var sc Scratch
	for _, tt := range tests {
		r := m.Map(2, tt.cells, &sc, true)
		if !r.Valid() {
			t.Errorf("%q: %v", tt.cells, r.Problems)
			continue
		}
		var got struct {
			Certificate map[string]any `json:"certificate"`
		}
		if err := json.Unmarshal(r.Payload, &got); err != nil {
			t.Fatal(err)
		}
		if !jsonEqual(got.Certificate, tt.want) || r.CommonName != tt.commonName {
			t.Errorf("%s: certificate %v (common name %q)\nwant %v (%q)", tt.cells[0], got.Certificate, r.CommonName, tt.want, tt.commonName)
		}
	}
}

// Every header the config names and the file lacks is reported at once,
// with a near miss.
func TestMissingHeadersAtOnce(t *testing.T) {
	cfg, _ := ParseConfig([]byte("product: client_premium\nkey: Employe ID\ncolumns: {certificate.common_name: Ful Name, certificate.emails: Mail Address}\n"))
	_, err := Compile(cfg, []string{"Employee ID", "Full Name", "Email"}, builtin(t), Options{Now: fixedNow})
	if err == nil {
		t.Fatal("compiled")
	}
	msg := err.Error()
	for _, want := range []string{`key: header "Employe ID" is not in the input (did you mean "Employee ID"?)`,
		`header "Ful Name" is not in the input (did you mean "Full Name"?)`, `header "Mail Address" is not in the input`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if _, err := ParseConfig([]byte("product: client_premium\ncolums: {}\n")); err == nil || !strings.Contains(err.Error(), `unknown key "colums" (did you mean "columns"?)`) || strings.Contains(err.Error(), "mapping.Config") {
		t.Errorf("unknown key: %v", err)
	}
}
