package mapping

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/templates"
)

type plan struct {
	// lang is the language of problems; sheet the language of the
	// input's headers (templates.LangKey), see Mapper.
	lang       l10n.Printer
	sheet      string
	tpl        *templates.Template
	fields     []fieldPlan
	root       *node
	identity   int
	commonName int
	// firstName and lastName are the individual's name fields (-1:
	// none): who a row is when the body names no person otherwise
	// (Secure Email, today's document signing).
	firstName, lastName int
	// personName is the field that names the person (the template's
	// person_name, else the common name; -1: none).
	personName int
	withGroups map[string][]int
	// years, expires and payment are the fields that say what an order
	// costs: validity_years, custom_expiration_date, payment_method (-1
	// when the template has none). The plan shown before submitting
	// reads them from here, never from the JSON.
	years, expires, payment int
	yearTerms               [11]string // "n years" in the run's language ([yearTermsFor])
	// org and container are the organization.id and container.id
	// fields (-1: none), for the account pre-flight.
	org, container int
	// skip lists, per product whose order leaves out some of the
	// template's fields, which fields those are (templates' products
	// and not_for).
	skip map[string][]bool
	// indicator is the S/MIME common_name_indicator field (-1: none)
	// and indicatorFields the fields each of its values needs.
	indicator       int
	indicatorFields map[string][]int
	// identityFor holds the identity field of products whose identity is
	// not the template's (ds_org: additional_emails).
	identityFor map[string]int
	// rules lists the fields with value_requires conditions.
	rules []int
}

type fieldPlan struct {
	f *templates.Field
	// fromConfig and fromDefault name where a constant came from, in
	// problems: "config order.<path>", "template default <path>".
	fromConfig, fromDefault string
	col                     int
	header                  string
	// explicit: the config's columns: names col; unmapped is the column
	// a free-text field's default header matches, not sent because the
	// config does not name it (-1: none).
	explicit       bool
	unmapped       int
	konst          *value
	def            *value
	replacedBy     int
	requiredIf     int
	requiredUnless int
	requiredWith   string
	// compose and composeCJK fill the field in from the fields at
	// composeRefs (the template's patterns, or the config's compose:).
	compose, composeCJK string
	composeRefs         []int
	// near is the sheet's header nearest to the field's when it has no
	// column: the hint of a missing value.
	near string
	// conds are the value_requires conditions by value, with the index of
	// each condition's field.
	conds map[string][]cond
}

// cond is a value_requires condition and its field's index.
type cond struct {
	c     templates.Cond
	field int
}

type node struct {
	key      string
	field    int // -1 for an object
	children []*node
	leaves   []int
}

