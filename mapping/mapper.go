package mapping

import (
	"strings"
	"time"
	"unicode"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/keys"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/templates"
)

// Options adjust how a config is compiled.
type Options struct {
	// Product overrides the config's default product (--product).
	Product string
	// Now is the clock used for date rules; nil means time.Now.
	Now func() time.Time
	// KeyMethod and KeyAlgorithm override the config's keys.method and
	// keys.algorithm (--key-method, --key-algorithm).
	KeyMethod, KeyAlgorithm string
	// Lang is the language of row problems (zero: English).
	Lang l10n.Printer
}

// Mapper maps rows of one input file. It is safe for concurrent use; each
// goroutine needs its own [Scratch].
type Mapper struct {
	header     []string
	productCol int
	// productExplicit: the config's columns: names the product column.
	productExplicit bool
	keyCol          int
	keyHeader       string
	defaultProduct  string
	set             *templates.Set
	plans           map[*templates.Template]*plan
	now             func() time.Time
	check           func(*Result)
	// keyMethod is the batch's key method ("": by the row's CSR) and
	// keyMethodFrom where it was set; keyMethodCol the per-row method
	// column (-1: none); keyAlg the algorithm of generated keys.
	keyMethod, keyMethodFrom string
	keyMethodCol             int
	keyMethodHeader          string
	keyAlg                   keys.Algorithm
	// lang is the language of problems; sheet the language the input's
	// headers are written in (templates.LangKey: "" for English), which
	// names a column the row lacks.
	lang  l10n.Printer
	sheet string
}

// Lang returns the language of the mapper's problems.
func (m *Mapper) Lang() l10n.Printer { return m.lang }

// HasIdentityColumn reports whether the header has the column that says
// who a row is (the email) for some product family the batch can use.
func (m *Mapper) HasIdentityColumn() bool {
	for _, p := range m.plans {
		if p.identity >= 0 && p.fields[p.identity].col >= 0 {
			return true
		}
		for _, i := range p.identityFor {
			if p.fields[i].col >= 0 {
				return true
			}
		}
	}
	return false
}

// SetCheck adds a check every mapped row goes through after its own
// rules and before its payload is built: check may append problems
// (e.g. the account pre-flight's), which make the row invalid. It must
// be safe for concurrent use. Call it before mapping any row.
func (m *Mapper) SetCheck(check func(*Result)) { m.check = check }

// Scratch holds per-goroutine buffers for [Mapper.Map].
type Scratch struct {
	vals   []value
	failed []bool
}

