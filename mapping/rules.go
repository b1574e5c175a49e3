package mapping

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/certbatch/certbatch/templates"
)

// checkCompose checks a config's compose: every key is an order field
// and every {path} of its pattern a field of the same template.
func checkCompose(compose map[string]string, set *templates.Set, deflt *templates.Template) error {
	keys := make([]string, 0, len(compose))
	for k := range compose {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fams := set.Families()
	if deflt != nil {
		fams = []*templates.Template{deflt}
	}
	for _, k := range keys {
		refs := templates.ComposeRefs(compose[k])
		if len(refs) == 0 {
			return configErrorf("compose: %s: %q names no field (write the fields as {certificate.individual.first_name})", k, compose[k])
		}
		found := false
		for _, t := range fams {
			if _, ok := t.Field(k); !ok {
				continue
			}
			found = true
			for _, r := range refs {
				if _, ok := t.Field(r); !ok || r == k {
					return configErrorf("compose: %s: {%s} is not another field of %s%s", k, r, t.Family, DidYouMean(r, fieldPaths(set, t)))
				}
			}
		}
		if !found {
			return configErrorf("compose: unknown order field %q%s%s", k, DidYouMean(k, fieldPaths(set, deflt)), fieldHint(set, deflt))
		}
	}
	return nil
}

// nearHeaders finds, for each field without a column, the sheet's
// header nearest to one of the field's own (a header no field uses):
// the hint its missing-value problem gives, whether or not a config
// names the field.
func (p *plan) nearHeaders(header []string, used map[int]bool) {
	var free []string
	for i, h := range header {
		if !used[i] && strings.TrimSpace(h) != "" {
			free = append(free, h)
		}
	}
	if len(free) == 0 {
		return
	}
	for i := range p.fields {
		fp := &p.fields[i]
		if fp.col >= 0 {
			continue
		}
		for _, h := range fp.f.AllHeaders() {
			if s, ok := Suggest(h, free); ok {
				fp.near = s
				break
			}
		}
	}
}

// required reports whether field i must have a value in this row of
// product, given the other values.
func (p *plan) required(i int, product string, vals []value, failed []bool) bool {
	fp := &p.fields[i]
	req := fp.f.RequiredForProduct(product)
	if fp.requiredIf >= 0 && vals[fp.requiredIf].set && fp.f.RequiredIf.Matches(vals[fp.requiredIf].s) {
		req = true
		if fp.requiredUnless >= 0 && (vals[fp.requiredUnless].set || failed[fp.requiredUnless]) {
			req = false
		}
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
	return req
}

// checkAllowedFor refuses a value the product does not take (the
// template's allowed_for: a common_name_indicator value of another
// product).
func (p *plan) checkAllowedFor(row int, product string, vals []value, failed []bool, skip []bool, r *Result) {
	for i := range p.fields {
		fp := &p.fields[i]
		a, ok := fp.f.AllowedFor[product]
		if !ok || !vals[i].set || failed[i] || skip != nil && skip[i] {
			continue
		}
		if _, in := allowed(a, vals[i].s); !in {
			failed[i] = true
			r.Problems = append(r.Problems, Problem{Row: row, Column: p.columnOf(i), Value: vals[i].s,
				Message: p.lang.Sprintf("must be one of %s for %s", strings.Join(a, ", "), product)})
			vals[i].set = false
		}
	}
}

// checkCombinations applies the value_requires rules: a value (or an
// item of a list) that needs another field to hold certain values (a
// usage that needs the multipurpose profile) is a problem when that
// field does not; one the row leaves empty does not either.
func (p *plan) checkCombinations(row int, vals []value, skip []bool, r *Result) {
	for _, i := range p.rules {
		fp := &p.fields[i]
		if !vals[i].set || skip != nil && skip[i] {
			continue
		}
		items := vals[i].list
		if len(items) == 0 {
			items = []string{vals[i].s}
		}
		for _, it := range items {
			for v, cs := range fp.conds {
				if !strings.EqualFold(v, it) {
					continue
				}
				for _, c := range cs {
					if other := &vals[c.field]; other.set && c.c.Matches(other.s) {
						continue
					}
					msg := p.lang.Sprintf("%s needs %s", v, p.condText(&c.c))
					if h := p.fields[c.field].header; h != "" {
						msg = p.lang.Sprintf("%s needs %s (column %q)", v, p.condText(&c.c), h)
					}
					if d := p.fields[c.field].f.APIDefaultString(); d != "" && !vals[c.field].set {
						msg = p.lang.Sprintf("%s; left empty, DigiCert uses the account's default (%s)", msg, d)
					}
					r.Problems = append(r.Problems, Problem{Row: row, Column: p.columnOf(i), Value: it, Message: msg})
				}
			}
		}
	}
}

// columnOf names field i in a problem: its column's header, or its path.
func (p *plan) columnOf(i int) string {
	if h := p.fields[i].header; h != "" {
		return h
	}
	return p.fields[i].f.Path
}

// compose fills in the fields the row leaves empty that have a compose
// pattern, from the cells of the fields it names. A field not part of
// this product's order still lends its cell (a First Name column for a
// product that sends no first name). The composed value is checked like
// a cell.
func (p *plan) compose(row int, cells []string, vals []value, failed []bool, skip []bool, now time.Time, r *Result) {
	for i := range p.fields {
		fp := &p.fields[i]
		if fp.compose == "" || vals[i].set || failed[i] || skip != nil && skip[i] {
			continue
		}
		src := map[string]string{}
		allCJK := true
		for _, j := range fp.composeRefs {
			s := p.sourceText(j, cells, vals, skip, now)
			src[p.fields[j].f.Path] = s
			if s != "" && !cjkName(s) {
				allCJK = false
			}
		}
		pattern := fp.compose
		if fp.composeCJK != "" && allCJK {
			pattern = fp.composeCJK
		}
		s, ok := templates.ComposeWith(pattern, func(path string) string { return src[path] })
		if !ok {
			continue
		}
		if msg := parseValue(p.lang, fp.f, s, now, &vals[i]); msg != "" {
			failed[i] = true
			vals[i].reset()
			text := p.lang.Sprintf("composed from %s: %s", p.refNames(fp), msg)
			if h := p.headerOf(fp); h != "" {
				text = p.lang.Sprintf("composed from %s: %s (or fill in a %q column)", p.refNames(fp), msg, h)
			}
			r.Problems = append(r.Problems, Problem{Row: row, Column: fp.f.Path, Value: s, Message: text})
		}
	}
}

// refNames names the fields a compose pattern reads: by their column,
// else their first default header.
func (p *plan) refNames(fp *fieldPlan) string {
	var n []string
	for _, j := range fp.composeRefs {
		name := p.columnOf(j)
		if h := p.headerOf(&p.fields[j]); p.fields[j].header == "" && h != "" {
			name = h
		}
		if !slices.Contains(n, name) {
			n = append(n, name)
		}
	}
	return strings.Join(n, p.lang.Sprintf(" and "))
}

// sourceText is field j's text for composing, from the row's own cell
// only (a constant of the config would give every row the same name):
// its value, or for a field this product does not send, the cell read
// by the field's rules.
func (p *plan) sourceText(j int, cells []string, vals []value, skip []bool, now time.Time) string {
	fp := &p.fields[j]
	if fp.col < 0 || cells[fp.col] == "" {
		return ""
	}
	if vals[j].set {
		return vals[j].s
	}
	if skip == nil || !skip[j] {
		return ""
	}
	var v value
	if parseValue(p.lang, fp.f, cells[fp.col], now, &v) != "" {
		return ""
	}
	return v.s
}

// cjkName reports whether s is written in Hangul, Han or kana only
// (spaces aside): a name whose family name comes first, without a space.
func cjkName(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana):
			n++
		default:
			return false
		}
	}
	return n > 0
}
