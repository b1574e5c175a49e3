package mapping

import "testing"

// The pre-flight learns each row's organization and container, and where
// they came from; a check can make a row invalid before its payload.
func TestAccountRefsAndCheck(t *testing.T) {
	header := []string{"Full Name", "Email", "Org ID"}
	m := compile(t, "product: client_premium_sha2\norder: {organization: {id: 112233}, container: {id: 445566}, validity_years: 1, certificate: {individual: {first_name: T, last_name: P}}}\n", header)
	var sc Scratch
	r := m.Map(2, []string{"A", "a@example.com", ""}, &sc, true)
	if r.OrgID != 112233 || r.OrgFrom != "config order.organization.id" || r.ContainerID != 445566 || r.ContainerFrom != "config order.container.id" {
		t.Errorf("constants: %d %q %d %q", r.OrgID, r.OrgFrom, r.ContainerID, r.ContainerFrom)
	}
	r = m.Map(3, []string{"B", "b@example.com", "999999"}, &sc, true)
	if r.OrgID != 999999 || r.OrgFrom != "Org ID" || !r.Valid() || r.Payload == nil {
		t.Errorf("column: %d %q %v", r.OrgID, r.OrgFrom, r.ErrorText())
	}
	m.SetCheck(func(r *Result) {
		if r.OrgID == 999999 {
			r.Problems = append(r.Problems, Problem{Row: r.Row, Column: r.OrgFrom, Value: "999999", Message: "organization 999999 is not on this account"})
		}
	})
	r = m.Map(3, []string{"B", "b@example.com", "999999"}, &sc, true)
	if r.Valid() || r.Payload != nil || r.ErrorText() != `Org ID "999999": organization 999999 is not on this account` {
		t.Errorf("checked row: valid %v payload %v: %s", r.Valid(), r.Payload != nil, r.ErrorText())
	}
	if r := m.Map(2, []string{"A", "a@example.com", ""}, &sc, true); !r.Valid() {
		t.Errorf("unaffected row: %s", r.ErrorText())
	}
}