// Map maps and validates one row. cells must have one entry per header.
// The payload is built only when emit is true and the row is valid.
func (m *Mapper) Map(rowNum int, cells []string, sc *Scratch, emit bool) Result {
	r := Result{Row: rowNum, Product: m.defaultProduct}
	if m.productCol >= 0 && cells[m.productCol] != "" {
		r.Product = cells[m.productCol]
	}
	t, ok := m.set.ForProduct(r.Product)
	var p *plan
	if ok {
		p = m.plans[t]
	}
	if p == nil {
		col := "product"
		if m.productCol >= 0 {
			col = m.header[m.productCol]
		}
		msg := m.lang.Sprintf("unknown product; known: %s", strings.Join(m.set.ProductIDs(), ", "))
		if ok {
			msg = m.lang.Sprintf("product %s cannot be used with this config", r.Product)
		}
		r.Problems = append(r.Problems, Problem{Row: rowNum, Column: col, Value: r.Product, Message: msg})
		return r
	}
	// The order goes out under today's product ID (client_premium for a
	// row saying client_premium_sha2), which the plan, the journal and
	// the results show too; the identity below is the same for both.
	r.Product = m.set.Current(r.Product)
	if cap(sc.vals) < len(p.fields) {
		sc.vals = make([]value, len(p.fields))
		sc.failed = make([]bool, len(p.fields))
	}
	vals, failed := sc.vals[:len(p.fields)], sc.failed[:len(p.fields)]
	now := m.now()
	skip := p.skip[r.Product] // fields not part of this product's order; nil: none
	for i := range p.fields {
		fp := &p.fields[i]
		vals[i].reset()
		failed[i] = false
		if skip != nil && skip[i] {
			continue
		}
		if fp.col >= 0 && cells[fp.col] != "" {
			raw := cells[fp.col]
			if msg := parseValue(m.lang, fp.f, raw, now, &vals[i]); msg != "" {
				failed[i] = true
				r.Problems = append(r.Problems, Problem{Row: rowNum, Column: fp.header, Value: raw, Message: msg})
			}
			continue
		}
		if fp.konst != nil {
			vals[i] = *fp.konst
		} else if fp.def != nil {
			vals[i] = *fp.def
		}
	}
	if p.isExample(cells) {
		col := "row"
		if p.identity >= 0 && p.fields[p.identity].header != "" {
			col = p.fields[p.identity].header
		}
		r.Problems = append(r.Problems, Problem{Row: rowNum, Column: col,
			Message: m.lang.Sprintf("this is the template's example row, not a person to order for: delete the example row")})
	}
	p.compose(rowNum, cells, vals, failed, skip, now, &r)
	if p.indicator >= 0 && (skip == nil || !skip[p.indicator]) {
		p.deriveIndicator(vals, failed, r.Product)
	}
	r.Problems = append(r.Problems, m.rowKeyMethod(p, &r, cells, vals, failed, skip)...)
	p.checkAllowedFor(rowNum, r.Product, vals, failed, skip, &r)
	for i := range p.fields {
		fp := &p.fields[i]
		if vals[i].set || failed[i] || skip != nil && skip[i] {
			continue
		}
		if p.required(i, r.Product, vals, failed) {
			pr := p.missing(rowNum, fp)
			if i == p.indicator {
				pr = p.missingIndicator(rowNum, r.Product, fp)
			} else if fp.compose != "" {
				pr.Message = p.lang.Sprintf("%s; or fill in %s to compose it", pr.Message, p.refNames(fp))
			}
			r.Problems = append(r.Problems, pr)
		}
	}
	p.checkCombinations(rowNum, vals, skip, &r)
	for i := range p.fields {
		if rb := p.fields[i].replacedBy; rb >= 0 && vals[i].set && vals[rb].set {
			vals[i].set = false // custom_expiration_date replaces validity_years
		}
	}
	identity := p.identity
	if j, ok := p.identityFor[r.Product]; ok {
		identity = j
	}
	if identity >= 0 {
		v := &vals[identity]
		if len(v.list) > 0 {
			r.emailRaw = v.list[0]
			r.Emails = make([]string, len(v.list))
			for i, e := range v.list {
				r.Emails[i] = order.NormalizeEmail(e)
			}
		} else {
			r.emailRaw = v.s
		}
		r.Email = order.NormalizeEmail(r.emailRaw)
		if r.Emails == nil && r.Email != "" {
			r.Emails = []string{r.Email}
		}
		r.emailColumn = p.fields[identity].header
	}
	if p.commonName >= 0 {
		r.CommonName = vals[p.commonName].s
	}
	r.Name, r.RawEmail = p.who(vals, cells, r.emailRaw)
	if r.CommonName == "" && (p.commonName < 0 || skip != nil && skip[p.commonName]) {
		// class1_smime, Secure Email, today's document signing: the order
		// names no common name (DigiCert derives it); the journal shows
		// the email.
		r.CommonName = r.emailRaw
		r.CommonNameUnknown = p.commonName < 0
	}
	// Identities use the canonical product: client_premium and
	// client_premium_sha2 are one product for "never order twice".
	product := m.set.Canonical(r.Product)
	r.ProductKey = product
	if r.Email != "" {
		r.Identity = product + "|email:" + r.Email
	}
	if m.keyCol >= 0 {
		r.Key = cells[m.keyCol]
		r.keyColumn = m.keyHeader
		if r.Key == "" {
			r.Problems = append(r.Problems, Problem{Row: rowNum, Column: m.keyHeader, Message: m.lang.Sprintf("is empty; it identifies the person across runs (key: in the config)")})
		} else {
			r.PersonKey = order.NormalizeKey(r.Key)
			r.keyIdent = product + "|key:" + r.PersonKey // the duplicate check compares normalized keys
			r.Identity = r.keyIdent
			if r.PersonKey != r.Key {
				r.Identity = product + "|key:" + r.Key
			}
		}
	}
	if r.KeyMethod == KeyGenerate {
		r.CSRSubject = p.subject(&r, vals)
	}
	r.Validity, r.Payment = p.terms(vals)
	r.OrgID, r.OrgFrom = p.accountRef(p.org, vals, cells, skip)
	r.ContainerID, r.ContainerFrom = p.accountRef(p.container, vals, cells, skip)
	if m.check != nil {
		c := r // only the copy escapes to the check: rows without one stay on the stack
		m.check(&c)
		r = c
	}
	if emit && len(r.Problems) == 0 {
		r.Payload = p.appendObject(make([]byte, 0, 512), p.root, vals, &r.csrAt)
	}
	return r
}

// who returns the row's person for people to read: the name field's value
// (or its cell as written, when it did not parse) and the primary email
// as written (its cell's first item when it did not parse).
func (p *plan) who(vals []value, cells []string, email string) (name, rawEmail string) {
	// A field's value, or its cell as written when it did not parse or
	// is not sent (a mailbox order's names without common_name_indicator).
	text := func(i int) string {
		if !vals[i].set && p.fields[i].col >= 0 {
			return strings.TrimSpace(cells[p.fields[i].col])
		}
		return vals[i].s
	}
	if p.personName >= 0 {
		name = text(p.personName)
	}
	if name == "" && p.firstName >= 0 && p.lastName >= 0 {
		name = personName(text(p.firstName), text(p.lastName))
	}
	if email == "" && p.identity >= 0 && p.fields[p.identity].col >= 0 {
		email = firstOf(strings.TrimSpace(cells[p.fields[p.identity].col]))
	}
	return name, email
}

