// Package textsafe says which characters could make text say something
// other than it seems: control characters (C0, DEL, C1), bidirectional
// overrides and isolates, invisible characters (zero-width characters,
// the soft hyphen and every other Unicode format character, the Hangul
// fillers, the Unicode line separators) and spaces that look like an
// ordinary space but are not one (no-break, narrow and typographic
// spaces). The mapper refuses them in an order's text; the command line
// escapes them before text from a file or a server reaches a terminal.
// One definition serves both.
package textsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Class is why a character is dangerous.
type Class int

// Classes of dangerous characters.
const (
	Safe      Class = iota
	Control         // C0 (but line breaks and tabs where allowed), DEL, C1
	Direction       // bidirectional overrides, isolates and marks
	Invisible       // zero-width and other format characters (Cf: soft hyphen, word joiner, BOM, ...), fillers, line and paragraph separators
	Broken          // U+FFFD: bytes that were not text
	Space           // a space that is not U+0020 and looks like one: no-break, narrow, figure, thin, ...
)

// Classify returns the class of r. Line feeds and tabs are Control; a
// caller that allows them checks first. The ideographic space U+3000 is
// Safe: it is how Japanese names separate surname and given name.
func Classify(r rune) Class {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return Control
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return Direction
	case r == utf8.RuneError:
		return Broken
	case r < 0xa0:
		return Safe
	case r == 0xa0, r == 0x1680, r >= 0x2000 && r <= 0x200a, r == 0x202f, r == 0x205f:
		return Space
	case r == 0x2028, r == 0x2029,
		// Not format characters to Unicode, but invisible all the same:
		// the combining grapheme joiner, the Hangul fillers and the
		// Mongolian free variation selectors.
		r == 0x034f, r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, r >= 0x180b && r <= 0x180d,
		unicode.Is(unicode.Cf, r):
		return Invisible
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
