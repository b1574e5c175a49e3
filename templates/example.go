package templates

import "strings"

// Examples returns the template's example values by field path: what
// the workbook's Example sheet shows. Fields without an example are
// left out.
func (t *Template) Examples() map[string]string {
	ex := map[string]string{}
	for i := range t.Fields {
		if f := &t.Fields[i]; f.Example != "" {
			ex[f.Path] = f.Example
		}
	}
	return ex
}

// IsExampleRow reports whether a row is a copy of the template's
// example, which must never be ordered. values holds the row's cells by
// field path, as written (the mapper passes the mapped columns).
//
// Only distinctive examples count: the text a person types for a row
// (names, email, phone, department; see [Field.Distinctive]), not a
// value picked from a list, a default or a number. A row is an example
// when its identity (the first of its emails) is the example's, or
// when, its identity aside, it gives at least two distinctive values
// and every one it gives is the example's: the example with only the
// email changed is still the example's person. Values compare with
// surrounding spaces and case ignored.
func (t *Template) IsExampleRow(values map[string]string) bool {
	given, same := 0, 0
	for i := range t.Fields {
		f := &t.Fields[i]
		v, ok := values[f.Path]
		if !ok || !f.Distinctive() {
			continue
		}
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if f.Path == t.Identity {
			if strings.EqualFold(firstItem(v), firstItem(f.Example)) {
				return true
			}
			continue
		}
		given++
		if strings.EqualFold(v, f.Example) {
			same++
		}
	}
	return given >= 2 && same == given
}

// Distinctive reports whether the field's example is a value a person
// types (a name, an email, a phone number) rather than one picked from
// allowed values, a default, a number or a CSR: a row repeating a
// distinctive example was copied from it.
func (f *Field) Distinctive() bool {
	return f.Example != "" && len(f.Allowed) == 0 && f.Default == "" && f.Format != FormatCSR &&
		(f.Type == TypeString || f.Type == TypeList)
}

func firstItem(s string) string {
	if i := strings.IndexAny(s, ";,\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
