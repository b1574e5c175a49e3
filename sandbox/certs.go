package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// authority is the sandbox's CA: a root and an intermediate, ECDSA
// P-256, made once per Server (and kept in the DataFile).
type authority struct {
	rootKey, interKey *ecdsa.PrivateKey
	root, inter       *x509.Certificate
}

// storedAuthority is the authority in the DataFile: PKCS #8 keys and
// DER certificates.
type storedAuthority struct {
	RootKey  []byte `json:"root_key"`
	Root     []byte `json:"root"`
	InterKey []byte `json:"intermediate_key"`
	Inter    []byte `json:"intermediate"`
}

func newAuthority(now time.Time) (*authority, error) {
	a := &authority{}
	var err error
	if a.rootKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, fmt.Errorf("sandbox CA: %w", err)
	}
	if a.interKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, fmt.Errorf("sandbox CA: %w", err)
	}
	ca := func(serial int64, cn string, years int) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(serial),
			Subject:   pkix.Name{CommonName: cn, Organization: []string{"certbatch sandbox (not a real CA)"}},
			NotBefore: now.Add(-time.Hour).UTC(), NotAfter: now.AddDate(years, 0, 0).UTC(),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	}
	rootT := ca(1, "CertCentral Sandbox Root CA", 25)
	der, err := x509.CreateCertificate(rand.Reader, rootT, rootT, &a.rootKey.PublicKey, a.rootKey)
	if err != nil {
		return nil, fmt.Errorf("sandbox CA: root: %w", err)
	}
	if a.root, err = x509.ParseCertificate(der); err != nil {
		return nil, fmt.Errorf("sandbox CA: root: %w", err)
	}
	interT := ca(2, "CertCentral Sandbox Client CA", 20)
	interT.MaxPathLenZero = true
	if der, err = x509.CreateCertificate(rand.Reader, interT, a.root, &a.interKey.PublicKey, a.rootKey); err != nil {
		return nil, fmt.Errorf("sandbox CA: intermediate: %w", err)
	}
	if a.inter, err = x509.ParseCertificate(der); err != nil {
		return nil, fmt.Errorf("sandbox CA: intermediate: %w", err)
	}
	return a, nil
}

func (a *authority) store() storedAuthority {
	rk, _ := x509.MarshalPKCS8PrivateKey(a.rootKey) // cannot fail for ECDSA keys
	ik, _ := x509.MarshalPKCS8PrivateKey(a.interKey)
	return storedAuthority{RootKey: rk, Root: a.root.Raw, InterKey: ik, Inter: a.inter.Raw}
}

func loadAuthority(st storedAuthority) (*authority, error) {
	a := &authority{}
	var err error
	if a.root, err = x509.ParseCertificate(st.Root); err != nil {
		return nil, fmt.Errorf("sandbox CA: root: %w", err)
	}
	if a.inter, err = x509.ParseCertificate(st.Inter); err != nil {
		return nil, fmt.Errorf("sandbox CA: intermediate: %w", err)
	}
	for _, k := range []struct {
		der []byte
		to  **ecdsa.PrivateKey
	}{{st.RootKey, &a.rootKey}, {st.InterKey, &a.interKey}} {
		key, err := x509.ParsePKCS8PrivateKey(k.der)
		if err != nil {
			return nil, fmt.Errorf("sandbox CA: key: %w", err)
		}
		ec, ok := key.(*ecdsa.PrivateKey)
		if !ok {
			return nil, errors.New("sandbox CA: key is not ECDSA")
		}
		*k.to = ec
	}
	return a, nil
}

// serialHex is the serial number of a certificate ID's certificate, as
// order info shows it: a fixed prefix and the ID, so serials are unique
// and stable.
func serialHex(certID int64) string { return fmt.Sprintf("%x", serial(certID)) }

func serial(certID int64) *big.Int { return big.NewInt(0x0d1c<<48 | certID) }

// OIDs of subject attributes (RFC 4519) and extended key usages.
var (
	oidGivenName  = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname    = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidPseudonym  = asn1.ObjectIdentifier{2, 5, 4, 65}
	oidMSDocSign  = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 10, 3, 12}
	oidAdobeSign  = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 5}
	oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidPKCS7Data  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
)

