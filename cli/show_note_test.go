package cli

import "testing"

func TestNoteAndError(t *testing.T) {
	for _, c := range []struct{ note, err, want string }{
		{"", "", ""}, {"a note", "", "a note"}, {"", "an error", "an error"}, {"a note", "an error", "a note; an error"},
	} {
		if got := noteAndError(c.note, c.err); got != c.want {
			t.Errorf("noteAndError(%q, %q) = %q, want %q", c.note, c.err, got, c.want)
		}
	}
}
