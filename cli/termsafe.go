package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/textsafe"
)

// termSafe returns s with every character that could make a terminal
// show something other than the text (control characters but line
// breaks and tabs, C1 controls, bidirectional overrides and isolates,
// zero-width characters) written as a visible \u{XXXX} escape. Text from
// CertCentral and from input files is printed through it: a server's
// message, a name in a row, never rewrite what the admin sees.
func termSafe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if dangerous(r) {
			fmt.Fprintf(&b, "\\u{%04X}", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func needsEscape(s string) bool {
	for _, r := range s {
		if dangerous(r) {
			return true
		}
	}
	return false
}

func dangerous(r rune) bool {
	return r != '\n' && r != '\t' && textsafe.Classify(r) != textsafe.Safe
}

// safeWriter passes text to w through termSafe. Each Write must hold
// whole characters (fmt's writes do).
type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	if !needsEscape(string(p)) {
		return s.w.Write(p)
	}
	if _, err := io.WriteString(s.w, termSafe(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// termLine is termSafe for text printed inside one line of certbatch's
// own: line breaks are escaped too (textsafe.OneLine), so a server's
// message or a cell of a file cannot start a line of its own.
func termLine(s string) string { return termSafe(textsafe.OneLine(s)) }

// linef is p.Fprintf for one line of output whose arguments may hold a
// server's or a file's text: every string, error and fmt.Stringer
// argument is made one line first (termLine). key, a message of the
// catalog, stays one whole string, as every message does.
func linef(p l10n.Printer, w io.Writer, key string, args ...any) {
	p.Fprintf(w, key, lineArgs(p, args)...)
}

// lineArgs makes each argument one line (an error in p's language).
func lineArgs(p l10n.Printer, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = termLine(v)
		case error:
			out[i] = termLine(p.Error(v))
		case fmt.Stringer:
			out[i] = termLine(v.String())
		default:
			out[i] = a
		}
	}
	return out
}
