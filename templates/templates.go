// Package templates holds the declarative product templates: one YAML file
// per CertCentral product family, embedded in the binary.
//
// A template lists every order field the family's order endpoint accepts,
// with its JSON path, type, whether it is required, its allowed values,
// default, description and the spreadsheet headers it is read from by
// default. Adding a product family means adding a template file, not code;
// users can load their own with [Parse] (the --template flag).
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var builtin embed.FS

// Field types a template may use.
const (
	TypeString  = "string"  // any text
	TypeInt     = "int"     // a whole number
	TypeBool    = "bool"    // true/false, yes/no, 1/0
	TypeDate    = "date"    // yyyy-MM-dd
	TypeList    = "list"    // strings separated by ";", "," or line breaks
	TypeIntList = "intlist" // whole numbers separated like a list
	TypeJSON    = "json"    // a JSON value, passed through as it is
)

// Formats add checks on top of a string or list type.
const (
	FormatEmail = "email" // a single address, no display name
	FormatCSR   = "csr"   // a PEM certificate signing request
)

// Template describes one product family.
type Template struct {
	Family      string `yaml:"family"`
	Description string `yaml:"description"`
	Identity    string `yaml:"identity"`              // path of the field holding the person's primary email
	CommonName  string `yaml:"common_name,omitempty"` // path of the certificate's common name, when rows set it
	// PersonName is the path of the field holding the person's name, for
	// people to read (the results' name column, the plan); empty means
	// the common name is the person's name.
	PersonName string    `yaml:"person_name,omitempty"`
	Products   []Product `yaml:"products"`
	// KeyColumn, when set, names the default headers of the column that
	// identifies a person across runs (the config's key:).
	KeyColumn *KeyColumn `yaml:"key_column,omitempty"`
	// KeyGeneration says whether certbatch may generate the key pair of
	// the family's orders (the key method generate); nil: it may not.
	KeyGeneration *KeyGeneration `yaml:"key_generation,omitempty"`
	Fields        []Field        `yaml:"fields"`
}

// Product is a CertCentral product ID served by a template.
type Product struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// SameAs names the product this ID is another name for (DigiCert's
	// current IDs for older products). A person ordered under either ID
	// has that product: they are one product for "never order twice".
	SameAs string `yaml:"same_as,omitempty"`
	// Successor names the product DigiCert sells instead of this one
	// since Deprecated (a date), in any template of the set: the one-line
	// hint a config naming this product gets, and a relation
	// reconciliation and the account check honour ([Set.Related]). The
	// product is still ordered: DigiCert still accepts it.
	Successor  string `yaml:"successor,omitempty"`
	Deprecated string `yaml:"deprecated,omitempty"`
	// Identity, when set, is the path of the field holding the person's
	// (or team's) primary email for this product, instead of the
	// template's identity.
	Identity string `yaml:"identity,omitempty"`
}

// Field describes one order field.
type Field struct {
	Path         string    `yaml:"path"`
	Type         string    `yaml:"type"`
	Format       string    `yaml:"format,omitempty"`
	Required     bool      `yaml:"required,omitempty"`
	RequiredIf   *Cond     `yaml:"required_if,omitempty"`   // required when another field has a value
	RequiredWith string    `yaml:"required_with,omitempty"` // required when any field under this object path is given
	ReplacedBy   string    `yaml:"replaced_by,omitempty"`   // neither required nor sent when that field is given
	Allowed      []string  `yaml:"allowed,omitempty"`
	Default      string    `yaml:"default,omitempty"`     // filled in when the row and config give nothing
	APIDefault   yaml.Node `yaml:"api_default,omitempty"` // what DigiCert assumes; documentation only
	MaxDaysAhead int       `yaml:"max_days_ahead,omitempty"`
	// MaxLength bounds a text value (each item of a list) in characters:
	// DigiCert's and RFC 5280's limits (a common name at most 64).
	MaxLength   int      `yaml:"max_length,omitempty"`
	Description string   `yaml:"description"`
	Headers     []string `yaml:"headers,omitempty"` // English; see AllHeaders
	Example     string   `yaml:"example,omitempty"`
	// I18n holds the field's headers and description in other
	// languages, by BCP 47 tag ("ko", "zh-TW"). Rows are read from the
	// headers of every language ([Field.AllHeaders]).
	I18n map[string]Localized `yaml:"i18n,omitempty"`
	// Products, when set, limits the field to these product IDs: for
	// other products it is neither required nor sent. NotFor lists
	// products the field is never sent for. Both follow DigiCert's
	// per-product rules (certcentral-today.md §1).
	Products []string `yaml:"products,omitempty"`
	NotFor   []string `yaml:"not_for,omitempty"`
	// FreeText marks a field whose value is prose a person at DigiCert
	// reads with the order (comments for the approver): a column is sent
	// for it only when the config maps it by name (columns:), never
	// because its header matches a default one, so a sheet's own
	// "Comment" or "備註" column of notes for the team is not sent
	// unannounced. A config constant (order:) is explicit too.
	FreeText bool `yaml:"free_text,omitempty"`
	// Indicator marks the S/MIME common_name_indicator field: when a row
	// does not set it, it is filled in from the fields it names
	// (given_name_surname when all of those are given, pseudonym when
	// those are), and a row with neither set is told which columns to
	// fill in.
	Indicator map[string][]string `yaml:"indicator,omitempty"`
	// RequiredFor makes the field required for these products only
	// (DigiCert's per-product rules: an organization for some products,
	// not others).
	RequiredFor []string `yaml:"required_for,omitempty"`
	// RequiredUnless names a field whose value lifts RequiredIf: the
	// field is required when RequiredIf holds, unless that field is
	// given (a sponsor's names or a pseudonym).
	RequiredUnless string `yaml:"required_unless,omitempty"`
	// AllowedFor narrows Allowed per product: a product listed here takes
	// only these values.
	AllowedFor map[string][]string `yaml:"allowed_for,omitempty"`
	// ValueRequires lists, per allowed value (of a string, or of any
	// item of a list), conditions on other fields that value needs:
	// DigiCert's allowed combinations (client_auth needs the
	// multipurpose profile). A condition on a field the row leaves
	// empty fails.
	ValueRequires map[string][]Cond `yaml:"value_requires,omitempty"`
	// Compose fills the field in, when the row and the config give
	// nothing, from other fields: "{certificate.individual.first_name}
	// {certificate.individual.last_name}" (a config's compose: overrides
	// it). Only fields the row gives are used; when one is missing
	// nothing is composed.
	Compose string `yaml:"compose,omitempty"`
	// ComposeCJK, when set, replaces Compose when every value it uses is
	// written in Hangul, Han or kana: family name first, no space.
	ComposeCJK string `yaml:"compose_cjk,omitempty"`
	// ConfigAliases are older paths a config may still name for this
	// field (validity_years for order_validity.years): they read as the
	// field.
	ConfigAliases []string `yaml:"config_aliases,omitempty"`
}