// Compile checks cfg against the input header and the templates and
// returns a Mapper. Every error is a *ConfigError naming the key or header.
func Compile(cfg *Config, header []string, set *templates.Set, opts Options) (*Mapper, error) {
	m := &Mapper{header: header, productCol: -1, keyCol: -1, keyMethodCol: -1, set: set, plans: map[*templates.Template]*plan{}, now: opts.Now, lang: opts.Lang}
	if m.now == nil {
		m.now = time.Now
	}
	m.defaultProduct = cfg.Product
	if opts.Product != "" {
		m.defaultProduct = opts.Product
	}
	var deflt *templates.Template
	if m.defaultProduct != "" {
		t, ok := set.ForProduct(m.defaultProduct)
		if !ok {
			return nil, configErrorf("unknown product %q (known: %s)", m.defaultProduct, strings.Join(set.ProductIDs(), ", "))
		}
		deflt = t
	}

	index := map[string][]int{}
	for i, h := range header {
		if n := NormalizeHeader(h); n != "" {
			index[n] = append(index[n], i)
		}
	}
	find := func(what, h string) (int, error) {
		cols := index[NormalizeHeader(h)]
		switch len(cols) {
		case 0:
			return -1, configErrorf("%s: header %q is not in the input%s (its headers: %s)", what, h, DidYouMean(h, header), quoteList(header))
		case 1:
			return cols[0], nil
		default:
			return -1, configErrorf("%s: header %q matches several columns (%s)", what, h, colList(m.lang, header, cols))
		}
	}
	explicit := map[int]bool{}
	// Every header the config names and the input lacks is reported at
	// once.
	var missing []error
	if cfg.Key != "" {
		if c, err := find("key", cfg.Key); err != nil {
			missing = append(missing, err)
		} else {
			m.keyCol, m.keyHeader = c, header[c]
		}
	}
	if err := checkCompose(cfg.Compose, set, deflt); err != nil {
		return nil, err
	}
	colFor := map[string]int{}
	paths := make([]string, 0, len(cfg.Columns))
	for p := range cfg.Columns {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		h := cfg.Columns[p]
		if p != "product" && !knownPath(set, deflt, p) {
			return nil, configErrorf("columns: unknown order field %q%s%s", p, DidYouMean(p, fieldPaths(set, deflt)), fieldHint(set, deflt))
		}
		c, err := find("columns: "+p, h)
		if err != nil {
			missing = append(missing, err)
			continue
		}
		if p == "product" {
			m.productCol, m.productExplicit = c, true
		} else {
			colFor[p] = c
		}
		explicit[c] = true
	}
	if err := m.compileKeys(cfg, opts, find); err != nil {
		missing = append(missing, err)
	}
	if len(missing) > 0 {
		return nil, &ConfigError{Err: errors.Join(missing...)}
	}
	if m.productCol < 0 {
		if cols := index["product"]; len(cols) == 1 {
			m.productCol = cols[0]
		}
	}
	if m.defaultProduct == "" && m.productCol < 0 {
		return nil, configErrorf("no product: set product: in the config, pass --product, or add a Product column")
	}

	consts, err := flattenOrder(cfg.Order, set, deflt)
	if err != nil {
		return nil, err
	}

	now := m.now()
	used := map[int]bool{m.productCol: true, m.keyCol: true}
	for c := range explicit {
		used[c] = true
	}
	for _, t := range set.Families() {
		p, err := compilePlan(m.lang, t, header, index, explicit, colFor, consts, cfg.Compose, now)
		if err != nil {
			if t == deflt || deflt == nil {
				return nil, err
			}
			continue // a family this batch cannot use; rows naming it are reported
		}
		m.plans[t] = p
	}
	for _, p := range m.plans {
		for i := range p.fields {
			used[p.fields[i].col] = true
		}
	}
	m.sheet = sheetLanguage(m)
	for _, p := range m.plans {
		p.nearHeaders(header, used)
		p.sheet = m.sheet
	}
	if deflt != nil && m.plans[deflt] == nil {
		return nil, configErrorf("product %s cannot be mapped", m.defaultProduct)
	}
	return m, nil
}

func quoteList(h []string) string {
	q := make([]string, len(h))
	for i, s := range h {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func colList(lp l10n.Printer, h []string, cols []int) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = lp.Sprintf("column %d %q", c+1, h[c])
	}
	return strings.Join(q, ", ")
}

