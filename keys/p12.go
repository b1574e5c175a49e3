package keys

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"strings"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/certbatch/certbatch/internal/l10n"
)

// P12 encodings of [EncodeP12].
const (
	// Modern is AES-256-CBC with PBKDF2-HMAC-SHA-256 for the key and the
	// certificates and an HMAC-SHA-256 MAC (go-pkcs12's Modern2023: "the
	// same algorithms used by OpenSSL 3 (by default), Java 20 (by
	// default), and Windows Server 2019"; its doc: read by OpenSSL 1.1.1
	// and later and Windows Server 2019 and later; macOS reads AES-256
	// PKCS #12 from macOS 12, https://github.com/pyca/cryptography/issues/11450).
	Modern = "modern"
	// Legacy is 3DES with SHA-1 (go-pkcs12's LegacyDES, OpenSSL's
	// -descert): for old importers (Windows Server 2016, macOS 10.15
	// and earlier, old Android). 3DES has 112 bits of strength, below
	// the 128 bits the S/MIME Baseline Requirements §6.1.2 ask of a key
	// in transit: use it only where Modern cannot be read.
	Legacy = "legacy"
)

// EncodeP12 wraps key, its certificate and the chain above it in a
// PKCS #12 file protected by password, then decodes it again to prove
// it opens with that password and holds that key and certificate.
func EncodeP12(key crypto.Signer, leaf *x509.Certificate, chain []*x509.Certificate, password, encoding string) ([]byte, error) {
	enc := pkcs12.Modern2023
	switch encoding {
	case Modern, "":
	case Legacy:
		enc = pkcs12.LegacyDES
	default:
		return nil, l10n.Errorf("pkcs12: unknown encoding %q", encoding)
	}
	if !SamePublicKey(leaf, key) {
		return nil, l10n.Errorf("pkcs12: the certificate does not carry this key")
	}
	pfx, err := enc.Encode(key, leaf, chain, password)
	if err != nil {
		return nil, l10n.Errorf("pkcs12: %w", err)
	}
	k, c, _, err := pkcs12.DecodeChain(pfx, password)
	if err != nil {
		return nil, l10n.Errorf("pkcs12: the file just made does not open: %w", err)
	}
	if s, ok := k.(crypto.Signer); !ok || !c.Equal(leaf) || !SamePublicKey(c, s) {
		return nil, l10n.Errorf("pkcs12: the file just made does not hold its key and certificate")
	}
	return pfx, nil
}

// Password alphabets: no look-alikes (0/O, 1/l/I), and symbols that are
// neither CSV nor shell quoting characters; a password never starts with
// a symbol, so a spreadsheet never reads it as a formula.
const (
	upper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	lower   = "abcdefghijkmnopqrstuvwxyz"
	digits  = "23456789"
	symbols = "!#%*+-.:=?@_~"
)

// PasswordLength is the length of a generated password: 24 characters
// of a 70-character alphabet, about 147 bits, more than the 128 bits and
// 16 characters the S/MIME Baseline Requirements §6.1.2 ask.
const PasswordLength = 24

// Password returns a fresh random password with upper and lower case
// letters, digits and symbols, starting with a letter.
func Password() (string, error) {
	all := upper + lower + digits + symbols
	for {
		var b strings.Builder
		for i := range PasswordLength {
			set := all
			if i == 0 {
				set = upper + lower
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
			if err != nil {
				return "", l10n.Errorf("password: %w", err)
			}
			b.WriteByte(set[n.Int64()])
		}
		p := b.String()
		if strings.ContainsAny(p, upper) && strings.ContainsAny(p, lower) && strings.ContainsAny(p, digits) && strings.ContainsAny(p, symbols) {
			return p, nil
		}
	}
}
