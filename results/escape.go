package results

import "strings"

// Escape makes s safe to store in a CSV cell that a spreadsheet program
// may open, and [Unescape] undoes it exactly: Unescape(Escape(s)) == s for
// every string s.
//
// A spreadsheet runs a cell as a formula when it starts with one of
// OWASP's trigger characters: = + - @, tab or carriage return. Excel
// splits a CSV line on its locale's list separator, which is not always
// the comma certbatch writes (German, French and Dutch Excel split on
// ';', and files saved as "Unicode text" on tabs), and a cell that
// straddles line breaks can be misread as several rows. So Escape looks
// at every place where a cell could begin under any of those readings:
// the start of the value, and the position right after each ',', ';',
// tab, CR and LF in it. Call such a place a boundary. Where the text at
// a boundary is a run of zero or more quote characters (' or ") followed
// by a trigger character, Escape inserts one single quote at the
// boundary. Nothing else changes.
//
// Hence no segment of Escape(s), however it is split on ',', ';', tab,
// CR or LF, starts with a trigger character, nor with a double quote
// that a CSV reader would strip to reveal one: each such segment starts
// with a single quote instead, which spreadsheets show as text.
//
// Unescape removes one single quote at each boundary where the text is a
// single quote, zero or more further quote characters and a trigger
// character: exactly the places Escape inserted one, since inserting a
// quote neither adds nor removes a boundary. Some examples:
//
//	=1+1      '=1+1
//	'=1+1     ''=1+1
//	a;=1      a;'=1
//	x<TAB>@y  x<TAB>'@y
//	"=x"      '"=x"
//	it's -5   it's -5   (no boundary before the '-')
//	'plain    'plain
func Escape(s string) string {
	var b strings.Builder
	last, quoted := 0, false
	for p := 0; p <= len(s); p = nextBoundary(s, p) {
		if escapable(s[p:]) {
			if !quoted {
				b.Grow(len(s) + 4)
				quoted = true
			}
			b.WriteString(s[last:p])
			b.WriteByte('\'')
			last = p
		}
	}
	if !quoted {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Unescape undoes [Escape]: it removes the single quote Escape put at
// each boundary. Text that Escape did not produce comes back unchanged
// unless a boundary holds a single quote before optional quotes and a
// trigger character (as in "'=x"), which reads as Escape's quote.
func Unescape(s string) string {
	var b strings.Builder
	last, cut := 0, false
	for p := 0; p < len(s); p = nextBoundary(s, p) {
		if s[p] == '\'' && escapable(s[p:]) {
			if !cut {
				b.Grow(len(s))
				cut = true
			}
			b.WriteString(s[last:p])
			last = p + 1
		}
	}
	if !cut {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// nextBoundary returns the boundary after boundary p: the position after
// the first separator at or after p, or len(s)+1 when there is none.
func nextBoundary(s string, p int) int {
	for i := p; i < len(s); i++ {
		if separator[s[i]] {
			return i + 1
		}
	}
	return len(s) + 1
}

// separator marks the bytes after which a cell may start anew: a comma,
// a semicolon, a tab, a CR or an LF (a byte table, as strings.IndexAny
// builds one on every call).
var separator = [256]bool{',': true, ';': true, '\t': true, '\r': true, '\n': true}

// escapable reports whether t (the text from a boundary on) starts with
// zero or more quote characters and then a trigger character.
func escapable(t string) bool {
	i := 0
	for i < len(t) && (t[i] == '\'' || t[i] == '"') {
		i++
	}
	if i == len(t) {
		return false
	}
	switch t[i] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// escapeCSV is [Escape]; template.go writes CSV template cells with it.
func escapeCSV(s string) string { return Escape(s) }