func compilePlan(lp l10n.Printer, t *templates.Template, header []string, index map[string][]int, explicit map[int]bool,
	colFor map[string]int, consts map[string]any, compose map[string]string, now time.Time) (*plan, error) {
	p := &plan{lang: lp, tpl: t, identity: -1, commonName: -1, personName: -1, firstName: -1, lastName: -1, withGroups: map[string][]int{}, years: -1, expires: -1, payment: -1,
		org: -1, container: -1,
		skip: map[string][]bool{}, indicator: -1, indicatorFields: map[string][]int{}, identityFor: map[string]int{}}
	pos := map[string]int{}
	for i := range t.Fields {
		pos[t.Fields[i].Path] = i
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		fp := fieldPlan{f: f, col: -1, unmapped: -1, replacedBy: -1, requiredIf: -1, requiredUnless: -1, requiredWith: f.RequiredWith,
			fromConfig: lp.Sprintf("config order.%s", f.Path), fromDefault: lp.Sprintf("template default %s", f.Path), compose: f.Compose, composeCJK: f.ComposeCJK}
		if pat, ok := compose[f.Path]; ok {
			fp.compose, fp.composeCJK = pat, "" // the config's pattern, for every script
		}
		if c, ok := configured(colFor, f); ok {
			fp.col = c
			fp.explicit = true
		} else {
			for _, h := range f.AllHeaders() {
				if cols := index[NormalizeHeader(h)]; len(cols) == 1 && !explicit[cols[0]] {
					fp.col = cols[0]
					break
				}
			}
			if f.FreeText && fp.col >= 0 {
				// Free text is sent only when the config names its column.
				fp.unmapped, fp.col = fp.col, -1
			}
		}
		if fp.col >= 0 {
			fp.header = header[fp.col]
		}
		if raw, ok := configured(consts, f); ok {
			v, msg := constValue(lp, f, raw, now)
			if msg != "" {
				return nil, configErrorf("order: %s: %v: %s", f.Path, raw, msg)
			}
			fp.konst = v
		}
		if f.Default != "" {
			v := &value{}
			if msg := parseValue(lp, f, f.Default, now, v); msg != "" {
				return nil, configErrorf("template %s: %s: default %q: %s", t.Family, f.Path, f.Default, msg)
			}
			fp.def = v
		}
		if f.ReplacedBy != "" {
			fp.replacedBy = pos[f.ReplacedBy]
		}
		if f.RequiredIf != nil {
			fp.requiredIf = pos[f.RequiredIf.Field]
		}
		if f.RequiredUnless != "" {
			fp.requiredUnless = pos[f.RequiredUnless]
		}
		if fp.compose != "" {
			for _, r := range templates.ComposeRefs(fp.compose + " " + fp.composeCJK) {
				fp.composeRefs = append(fp.composeRefs, pos[r])
			}
		}
		if len(f.ValueRequires) > 0 {
			fp.conds = map[string][]cond{}
			for v, cs := range f.ValueRequires {
				for _, c := range cs {
					fp.conds[v] = append(fp.conds[v], cond{c: c, field: pos[c.Field]})
				}
			}
			p.rules = append(p.rules, i)
		}
		if f.Path == t.Identity {
			p.identity = i
		}
		for _, prod := range t.Products {
			if prod.Identity == f.Path {
				p.identityFor[prod.ID] = i
			}
		}
		if f.Path == t.CommonName {
			p.commonName = i
		}
		if f.Path == t.PersonName || t.PersonName == "" && f.Path == t.CommonName {
			p.personName = i
		}
		switch {
		case strings.HasSuffix(f.Path, "individual.first_name"):
			p.firstName = i
		case strings.HasSuffix(f.Path, "individual.last_name"):
			p.lastName = i
		}
		if len(f.Indicator) > 0 {
			p.indicator = i
			for v, paths := range f.Indicator {
				for _, q := range paths {
					p.indicatorFields[v] = append(p.indicatorFields[v], pos[q])
				}
			}
		}
		for _, prod := range t.Products {
			if f.AppliesTo(prod.ID) {
				continue
			}
			if p.skip[prod.ID] == nil {
				p.skip[prod.ID] = make([]bool, len(t.Fields))
			}
			p.skip[prod.ID][i] = true
		}
		switch f.Path {
		case "validity_years", "order_validity.years":
			if p.years < 0 {
				p.years = i
			}
		case "custom_expiration_date":
			p.expires = i
		case "payment_method":
			p.payment = i
		case "organization.id":
			p.org = i
		case "container.id":
			p.container = i
		}
		p.fields = append(p.fields, fp)
	}
	for i, fp := range p.fields {
		if fp.requiredWith == "" {
			continue
		}
		if _, ok := p.withGroups[fp.requiredWith]; ok {
			continue
		}
		var g []int
		for j := range p.fields {
			if strings.HasPrefix(p.fields[j].f.Path, fp.requiredWith+".") {
				g = append(g, j)
			}
		}
		p.withGroups[fp.requiredWith] = g
		_ = i
	}
	p.root = &node{field: -1}
	for i := range t.Fields {
		parts := strings.Split(t.Fields[i].Path, ".")
		n := p.root
		for j, part := range parts {
			n.leaves = append(n.leaves, i)
			if j == len(parts)-1 {
				n.children = append(n.children, &node{key: part, field: i})
				break
			}
			var next *node
			for _, c := range n.children {
				if c.key == part && c.field < 0 {
					next = c
				}
			}
			if next == nil {
				next = &node{key: part, field: -1}
				n.children = append(n.children, next)
			}
			n = next
		}
	}
	p.yearTerms = yearTermsFor(lp)
	return p, nil
}

// sheetLanguage returns the language the input's headers are written in
// (templates.LangKey: "" for English): the one whose headers the most
// columns read by a template's default headers have. A tie is English.
// A column the sheet lacks is named in that language: the person's
// template spells it so.
func sheetLanguage(m *Mapper) string {
	count := map[string]int{}
	see := func(header string, en []string, i18n map[string]templates.Localized) {
		n := NormalizeHeader(header)
		for _, tag := range templates.Languages {
			lk := templates.LangKey(tag)
			hs := en
			if lk != "" {
				hs = i18n[lk].Headers
			}
			for _, h := range hs {
				if NormalizeHeader(h) == n {
					count[lk]++
					break
				}
			}
		}
	}
	for _, p := range m.plans {
		for i := range p.fields {
			fp := &p.fields[i]
			if fp.col >= 0 && !fp.explicit {
				see(fp.header, fp.f.Headers, fp.f.I18n)
			}
		}
		if k := p.tpl.KeyColumn; k != nil && m.keyCol >= 0 {
			see(m.keyHeader, k.Headers, k.I18n)
		}
	}
	best := ""
	for _, tag := range templates.Languages[1:] {
		if lk := templates.LangKey(tag); count[lk] > count[best] {
			best = lk
		}
	}
	return best
}
