package mapping

import (
	"slices"

	"github.com/certbatch/certbatch/internal/l10n"
)

// ColumnUse says what one input column feeds.
type ColumnUse struct {
	// Column is the header as the input wrote it.
	Column string
	// Fields are the order fields the column feeds (JSON paths), or
	// "product" (the product column) or "key" (the config's key:, which
	// identifies the person and is never sent). None: the column is
	// ignored.
	Fields []string
	// Config is set when the config names the column (columns:, key:);
	// otherwise its header is one of the template's defaults.
	Config bool
	// FreeText, for an ignored column, names the free-text field its
	// header matches (comments): it is not sent because the config does
	// not map it, which a person should hear about.
	FreeText string
}

// Report is what the mapping does with the input's columns.
type Report struct {
	// Columns are every input column, in input order.
	Columns []ColumnUse
	// Constants are the order fields the config's order: sets for every
	// row that leaves them empty.
	Constants []string
	// Family is the product family the report is for, when the batch
	// has a default product; "" when rows choose theirs (every family
	// the header fits is reported).
	Family string
}

// Report says which column feeds which order field, which columns are
// ignored (free-text ones by name) and which fields the config sets as
// constants: for the default product's family, or, without a default
// product, for every family the header fits.
func (m *Mapper) Report() Report {
	r := Report{Columns: make([]ColumnUse, len(m.header))}
	for i, h := range m.header {
		r.Columns[i].Column = h
	}
	plans := m.reportPlans(&r)
	if m.productCol >= 0 {
		r.Columns[m.productCol].Fields = []string{"product"}
		r.Columns[m.productCol].Config = m.productExplicit
	}
	if m.keyCol >= 0 {
		r.Columns[m.keyCol].Fields = append(r.Columns[m.keyCol].Fields, "key")
		r.Columns[m.keyCol].Config = true
	}
	for _, p := range plans {
		for i := range p.fields {
			fp := &p.fields[i]
			if fp.col >= 0 {
				c := &r.Columns[fp.col]
				if !slices.Contains(c.Fields, fp.f.Path) {
					c.Fields = append(c.Fields, fp.f.Path)
				}
				c.Config = c.Config || fp.explicit
			}
			if fp.unmapped >= 0 && r.Columns[fp.unmapped].FreeText == "" {
				r.Columns[fp.unmapped].FreeText = fp.f.Path
			}
			if fp.konst != nil && !slices.Contains(r.Constants, fp.f.Path) {
				r.Constants = append(r.Constants, fp.f.Path)
			}
		}
	}
	for i := range r.Columns {
		if len(r.Columns[i].Fields) > 0 {
			r.Columns[i].FreeText = "" // read for another field after all
		}
	}
	slices.Sort(r.Constants)
	return r
}

// reportPlans returns the plans a report covers, in family order.
func (m *Mapper) reportPlans(r *Report) []*plan {
	if t, ok := m.set.ForProduct(m.defaultProduct); ok && m.plans[t] != nil {
		r.Family = t.Family
		return []*plan{m.plans[t]}
	}
	var out []*plan
	for _, t := range m.set.Families() {
		if p := m.plans[t]; p != nil {
			out = append(out, p)
		}
	}
	return out
}

// FreeTextNotice is what a person is told of a column a free-text field's
// header matches when the config does not map it: it is not sent, and how
// to send it.
func FreeTextNotice(lp l10n.Printer, c ColumnUse) string {
	return lp.Sprintf("column %q is NOT sent: it looks like %s, free text that DigiCert's approver reads with the order; to send it, map it in the config: columns: {%s: %q}",
		c.Column, c.FreeText, c.FreeText, c.Column)
}
