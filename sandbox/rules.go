package sandbox

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// family is a product group with its order rules.
type family struct {
	name     string
	names    map[string]string // product -> display name
	validity []int64           // allowed validity_years
}

var (
	clientFamily = &family{name: "client_certificate", validity: []int64{1, 2}, names: map[string]string{
		"client_premium_sha2": "Premium", "client_email_security_plus": "Email Security Plus",
		"client_authentication_plus": "Authentication Plus", "client_digital_signature_plus_sha2": "Digital Signature Plus",
		"client_premium": "Premium", "client_digital_signature_plus": "Digital Signature Plus"}}
	docFamily = &family{name: "document_signing", validity: []int64{1, 2, 3}, names: map[string]string{
		"document_signing_org_1": "Document Signing - Organization (2000)", "document_signing_org_2": "Document Signing - Organization (5000)"}}
	products = map[string]*family{}
)

func init() {
	for _, f := range []*family{clientFamily, docFamily} {
		for p := range f.names {
			products[p] = f
		}
	}
}

// checker collects problems with an order body.
type checker struct {
	body map[string]any
	errs []apiError
	bad  string // a type error: the body is not what the API can read
}

func (c *checker) get(path string) (any, bool) {
	var cur any = c.body
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
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

func (c *checker) missing(path string) {
	c.errs = append(c.errs, apiError{"missing_field:" + path, path + " is required."})
}

func (c *checker) invalid(path string) {
	c.errs = append(c.errs, apiError{"invalid_value:" + path, path + " contains an invalid value."})
}

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

func (c *checker) integer(path string, required bool) (int64, bool) {
	v, ok := c.get(path)
	if !ok {
		if required {
			c.missing(path)
		}
		return 0, false
	}
	n, isNum := v.(json.Number)
	if !isNum {
		c.typeErr(path, "an integer")
		return 0, false
	}
	i, err := n.Int64()
	if err != nil {
		c.typeErr(path, "an integer")
		return 0, false
	}
	return i, true
}

func (c *checker) boolean(path string) {
	if v, ok := c.get(path); ok {
		if _, isBool := v.(bool); !isBool {
			c.typeErr(path, "a boolean")
		}
	}
}

func (c *checker) strings(path string, required bool) []string {
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

func (c *checker) oneOf(path, v string, allowed ...string) {
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return
		}
	}
	c.invalid(path)
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// validate checks an order body against the family's rules and returns
// the order to create, the problems, or a type error.
func validate(fam *family, body map[string]any, now time.Time, maxDays int) (*Order, []apiError, string) {
	c := &checker{body: body}
	o := &Order{}
	if h, ok := c.str("certificate.signature_hash", true); ok && h != "sha256" {
		c.invalid("certificate.signature_hash")
	}
	c.integer("organization.id", true)
	c.integer("container.id", false)
	c.boolean("skip_approval")
	if pm, ok := c.str("payment_method", false); ok {
		c.oneOf("payment_method", pm, "balance", "card", "profile")
	}
	c.str("comments", false)
	if v, ok := c.get("custom_fields"); ok {
		arr, isArr := v.([]any)
		if !isArr {
			c.typeErr("custom_fields", "an array")
		}
		for _, it := range arr {
			m, isMap := it.(map[string]any)
			if !isMap {
				c.typeErr("custom_fields", "an array of objects")
				break
			}
			if n, isNum := m["metadata_id"].(json.Number); !isNum || n.String() == "" {
				c.missing("custom_fields.metadata_id")
			}
			if _, isStr := m["value"].(string); !isStr {
				c.missing("custom_fields.value")
			}
		}
	}
	// Validity: custom_expiration_date replaces validity_years.
	if d, ok := c.str("custom_expiration_date", false); ok {
		t, err := time.Parse("2006-01-02", d)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		if err != nil || !t.After(today) || t.After(today.AddDate(0, 0, maxDays)) {
			c.invalid("custom_expiration_date")
		}
	} else {
		years, ok := c.integer("validity_years", false)
		if !ok {
			years, ok = c.integer("order_validity.years", false)
		}
		if !ok {
			if c.bad == "" {
				c.missing("validity_years")
			}
		} else if !contains(fam.validity, years) {
			c.invalid("validity_years")
		}
	}
	csr, hasCSR := c.str("certificate.csr", false)
	if hasCSR {
		b, _ := pem.Decode([]byte(csr))
		if b == nil {
			c.errs = append(c.errs, apiError{"csr_invalid_cannot_parse", "The CSR cannot be parsed."})
		} else if req, err := x509.ParseCertificateRequest(b.Bytes); err != nil || req.CheckSignature() != nil {
			c.errs = append(c.errs, apiError{"csr_invalid_cannot_parse", "The CSR cannot be parsed."})
		}
	}
	switch fam {
	case clientFamily:
		o.CommonName, _ = c.str("certificate.common_name", true)
		emails := c.strings("certificate.emails", true)
		for _, e := range emails {
			if !validEmail(e) {
				c.invalid("certificate.emails")
				break
			}
		}
		o.Emails = emails
		c.strings("certificate.organization_units", false)
		c.integer("auto_renew", false)
		c.integer("renewal_of_order_id", false)
	case docFamily:
		c.integer("certificate.server_platform.id", false)
		if m, ok := c.str("cs_provisioning_method", false); ok {
			c.oneOf("cs_provisioning_method", m, "ship_token", "client_app", "email")
			if m == "email" && !hasCSR {
				c.missing("certificate.csr")
			}
		}
		c.boolean("use_org_as_common_name")
		c.integer("csa_agreed_to", false)
		name, _ := c.str("subject.name", true)
		c.str("subject.job_title", true)
		c.str("subject.phone", true)
		if e, ok := c.str("subject.email", true); ok {
			if !validEmail(e) {
				c.invalid("subject.email")
			}
			o.Emails = []string{e}
		}
		o.CommonName = name
		if _, ok := c.get("ship_info"); ok {
			for _, f := range []string{"name", "addr1", "city", "state", "zip", "country"} {
				c.str("ship_info."+f, true)
			}
			c.str("ship_info.addr2", false)
			if m, ok := c.str("ship_info.method", true); ok {
				c.oneOf("ship_info.method", m, "standard", "expedited")
			}
		}
		if v, ok := c.get("user_id_assignments"); ok {
			arr, isArr := v.([]any)
			if !isArr {
				c.typeErr("user_id_assignments", "an array of integers")
			}
			for _, it := range arr {
				if n, isNum := it.(json.Number); !isNum {
					c.typeErr("user_id_assignments", "an array of integers")
				} else if _, err := n.Int64(); err != nil {
					c.typeErr("user_id_assignments", "an array of integers")
				}
			}
		}
	}
	return o, c.errs, c.bad
}

func contains(list []int64, v int64) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
