package mapping

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeHeaderFolds(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"E-Mail", "email"},
		{"Ｅ－Ｍａｉｌ", "email"},
		{norm.NFD.String("사번"), "사번"},
		{"員工 編號", "員工編號"},
		{"Organization_ID", "organizationid"},
	} {
		if got := NormalizeHeader(c.in); got != c.want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	headers := []string{"Employee ID", "Full Name", "Email", "Department", "CN", "전화번호", "電子郵件"}
	keys := []string{"product", "key", "order", "columns"}
	for _, c := range []struct {
		h     string
		cands []string
		want  string
		ok    bool
	}{
		{"colums", keys, "columns", true},                 // a deletion
		{"Colunms", keys, "columns", true},                // a swap, case ignored
		{"prodcut", keys, "product", true},                // a swap
		{"odrer", keys, "order", true},                    // a swap
		{"keys", keys, "key", true},                       // an insertion
		{"colmuns", keys, "columns", true},                // a swap
		{"clmns", keys, "columns", true},                  // two edits of five
		{"mapping", keys, "", false},                      // nothing near
		{"e-mail", headers, "Email", true},                // normalized equal
		{"FULL_NAME", headers, "Full Name", true},         // normalized equal
		{"Emial", headers, "Email", true},                 // a swap
		{"Departmnet", headers, "Department", true},       // a swap
		{"Employe ID", headers, "Employee ID", true},      // a deletion
		{"EmployeeIdentifier", headers, "", false},        // too far
		{"전화 번호", headers, "전화번호", true},                  // normalized equal
		{"전화번화", headers, "전화번호", true},                   // one substitution of four
		{"電子郵箱", headers, "電子郵件", true},                   // one substitution of four
		{"ID", headers, "", false},                        // CN is two edits: all of ID
		{"CNN", headers, "CN", true},                      // one edit of three
		{"", headers, "", false},                          // nothing to suggest for nothing
		{"Email", nil, "", false},                         // no candidates
		{"Name", []string{"Nmae", "Names"}, "Nmae", true}, // a tie goes to the earlier
		{"Nam", []string{"Name", "Nama"}, "Name", true},
		{"Mail", []string{"Email", "Mail2"}, "Email", true}, // ties: the earlier
	} {
		got, ok := Suggest(c.h, c.cands)
		if got != c.want || ok != c.ok {
			t.Errorf("Suggest(%q) = %q, %v; want %q, %v", c.h, got, ok, c.want, c.ok)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"ab", "ba", 1}, {"abc", "acb", 1}, {"ca", "abc", 3}, // OSA: no edit after a swap
		{"kitten", "sitting", 3}, {"abcdef", "uvwxyz", 3}, // capped: over 2 is all that matters
		{"columns", "colums", 1}, {"a", "abcd", 3}, {"이메일", "이매일", 1},
	} {
		if got := distance([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for _, c := range []struct{ h, want string }{
		{"colums", ` (did you mean "columns"?)`},
		{"columns", ""}, // no hint for the word itself
		{"mapping", ""},
	} {
		if got := DidYouMean(c.h, []string{"product", "key", "order", "columns"}).String(); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.h, got, c.want)
		}
	}
}
