package templates

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Matches reports whether v satisfies the condition (case ignored).
func (c *Cond) Matches(v string) bool {
	if c.Equals != "" && strings.EqualFold(v, c.Equals) {
		return true
	}
	return slices.ContainsFunc(c.In, func(x string) bool { return strings.EqualFold(x, v) })
}

// Values returns the condition's values: Equals, then In.
func (c *Cond) Values() []string {
	if c.Equals != "" {
		return append([]string{c.Equals}, c.In...)
	}
	return c.In
}

// String says the condition for people: "profile_type is multipurpose",
// "primary_usage is signing or dual_use".
func (c *Cond) String() string {
	return c.Field + " is " + strings.Join(c.Values(), " or ")
}

// AllowedValues returns the values the field takes for product: its
// AllowedFor entry, else Allowed (nil: any value).
func (f *Field) AllowedValues(product string) []string {
	if a, ok := f.AllowedFor[product]; ok {
		return a
	}
	return f.Allowed
}

// RequiredForProduct reports whether the field is required for product
// without any condition: Required, or listed in RequiredFor.
func (f *Field) RequiredForProduct(product string) bool {
	return f.Required || slices.Contains(f.RequiredFor, product)
}

var composeRef = regexp.MustCompile(`\{([^{}]+)\}`)

// ComposeRefs returns the field paths a compose pattern names, in order.
func ComposeRefs(pattern string) []string {
	var out []string
	for _, m := range composeRef.FindAllStringSubmatch(pattern, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

// ComposeWith fills a compose pattern in: each {path} is replaced by
// value(path); ok is false when a referenced value is empty. Runs of
// spaces the pattern leaves are folded and the result trimmed.
func ComposeWith(pattern string, value func(path string) string) (string, bool) {
	ok := true
	s := composeRef.ReplaceAllStringFunc(pattern, func(m string) string {
		v := value(strings.TrimSpace(m[1 : len(m)-1]))
		if v == "" {
			ok = false
		}
		return v
	})
	return strings.Join(strings.Fields(s), " "), ok && strings.TrimSpace(s) != ""
}

// checkRules checks the per-product and combination rules of the
// fields: they name fields and products of the template, and values
// they allow.
func (t *Template) checkRules(seen, ids map[string]bool) []error {
	var errs []error
	for _, f := range t.Fields {
		for _, id := range f.RequiredFor {
			if !ids[id] {
				errs = append(errs, fmt.Errorf("field %s: required_for names %q, not a product of this template", f.Path, id))
			}
		}
		if f.RequiredUnless != "" && (!seen[f.RequiredUnless] || f.RequiredIf == nil) {
			errs = append(errs, fmt.Errorf("field %s: required_unless needs required_if and a known field (%s)", f.Path, f.RequiredUnless))
		}
		if f.RequiredIf != nil && len(f.RequiredIf.Values()) == 0 {
			errs = append(errs, fmt.Errorf("field %s: required_if names no value", f.Path))
		}
		for id, vals := range f.AllowedFor {
			if !ids[id] {
				errs = append(errs, fmt.Errorf("field %s: allowed_for names %q, not a product of this template", f.Path, id))
			}
			for _, v := range vals {
				if len(f.Allowed) > 0 && !slices.Contains(f.Allowed, v) {
					errs = append(errs, fmt.Errorf("field %s: allowed_for %s: %q is not allowed", f.Path, id, v))
				}
			}
		}
		for v, conds := range f.ValueRequires {
			if len(f.Allowed) > 0 && !slices.Contains(f.Allowed, v) {
				errs = append(errs, fmt.Errorf("field %s: value_requires: %q is not allowed", f.Path, v))
			}
			for _, c := range conds {
				if !seen[c.Field] || len(c.Values()) == 0 {
					errs = append(errs, fmt.Errorf("field %s: value_requires %s: bad condition on %q", f.Path, v, c.Field))
				}
			}
		}
		if f.ComposeCJK != "" && f.Compose == "" {
			errs = append(errs, fmt.Errorf("field %s: compose_cjk without compose", f.Path))
		}
		for _, pat := range []string{f.Compose, f.ComposeCJK} {
			if pat == "" {
				continue
			}
			refs := ComposeRefs(pat)
			if len(refs) == 0 {
				errs = append(errs, fmt.Errorf("field %s: compose names no field", f.Path))
			}
			for _, r := range refs {
				if !seen[r] || r == f.Path {
					errs = append(errs, fmt.Errorf("field %s: compose names unknown field %s", f.Path, r))
				}
			}
		}
		for _, a := range f.ConfigAliases {
			if seen[a] {
				errs = append(errs, fmt.Errorf("field %s: config alias %s is a field of its own", f.Path, a))
			}
		}
	}
	for _, p := range t.Products {
		if p.Identity != "" && !seen[p.Identity] {
			errs = append(errs, fmt.Errorf("product %s: identity names unknown field %s", p.ID, p.Identity))
		}
		if (p.Successor == "") != (p.Deprecated == "") {
			errs = append(errs, fmt.Errorf("product %s: successor and deprecated go together", p.ID))
		}
	}
	return errs
}

// product returns the Product entry of id, or nil.
func (s *Set) product(id string) *Product {
	t, ok := s.byProd[id]
	if !ok {
		return nil
	}
	for i := range t.Products {
		if t.Products[i].ID == id {
			return &t.Products[i]
		}
	}
	return nil
}

// Successor returns the product DigiCert sells instead of id, and the
// date it deprecated id; ok is false for a product that is not
// deprecated. An alias (same_as) has its product's successor.
func (s *Set) Successor(id string) (successor, since string, ok bool) {
	t, ok := s.byProd[id]
	if !ok {
		return "", "", false
	}
	c := s.Canonical(id)
	for _, p := range t.Products {
		if p.Successor != "" && (p.ID == id || s.Canonical(p.ID) == c) {
			return p.Successor, p.Deprecated, true
		}
	}
	return "", "", false
}

// Related reports whether two products are a deprecated product and its
// successor (either way round, aliases included). DigiCert could list
// an order of one under the other's ID ("these are replaced by Secure
// Email Certificates" says nothing of how old orders are listed), so an
// order listed under one is never ruled out as the other's.
func (s *Set) Related(a, b string) bool {
	if sa, _, ok := s.Successor(a); ok && s.Canonical(sa) == s.Canonical(b) {
		return true
	}
	if sb, _, ok := s.Successor(b); ok && s.Canonical(sb) == s.Canonical(a) {
		return true
	}
	return false
}

// IdentityPath returns the path of the field that holds the primary
// email of a person (or team) of product id in t.
func (t *Template) IdentityPath(id string) string {
	for _, p := range t.Products {
		if p.ID == id && p.Identity != "" {
			return p.Identity
		}
	}
	return t.Identity
}

// Check checks what spans templates: every successor is a product of
// the set.
func (s *Set) Check() error {
	var errs []error
	for _, t := range s.families {
		for _, p := range t.Products {
			if p.Successor != "" && s.product(p.Successor) == nil {
				errs = append(errs, fmt.Errorf("template %s: product %s: successor %q is not a known product", t.Family, p.ID, p.Successor))
			}
		}
	}
	return errors.Join(errs...)
}
