package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"software.sslmate.com/src/go-pkcs12"
)

func TestParseAlgorithm(t *testing.T) {
	for in, want := range map[string]Algorithm{"": P256, "p256": P256, "P-256": P256, "ecdsa-p384": P384, "P384": P384, "rsa3072": RSA3072, "RSA-3072": RSA3072} {
		got, err := ParseAlgorithm(in)
		if err != nil || got != want {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"rsa1024", "ed25519", "p521"} {
		if _, err := ParseAlgorithm(bad); err == nil || !strings.Contains(err.Error(), Algorithms) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// Each algorithm makes the key it names, and its CSR names the order's
// subject and carries the key (DigiCert uses only the CSR's public key:
// docs.digicert.com .../issue-personal-id-certificates-admin/).
func TestGenerateAndCSR(t *testing.T) {
	sub := Subject{CommonName: "Ann Lee", Emails: []string{"ann@corp.example.net", "a.lee@corp.example.net"}, OrgUnits: []string{"Sales"},
		GivenName: "Ann", Surname: "Lee"}
	for _, a := range []Algorithm{P256, P384, RSA3072} {
		k, err := Generate(a)
		if err != nil {
			t.Fatal(err)
		}
		switch pub := k.Public().(type) {
		case *ecdsa.PublicKey:
			if want := map[Algorithm]elliptic.Curve{P256: elliptic.P256(), P384: elliptic.P384()}[a]; pub.Curve != want {
				t.Errorf("%s: curve %s", a, pub.Curve.Params().Name)
			}
		case *rsa.PublicKey:
			if a != RSA3072 || pub.N.BitLen() != 3072 {
				t.Errorf("%s: RSA %d", a, pub.N.BitLen())
			}
		}
		p, err := CSR(k, sub)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := pem.Decode([]byte(p))
		req, err := x509.ParseCertificateRequest(b.Bytes)
		if err != nil || req.CheckSignature() != nil {
			t.Fatalf("%s: %v", a, err)
		}
		if req.Subject.CommonName != "Ann Lee" || strings.Join(req.EmailAddresses, ",") != "ann@corp.example.net,a.lee@corp.example.net" ||
			len(req.Subject.OrganizationalUnit) != 1 {
			t.Errorf("%s: subject %v emails %v", a, req.Subject, req.EmailAddresses)
		}
		names := map[string]string{}
		for _, n := range req.Subject.Names {
			names[n.Type.String()] = n.Value.(string)
		}
		if names["2.5.4.42"] != "Ann" || names["2.5.4.4"] != "Lee" {
			t.Errorf("%s: names %v", a, names)
		}
		f1, _ := Fingerprint(req.PublicKey)
		f2, _ := Fingerprint(k.Public())
		if f1 != f2 || len(f1) != 64 {
			t.Errorf("%s: fingerprints %s %s", a, f1, f2)
		}
	}
}

// A stored key is age ciphertext from its first byte on disk, mode
// 0600 in a 0700 folder; it opens with the identity and not without.
func TestStorePutOpenDestroy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := NewStore(dir)
	id, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	k, _ := Generate(P256)
	path, err := s.Put("k1", k, []age.Recipient{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	if !bytes.HasPrefix(raw, []byte("age-encryption.org/v1")) || bytes.Contains(raw, der) || bytes.Contains(raw, k.(*ecdsa.PrivateKey).D.Bytes()) {
		t.Fatal("the stored key is not age ciphertext or holds the key in clear")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files in the store: %v (no temporary file may stay)", entries)
	}
	got, err := Open(path, []age.Identity{id})
	if err != nil || !got.(*ecdsa.PrivateKey).Equal(k) {
		t.Fatalf("open: %v", err)
	}
	if _, err := Open(path, []age.Identity{other}); !errors.Is(err, ErrNoIdentity) {
		t.Errorf("another identity: %v", err)
	}
	if _, err := s.Put("k2", k, nil); err == nil {
		t.Error("a key was stored without a recipient")
	}
	if err := Destroy(path); err != nil || Exists(path) {
		t.Fatalf("destroy: %v", err)
	}
	if err := Destroy(path); err != nil {
		t.Errorf("destroying twice: %v", err)
	}
}

func TestParseRecipients(t *testing.T) {
	a, _ := age.GenerateX25519Identity()
	b, _ := age.GenerateX25519Identity()
	rs, err := ParseRecipients([]string{a.Recipient().String() + ", " + b.Recipient().String()})
	if err != nil || len(rs) != 2 || RecipientText(rs) != a.Recipient().String()+","+b.Recipient().String() {
		t.Fatalf("%v %v", rs, err)
	}
	// A secret key given where a recipient belongs is refused without
	// being echoed.
	if _, err := ParseRecipients([]string{a.String()}); err == nil || strings.Contains(err.Error(), a.String()) {
		t.Errorf("identity as recipient: %v", err)
	}
}

func TestDefaultIdentity(t *testing.T) {
	p := filepath.Join(t.TempDir(), "state", "x.age-identity")
	id, created, err := DefaultIdentity(p)
	if err != nil || !created {
		t.Fatal(err, created)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	again, created, err := DefaultIdentity(p)
	if err != nil || created || again.String() != id.String() {
		t.Fatalf("second call: %v %v", created, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(p)); len(entries) != 1 {
		t.Errorf("files: %v", entries)
	}
}

// selfSigned makes a certificate for key, issued by a throwaway CA.
func selfSigned(t *testing.T, key crypto.Signer) (*x509.Certificate, *x509.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageCertSign}
	der, _ := x509.CreateCertificate(rand.Reader, caT, caT, caKey.Public(), caKey)
	ca, _ := x509.ParseCertificate(der)
	leafT := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Ann Lee"}, EmailAddresses: []string{"ann@corp.example.net"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, leafT, ca, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return leaf, ca
}

func TestEncodeP12(t *testing.T) {
	for _, enc := range []string{Modern, Legacy} {
		for _, a := range []Algorithm{P256, RSA3072} {
			k, _ := Generate(a)
			leaf, ca := selfSigned(t, k)
			pw, err := Password()
			if err != nil {
				t.Fatal(err)
			}
			pfx, err := EncodeP12(k, leaf, []*x509.Certificate{ca}, pw, enc)
			if err != nil {
				t.Fatal(err)
			}
			key, cert, chain, err := pkcs12.DecodeChain(pfx, pw)
			if err != nil || !cert.Equal(leaf) || len(chain) != 1 || !SamePublicKey(cert, key.(crypto.Signer)) {
				t.Fatalf("%s %s: %v", enc, a, err)
			}
			if _, _, _, err := pkcs12.DecodeChain(pfx, pw+"x"); err == nil {
				t.Errorf("%s %s: opens with a wrong password", enc, a)
			}
		}
	}
	k, _ := Generate(P256)
	other, _ := Generate(P256)
	leaf, _ := selfSigned(t, other)
	if _, err := EncodeP12(k, leaf, nil, "x", Modern); err == nil {
		t.Error("a certificate of another key was wrapped with this key")
	}
}

// Passwords follow S/MIME BR §6.1.2: more than 16 characters, upper and
// lower case, digits and symbols; they are fresh each time and never
// start like a spreadsheet formula.
func TestPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		p, err := Password()
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != PasswordLength || !strings.ContainsAny(p, upper) || !strings.ContainsAny(p, lower) || !strings.ContainsAny(p, digits) || !strings.ContainsAny(p, symbols) {
			t.Fatalf("password %q", p)
		}
		if strings.ContainsAny(p[:1], "=+-@"+symbols) || strings.ContainsAny(p, ",;\"' \t") {
			t.Fatalf("password %q could be read as a formula or split", p)
		}
		if seen[p] {
			t.Fatalf("password %q twice", p)
		}
		seen[p] = true
	}
}