// AppliesTo reports whether the field is part of an order for product.
func (f *Field) AppliesTo(product string) bool {
	if len(f.Products) > 0 && !slices.Contains(f.Products, product) {
		return false
	}
	return !slices.Contains(f.NotFor, product)
}

// Cond is a condition on another field's value: it equals Equals, or is
// one of In (case ignored).
type Cond struct {
	Field  string   `yaml:"field"`
	Equals string   `yaml:"equals,omitempty"`
	In     []string `yaml:"in,omitempty"`
}

// APIDefaultString returns the documented API default as text, or "".
func (f *Field) APIDefaultString() string {
	if f.APIDefault.Kind == 0 {
		return ""
	}
	return f.APIDefault.Value
}

// Set is a collection of templates indexed by product ID.
type Set struct {
	families []*Template
	byProd   map[string]*Template
}

// Builtin returns the templates embedded in the binary.
func Builtin() (*Set, error) {
	s := &Set{byProd: map[string]*Template{}}
	names, err := fs.Glob(builtin, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := builtin.ReadFile(n)
		if err != nil {
			return nil, err
		}
		t, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("builtin template %s: %w", n, err)
		}
		s.Add(t)
	}
	if err := s.Check(); err != nil {
		return nil, fmt.Errorf("builtin templates: %w", err)
	}
	return s, nil
}

// Add registers t, replacing any earlier template for the same family or
// for any of its products.
func (s *Set) Add(t *Template) {
	s.families = slices.DeleteFunc(s.families, func(o *Template) bool {
		if o.Family == t.Family {
			return true
		}
		for _, p := range t.Products {
			if s.byProd[p.ID] == o {
				delete(s.byProd, p.ID)
			}
		}
		return false
	})
	for id, o := range s.byProd {
		if o.Family == t.Family {
			delete(s.byProd, id)
		}
	}
	s.families = append(s.families, t)
	for _, p := range t.Products {
		s.byProd[p.ID] = t
	}
}

// Canonical returns the product ID that identifies id's product: the
// ID it is the same as, or id itself.
func (s *Set) Canonical(id string) string {
	if t, ok := s.byProd[id]; ok {
		for _, p := range t.Products {
			if p.ID == id && p.SameAs != "" {
				return p.SameAs
			}
		}
	}
	return id
}

// Current returns the product ID an order for id is sent under: today's
// ID of the product, the one whose same_as names id, or id itself.
// DigiCert's client certificate page lists only today's IDs
// (client_premium, client_digital_signature_plus, ...:
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-client-certificate.html),
// so a row given a seed page's ID (client_premium_sha2) is ordered as
// client_premium; its identity stays [Set.Canonical]'s, shared by both.
func (s *Set) Current(id string) string {
	if t, ok := s.byProd[id]; ok {
		for _, p := range t.Products {
			if p.SameAs == id {
				return p.ID
			}
		}
	}
	return id
}

// ForProduct returns the template serving a product ID.
func (s *Set) ForProduct(id string) (*Template, bool) {
	t, ok := s.byProd[id]
	return t, ok
}

// Families returns the templates in the order they were added.
func (s *Set) Families() []*Template { return s.families }

