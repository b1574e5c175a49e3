package mapping

import (
	"strings"

	"github.com/certbatch/certbatch/templates"
)

// How a row's problems name fields: by the column the sheet has, else
// by the header the sheet's language gives the field (the person's
// template spells it so), else by the field's path.

// missing is the problem of a required field the row leaves empty. A
// field without a column is named by the header the sheet's language
// gives it (the person's template spells it so: 이름(성 제외), not First
// Name), and by its path in an English sheet, as the config names it.
func (p *plan) missing(row int, fp *fieldPlan) Problem {
	col := fp.header
	hint := ""
	if col == "" {
		col = fp.f.Path
		head := p.headerOf(fp)
		if p.sheet != "" && head != "" {
			col = head
		}
		switch {
		case fp.near != "" && head != "":
			hint = p.lang.Sprintf(" (did you mean the column %q? Map it under columns: (%s: %s), name it %q, or set the field under order: in the config)",
				fp.near, fp.f.Path, fp.near, head)
		case head != "":
			hint = p.lang.Sprintf(" (add a %q column, map one under columns:, or set it under order: in the config)", head)
		default:
			hint = p.lang.Sprintf(" (set it under order: in the config)")
		}
	}
	msg := p.lang.Sprintf("is required%s", hint)
	if fp.f.RequiredIf != nil && !fp.f.Required {
		msg = p.lang.Sprintf("is required when %s%s", p.condText(fp.f.RequiredIf), hint)
		if fp.requiredUnless >= 0 {
			msg = p.lang.Sprintf("is required when %s, unless %s is given%s", p.condText(fp.f.RequiredIf), p.nameOf(fp.requiredUnless), hint)
		}
	} else if fp.requiredWith != "" && !fp.f.Required {
		msg = p.lang.Sprintf("is required when any %s field is given%s", fp.requiredWith, hint)
	}
	return Problem{Row: row, Column: col, Message: msg}
}

// headerOf is the header fp's field has in the sheet's language (the
// template's first), "" for a field without headers.
func (p *plan) headerOf(fp *fieldPlan) string {
	if h := fp.f.HeadersFor(p.sheet); len(h) > 0 {
		return h[0]
	}
	return ""
}

// nameOf names field i in a rule about another field: by its path in an
// English sheet, as the config names it; in a sheet of another language
// by its column's header, else the header that language gives it (the
// person's template spells it so), else its path.
func (p *plan) nameOf(i int) string {
	fp := &p.fields[i]
	if p.sheet == "" {
		return fp.f.Path
	}
	if fp.header != "" {
		return fp.header
	}
	if h := p.headerOf(fp); h != "" {
		return h
	}
	return fp.f.Path
}

// condText says a condition on another field: "its name is value" (or
// values, joined by "or").
func (p *plan) condText(c *templates.Cond) string {
	name := c.Field
	for i := range p.fields {
		if p.fields[i].f.Path == c.Field {
			name = p.nameOf(i)
		}
	}
	return p.lang.Sprintf("%s is %s", name, strings.Join(c.Values(), p.lang.Sprintf(" or ")))
}
