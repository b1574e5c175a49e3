package termtable

import (
	"strings"
	"testing"
	"text/tabwriter"
)

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "김민수": 6, "陳大文": 6, "José": 4, "ＡＢ": 4, "a김b": 4} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

// Korean and Chinese cells line up by screen width: every line's second
// column starts at the same screen column.
func TestAlignsWideCharacters(t *testing.T) {
	var b strings.Builder
	w := New(&b)
	w.Write([]byte("이름\t이메일\n김민수\tminsu@example.com\nJo\tjo@example.com\n(없음)\n"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 || lines[3] != "(없음)" {
		t.Fatalf("lines = %q", lines)
	}
	for _, l := range lines[:3] {
		at := strings.LastIndex(l, "  ") + 2
		if got := Width(l[:at]); got != 8 {
			t.Errorf("%q: second column at screen column %d, want 8", l, got)
		}
	}
}

// On ASCII text the table is text/tabwriter's, byte for byte.
func TestASCIIAsTabwriter(t *testing.T) {
	in := "ROW\tOUTCOME\tWHO\n1\tordered\tJane <jane@example.com>\n12\tskipped\t\n(no rows)\n"
	var got, want strings.Builder
	w := New(&got)
	w.Write([]byte(in))
	w.Flush()
	tw := tabwriter.NewWriter(&want, 0, 0, Gap, ' ', 0)
	tw.Write([]byte(in))
	tw.Flush()
	if got.String() != want.String() {
		t.Errorf("got\n%s\nwant (text/tabwriter)\n%s", got.String(), want.String())
	}
}