// ProductIDs returns every known product ID, sorted.
func (s *Set) ProductIDs() []string {
	ids := make([]string, 0, len(s.byProd))
	for id := range s.byProd {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Field returns the field with the given path.
func (t *Template) Field(path string) (*Field, bool) {
	for i := range t.Fields {
		if t.Fields[i].Path == path {
			return &t.Fields[i], true
		}
	}
	return nil, false
}

// Parse decodes and checks a template. Unknown keys are errors.
func Parse(b []byte) (*Template, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var t Template
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("check template %q: %w", t.Family, err)
	}
	return &t, nil
}

func (t *Template) check() error {
	var errs []error
	if t.Family == "" {
		errs = append(errs, errors.New("family is missing"))
	}
	if len(t.Products) == 0 {
		errs = append(errs, errors.New("no products"))
	}
	ids := map[string]bool{}
	for _, p := range t.Products {
		ids[p.ID] = true
	}
	named := map[string]string{} // same_as target -> the product naming it
	for _, p := range t.Products {
		if p.SameAs != "" && (!ids[p.SameAs] || p.SameAs == p.ID) {
			errs = append(errs, fmt.Errorf("product %s: same_as names %q, not another product of this template", p.ID, p.SameAs))
		}
		if other, dup := named[p.SameAs]; p.SameAs != "" && dup {
			errs = append(errs, fmt.Errorf("products %s and %s: both name %q in same_as; one product has one current ID", other, p.ID, p.SameAs))
		}
		if p.SameAs != "" {
			named[p.SameAs] = p.ID
		}
	}
	seen := map[string]bool{}
	for i, f := range t.Fields {
		where := fmt.Sprintf("field %d (%s)", i+1, f.Path)
		if f.Path == "" || strings.HasPrefix(f.Path, ".") || strings.HasSuffix(f.Path, ".") || strings.Contains(f.Path, "..") {
			errs = append(errs, fmt.Errorf("%s: bad path", where))
		}
		if f.Path == "product" {
			errs = append(errs, fmt.Errorf("%s: path %q is reserved for the product column", where, f.Path))
		}
		if seen[f.Path] {
			errs = append(errs, fmt.Errorf("%s: duplicate path", where))
		}
		seen[f.Path] = true
		switch f.Type {
		case TypeString, TypeInt, TypeBool, TypeDate, TypeList, TypeIntList, TypeJSON:
		default:
			errs = append(errs, fmt.Errorf("%s: unknown type %q", where, f.Type))
		}
		switch f.Format {
		case "", FormatEmail, FormatCSR:
		default:
			errs = append(errs, fmt.Errorf("%s: unknown format %q", where, f.Format))
		}
	}
	// A field path may not also be an object holding other fields.
	for p := range seen {
		for q := range seen {
			if strings.HasPrefix(q, p+".") {
				errs = append(errs, fmt.Errorf("field %s is both a value and the parent of %s", p, q))
			}
		}
	}
	for _, f := range t.Fields {
		if f.RequiredIf != nil && !seen[f.RequiredIf.Field] {
			errs = append(errs, fmt.Errorf("field %s: required_if names unknown field %s", f.Path, f.RequiredIf.Field))
		}
		if f.ReplacedBy != "" && !seen[f.ReplacedBy] {
			errs = append(errs, fmt.Errorf("field %s: replaced_by names unknown field %s", f.Path, f.ReplacedBy))
		}
		for _, id := range append(slices.Clone(f.Products), f.NotFor...) {
			if !ids[id] {
				errs = append(errs, fmt.Errorf("field %s: products/not_for names %q, not a product of this template", f.Path, id))
			}
		}
		for v, paths := range f.Indicator {
			if len(f.Allowed) > 0 && !slices.Contains(f.Allowed, v) {
				errs = append(errs, fmt.Errorf("field %s: indicator value %q is not allowed", f.Path, v))
			}
			for _, q := range paths {
				if !seen[q] {
					errs = append(errs, fmt.Errorf("field %s: indicator names unknown field %s", f.Path, q))
				}
			}
		}
		if f.RequiredWith != "" && !strings.HasPrefix(f.Path, f.RequiredWith+".") {
			errs = append(errs, fmt.Errorf("field %s: required_with must name a parent object", f.Path))
		}
	}
	errs = append(errs, t.checkRules(seen, ids)...)
	errs = append(errs, t.checkI18n()...)
	if len(t.Products) > 0 {
		if err := t.checkKeyGeneration(); err != nil {
			errs = append(errs, err)
		}
	}
	if t.Identity != "" && !seen[t.Identity] {
		errs = append(errs, fmt.Errorf("identity names unknown field %s", t.Identity))
	}
	if t.CommonName != "" && !seen[t.CommonName] {
		errs = append(errs, fmt.Errorf("common_name names unknown field %s", t.CommonName))
	}
	if t.PersonName != "" && !seen[t.PersonName] {
		errs = append(errs, fmt.Errorf("person_name names unknown field %s", t.PersonName))
	}
	return errors.Join(errs...)
}
