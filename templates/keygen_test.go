package templates

import (
	"strings"
	"testing"
)

// Which products certbatch may generate a key for, from DigiCert's
// pages: every client certificate (order-client-certificate: certificate.csr
// is optional for all five IDs), never document signing (the key must be
// made on a FIPS 140-2 Level 2 token or HSM), and never a family whose
// template does not say.
func TestGenerateRefusal(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"client_premium", "client_premium_sha2", "client_email_security_plus", "client_authentication_plus",
		"client_digital_signature_plus", "client_digital_signature_plus_sha2", "class1_smime",
		"secure_email_mailbox", "secure_email_sponsor", "secure_email_organization"} {
		tpl, _ := set.ForProduct(id)
		if why := tpl.GenerateRefusal(id); why != "" {
			t.Errorf("%s: refused: %s", id, why)
		}
		if f := tpl.CSRField(id); f == nil || f.Path != "certificate.csr" {
			t.Errorf("%s: CSR field %v", id, f)
		}
	}
	for _, id := range []string{"document_signing_org_1", "document_signing_org_2", "ds_org", "ds_org_individual", "ds_individual"} {
		tpl, _ := set.ForProduct(id)
		if why := tpl.GenerateRefusal(id); !strings.Contains(why, "FIPS 140-2 Level 2") || !strings.Contains(why, "link") {
			t.Errorf("%s: %q", id, why)
		}
	}
	// A template that does not say is refused.
	tpl, err := Parse([]byte("family: f\nidentity: e\nproducts: [{id: p}]\nfields:\n  - {path: e, type: string}\n  - {path: csr, type: string, format: csr}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if why := tpl.GenerateRefusal("p"); !strings.Contains(why, "does not say") {
		t.Errorf("unsaid: %q", why)
	}
	// allowed without a CSR field, refused without a reason: template errors.
	for _, bad := range []string{
		"family: f\nidentity: e\nproducts: [{id: p}]\nkey_generation: {allowed: true}\nfields:\n  - {path: e, type: string}\n",
		"family: f\nidentity: e\nproducts: [{id: p}]\nkey_generation: {allowed: false}\nfields:\n  - {path: e, type: string}\n",
	} {
		if _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "key_generation") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