// leafLocked returns the order's certificate (DER), making it on first
// need: the CSR's public key, else a generated one (the recipient's
// browser key, which nobody sees); subject CN the order's common name,
// the emails as SANs, validity from issuance to the order's valid_till.
// Callers hold mu and save when made is true.
func (s *Server) leafLocked(o *record, v Order) (der []byte, made bool, err error) {
	if o.CertDER != nil {
		return o.CertDER, false, nil
	}
	var pub crypto.PublicKey
	if o.HasCSR {
		csr, _ := lookup(o.body, "certificate.csr").(string)
		if b, _ := pem.Decode([]byte(strings.TrimSpace(csr))); b != nil {
			if req, err := x509.ParseCertificateRequest(b.Bytes); err == nil {
				pub = req.PublicKey
			}
		}
	}
	if pub == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, false, fmt.Errorf("make certificate: %w", err)
		}
		pub = &k.PublicKey
	}
	subj := pkix.Name{CommonName: v.CommonName}
	if org, ok := asInt(lookup(o.body, "organization.id")); ok && s.orgs[org] != "" {
		subj.Organization = []string{s.orgs[org]}
	}
	for _, u := range stringsAt(o.body, "certificate.organization_units") {
		subj.OrganizationalUnit = append(subj.OrganizationalUnit, u)
	}
	for _, a := range []struct {
		oid  asn1.ObjectIdentifier
		path string
	}{{oidGivenName, "first_name"}, {oidSurname, "last_name"}, {oidPseudonym, "pseudonym"}} {
		if x, ok := lookup(o.body, "certificate.individual."+a.path).(string); ok && x != "" {
			subj.ExtraNames = append(subj.ExtraNames, pkix.AttributeTypeAndValue{Type: a.oid, Value: x})
		}
	}
	t := &x509.Certificate{SerialNumber: serial(o.CertificateID), Subject: subj, EmailAddresses: v.Emails,
		NotBefore: v.DateIssued.UTC(), NotAfter: validTill(v).Add(24*time.Hour - time.Second),
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true}
	if _, isRSA := pub.(*rsa.PublicKey); isRSA {
		t.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	switch p := productByID(o.Product); {
	case p != nil && (p.fam == docFamily || p.fam == dsFamily):
		t.UnknownExtKeyUsage = []asn1.ObjectIdentifier{oidMSDocSign, oidAdobeSign}
	case p != nil && p.fam == secureEmailFamily:
		secureEmailUsage(t, o.body)
	case p != nil && !p.smime:
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	default:
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth}
	}
	der, err = x509.CreateCertificate(rand.Reader, t, s.ca.inter, pub, s.ca.interKey)
	if err != nil {
		return nil, false, fmt.Errorf("make certificate %d: %w", o.CertificateID, err)
	}
	o.CertDER = der
	return der, true, nil
}

// stringsAt reads an array of strings from a parsed body.
func stringsAt(b map[string]any, path string) []string {
	arr, _ := lookup(b, path).([]any)
	var out []string
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// chainDERs is the order's certificate, the intermediate and the root.
func (s *Server) chainDERs(leaf []byte) [][]byte {
	return [][]byte{leaf, s.ca.inter.Raw, s.ca.root.Raw}
}

func pemCert(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// chainLocked is the certificate_chain of a POST answer for an order
// issued at once (today.md §2): leaf, intermediate, root, the PEMs
// pem_all downloads.
func (s *Server) chainLocked(o *record, v Order) ([]map[string]any, error) {
	leaf, _, err := s.leafLocked(o, v)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for i, der := range s.chainDERs(leaf) {
		cn := v.CommonName
		if i > 0 {
			c, _ := x509.ParseCertificate(der) // the CA's own certificates
			cn = c.Subject.CommonName
		}
		out = append(out, map[string]any{"subject_common_name": cn, "pem": pemCert(der)})
	}
	return out, nil
}

// pkcs7 is a degenerate PKCS #7 SignedData (RFC 2315 §9.1, as in
// .p7b files): certificates, no content, no signers. Written with
// encoding/asn1 rather than a dependency: the structure is five fields,
// and the usual library (go.mozilla.org/pkcs7) is archived.
func pkcs7(ders [][]byte) ([]byte, error) {
	var certs []byte
	for _, d := range ders {
		certs = append(certs, d...)
	}
	emptySet := asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: []byte{}}
	sd, err := asn1.Marshal(struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		ContentInfo      struct{ ContentType asn1.ObjectIdentifier }
		Certificates     asn1.RawValue
		SignerInfos      asn1.RawValue
	}{
		Version:          1,
		DigestAlgorithms: emptySet,
		ContentInfo:      struct{ ContentType asn1.ObjectIdentifier }{oidPKCS7Data},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs},
		SignerInfos:      emptySet,
	})
	if err != nil {
		return nil, fmt.Errorf("pkcs7: %w", err)
	}
	out, err := asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
	if err != nil {
		return nil, fmt.Errorf("pkcs7: %w", err)
	}
	return out, nil
}
