package sandbox

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// pemCerts parses a PEM bundle of certificates; it fails the test on
// anything else in it.
func pemCerts(t *testing.T, b string) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	rest := []byte(b)
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			t.Fatalf("PEM block %s", blk.Type)
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if strings.TrimSpace(string(rest)) != "" {
		t.Fatalf("trailing data: %q", rest)
	}
	return out
}

// p7bCerts reads the certificates of a PEM PKCS #7 bundle with
// encoding/asn1 alone.
func p7bCerts(t *testing.T, b string) []*x509.Certificate {
	t.Helper()
	blk, rest := pem.Decode([]byte(b))
	if blk == nil || blk.Type != "PKCS7" || len(strings.TrimSpace(string(rest))) != 0 {
		t.Fatalf("not one PKCS7 PEM block: %q", b)
	}
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}
	if _, err := asn1.Unmarshal(blk.Bytes, &ci); err != nil || !ci.ContentType.Equal(oidSignedData) {
		t.Fatalf("content info %v: %v", ci.ContentType, err)
	}
	var sd struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		ContentInfo      struct{ ContentType asn1.ObjectIdentifier }
		Certificates     asn1.RawValue `asn1:"tag:0"`
		SignerInfos      asn1.RawValue
	}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		t.Fatal(err)
	}
	if sd.Version != 1 || !sd.ContentInfo.ContentType.Equal(oidPKCS7Data) || len(sd.DigestAlgorithms.Bytes) != 0 || len(sd.SignerInfos.Bytes) != 0 || sd.SignerInfos.Tag != asn1.TagSet {
		t.Fatalf("signed data %+v", sd)
	}
	certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return certs
}

