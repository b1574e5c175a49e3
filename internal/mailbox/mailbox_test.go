package mailbox

import (
	"errors"
	"strings"
	"testing"
)

// One mailbox, many spellings: one key. The key is what journals, caches
// and DigiCert's answers are compared by.
func TestKeyOneMailboxManySpellings(t *testing.T) {
	for _, group := range [][]string{
		{"jose@example.com", "JOSE@Example.COM", " jose@example.com "},
		{"ann@bücher.example", "ann@BÜCHER.example", "ann@xn--bcher-kva.example", "ann@bu\u0308cher.example", "Ann@ＢÜＣＨＥＲ．example"},
		{"jos\u00e9@example.com", "jos\u0065\u0301@example.com", "JOS\u00c9@EXAMPLE.COM"}, // refused by Parse, one key all the same
		{"li@例え.テスト", "li@xn--r8jz45g.xn--zckzah"},
	} {
		want := Key(group[0])
		for _, s := range group[1:] {
			if got := Key(s); got != want {
				t.Errorf("Key(%q) = %q, Key(%q) = %q", s, got, group[0], want)
			}
		}
	}
	if Key("a@example.com") == Key("b@example.com") || Key("ann@bücher.example") == Key("ann@bucher.example") {
		t.Error("two mailboxes share a key")
	}
	if got := Key("Ann@Bücher.Example"); got != "ann@xn--bcher-kva.example" {
		t.Errorf("Key = %q", got)
	}
}

// What DigiCert is sent, and what is refused (see the package
// documentation for the pages behind each rule).
func TestParse(t *testing.T) {
	for _, c := range []struct {
		in, sent string
		err      error
	}{
		{"jane.doe+certs@Example.COM", "jane.doe+certs@Example.COM", nil},
		{"ann@bücher.example", "ann@xn--bcher-kva.example", nil},
		{"ann@bu\u0308cher.example", "ann@xn--bcher-kva.example", nil},
		{"ann@xn--bcher-kva.example", "ann@xn--bcher-kva.example", nil},
		{"o'brien@example.ie", "o'brien@example.ie", nil},
		{"jos\u00e9@example.com", "", ErrNonASCII},
		{"jos\u0065\u0301@example.com", "", ErrNonASCII},
		{"김민준@example.kr", "", ErrNonASCII},
		{`"john doe"@example.com`, "", ErrSyntax},
		{"Jane <jane@example.com>", "", ErrSyntax},
		{"jane@@example.com", "", ErrSyntax},
		{".jane@example.com", "", ErrSyntax},
		{"ja..ne@example.com", "", ErrSyntax},
		{"jane@localhost", "", ErrDomain},
		{"jane@example.com.", "", ErrDomain},
		{"jane@exa_mple.com", "", ErrDomain},
		{"jane@xn--zz.example", "", ErrDomain},
		{"jane@-example.com", "", ErrDomain},
	} {
		a, err := Parse(c.in)
		switch {
		case c.err != nil && !errors.Is(err, c.err):
			t.Errorf("Parse(%q) = %v, want %v", c.in, err, c.err)
		case c.err == nil && err != nil:
			t.Errorf("Parse(%q): %v", c.in, err)
		case c.err == nil && a.String() != c.sent:
			t.Errorf("Parse(%q) sends %q, want %q", c.in, a.String(), c.sent)
		}
	}
	long := "a@" + strings.Repeat("abcdefghij.", 23) + "example.com"
	if _, err := Parse(long); err == nil {
		t.Errorf("an address of %d characters was accepted", len(long))
	}
}
