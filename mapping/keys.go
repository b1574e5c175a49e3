package mapping

import (
	"errors"
	"slices"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/keys"
)

// Key methods: how a row's key pair comes to be.
const (
	// KeyLink sends no CSR: DigiCert emails the person, who makes the key
	// in a browser (certcentral-today.md §2). certbatch never sees it.
	KeyLink = "link"
	// KeyCSR sends the row's CSR: the person (or their device) holds
	// the key.
	KeyCSR = "csr"
	// KeyGenerate has certbatch make the key pair and the CSR, keep the
	// key encrypted, and hand it over in a PKCS #12 once issued.
	KeyGenerate = "generate"
)

// KeyMethods lists the key methods, for messages.
const KeyMethods = "link, csr, generate"

// KeysConfig is the config's keys: block. Every field is optional:
// without it a row with a CSR uses it and a row without one is link,
// as before.
type KeysConfig struct {
	// Method is the batch's key method (link, csr, generate); "" means
	// csr when the row has a CSR, else link.
	Method string `yaml:"method"`
	// Algorithm is the algorithm of generated keys: p256 (default),
	// p384 or rsa3072.
	Algorithm string `yaml:"algorithm"`
	// Column names a column whose cell, when not empty, is the row's key
	// method (link, csr or generate), overriding Method.
	Column string `yaml:"column"`
}

// parseKeyMethod reads a key method as a cell or a flag writes it.
func parseKeyMethod(s string) (string, bool) {
	switch m := strings.ToLower(strings.TrimSpace(s)); m {
	case KeyLink, KeyCSR, KeyGenerate:
		return m, true
	}
	return "", false
}

// compileKeys sets the mapper's key method, algorithm and method column
// from the config and the options (flags win); find finds a header.
func (m *Mapper) compileKeys(cfg *Config, opts Options, find func(what, h string) (int, error)) error {
	kc := KeysConfig{}
	if cfg.Keys != nil {
		kc = *cfg.Keys
	}
	method, from := kc.Method, "config keys.method"
	if opts.KeyMethod != "" {
		method, from = opts.KeyMethod, "--key-method"
	}
	if method != "" {
		mm, ok := parseKeyMethod(method)
		if !ok {
			return configErrorf("%s: unknown key method %q; use one of %s", from, method, KeyMethods)
		}
		m.keyMethod, m.keyMethodFrom = mm, from
	}
	alg, afrom := kc.Algorithm, "config keys.algorithm"
	if opts.KeyAlgorithm != "" {
		alg, afrom = opts.KeyAlgorithm, "--key-algorithm"
	}
	a, err := keys.ParseAlgorithm(alg)
	if err != nil {
		return configErrorf("%s: %v", afrom, err)
	}
	m.keyAlg = a
	if kc.Column != "" {
		c, err := find("keys.column", kc.Column)
		if err != nil {
			var ce *ConfigError
			if errors.As(err, &ce) {
				return err
			}
			return configErrorf("%v", err)
		}
		m.keyMethodCol, m.keyMethodHeader = c, m.header[c]
	}
	return nil
}