// Downloads are real X.509 certificates from the sandbox CA (today.md
// §5): the CSR's key, the order's names and validity.
func TestDownloads(t *testing.T) {
	_, base, clk := start(t, Config{IssueDelay: time.Hour})
	seed := clientSeed(t)
	var csrPEM string
	{
		var m map[string]any
		json.Unmarshal([]byte(seed), &m)
		csrPEM = m["certificate"].(map[string]any)["csr"].(string)
	}
	blk, _ := pem.Decode([]byte(csrPEM))
	csr, err := x509.ParseCertificateRequest(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	place(t, base, "client_premium", modify(t, seed, set("validity_years", 2)))                // 100001, cert 900001, with CSR
	place(t, base, "client_authentication_plus", simpleClient("b@example.com", "Bob B", true)) // 100002, cert 900002
	place(t, base, "client_premium", simpleClient("c@example.com", "C", false))                // 100003, needs approval
	get := func(path string) answer { t.Helper(); return callRaw(t, "GET", base+path, key, "") }

	// Pending: nothing to download yet.
	for _, p := range []string{"/certificate/900001/download/format/pem_all", "/certificate/download/order/100001/format/pem_all",
		"/certificate/download/order/100003/format/p7b"} {
		if a := get(p); a.status != 404 || !slices.Equal(codes(t, a), []string{"not_found|certificate"}) {
			t.Errorf("%s before issuance: %d %s", p, a.status, a.raw)
		}
	}
	clk.add(time.Hour)
	all := get("/certificate/900001/download/format/pem_all")
	if all.status != 200 || all.header.Get("Content-Type") != "application/x-pem-file" {
		t.Fatalf("%d %s %s", all.status, all.header, all.raw)
	}
	chain := pemCerts(t, all.raw)
	if len(chain) != 3 {
		t.Fatalf("pem_all has %d certificates", len(chain))
	}
	leaf, inter, root := chain[0], chain[1], chain[2]
	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(root)
	inters.AddCert(inter)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, CurrentTime: t0.Add(2 * time.Hour),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}); err != nil {
		t.Errorf("chain does not verify: %v", err)
	}
	if !leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(csr.PublicKey) {
		t.Error("the leaf does not carry the CSR's public key")
	}
	if leaf.Subject.CommonName != "Lock Cole" || !slices.Equal(leaf.EmailAddresses, []string{"locke.cole@example.com"}) ||
		!slices.Equal(leaf.Subject.Organization, []string{"Example Corp"}) || !slices.Equal(leaf.Subject.OrganizationalUnit, []string{"Accounting"}) ||
		!leaf.NotBefore.Equal(t0.Add(time.Hour)) || !leaf.NotAfter.Equal(time.Date(2028, 11, 23, 23, 59, 59, 0, time.UTC)) ||
		fmt.Sprintf("%x", leaf.SerialNumber) != "d1c0000000dbba1" || leaf.IsCA || !root.IsCA || !inter.IsCA {
		t.Errorf("leaf %v %v %v %v–%v serial %x", leaf.Subject, leaf.EmailAddresses, leaf.Subject.OrganizationalUnit, leaf.NotBefore, leaf.NotAfter, leaf.SerialNumber)
	}
	var given, surname string
	for _, n := range leaf.Subject.Names {
		switch {
		case n.Type.Equal(oidGivenName):
			given = fmt.Sprint(n.Value)
		case n.Type.Equal(oidSurname):
			surname = fmt.Sprint(n.Value)
		}
	}
	if given != "Lock" || surname != "Cole" {
		t.Errorf("given name %q, surname %q", given, surname)
	}
	// The same certificate every time, and by order ID.
	if again := get("/certificate/900001/download/format/pem_all"); again.raw != all.raw {
		t.Error("a second download differs")
	}
	if byOrder := get("/certificate/download/order/100001/format/pem_all"); byOrder.raw != all.raw || byOrder.status != 200 {
		t.Errorf("by order: %d", byOrder.status)
	}
	for _, c := range []struct {
		format string
		want   []*x509.Certificate
	}{{"pem_noroot", chain[:2]}, {"pem_nointermediate", chain[:1]}} {
		a := get("/certificate/900001/download/format/" + c.format)
		got := pemCerts(t, a.raw)
		if a.status != 200 || !slices.EqualFunc(got, c.want, (*x509.Certificate).Equal) {
			t.Errorf("%s: %d, %d certificates", c.format, a.status, len(got))
		}
	}
	p7 := get("/certificate/download/order/100001/format/p7b")
	if p7.status != 200 || p7.header.Get("Content-Type") != "application/x-pkcs7-certificates" ||
		!slices.EqualFunc(p7bCerts(t, p7.raw), chain, (*x509.Certificate).Equal) {
		t.Errorf("p7b: %d %s", p7.status, p7.header)
	}
	// Without a CSR: a generated key; client_authentication_plus is for
	// client authentication only.
	bob := pemCerts(t, get("/certificate/900002/download/format/pem_nointermediate").raw)[0]
	if bob.Subject.CommonName != "Bob B" || !slices.Equal(bob.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}) ||
		bob.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(csr.PublicKey) {
		t.Errorf("generated-key certificate %v %v", bob.Subject, bob.ExtKeyUsage)
	}
	for _, c := range []struct {
		path, code string
		status     int
	}{
		{"/certificate/900001/download/format/zip", "invalid_value:format", 400},
		{"/certificate/900001/download/format/default_pem", "invalid_value:format", 400},
		{"/certificate/900009/download/format/pem_all", "not_found|certificate", 404},
		{"/certificate/abc/download/format/pem_all", "not_found|certificate", 404},
		{"/certificate/download/order/100009/format/pem_all", "not_found|order", 404},
	} {
		if a := get(c.path); a.status != c.status || !slices.Equal(codes(t, a), []string{c.code}) {
			t.Errorf("%s: %d %s", c.path, a.status, a.raw)
		}
	}
}

// An order issued at once brings its chain in the POST answer: the PEMs
// pem_all downloads (today.md §2).
func TestChainInOrderAnswer(t *testing.T) {
	_, base, _ := start(t, Config{})
	a := place(t, base, "client_premium", clientSeed(t))
	var pems []string
	for _, c := range a.body["certificate_chain"].([]any) {
		pems = append(pems, obj(t, c)["pem"].(string))
	}
	all := callRaw(t, "GET", base+"/certificate/900001/download/format/pem_all", key, "")
	if strings.Join(pems, "") != all.raw {
		t.Errorf("chain in the answer differs from pem_all")
	}
	names := []string{"Lock Cole", "CertCentral Sandbox Client CA", "CertCentral Sandbox Root CA"}
	for i, c := range a.body["certificate_chain"].([]any) {
		if obj(t, c)["subject_common_name"] != names[i] {
			t.Errorf("chain %d: %v", i, c)
		}
	}
	// Not issued at once (no CSR, waiting for pickup): no chain.
	_, base2, _ := start(t, Config{ManualPickup: true})
	if b := place(t, base2, "client_premium", simpleClient("a@example.com", "A", true)); b.body["certificate_chain"] != nil || b.body["certificate_id"] == nil {
		t.Errorf("chain without issuance: %s", b.raw)
	}
}
