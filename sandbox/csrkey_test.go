package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"testing"
)

// Rule: "We only use the public key embedded in the CSR to create your
// certificate. All other fields in the CSR are ignored", for RSA
// 2048/3072/4096 and ECC P-256/P-384 (docs.digicert.com
// manage-certificates/client-certificates-guide/issue-personal-id-certificates-admin/),
// and certificate.csr is optional for every client product ID
// (dev.digicert.com .../orders/order-client-certificate.html). The
// certificate of an order with a CSR carries that CSR's key, whatever
// its kind, and the order's names, not the CSR's: what certbatch's
// generated keys need to match their certificates.
func TestIssuedCertificateCarriesTheCSRKeyOnly(t *testing.T) {
	_, base, _ := start(t, Config{})
	r3072, _ := rsa.GenerateKey(rand.Reader, 3072)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for i, c := range []struct {
		product string
		key     crypto.Signer
	}{{"client_premium", r3072}, {"client_email_security_plus", p384}, {"client_authentication_plus", p256}, {"class1_smime", p256}} {
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "Not The Order's Name"},
			EmailAddresses: []string{"other@example.org"}}, c.key)
		if err != nil {
			t.Fatal(err)
		}
		csr := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
		email := string(rune('a'+i)) + "@example.com"
		body := modify(t, simpleClient(email, "Ann Lee", true), set("certificate.csr", csr))
		if c.product == "class1_smime" || c.product == "client_authentication_plus" {
			body = modify(t, body, del("certificate.common_name_indicator"), del("certificate.individual"))
		}
		if c.product == "class1_smime" {
			body = modify(t, body, del("certificate.common_name"))
		}
		a := place(t, base, c.product, body)
		chain, ok := a.body["certificate_chain"].([]any)
		if !ok || len(chain) == 0 {
			t.Fatalf("%s: issued at once without a chain: %s", c.product, a.raw)
		}
		leaf := pemCerts(t, obj(t, chain[0])["pem"].(string))[0]
		if !leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(c.key.Public()) {
			t.Errorf("%s: the certificate does not carry the CSR's %T key", c.product, c.key)
		}
		if leaf.Subject.CommonName == "Not The Order's Name" || len(leaf.EmailAddresses) != 1 || leaf.EmailAddresses[0] != email {
			t.Errorf("%s: the CSR's names were used: %v %v", c.product, leaf.Subject, leaf.EmailAddresses)
		}
	}
}
