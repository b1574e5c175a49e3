// Package textsafe says which characters could make text say something
// other than it seems: control characters (C0, DEL, C1), bidirectional
// overrides and isolates, zero-width characters and the Unicode line
// separators. The mapper refuses them in an order's text; the command
// line escapes them before text from a file or a server reaches a
// terminal. One definition serves both.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Class is why a character is dangerous.
type Class int

// Classes of dangerous characters.
const (
	Safe      Class = iota
	Control         // C0 (but line breaks and tabs where allowed), DEL, C1
	Direction       // bidirectional overrides, isolates and marks
	Invisible       // zero-width characters, BOM, line and paragraph separators
	Broken          // U+FFFD: bytes that were not text
)

// Classify returns the class of r. Line feeds and tabs are Control; a
// caller that allows them checks first.
func Classify(r rune) Class {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return Control
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return Direction
	case r >= 0x200b && r <= 0x200d, r == 0xfeff, r == 0x2028, r == 0x2029:
		return Invisible
	case r == utf8.RuneError:
		return Broken
	}
	return Safe
}

// OneLine returns s with every character that starts a new line (LF,
// CR, VT, FF, NEL, U+2028, U+2029) written as a visible escape: "\n"
// and "\r" for the common two, \u{XXXX} for the others. Text from a
// server or a file that is printed inside one line of certbatch's own
// (an API error message in a summary line, a name in the plan) then
// stays on that line: it cannot start a line that looks like
// certbatch's. Other characters are left alone.
func OneLine(s string) string {
	if !hasBreak(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case isBreak(r):
			fmt.Fprintf(&b, `\u{%04X}`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBreak reports whether r starts a new line on a terminal or in a
// text viewer.
func isBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

func hasBreak(s string) bool {
	for _, r := range s {
		if isBreak(r) {
			return true
		}
	}
	return false
}
