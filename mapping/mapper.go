package mapping

import (
	"github.com/certbatch/certbatch/order"

	"fmt"
	"strings"
	"time"

	"github.com/certbatch/certbatch/templates"
)

// Options adjust how a config is compiled.
type Options struct {
	// Product overrides the config's default product (--product).
	Product string
	// Now is the clock used for date rules; nil means time.Now.
	Now func() time.Time
}

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
	CommonName            string
	Key                   string // value of the key column, if configured
	Payload               []byte // the order body, when requested and the row is valid
	Problems              []Problem
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

// Mapper maps rows of one input file. It is safe for concurrent use; each
// goroutine needs its own [Scratch].
type Mapper struct {
	header         []string
	productCol     int
	keyCol         int
	keyHeader      string
	defaultProduct string
	set            *templates.Set
	plans          map[*templates.Template]*plan
	now            func() time.Time
	check          func(*Result)
}

// HasIdentityColumn reports whether the header has the column that says
// who a row is (the email) for some product family the batch can use.
func (m *Mapper) HasIdentityColumn() bool {
	for _, p := range m.plans {
		if p.identity >= 0 && p.fields[p.identity].col >= 0 {
			return true
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
		msg := "unknown product; known: " + strings.Join(m.set.ProductIDs(), ", ")
		if ok {
			msg = "product " + r.Product + " cannot be used with this config"
		}
		r.Problems = append(r.Problems, Problem{Row: rowNum, Column: col, Value: r.Product, Message: msg})
		return r
	}
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
			if msg := parseValue(fp.f, raw, now, &vals[i]); msg != "" {
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
			Message: "this is the template's example row, not a person to order for: delete the example row"})
	}
	if p.indicator >= 0 && (skip == nil || !skip[p.indicator]) {
		p.deriveIndicator(vals, failed)
	}
	for i := range p.fields {
		fp := &p.fields[i]
		if vals[i].set || failed[i] || skip != nil && skip[i] {
			continue
		}
		req := fp.f.Required
		if fp.requiredIf >= 0 && vals[fp.requiredIf].set && strings.EqualFold(vals[fp.requiredIf].s, fp.f.RequiredIf.Equals) {
			req = true
		}
		if fp.requiredWith != "" {
			for _, j := range p.withGroups[fp.requiredWith] {
				if vals[j].set {
					req = true
					break
				}
			}
		}
		if fp.replacedBy >= 0 && (vals[fp.replacedBy].set || failed[fp.replacedBy]) {
			req = false
		}
		if req {
			pr := missing(rowNum, fp, p.fields)
			if i == p.indicator {
				pr = p.missingIndicator(rowNum, r.Product)
			}
			r.Problems = append(r.Problems, pr)
		}
	}
	for i := range p.fields {
		if rb := p.fields[i].replacedBy; rb >= 0 && vals[i].set && vals[rb].set {
			vals[i].set = false // custom_expiration_date replaces validity_years
		}
	}
	if p.identity >= 0 {
		v := &vals[p.identity]
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
		r.emailColumn = p.fields[p.identity].header
	}
	if p.commonName >= 0 {
		r.CommonName = vals[p.commonName].s
	}
	if r.CommonName == "" && p.commonName >= 0 && skip != nil && skip[p.commonName] {
		// class1_smime: DigiCert makes the first email the common name.
		r.CommonName = r.emailRaw
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
			r.Problems = append(r.Problems, Problem{Row: rowNum, Column: m.keyHeader, Message: "is empty; it identifies the person across runs (key: in the config)"})
		} else {
			r.PersonKey = order.NormalizeKey(r.Key)
			r.keyIdent = product + "|key:" + r.PersonKey // the duplicate check compares normalized keys
			r.Identity = r.keyIdent
			if r.PersonKey != r.Key {
				r.Identity = product + "|key:" + r.Key
			}
		}
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
		r.Payload = p.appendObject(make([]byte, 0, 512), p.root, vals)
	}
	return r
}

func missing(row int, fp *fieldPlan, all []fieldPlan) Problem {
	col := fp.header
	hint := ""
	if col == "" {
		col = fp.f.Path
		if len(fp.f.Headers) > 0 {
			hint = fmt.Sprintf(" (add a %q column, map one under columns:, or set it under order: in the config)", fp.f.Headers[0])
		} else {
			hint = " (set it under order: in the config)"
		}
	}
	msg := "is required" + hint
	if fp.f.RequiredIf != nil {
		msg = fmt.Sprintf("is required when %s is %s%s", fp.f.RequiredIf.Field, fp.f.RequiredIf.Equals, hint)
	} else if fp.requiredWith != "" && !fp.f.Required {
		msg = fmt.Sprintf("is required when any %s field is given%s", fp.requiredWith, hint)
	}
	return Problem{Row: row, Column: col, Message: msg}
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
		validity = "until " + vals[p.expires].s
	case p.years >= 0 && vals[p.years].set && vals[p.years].i == 1:
		validity = "1 year"
	case p.years >= 0 && vals[p.years].set:
		validity = vals[p.years].s + " years"
	}
	if p.payment >= 0 && vals[p.payment].set {
		payment = vals[p.payment].s
	}
	return validity, payment
}

// deriveIndicator fills in common_name_indicator when the row leaves it
// out: the first of its values (in the template's allowed order) whose
// fields the row gives any of. A value with only some of its fields
// given is still chosen, so the row is told which one is missing.
func (p *plan) deriveIndicator(vals []value, failed []bool) {
	i := p.indicator
	if vals[i].set || failed[i] {
		return
	}
	f := p.fields[i].f
	for _, v := range f.Allowed {
		for _, j := range p.indicatorFields[v] {
			if vals[j].set || failed[j] {
				vals[i] = value{set: true, s: v}
				return
			}
		}
	}
}

// missingIndicator is the problem of a row that needs the S/MIME
// profile fields and has none of them: it names the columns to fill in.
func (p *plan) missingIndicator(row int, product string) Problem {
	f := p.fields[p.indicator].f
	var options, cols []string
	for _, v := range f.Allowed {
		var names []string
		for _, j := range p.indicatorFields[v] {
			fp := &p.fields[j]
			name := fp.header
			if name == "" && len(fp.f.Headers) > 0 {
				name = fp.f.Headers[0]
			}
			if name == "" {
				name = fp.f.Path
			}
			names = append(names, name)
		}
		cols = append(cols, names...)
		options = append(options, strings.Join(names, " and "))
	}
	return Problem{Row: row, Column: strings.Join(cols, "/"),
		Message: fmt.Sprintf("is required for %s (DigiCert's S/MIME rules since 2025-07-10): fill in %s", product, strings.Join(options, ", or "))}
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
