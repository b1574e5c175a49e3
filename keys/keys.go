// Package keys makes the key pairs certbatch generates for people (the
// key method generate), keeps each one encrypted from the moment it
// exists, builds its certificate signing request, and hands it over in
// a password-protected PKCS #12 file.
//
// Why certbatch may make a person's key at all: the S/MIME Baseline
// Requirements (https://github.com/cabforum/smime/blob/main/SBR.md,
// §6.1.1.3: "The CA or a Delegated Third Party MAY generate the Private
// Key on behalf of the Subscriber"; §6.1.2) allow it when the key is
// transported encrypted with at least 128 bits of strength (a PKCS 12
// file with a random password of more than 16 characters of upper and
// lower case letters, digits and symbols), the password reaches the
// person separately from the file, the key is never stored in clear
// text, and nobody but the subscriber archives it without their
// authorization. This package does each of those:
//
//   - [Generate] makes the pair in memory (ECDSA P-256 by default, P-384
//     or RSA 3072 by choice: the algorithms DigiCert's client
//     certificates take, https://docs.digicert.com/manage-certificates/client-certificates-guide/issue-personal-id-certificates-admin/);
//   - [Store.Put] encrypts it with age (filippo.io/age) to recipients the
//     admin controls before a byte reaches the disk, and makes the file
//     durable (fsync of the file and of its folder) before it returns;
//   - [CSR] signs the request whose subject is what the order carries
//     (DigiCert only uses the CSR's public key, "all other fields in the
//     CSR are ignored", same page);
//   - [EncodeP12] wraps key, certificate and chain in a PKCS #12 file
//     protected by a fresh [Password].
package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Algorithm is the kind of key pair certbatch generates.
type Algorithm string

// The algorithms of generated keys. DigiCert's client certificates take
// RSA 2048, 3072 and 4096 and ECC P-256 and P-384 (page cited in the
// package comment); so does Google's S/MIME certificate profile
// (https://support.google.com/a/answer/7300887).
const (
	P256    Algorithm = "ecdsa-p256" // the default: small, fast, modern
	P384    Algorithm = "ecdsa-p384"
	RSA3072 Algorithm = "rsa-3072" // for mail clients that cannot use EC keys
)

// DefaultAlgorithm is the algorithm of a generated key unless the batch
// chooses another.
const DefaultAlgorithm = P256

// Algorithms lists the names [ParseAlgorithm] accepts, for messages.
const Algorithms = "p256, p384, rsa3072"

// ParseAlgorithm reads an algorithm name as a config or a flag writes
// it: p256, p384 or rsa3072 (also ecdsa-p256, P-256, rsa-3072, ...).
// "" is the default.
func ParseAlgorithm(s string) (Algorithm, error) {
	n := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch n {
	case "":
		return DefaultAlgorithm, nil
	case "p256", "ecdsap256", "ec256", "ecp256", "secp256r1", "prime256v1":
		return P256, nil
	case "p384", "ecdsap384", "ec384", "ecp384", "secp384r1":
		return P384, nil
	case "rsa3072", "rsa":
		return RSA3072, nil
	}
	return "", l10n.Errorf("unknown key algorithm %q; use one of %s", s, Algorithms)
}

// String returns the algorithm as people read it.
func (a Algorithm) String() string {
	switch a {
	case P256:
		return "ECDSA P-256"
	case P384:
		return "ECDSA P-384"
	case RSA3072:
		return "RSA 3072"
	}
	return string(a)
}

// Generate makes a new key pair of algorithm a from crypto/rand.
func Generate(a Algorithm) (crypto.Signer, error) {
	switch a {
	case P256, "":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case P384:
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case RSA3072:
		return rsa.GenerateKey(rand.Reader, 3072)
	}
	return nil, l10n.Errorf("generate key: unknown algorithm %q", a)
}

// Fingerprint is the SHA-256 of a public key's SubjectPublicKeyInfo, in
// hex: what ties a generated key to the certificate that carries it.
func Fingerprint(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", l10n.Errorf("fingerprint: %w", err)
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}

// Subject is what a generated CSR names: what the order carries.
type Subject struct {
	CommonName string
	Emails     []string
	OrgUnits   []string
	// GivenName and Surname, or Pseudonym: the S/MIME profile fields.
	GivenName, Surname, Pseudonym string
}

// Subject attribute OIDs (RFC 4519).
var (
	oidGivenName = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname   = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidPseudonym = asn1.ObjectIdentifier{2, 5, 4, 65}
)

// CSR signs a PKCS #10 request for key naming s (its emails as
// rfc822Name subject alternative names) and returns it as PEM.
func CSR(key crypto.Signer, s Subject) (string, error) {
	name := pkix.Name{CommonName: s.CommonName, OrganizationalUnit: s.OrgUnits}
	for _, a := range []struct {
		oid asn1.ObjectIdentifier
		v   string
	}{{oidGivenName, s.GivenName}, {oidSurname, s.Surname}, {oidPseudonym, s.Pseudonym}} {
		if a.v != "" {
			name.ExtraNames = append(name.ExtraNames, pkix.AttributeTypeAndValue{Type: a.oid, Value: a.v})
		}
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: name, EmailAddresses: s.Emails}, key)
	if err != nil {
		return "", l10n.Errorf("make certificate signing request: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})), nil
}

// SamePublicKey reports whether a certificate carries key's public key.
func SamePublicKey(cert *x509.Certificate, key crypto.Signer) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := key.Public().(equaler)
	return ok && pub.Equal(cert.PublicKey)
}
