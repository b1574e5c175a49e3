package mapping

import "testing"

// Who a row is, for the plan and the results, when the order body names
// no person (Secure Email, today's document signing): composed from the
// individual's names, family name first without a space for Hangul and
// Han names.
func TestWhoFromIndividualNames(t *testing.T) {
	m := compile(t, "product: secure_email_sponsor\norder: {organization: {id: 112233}, validity_years: 1, certificate: {usage_designation: {primary_usage: signing}}}\n",
		[]string{"Email", "First Name", "Last Name"})
	for _, c := range []struct{ first, last, want string }{
		{"Ann", "Lee", "Ann Lee"},
		{"민준", "김", "김민준"},
		{"大文", "陳", "陳大文"},
		{"Ann", "", "Ann"},
	} {
		r := m.Map(2, []string{"ann@example.com", c.first, c.last}, &Scratch{}, false)
		if r.Name != c.want {
			t.Errorf("%q %q: name %q, want %q", c.first, c.last, r.Name, c.want)
		}
	}
}

// A mailbox order sends the individual's names only with
// common_name_indicator; the row is still shown by them.
func TestWhoFromUnsentNames(t *testing.T) {
	m := compile(t, "product: secure_email_mailbox\norder: {validity_years: 1, certificate: {usage_designation: {primary_usage: signing}}}\n",
		[]string{"Email", "First Name", "Last Name"})
	r := m.Map(2, []string{"minsu@example.com", "민수", "김"}, &Scratch{}, false)
	if !r.Valid() {
		t.Fatalf("invalid: %s", r.ErrorText())
	}
	if r.Name != "김민수" {
		t.Errorf("name %q, want 김민수", r.Name)
	}
}
