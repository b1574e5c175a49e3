package sandbox

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// checker walks an order body and collects its problems. A JSON type
// the API cannot read (a string where an int belongs) is not a problem
// but a format error: it is kept in bad and wins over everything else.
type checker struct {
	body map[string]any
	errs []apiError
	seen map[string]bool
	bad  string
}

// get returns the value at a dotted path. A null counts as absent; a
// non-object where an object is needed on the way is a format error.
func (c *checker) get(path string) (any, bool) {
	var cur any = c.body
	parts := strings.Split(path, ".")
	for i, k := range parts {
		m, ok := cur.(map[string]any)
		if !ok {
			if cur != nil {
				c.typeErr(strings.Join(parts[:i], "."), "an object")
			}
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, cur != nil
}

func (c *checker) typeErr(path, want string) {
	if c.bad == "" {
		c.bad = fmt.Sprintf("%s must be %s.", path, want)
	}
}

func (c *checker) add(code, msg string) {
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if !c.seen[code] {
		c.seen[code] = true
		c.errs = append(c.errs, apiError{code, msg})
	}
}

func (c *checker) missing(path string) { e := missingField(path); c.add(e.Code, e.Message) }

func (c *checker) invalid(path string) { e := invalidValue(path); c.add(e.Code, e.Message) }

// str reads a string. A required string that is absent or blank is
// missing.
func (c *checker) str(path string, required bool) (string, bool) {
	v, ok := c.get(path)
	if !ok {
		if required {
			c.missing(path)
		}
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		c.typeErr(path, "a string")
		return "", false
	}
	if required && strings.TrimSpace(s) == "" {
		c.missing(path)
		return "", false
	}
	return s, true
}

// asInt converts a decoded JSON value to an integer.
func asInt(v any) (int64, bool) {
	n, isNum := v.(json.Number)
	if !isNum {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

func (c *checker) integer(path string, required bool) (int64, bool) {
	v, ok := c.get(path)
	if !ok {
		if required {
			c.missing(path)
		}
		return 0, false
	}
	i, isInt := asInt(v)
	if !isInt {
		c.typeErr(path, "an integer")
		return 0, false
	}
	return i, true
}

func (c *checker) boolean(path string) (bool, bool) {
	v, ok := c.get(path)
	if !ok {
		return false, false
	}
	b, isBool := v.(bool)
	if !isBool {
		c.typeErr(path, "a boolean")
	}
	return b, isBool
}

func (c *checker) strs(path string, required bool) []string {
	v, ok := c.get(path)
	if !ok {
		if required {
			c.missing(path)
		}
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.typeErr(path, "an array of strings")
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, it := range arr {
		s, isStr := it.(string)
		if !isStr {
			c.typeErr(path, "an array of strings")
			return nil
		}
		out = append(out, s)
	}
	if required && len(out) == 0 {
		c.missing(path)
	}
	return out
}

func (c *checker) ints(path string) {
	v, ok := c.get(path)
	if !ok {
		return
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.typeErr(path, "an array of integers")
		return
	}
	for _, it := range arr {
		if _, isInt := asInt(it); !isInt {
			c.typeErr(path, "an array of integers")
			return
		}
	}
}

// object checks that an optional value, when present, is an object.
func (c *checker) object(path string) bool {
	v, ok := c.get(path)
	if !ok {
		return false
	}
	if _, isObj := v.(map[string]any); !isObj {
		c.typeErr(path, "an object")
		return false
	}
	return true
}

// oneOf checks v against the allowed values; fold makes it
// case-insensitive.
func (c *checker) oneOf(path, v string, fold bool, allowed ...string) {
	for _, a := range allowed {
		if a == v || fold && strings.EqualFold(a, v) {
			return
		}
	}
	c.invalid(path)
}

// validEmail accepts one bare address (no display name, no angle
// brackets, no surrounding space) with a dotted domain.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func validCSR(s string) bool {
	b, _ := pem.Decode([]byte(strings.TrimSpace(s)))
	if b == nil || b.Type != "CERTIFICATE REQUEST" && b.Type != "NEW CERTIFICATE REQUEST" {
		return false
	}
	req, err := x509.ParseCertificateRequest(b.Bytes)
	return err == nil && req.CheckSignature() == nil
}

// account is what an order is checked against beyond its body.
type account struct {
	orgs, containers map[int64]string
	now              time.Time
	maxDays          int
}

// validate checks an order body against its product's rules. It returns
// the order to create (names, emails and CSR filled in), every problem
// found, or a format error that replaces them.
func validate(p *product, body map[string]any, acct account) (*record, []apiError, string) {
	c := &checker{body: body}
	o := &record{}
	fam, now, maxDays := p.fam, acct.now, acct.maxDays
	if p.smime {
		maxDays = min(maxDays, SMIMEMaxCustomDays)
	}

	if p.maxDays > 0 {
		maxDays = p.maxDays
	}

	// Rules every family shares. signature_hash is required by the seed
	// pages; the Secure Email and ds_* pages show it in their examples
	// without a table that says so (sha256 when given).
	c.object("certificate")
	seed := fam == clientFamily || fam == docFamily
	if h, ok := c.str("certificate.signature_hash", seed); ok && h != "sha256" {
		c.invalid("certificate.signature_hash")
	}
	// The organization and container must be the account's (today.md
	// §5: GET /organization/{id} tells whether one exists).
	orgID, hasOrg := c.integer("organization.id", !p.orgOptional)
	if _, known := acct.orgs[orgID]; hasOrg && !known {
		c.invalid("organization.id")
	}
	if c.object("container") {
		if id, ok := c.integer("container.id", fam == docFamily); ok {
			if _, known := acct.containers[id]; !known {
				c.invalid("container.id")
			}
		}
	}
	c.boolean("skip_approval")
	if pm, ok := c.str("payment_method", false); ok {
		c.oneOf("payment_method", pm, false, "balance", "card", "profile")
	}
	c.str("comments", false)
	if v, ok := c.get("custom_fields"); ok {
		arr, isArr := v.([]any)
		if !isArr {
			c.typeErr("custom_fields", "an array of objects")
		}
		for _, it := range arr {
			m, isObj := it.(map[string]any)
			if !isObj {
				c.typeErr("custom_fields", "an array of objects")
				break
			}
			switch id, present := m["metadata_id"]; {
			case !present || id == nil:
				c.missing("custom_fields.metadata_id")
			default:
				if _, isInt := asInt(id); !isInt {
					c.typeErr("custom_fields.metadata_id", "an integer")
				}
			}
			switch val, present := m["value"]; {
			case !present || val == nil:
				c.missing("custom_fields.value")
			default:
				if _, isStr := val.(string); !isStr {
					c.typeErr("custom_fields.value", "a string")
				}
			}
		}
	}

	// Validity: custom_expiration_date replaces validity_years, which
	// may also come as order_validity.years; for document signing
	// order_validity.years is required and a (deprecated) validity_years
	// must still be one of the allowed years.
	years, hasYears := c.integer("validity_years", false)
	ovYears, hasOV := int64(0), false
	if c.object("order_validity") {
		ovYears, hasOV = c.integer("order_validity.years", false)
	}
	d, hasDate := c.str("custom_expiration_date", false)
	if hasDate {
		t, err := time.Parse(time.DateOnly, d)
		now = now.UTC()
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		if err != nil || !t.After(today) || t.After(today.AddDate(0, 0, maxDays)) {
			c.invalid("custom_expiration_date")
		}
	}
	switch {
	case fam.orderValidity:
		if hasYears && !slices.Contains(fam.validity, years) {
			c.invalid("validity_years")
		}
		if hasOV && !slices.Contains(fam.validity, ovYears) {
			c.invalid("order_validity.years")
		} else if !hasOV && !hasDate {
			c.missing("order_validity.years")
		}
	case hasDate:
	case !hasYears && !hasOV:
		c.missing("validity_years")
	case !hasYears && !slices.Contains(fam.validity, ovYears), hasYears && !slices.Contains(fam.validity, years):
		c.invalid("validity_years")
	}

	csr, hasCSR := c.str("certificate.csr", false)
	if hasCSR && !validCSR(csr) {
		c.add("csr_invalid_cannot_parse", "The CSR cannot be parsed.")
	}
	o.HasCSR = hasCSR

	switch fam {
	case clientFamily:
		emails := c.strs("certificate.emails", true)
		for _, e := range emails {
			if !validEmail(e) {
				c.invalid("certificate.emails")
				break
			}
		}
		o.Emails = emails
		if p.cnFromEmail {
			// class1_smime: DigiCert sets the common name to the first
			// email; a common_name in the body is refused (today.md §1).
			if _, given := c.str("certificate.common_name", false); given {
				c.invalid("certificate.common_name")
			}
			if len(emails) > 0 {
				o.CommonName = emails[0]
			}
		} else {
			o.CommonName, _ = c.str("certificate.common_name", true)
		}
		if p.profile {
			c.profile()
		}
		c.strs("certificate.organization_units", false)
		c.integer("auto_renew", false)
		c.integer("renewal_of_order_id", false)
	case secureEmailFamily:
		c.secureEmail(p, o, acct.orgs[orgID])
	case dsFamily:
		c.documentSigning(p, o, acct.orgs[orgID], hasCSR)
	case docFamily:
		c.serverPlatform()
		c.provisioning(false, hasCSR)
		useOrg, given := c.boolean("use_org_as_common_name")
		c.integer("csa_agreed_to", false)
		c.ints("user_id_assignments")
		c.object("subject")
		o.CommonName, _ = c.str("subject.name", true)
		// use_org_as_common_name defaults to true (seed page): the
		// certificate then names the organization.
		if useOrg || !given {
			o.CommonName = acct.orgs[orgID]
		}
		c.str("subject.job_title", true)
		c.str("subject.phone", true)
		if e, ok := c.str("subject.email", true); ok {
			if !validEmail(e) {
				c.invalid("subject.email")
			}
			o.Emails = []string{e}
		}
		c.shipInfo()
	}
	if c.bad != "" {
		return nil, nil, c.bad
	}
	return o, c.errs, ""
}

// profile checks the S/MIME profile fields (today.md §1):
// common_name_indicator given_name_surname needs the individual's first
// and last name, pseudonym needs the pseudonym.
func (c *checker) profile() {
	ind, ok := c.str("certificate.common_name_indicator", true)
	if !ok {
		return
	}
	c.object("certificate.individual")
	switch ind {
	case "given_name_surname":
		c.str("certificate.individual.first_name", true)
		c.str("certificate.individual.last_name", true)
	case "pseudonym":
		c.str("certificate.individual.pseudonym", true)
	default:
		c.invalid("certificate.common_name_indicator")
	}
}
