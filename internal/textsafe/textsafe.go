// Package textsafe says which characters could make text say something
// other than it seems: control characters (C0, DEL, C1), bidirectional
// overrides and isolates, zero-width characters and the Unicode line
// separators. The mapper refuses them in an order's text; the command
// line escapes them before text from a file or a server reaches a
// terminal. One definition serves both.
package textsafe

import "unicode/utf8"

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