// rowKeyMethod decides the row's key method and checks it against the
// row's CSR and the product: csr needs a CSR, link and generate need
// none, and generate needs a product whose template allows it. For
// generate, the CSR field is marked to be filled in when the row is
// sent. It returns the problems found.
func (m *Mapper) rowKeyMethod(p *plan, r *Result, cells []string, vals []value, failed []bool, skip []bool) []Problem {
	method, col := m.keyMethod, m.keyMethodFrom
	if m.keyMethodCol >= 0 {
		if cell := cells[m.keyMethodCol]; cell != "" {
			mm, ok := parseKeyMethod(cell)
			if !ok {
				return []Problem{{Row: r.Row, Column: m.keyMethodHeader, Value: cell, Message: m.lang.Sprintf("must be one of %s", KeyMethods)}}
			}
			method, col = mm, m.keyMethodHeader
		}
	}
	csr := p.csrField(r.Product, skip)
	csrGiven := csr >= 0 && (vals[csr].set || failed[csr])
	csrCol := "certificate.csr"
	if csr >= 0 && p.fields[csr].header != "" {
		csrCol = p.fields[csr].header
	}
	if method == "" {
		method = KeyLink
		if csrGiven {
			method = KeyCSR
		}
	}
	r.KeyMethod = method
	switch {
	case method == KeyCSR && csr < 0:
		return []Problem{{Row: r.Row, Column: col, Value: method, Message: m.lang.Sprintf("DigiCert's order for %s takes no CSR: use the key method link", r.Product)}}
	case method == KeyCSR && !csrGiven:
		return []Problem{{Row: r.Row, Column: csrCol, Message: m.lang.Sprintf("is required when the key method is csr (%s)", col)}}
	case method == KeyLink && csrGiven:
		return []Problem{{Row: r.Row, Column: csrCol, Message: m.lang.Sprintf("a CSR is given but the key method is link (%s): clear the CSR, or use the key method csr", col)}}
	case method == KeyGenerate && csrGiven:
		return []Problem{{Row: r.Row, Column: csrCol, Message: m.lang.Sprintf("a CSR is given but certbatch generates this row's key (%s): clear the CSR, or use the key method csr", col)}}
	case method == KeyGenerate:
		if why := p.tpl.GenerateRefusal(r.Product); why != "" || csr < 0 {
			if why == "" {
				why = m.lang.Sprintf("DigiCert's order for %s takes no CSR", r.Product)
			}
			return []Problem{{Row: r.Row, Column: col, Value: method, Message: m.lang.Sprintf("certbatch cannot generate the key for %s: %s", r.Product, why)}}
		}
		vals[csr] = value{set: true, gen: true}
		r.KeyAlgorithm = m.keyAlg
	}
	return nil
}

// csrField is the index of the field that carries the CSR of an order
// for product (-1: none).
func (p *plan) csrField(product string, skip []bool) int {
	f := p.tpl.CSRField(product)
	if f == nil {
		return -1
	}
	for i := range p.fields {
		if p.fields[i].f == f && (skip == nil || !skip[i]) {
			return i
		}
	}
	return -1
}

// subject is what a generated CSR names: the order's own subject fields
// (common name, emails, organization units, the S/MIME name fields).
func (p *plan) subject(r *Result, vals []value) keys.Subject {
	s := keys.Subject{CommonName: r.CommonName}
	for i := range p.fields {
		v := &vals[i]
		if !v.set {
			continue
		}
		switch p.fields[i].f.Path {
		case p.tpl.Identity:
			s.Emails = append(slices.Clone(v.list), nonEmpty(v.s)...)
		case "certificate.organization_units":
			s.OrgUnits = slices.Clone(v.list)
		case "certificate.individual.first_name":
			s.GivenName = v.s
		case "certificate.individual.last_name":
			s.Surname = v.s
		case "certificate.individual.pseudonym":
			s.Pseudonym = v.s
		}
	}
	return s
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// PayloadWithCSR returns the row's order body with csrPEM as the CSR of
// a row whose key certbatch generates (KeyMethod generate); the body the
// mapper built leaves that CSR empty until the key exists.
func (r *Result) PayloadWithCSR(csrPEM string) ([]byte, error) {
	if r.KeyMethod != KeyGenerate || r.csrAt <= 0 || r.csrAt+2 > len(r.Payload) || string(r.Payload[r.csrAt:r.csrAt+2]) != `""` {
		return nil, l10n.Errorf("row %d: no generated CSR to fill in", r.Row)
	}
	out := make([]byte, 0, len(r.Payload)+len(csrPEM)+64)
	out = append(out, r.Payload[:r.csrAt]...)
	out = appendString(out, csrPEM)
	return append(out, r.Payload[r.csrAt+2:]...), nil
}
