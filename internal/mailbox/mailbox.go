// Package mailbox parses the email addresses a row orders a certificate
// for, and says when two spellings are one mailbox.
//
// One mailbox has many spellings: José in NFC or NFD, any letter case,
// a domain in Unicode (bücher.example) or in its ASCII form
// (xn--bcher-kva.example). [Key] maps them all to one string: the address
// in Unicode NFC, lower case, with the domain in IDNA A-labels (UTS #46
// mapping for lookup, golang.org/x/net/idna). A person is the set of the
// keys of their emails.
//
// [Parse] refuses what DigiCert does not document accepting. DigiCert's
// pages give no rule for the characters of certificate.emails ("Order
// client certificate",
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-client-certificate.html,
// and "Order Secure Email (S/MIME) certificate",
// https://dev.digicert.com/certcentral-apis/services-api/orders/order-secure-email-certificate.html,
// show only ASCII addresses), while the S/MIME Baseline Requirements
// (§7.1.4.2.1, https://github.com/cabforum/smime/blob/main/SBR.md) put a
// mailbox either in an rfc822Name, which is ASCII (IA5String, the domain
// in A-labels: RFC 5280 §4.2.1.6 as updated by RFC 9549), or in an
// otherName SmtpUTF8Mailbox (RFC 9598) for a local part beyond ASCII.
// Whether DigiCert issues the latter is undocumented, so both answers must
// be safe:
//
//   - a local part beyond ASCII (josé@example.com) is refused: if
//     DigiCert took it, it might validate and issue another mailbox's
//     spelling; refusing costs nothing;
//   - a quoted local part ("john doe"@example.com), or one that is not a
//     dot-atom, is refused likewise;
//   - a domain in Unicode is sent in its A-label form, which an
//     rfc822Name can hold and whose DNS name DigiCert validates (email
//     domain validation, "Order your Secure Email for Organization
//     certificate",
//     https://docs.digicert.com/en/certcentral/manage-certificates/client-certificates-guide/secure-email-certificates/order-your-secure-email-for-organization-certificate.html):
//     sent as written, DigiCert would convert it or refuse it, and
//     neither is documented. An ASCII domain is sent as written.
package mailbox

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	"github.com/certbatch/certbatch/internal/l10n"
)

// profile converts a domain to A-labels as a mail client looks it up:
// UTS #46 mapping (case, width), the Bidi and label rules, letters,
// digits and hyphens only, DNS lengths.
var profile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.ValidateLabels(true),
	idna.StrictDomainName(true), idna.VerifyDNSLength(true), idna.Transitional(false))

// Address is a parsed email address.
type Address struct {
	Local  string // the local part, as written (ASCII)
	Domain string // the domain as sent: as written when ASCII, else its A-labels
	ascii  string // the domain in A-labels, lower case
}

// String is the address as it is sent to DigiCert.
func (a Address) String() string { return a.Local + "@" + a.Domain }

// Key is the address as it identifies a mailbox: lower case, the domain
// in A-labels.
func (a Address) Key() string { return strings.ToLower(a.Local) + "@" + a.ascii }

// Errors of Parse, for callers that tell them apart.
var (
	ErrSyntax   = l10n.Errorf("not a single email address (write it as name@example.com)")
	ErrDomain   = l10n.Errorf("the domain of the email address is incomplete (write it as name@example.com)")
	ErrNonASCII = l10n.Errorf("has a character beyond ASCII before the @: DigiCert documents no support for such mailboxes (SmtpUTF8Mailbox, RFC 9598), so none is ordered; use the mailbox's ASCII address")
)

