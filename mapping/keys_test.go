package mapping

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/keys"
)

// The three ways to a key, per batch (config, flag) or per row (a
// column), and what each asks of the row and the product: csr needs a
// CSR, link and generate none; generate needs a product whose order
// takes a CSR for a key that may live in software (client certificates:
// dev.digicert.com .../order-client-certificate.html, certificate.csr
// optional for every product ID) and is refused for document signing
// (docs.digicert.com .../order-your-document-signing-for-individual-certificate.html:
// the key must be made on a FIPS 140-2 Level 2 token or HSM).
func TestKeyMethods(t *testing.T) {
	csr := testCSRs(t)["p256"]
	header := []string{"Full Name", "Email", "First Name", "Last Name", "CSR", "Key Method", "Product", "Subject Name", "Job Title", "Phone", "Provisioning Method"}
	row := func(set map[string]string) []string {
		base := map[string]string{"Full Name": "Lock Cole", "Email": "locke.cole@example.com", "First Name": "Lock", "Last Name": "Cole",
			"Subject Name": "Lock Cole", "Job Title": "Clerk", "Phone": "000"}
		for k, v := range set {
			base[k] = v
		}
		cells := make([]string, len(header))
		for i, h := range header {
			cells[i] = base[h]
		}
		return cells
	}
	base := "product: client_premium\norder: {organization: {id: 112233}, validity_years: 1}\n"
	cases := []struct {
		name, cfg, flag string
		set             map[string]string
		want            string // key method of a valid row
		wantCol, wantIn string // a problem
	}{
		{name: "no CSR: link, as before", cfg: base, want: KeyLink},
		{name: "a CSR: csr, as before", cfg: base, set: map[string]string{"CSR": csr}, want: KeyCSR},
		{name: "batch generate", cfg: base + "keys: {method: generate}\n", want: KeyGenerate},
		{name: "flag generate", cfg: base, flag: "generate", want: KeyGenerate},
		{name: "flag wins over config", cfg: base + "keys: {method: generate}\n", flag: "link", want: KeyLink},
		{name: "per row column wins", cfg: base + "keys: {method: link, column: Key Method}\n", set: map[string]string{"Key Method": "Generate"}, want: KeyGenerate},
		{name: "empty cell: batch method", cfg: base + "keys: {method: generate, column: Key Method}\n", want: KeyGenerate},
		{name: "class1 generate", cfg: base, flag: "generate", set: map[string]string{"Product": "class1_smime"}, want: KeyGenerate},
		{name: "authentication plus generate", cfg: base, flag: "generate", set: map[string]string{"Product": "client_authentication_plus"}, want: KeyGenerate},
		{name: "csr without CSR", cfg: base + "keys: {method: csr}\n", wantCol: "CSR", wantIn: "is required when the key method is csr"},
		{name: "link with a CSR", cfg: base + "keys: {method: link}\n", set: map[string]string{"CSR": csr}, wantCol: "CSR", wantIn: "the key method is link"},
		{name: "generate with a CSR", cfg: base, flag: "generate", set: map[string]string{"CSR": csr}, wantCol: "CSR", wantIn: "certbatch generates this row's key (--key-method)"},
		{name: "bad cell", cfg: base + "keys: {column: Key Method}\n", set: map[string]string{"Key Method": "browser"}, wantCol: "Key Method", wantIn: "must be one of link, csr, generate"},
		{name: "document signing refuses generate", cfg: base + "keys: {method: generate}\n", set: map[string]string{"Product": "document_signing_org_1", "Provisioning Method": "ship_token"},
			wantCol: "config keys.method", wantIn: "FIPS 140-2 Level 2"},
		{name: "document signing by link", cfg: base, set: map[string]string{"Product": "document_signing_org_1", "Provisioning Method": "ship_token"}, want: KeyLink},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(c.cfg))
			if err != nil {
				t.Fatal(err)
			}
			m, err := Compile(cfg, header, builtin(t), Options{Now: fixedNow, KeyMethod: c.flag})
			if err != nil {
				t.Fatal(err)
			}
			r := m.Map(2, row(c.set), &Scratch{}, true)
			if c.wantCol == "" {
				if !r.Valid() || r.KeyMethod != c.want {
					t.Fatalf("method %q, problems %v; want %s", r.KeyMethod, r.Problems, c.want)
				}
				return
			}
			if r.Valid() || r.Problems[0].Column != c.wantCol || !strings.Contains(r.Problems[0].Message, c.wantIn) {
				t.Fatalf("problems %+v; want %s: %s", r.Problems, c.wantCol, c.wantIn)
			}
		})
	}
}

