package mapping

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/internal/l10n"
)

// A free-text field (comments: prose DigiCert's approver reads) is read
// from a column only when the config names it: a sheet's own "Comment",
// "비고" or "備註" column is not sent because its header happens to match,
// and the report says so, by name; "Notes", which matches nothing, is
// reported as ignored. A constant (order: comments:) and columns: send it.
func TestFreeTextOnlyWhenMapped(t *testing.T) {
	for _, h := range []string{"Comment", "Comments", "비고", "備註"} {
		t.Run(h, func(t *testing.T) {
			header := []string{"Full Name", "Email", h, "Notes", "Department"}
			cells := []string{"Ann Lee", "ann@example.com", "on leave until May: do not issue yet", "desk 4", "Sales"}
			m := compile(t, clientConfig, header)
			r := m.Map(2, cells, &Scratch{}, true)
			if !r.Valid() || strings.Contains(string(r.Payload), "comments") || strings.Contains(string(r.Payload), "on leave") {
				t.Errorf("an unmapped free-text column was sent: %s %v", r.Payload, r.Problems)
			}
			rep := m.Report()
			use := map[string]ColumnUse{}
			for _, c := range rep.Columns {
				use[c.Column] = c
			}
			if c := use[h]; len(c.Fields) != 0 || c.FreeText != "comments" {
				t.Errorf("%s: %+v, want not sent, named as free text", h, c)
			}
			if c := use["Notes"]; len(c.Fields) != 0 || c.FreeText != "" {
				t.Errorf("Notes: %+v, want ignored", c)
			}
			if c := use["Full Name"]; !slices.Equal(c.Fields, []string{"certificate.common_name"}) || !c.Config {
				t.Errorf("Full Name: %+v", c)
			}
			if c := use["Department"]; !slices.Equal(c.Fields, []string{"certificate.organization_units"}) || c.Config {
				t.Errorf("Department: %+v (a template header)", c)
			}
			if n := FreeTextNotice(l10n.Printer{}, use[h]); !strings.Contains(n, "is NOT sent") || !strings.Contains(n, "columns: {comments: \""+h+"\"}") {
				t.Errorf("notice: %s", n)
			}
			if !slices.Contains(rep.Constants, "organization.id") {
				t.Errorf("constants %v", rep.Constants)
			}

			mapped := compile(t, clientConfig+"  comments: \""+h+"\"\n", header)
			r = mapped.Map(2, cells, &Scratch{}, true)
			var body struct{ Comments string }
			json.Unmarshal(r.Payload, &body)
			if body.Comments != cells[2] {
				t.Errorf("mapped under columns: comments is %q", body.Comments)
			}
			if c := mapped.Report().Columns[2]; !slices.Equal(c.Fields, []string{"comments"}) || !c.Config || c.FreeText != "" {
				t.Errorf("mapped: %+v", c)
			}
		})
	}
	konst := compile(t, strings.Replace(clientConfig, "  payment_method: balance\n", "  payment_method: balance\n  comments: batch of May\n", 1), []string{"Full Name", "Email"})
	r := konst.Map(2, []string{"Ann Lee", "ann@example.com"}, &Scratch{}, true)
	if !strings.Contains(string(r.Payload), `"comments":"batch of May"`) {
		t.Errorf("a constant comment is not sent: %s", r.Payload)
	}
}
