package mapping

import (
	"fmt"
	"strings"

	"github.com/certbatch/certbatch/keys"
)

// Problem is one thing wrong with a row.
type Problem struct {
	Row     int    // spreadsheet row number
	Column  string // header text of the column, or "config" for constants
	Value   string // the offending value ("" when missing)
	Message string
}

// String formats the problem for a results cell: the row number is in the
// results' own row column, so it is left out here.
func (p Problem) String() string {
	if p.Value == "" {
		return fmt.Sprintf("%s: %s", p.Column, p.Message)
	}
	return fmt.Sprintf("%s %q: %s", p.Column, clip(p.Value, 80), p.Message)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// Result is a mapped and validated row.
type Result struct {
	Row      int
	Product  string
	Identity string // for people to read: product|key:<value> or product|email:<address>
	Email    string // primary email, normalized (order.NormalizeEmail)
	// Emails are all the row's emails, normalized, the primary first: a
	// person is the set of their emails, and any one of them is enough
	// to be the same person (the duplicate check, the journal, the
	// account check).
	Emails []string
	// ProductKey is the product the row orders (the same for a product's
	// aliases) and PersonKey the normalized key cell (order.NormalizeKey;
	// "" without key:). With Email they say who the row is.
	ProductKey, PersonKey string
	// CommonName is the certificate's common name as the order body
	// names it; where the body names none it is the row's email, for
	// people to read (class1_smime: DigiCert makes the first email the
	// common name, certcentral-today.md §1). CommonNameUnknown tells that
	// the product's body has no common name at all (Secure Email, document
	// signing): DigiCert derives the name by rules certbatch cannot see,
	// so CommonName is not what DigiCert lists the order under.
	CommonName        string
	CommonNameUnknown bool
	// Name and RawEmail say who the row is for people to read (results,
	// the plan), as the input wrote them: the person's name (the
	// template's person_name field, else the common name) and the
	// primary email, also when it is not a valid address.
	Name, RawEmail string
	Key            string // value of the key column, if configured
	Payload        []byte // the order body, when requested and the row is valid
	Problems       []Problem
	// Validity and Payment say what the order buys, for the plan shown
	// before submitting: "1 year", "2 years" or "until 2027-06-30", and
	// the payment method ("" when DigiCert's default applies).
	Validity, Payment string
	// OrgID and ContainerID are the row's organization.id and
	// container.id (0 when it has none); OrgFrom and ContainerFrom say
	// where each came from: the column's header, or "config
	// order.organization.id" / "config order.container.id" for a constant.
	OrgID, ContainerID     int64
	OrgFrom, ContainerFrom string
	// KeyMethod is how the row's key pair comes to be (KeyLink, KeyCSR,
	// KeyGenerate). For KeyGenerate, KeyAlgorithm is the algorithm of the
	// key to make, CSRSubject what its CSR names, and the payload leaves
	// the CSR empty for [Result.PayloadWithCSR] to fill in.
	KeyMethod    string
	KeyAlgorithm keys.Algorithm
	CSRSubject   keys.Subject
	csrAt        int // offset of the empty CSR string in Payload

	emailIdent  string
	keyIdent    string
	emailRaw    string // the primary email as written
	emailColumn string
	keyColumn   string
}

// Valid reports whether the row has no problems.
func (r *Result) Valid() bool { return len(r.Problems) == 0 }

// ErrorText joins the row's problems for the results' error column.
func (r *Result) ErrorText() string {
	if len(r.Problems) == 1 {
		return r.Problems[0].String()
	}
	var b strings.Builder
	for i, p := range r.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}