// personName is how a person is named for people to read from their
// given and family names: "First Last", or family name first without a
// space for names in Hangul or Han characters (홍길동, 陳大文).
func personName(first, last string) string {
	switch {
	case first == "" || last == "":
		return strings.TrimSpace(first + last)
	case strings.ContainsFunc(first+last, func(r rune) bool { return unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Han, r) }):
		return last + first
	}
	return first + " " + last
}

// accountRef returns the ID field i holds and where it came from.
func (p *plan) accountRef(i int, vals []value, cells []string, skip []bool) (int64, string) {
	if i < 0 || !vals[i].set || skip != nil && skip[i] {
		return 0, ""
	}
	fp := &p.fields[i]
	if fp.col >= 0 && cells[fp.col] != "" {
		return vals[i].i, fp.header
	}
	if fp.konst != nil {
		return vals[i].i, fp.fromConfig
	}
	return vals[i].i, fp.fromDefault
}

// terms returns what a row's order buys: its validity and payment method.
func (p *plan) terms(vals []value) (validity, payment string) {
	switch {
	case p.expires >= 0 && vals[p.expires].set:
		validity = p.lang.Sprintf("until %s", vals[p.expires].s)
	case p.years >= 0 && vals[p.years].set:
		if n := vals[p.years].i; n >= 0 && n < int64(len(p.yearTerms)) {
			validity = p.yearTerms[n]
		} else {
			validity = p.lang.Sprintf("%d years", n)
		}
	}
	if p.payment >= 0 && vals[p.payment].set {
		payment = vals[p.payment].s
	}
	return validity, payment
}

// deriveIndicator fills in common_name_indicator when the row leaves it
// out: the first of the product's values (in the template's allowed
// order) whose fields the row gives any of. A value with only some of
// its fields given is still chosen, so the row is told which one is
// missing.
func (p *plan) deriveIndicator(vals []value, failed []bool, product string) {
	i := p.indicator
	if vals[i].set || failed[i] {
		return
	}
	f := p.fields[i].f
	for _, v := range f.AllowedValues(product) {
		for _, j := range p.indicatorFields[v] {
			if vals[j].set || failed[j] {
				vals[i] = value{set: true, s: v}
				return
			}
		}
	}
}

// missingIndicator is the problem of a row that needs the S/MIME
// profile fields and has none of them: it names the columns to fill in,
// or, for a product whose values need no columns, the values to choose.
func (p *plan) missingIndicator(row int, product string, fp *fieldPlan) Problem {
	f := p.fields[p.indicator].f
	var options, cols []string
	for _, v := range f.AllowedValues(product) {
		var names []string
		for _, j := range p.indicatorFields[v] {
			fp := &p.fields[j]
			name := fp.header
			if name == "" {
				name = p.headerOf(fp)
			}
			if name == "" {
				name = fp.f.Path
			}
			names = append(names, name)
		}
		if len(names) == 0 {
			continue
		}
		cols = append(cols, names...)
		options = append(options, strings.Join(names, p.lang.Sprintf(" and ")))
	}
	if len(options) == 0 {
		pr := p.missing(row, fp)
		pr.Message = p.lang.Sprintf("is required for %s: one of %s (a column, or under order: in the config)", product, strings.Join(f.AllowedValues(product), ", "))
		return pr
	}
	return Problem{Row: row, Column: strings.Join(cols, "/"),
		Message: p.lang.Sprintf("is required for %s (DigiCert's S/MIME rules since 2025-07-10): fill in %s", product, strings.Join(options, p.lang.Sprintf(", or ")))}
}

// isExample reports whether the row copies the template's example (see
// templates.Template.IsExampleRow). Rows where no distinctive cell holds
// its example cost no allocation.
func (p *plan) isExample(cells []string) bool {
	hit := false
	for i := range p.fields {
		fp := &p.fields[i]
		if fp.col < 0 || !fp.f.Distinctive() {
			continue
		}
		c, ex := strings.TrimSpace(cells[fp.col]), strings.TrimSpace(fp.f.Example)
		if strings.EqualFold(c, ex) || (i == p.identity && strings.HasPrefix(strings.ToLower(c), strings.ToLower(firstOf(ex)))) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	vals := map[string]string{}
	for i := range p.fields {
		if fp := &p.fields[i]; fp.col >= 0 && fp.f.Distinctive() {
			vals[fp.f.Path] = cells[fp.col]
		}
	}
	return p.tpl.IsExampleRow(vals)
}

// firstOf is the first item of a list value.
func firstOf(s string) string {
	if i := strings.IndexAny(s, ";,\n"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
