package mapping

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/mailbox"
	"github.com/certbatch/certbatch/internal/textsafe"
	"github.com/certbatch/certbatch/templates"
)

// value is one parsed field value of a row.
type value struct {
	set  bool
	s    string   // string, date, bool ("true"/"false") and int text
	i    int64    // int
	b    bool     // bool
	list []string // list
	ints []int64  // intlist
	raw  []byte   // json
	gen  bool     // a CSR certbatch generates when the row is sent
}

func (v *value) reset() { *v = value{} }

// parseValue converts raw text to the field's type and checks its format
// and allowed values. It returns a user-facing message on failure.
func parseValue(lp l10n.Printer, f *templates.Field, raw string, now time.Time, v *value) string {
	if f.Type != templates.TypeJSON && f.Format != templates.FormatCSR {
		if msg := badText(lp, raw, f.Type == templates.TypeList || f.Type == templates.TypeIntList); msg != "" {
			return msg
		}
		if !freeText(f) {
			if msg := lostLetter(lp, raw); msg != "" {
				return msg
			}
		}
	}
	switch f.Type {
	case templates.TypeString:
		s := raw
		if f.Format == templates.FormatCSR {
			pemText, msg := checkCSR(lp, raw)
			if msg != "" {
				return msg
			}
			s = pemText
		}
		if f.Format == templates.FormatEmail {
			sent, msg := checkEmail(lp, s)
			if msg != "" {
				return msg
			}
			s = sent
		}
		if len(f.Allowed) > 0 {
			c, ok := allowed(f.Allowed, s)
			if !ok {
				return lp.Sprintf("must be one of %s", strings.Join(f.Allowed, ", "))
			}
			s = c
		}
		if f.MaxLength > 0 && utf8.RuneCountInString(s) > f.MaxLength {
			return lp.Sprintf("is %d characters long; DigiCert takes at most %d", utf8.RuneCountInString(s), f.MaxLength)
		}
		v.s = s
	case templates.TypeInt:
		n, err := parseInt(raw)
		if err != nil {
			return lp.Sprintf("must be a whole number")
		}
		if len(f.Allowed) > 0 {
			if _, ok := allowed(f.Allowed, strconv.FormatInt(n, 10)); !ok {
				return lp.Sprintf("must be one of %s", strings.Join(f.Allowed, ", "))
			}
		}
		v.i, v.s = n, strconv.FormatInt(n, 10)
	case templates.TypeBool:
		b, ok := parseBool(raw)
		if !ok {
			return lp.Sprintf("must be true or false (also yes/no, 1/0)")
		}
		v.b, v.s = b, strconv.FormatBool(b)
	case templates.TypeDate:
		// A date-time at midnight (a spreadsheet's date-time cell, or
		// text like 2027-06-30 00:00:00) names a date; another time of
		// day does not.
		for _, midnight := range []string{" 00:00:00", "T00:00:00", " 00:00"} {
			raw = strings.TrimSuffix(raw, midnight)
		}
		d, err := time.Parse("2006-01-02", raw)
		if err != nil {
			return lp.Sprintf("must be a date in the form yyyy-MM-dd (a date-time only at midnight)")
		}
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		if !d.After(today) {
			return lp.Sprintf("must be in the future")
		}
		if f.MaxDaysAhead > 0 && d.After(today.AddDate(0, 0, f.MaxDaysAhead)) {
			return lp.Sprintf("must be at most %d days ahead (%s)", f.MaxDaysAhead, today.AddDate(0, 0, f.MaxDaysAhead).Format("2006-01-02"))
		}
		v.s = d.Format("2006-01-02")
	case templates.TypeList:
		items := splitList(raw)
		if len(items) == 0 {
			return "" // an empty list is "not given"
		}
		for i, it := range items {
			if f.Format == templates.FormatEmail {
				sent, msg := checkEmail(lp, it)
				if msg != "" {
					if len(items) > 1 {
						return fmt.Sprintf("%q: %s", it, msg)
					}
					return msg
				}
				for _, prev := range items[:i] {
					if mailbox.Key(prev) == mailbox.Key(sent) {
						return lp.Sprintf("lists one mailbox twice (%q and %q): keep one", prev, it)
					}
				}
				items[i], it = sent, sent
			}
			if len(f.Allowed) > 0 {
				if _, ok := allowed(f.Allowed, it); !ok {
					return lp.Sprintf("%q must be one of %s", it, strings.Join(f.Allowed, ", "))
				}
			}
			if f.MaxLength > 0 && utf8.RuneCountInString(it) > f.MaxLength {
				return lp.Sprintf("%q is %d characters long; DigiCert takes at most %d", it, utf8.RuneCountInString(it), f.MaxLength)
			}
		}
		v.list = items
	case templates.TypeIntList:
		items := splitList(raw)
		ints := make([]int64, 0, len(items))
		for _, it := range items {
			n, err := parseInt(it)
			if err != nil {
				return lp.Sprintf("%q is not a whole number", it)
			}
			ints = append(ints, n)
		}
		if len(ints) == 0 {
			return ""
		}
		v.ints = ints
	case templates.TypeJSON:
		if !json.Valid([]byte(raw)) {
			return lp.Sprintf("must be valid JSON")
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(raw)); err != nil {
			return lp.Sprintf("must be valid JSON")
		}
		v.raw = buf.Bytes()
	default:
		return lp.Sprintf("unsupported field type %s", f.Type)
	}
	v.set = true
	return ""
}

