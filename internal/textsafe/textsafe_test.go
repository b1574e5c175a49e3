package textsafe

import "testing"

func TestClassify(t *testing.T) {
	for r, want := range map[rune]Class{
		'a': Safe, '陳': Safe, 'é': Safe, ' ': Safe, 0x3000: Safe, '김': Safe, 'ー': Safe,
		0x00: Control, 0x1b: Control, '\n': Control, 0x7f: Control, 0x9b: Control,
		0x202e: Direction, 0x2067: Direction, 0x200f: Direction,
		0x200b: Invisible, 0xfeff: Invisible, 0x2028: Invisible,
		// Format characters Excel keeps from text pasted from the web or
		// Word: they reach a certificate unseen.
		0x00ad: Invisible, 0x2060: Invisible, 0x2063: Invisible, 0x180e: Invisible, 0xe0041: Invisible,
		0x034f: Invisible, 0x3164: Invisible, 0x115f: Invisible,
		0x00a0: Space, 0x202f: Space, 0x2007: Space, 0x2009: Space, 0x205f: Space,
		0xfffd: Broken,
	} {
		if got := Classify(r); got != want {
			t.Errorf("Classify(%U) = %d, want %d", r, got, want)
		}
	}
}

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                    "plain",
		"bad\nsubmit: 3 rows read": `bad\nsubmit: 3 rows read`,
		"a\r\nb":                   `a\r\nb`,
		"a\u2028b\u0085c\vd\fe":    `a\u{2028}b\u{0085}c\u{000B}d\u{000C}e`,
		"tab\tand 陳 stay":          "tab\tand 陳 stay",
		"":                         "",
	} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
