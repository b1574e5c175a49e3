package mapping

import (
	"reflect"
	"strings"
	"testing"
)

// A person is the set of their emails: any email in common, however it
// is spelt, makes two rows one person, whatever the order of the lists.
func TestPersonIsTheirEmails(t *testing.T) {
	header := []string{"Full Name", "Email"}
	m := compile(t, clientConfig, header)
	sc := &Scratch{}
	d := NewDeduper()
	rows := [][]string{
		{"A", "a@example.com; b@example.com"},          // 2
		{"A", "b@example.com; a@example.com"},          // 3: the same emails, the other order
		{"C", "c@bücher.example"},                      // 4
		{"C", "C@xn--bcher-kva.example"},               // 5: the same mailbox, spelt in A-labels
		{"D", "d@example.com; c@BU\u0308CHER.example"}, // 6: shares c's mailbox (NFD, upper case) as its second email
		{"E", "e@example.com"},                         // 7
		{"F", "f@example.com; d@example.com"},          // 8: shares d, whom row 6 made one with c
	}
	var res []Result
	for i, cells := range rows {
		r := m.Map(i+2, cells, sc, true)
		d.Check(&r)
		res = append(res, r)
	}
	for i, want := range []string{"", "duplicate of row 2 (same product and email)", "", "duplicate of row 4 (same product and email)",
		"duplicate of row 4 (same product and email c@xn--bcher-kva.example)", "", "duplicate of row 6 (same product and email d@example.com)"} {
		got := res[i].ErrorText()
		if want == "" && !res[i].Valid() || want != "" && !strings.Contains(got, want) {
			t.Errorf("row %d: %q, want %q", i+2, got, want)
		}
	}
	if want := []string{"d@example.com", "c@xn--bcher-kva.example"}; !reflect.DeepEqual(res[4].Emails, want) || res[4].Email != want[0] {
		t.Errorf("row 6 emails %q (primary %q)", res[4].Emails, res[4].Email)
	}
	// A Unicode domain is sent in A-labels.
	if !strings.Contains(string(res[2].Payload), `"emails":["c@xn--bcher-kva.example"]`) {
		t.Errorf("row 4 payload %s", res[2].Payload)
	}
}