// Parse parses one bare address (no display name, no angle brackets)
// and checks it is one DigiCert can be trusted to take: see the package
// documentation. The error says what to fix.
func Parse(s string) (Address, error) {
	s = norm.NFC.String(s)
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at == len(s)-1 {
		return Address{}, ErrSyntax
	}
	local, domain := s[:at], s[at+1:]
	for i := 0; i < len(local); i++ {
		if local[i] >= utf8.RuneSelf {
			return Address{}, ErrNonASCII
		}
	}
	if !dotAtom(local) || len(local) > 64 {
		return Address{}, ErrSyntax
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return Address{}, ErrDomain
	}
	ascii, ok := plainLDH(domain)
	if !ok {
		var err error
		if ascii, err = profile.ToASCII(domain); err != nil || ascii == "" {
			return Address{}, badDomain(domain)
		}
	}
	a := Address{Local: local, Domain: domain, ascii: strings.ToLower(ascii)}
	if !isASCII(domain) {
		a.Domain = a.ascii
	}
	if len(a.Local)+1+len(a.Domain) > 254 { // RFC 5321 §4.5.3.1.3: a path of 256 octets, brackets included
		return Address{}, tooLong{}
	}
	return a, nil
}

// Key returns the key of s (see [Address.Key]) whether or not Parse
// accepts s: trimmed, NFC, lower case, the domain in A-labels when it
// converts. Journals, caches and DigiCert's answers are compared by it.
func Key(s string) string {
	s = strings.TrimSpace(s)
	// Most addresses are ASCII with a plain LDH domain: NFC leaves them
	// as they are and the domain's A-label is itself in lower case, so
	// either road below gives s in lower case (TestKeyFastPath).
	if at := strings.LastIndexByte(s, '@'); at >= 0 && isASCII(s) {
		if _, ok := plainLDH(s[at+1:]); ok {
			return strings.ToLower(s)
		}
	}
	return keySlow(s)
}

// keySlow is Key without its fast path, for a trimmed s.
func keySlow(s string) string {
	if a, err := Parse(s); err == nil {
		return a.Key()
	}
	s = strings.ToLower(norm.NFC.String(s))
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		if ascii, err := profile.ToASCII(s[at+1:]); err == nil && ascii != "" {
			return s[:at+1] + strings.ToLower(ascii)
		}
	}
	return s
}

// dotAtom reports whether s is an RFC 5322 dot-atom: atext runs joined by
// single dots.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.':
		case strings.IndexByte("!#$%&'*+/=?^_`{|}~-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// badDomain is a domain that is no domain name.
type badDomain string

func (d badDomain) Error() string {
	return fmt.Sprintf("the domain %q of the email address is not a valid domain name", string(d))
}

func (badDomain) Is(target error) bool { return target == ErrDomain }

// tooLong is an address longer than mail allows.
type tooLong struct{}

func (tooLong) Error() string        { return "the email address is longer than 254 characters" }
func (tooLong) Is(target error) bool { return target == ErrSyntax }

// plainLDH is profile.ToASCII for the common domain that needs no IDNA:
// ASCII letters, digits and hyphens only, every label 1-63 long, not
// starting or ending with a hyphen, no "--" in its third and fourth
// places (which is where an A-label's "xn--" is, and which the profile
// checks), the whole at most 253 long. Such a domain's A-label form is
// itself in lower case; ok is false for anything else, which the profile
// then decides. It saves the IDNA machinery on every row (the profile
// cost more than the rest of a row's mapping).
func plainLDH(domain string) (string, bool) {
	if len(domain) > 253 {
		return "", false
	}
	var b []byte
	start := 0
	for i := 0; i <= len(domain); i++ {
		if i < len(domain) && domain[i] != '.' {
			c := domain[i]
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			case c >= 'A' && c <= 'Z':
				if b == nil {
					b = []byte(domain)
				}
				b[i] = c + ('a' - 'A')
			default:
				return "", false
			}
			continue
		}
		label := domain[start:i]
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			len(label) >= 4 && label[2] == '-' && label[3] == '-' {
			return "", false
		}
		start = i + 1
	}
	if b != nil {
		return string(b), true
	}
	return domain, true
}