// A generated row's body leaves the CSR empty until the key exists;
// PayloadWithCSR puts the CSR there and nowhere else, and the CSR's
// subject is what the order carries.
func TestPayloadWithCSR(t *testing.T) {
	m := compile(t, "product: client_premium\nkey: Employee ID\nkeys: {method: generate, algorithm: p384}\norder: {organization: {id: 112233}, validity_years: 1}\ncolumns: {comments: Comments}\n",
		[]string{"Employee ID", "Full Name", "Email", "First Name", "Last Name", "Department", "Comments"})
	// A comment holding an empty JSON string, quotes and the word csr must stay as it is.
	r := m.Map(2, []string{"E1", "Ann Lee", "ann@corp.example.net; a.lee@corp.example.net", "Ann", "Lee", "Sales", `"" csr ""`}, &Scratch{}, true)
	if !r.Valid() || r.KeyMethod != KeyGenerate || r.KeyAlgorithm != keys.P384 {
		t.Fatalf("%+v", r)
	}
	want := keys.Subject{CommonName: "Ann Lee", Emails: []string{"ann@corp.example.net", "a.lee@corp.example.net"}, OrgUnits: []string{"Sales"}, GivenName: "Ann", Surname: "Lee"}
	if got := r.CSRSubject; got.CommonName != want.CommonName || strings.Join(got.Emails, ",") != strings.Join(want.Emails, ",") ||
		strings.Join(got.OrgUnits, ",") != "Sales" || got.GivenName != "Ann" || got.Surname != "Lee" {
		t.Errorf("subject %+v", got)
	}
	var before map[string]any
	if err := json.Unmarshal(r.Payload, &before); err != nil {
		t.Fatal(err)
	}
	if before["certificate"].(map[string]any)["csr"] != "" {
		t.Fatalf("body before the key: %s", r.Payload)
	}
	k, _ := keys.Generate(keys.P256)
	pemText, _ := keys.CSR(k, r.CSRSubject)
	body, err := r.PayloadWithCSR(pemText)
	if err != nil {
		t.Fatal(err)
	}
	var after map[string]any
	if err := json.Unmarshal(body, &after); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if after["certificate"].(map[string]any)["csr"] != pemText || after["comments"] != `"" csr ""` {
		t.Fatalf("body: %s", body)
	}
	b, _ := pem.Decode([]byte(after["certificate"].(map[string]any)["csr"].(string)))
	if req, err := x509.ParseCertificateRequest(b.Bytes); err != nil || req.Subject.CommonName != "Ann Lee" {
		t.Fatalf("csr: %v", err)
	}
	// Only a generated row has a CSR to fill in.
	m2 := compile(t, clientConfig, []string{"Full Name", "Email"})
	r2 := m2.Map(2, []string{"Lock Cole", "locke.cole@example.com"}, &Scratch{}, true)
	if _, err := r2.PayloadWithCSR(pemText); err == nil {
		t.Error("a link row took a CSR")
	}
}

func TestKeysConfigErrors(t *testing.T) {
	header := []string{"Full Name", "Email"}
	for cfg, want := range map[string]string{
		"product: client_premium\nkeys: {method: browser}\n":                    `config keys.method: unknown key method "browser"`,
		"product: client_premium\nkeys: {algorithm: rsa1024}\n":                 `config keys.algorithm: unknown key algorithm "rsa1024"`,
		"product: client_premium\nkeys: {column: Key Methd}\n":                  `keys.column: header "Key Methd" is not in the input`,
		"product: client_premium\nkeys: {methd: generate}\n":                    `unknown key "methd" under keys: (did you mean "method"?)`,
		"product: client_premium\nkyes: {method: generate}\n":                   `unknown key "kyes" (did you mean "keys"?)`,
		"product: client_premium\nkeys: {method: generate, algorithm: p-384}\n": "",
	} {
		c, err := ParseConfig([]byte(cfg))
		if err == nil {
			_, err = Compile(c, header, builtin(t), Options{Now: fixedNow})
		}
		if want == "" {
			if err != nil {
				t.Errorf("%q: %v", cfg, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %s", cfg, err, want)
		}
	}
	c, _ := ParseConfig([]byte("product: client_premium\n"))
	if _, err := Compile(c, header, builtin(t), Options{KeyMethod: "gen"}); err == nil || !strings.Contains(err.Error(), `--key-method: unknown key method "gen"`) {
		t.Errorf("flag: %v", err)
	}
}