// allowed reports whether s is one of the allowed values (ignoring case)
// and returns the canonical spelling.
func allowed(vals []string, s string) (string, bool) {
	for _, a := range vals {
		if strings.EqualFold(a, s) {
			return a, true
		}
	}
	return "", false
}

// parseInt accepts an optional sign and decimal digits only: no octal or
// hex prefixes, no fractions, no thousands separators.
func parseInt(s string) (int64, error) {
	if s == "" {
		return 0, strconv.ErrSyntax
	}
	d := s
	if d[0] == '+' || d[0] == '-' {
		d = d[1:]
	}
	if d == "" {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "1", "y":
		return true, true
	case "false", "no", "0", "n":
		return false, true
	}
	return false, false
}

// splitList splits on ";", "," and line breaks, trimming each item and
// dropping empty ones.
func splitList(s string) []string {
	n := 1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ';', ',', '\n', '\r':
			n++
		}
	}
	out := make([]string, 0, n)
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ';' || s[i] == ',' || s[i] == '\n' || s[i] == '\r' {
			if it := strings.TrimSpace(s[start:i]); it != "" {
				out = append(out, it)
			}
			start = i + 1
		}
	}
	return out
}

// checkEmail accepts a single bare address (no display name, no angle
// brackets) that DigiCert can be trusted to take (mailbox.Parse): a
// dot-atom local part in ASCII, and a domain with a dot. It returns the
// address as it is sent (a Unicode domain in A-labels), or a message.
func checkEmail(lp l10n.Printer, s string) (string, string) {
	a, err := mailbox.Parse(s)
	if err != nil {
		return "", lp.Error(err)
	}
	return a.String(), ""
}

// checkCSR parses a PEM certificate signing request, tolerating the ways a
// spreadsheet cell mangles one (line breaks turned into spaces), verifies
// its self-signature and key. It returns normalized PEM.
func checkCSR(lp l10n.Printer, s string) (string, string) {
	der, ok := csrDER(s)
	if !ok {
		return "", lp.Sprintf("not a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----)")
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return "", lp.Sprintf("certificate signing request cannot be parsed: %v", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return "", lp.Sprintf("certificate signing request has an invalid signature")
	}
	switch k := csr.PublicKey.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return "", lp.Sprintf("certificate signing request has a %d-bit RSA key; at least 2048 bits are required", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return "", lp.Sprintf("certificate signing request uses an unsupported curve %s; use P-256 or P-384", k.Curve.Params().Name)
		}
	default:
		return "", lp.Sprintf("certificate signing request has an unsupported %T key; use RSA 2048+ or ECDSA P-256/P-384", k)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})), ""
}

func csrDER(s string) ([]byte, bool) {
	if b, _ := pem.Decode([]byte(s)); b != nil && strings.HasSuffix(b.Type, "CERTIFICATE REQUEST") {
		return b.Bytes, true
	}
	// A cell may hold the PEM with its line breaks replaced by spaces.
	for _, typ := range []string{"NEW CERTIFICATE REQUEST", "CERTIFICATE REQUEST"} {
		begin, end := "-----BEGIN "+typ+"-----", "-----END "+typ+"-----"
		i := strings.Index(s, begin)
		j := strings.Index(s, end)
		if i < 0 || j < i {
			continue
		}
		body := strings.Join(strings.Fields(s[i+len(begin):j]), "")
		der, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, false
		}
		return der, true
	}
	return nil, false
}

// badText refuses characters that have no place in an order's text and
// that could make it, or a terminal showing it, say something else
// (textsafe.Classify); in lists, the line breaks that separate items are
// allowed.
func badText(lp l10n.Printer, s string, list bool) string {
	if printableASCII(s) {
		return ""
	}
	for i, r := range s {
		if list && (r == '\n' || r == '\r') {
			continue
		}
		class := textsafe.Classify(r)
		if class == textsafe.Safe {
			continue
		}
		at := utf8.RuneCountInString(s[:i]) + 1 // counted only for a problem
		switch class {
		case textsafe.Control:
			return lp.Sprintf("has a control character (U+%04X) at character %d: retype the value", r, at)
		case textsafe.Direction:
			return lp.Sprintf("has an invisible text-direction character (U+%04X) at character %d: retype the value", r, at)
		case textsafe.Invisible:
			if r == 0xad {
				return lp.Sprintf("has an invisible soft hyphen (U+%04X) at character %d: retype the value (text pasted from a web page or a document brings these along)", r, at)
			}
			return lp.Sprintf("has an invisible character (U+%04X) at character %d: retype the value (text pasted from a web page or a document brings these along)", r, at)
		case textsafe.Space:
			if r == 0xa0 || r == 0x202f {
				return lp.Sprintf("has a no-break space (U+%04X) at character %d, not an ordinary one: type an ordinary space instead (text pasted from a web page or a document brings these along)", r, at)
			}
			return lp.Sprintf("has a special space (U+%04X) at character %d, not an ordinary one: type an ordinary space instead (text pasted from a web page or a document brings these along)", r, at)
		case textsafe.Broken:
			return lp.Sprintf("has bytes that are not text (U+FFFD): check the file's encoding")
		}
	}
	return ""
}

// printableASCII reports whether s is only printable ASCII (space to
// tilde), which textsafe classifies as safe: most cells are, and they
// need no rune-by-rune look.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// freeText reports whether a field is free text for people at DigiCert
// (the order's comments) rather than a name or address that reaches the
// certificate: a question mark there is punctuation.
func freeText(f *templates.Field) bool {
	return f.Path == "comments" || strings.HasSuffix(f.Path, ".comments")
}

// lostLetter finds a question mark where a letter should be: next to a
// letter, inside or at the edge of a word (?ukasz Wi?niewski, Jos?).
// It is what Excel writes, saving a CSV in a legacy code page (Save As
// "CSV (Comma delimited)" on a Western Windows), for every character the
// code page does not have; on a certificate it would stay a question
// mark.
func lostLetter(lp l10n.Printer, s string) string {
	prev := rune(0)
	for i, r := range s {
		if r == '?' {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if unicode.IsLetter(prev) || unicode.IsLetter(next) {
				return lp.Sprintf("has a question mark where a letter should be (character %d): the file was probably saved in an encoding that lacks that letter (Excel's \"CSV (Comma delimited)\" writes ? for it); save it as \"CSV UTF-8\" or .xlsx and read it again", utf8.RuneCountInString(s[:i])+1)
			}
		}
		prev = r
	}
	return ""
}

// yearTermsFor returns "n years" for n from 0 to 10 in lp's language,
// made once per plan: the catalog's plural forms cost more per row than
// the rest of a row's plan terms (BENCHMARKS.md).
func yearTermsFor(lp l10n.Printer) (t [11]string) {
	for n := range t {
		t[n] = lp.Sprintf("%d years", n)
	}
	return t
}
