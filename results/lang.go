package results

import (
	"strings"

	"github.com/certbatch/certbatch/input"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// A results file is written in the run's language (Meta.Lang): its
// headers, outcome words, sheet names and Summary sheet. It is read back
// in every language certbatch speaks: a Korean results file fed back as
// an input, or to status, works in an English run and the other way
// round. Every text below is a message of the catalog (package l10n);
// the keys say what the text is, the catalog's English is the text of
// earlier versions.

// columnKey is the catalog key of fixed column c's header.
func columnKey(c string) string { return "results column: " + c }

// Headers returns the fixed [Columns] headers in p's language.
func Headers(p l10n.Printer) []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = p.Term(columnKey(c))
	}
	return out
}

// Outcome returns the outcome word in p's language, as a results file
// writes it.
func Outcome(p l10n.Printer, o order.Outcome) string {
	if o == "" {
		return ""
	}
	return p.Term(string(o))
}

// outcomeWords maps an outcome word of any language to its outcome.
var outcomeWords = func() map[string]order.Outcome {
	m := map[string]order.Outcome{}
	for _, o := range order.Outcomes {
		for _, w := range l10n.Texts(string(o)) {
			m[w] = o
		}
	}
	return m
}()

// ParseOutcome reads an outcome word in any language; a word that is no
// outcome's comes back as it is.
func ParseOutcome(s string) order.Outcome {
	if o, ok := outcomeWords[strings.TrimSpace(s)]; ok {
		return o
	}
	return order.Outcome(s)
}

// columnNames maps a fixed column's header in any language to its name
// in [Columns] ("order_id").
var columnNames = func() map[string]string {
	m := map[string]string{}
	for _, c := range Columns {
		for _, h := range l10n.Texts(columnKey(c)) {
			m[h] = c
		}
	}
	return m
}()

// columnName returns the name in [Columns] of a header written in any
// language, or the header itself.
func columnName(h string) string {
	h = strings.TrimSpace(h)
	if c, ok := columnNames[h]; ok {
		return c
	}
	return h
}

// sheetName returns the name of sheet (SheetResults, SheetSummary) in
// p's language.
func sheetName(p l10n.Printer, sheet string) string { return p.Term("sheet: " + sheet) }

// sheetNames returns sheet's name in every language.
func sheetNames(sheet string) []string { return l10n.Texts("sheet: " + sheet) }

// label returns a Summary sheet label in p's language.
func label(p l10n.Printer, key string) string { return p.Term("summary sheet: " + key) }

// isLabel reports whether s is the Summary sheet label key in any
// language.
func isLabel(s, key string) bool {
	for _, t := range l10n.Texts("summary sheet: " + key) {
		if s == t {
			return true
		}
	}
	return false
}

// isRecoveredNote reports whether a note starts with "recovered:" in any
// language.
func isRecoveredNote(note string) bool {
	for _, p := range l10n.Texts(RecoveredPrefix) {
		if strings.HasPrefix(note, p) {
			return true
		}
	}
	return false
}

// openSummary opens the Summary sheet, named in any language, with fits
// choosing its header row (nil: the first row).
func openSummary(path string, fits func([]string) bool) (input.Reader, error) {
	var err error
	for _, name := range sheetNames(SheetSummary) {
		var rd input.Reader
		if rd, err = input.Open(path, input.Options{Sheet: name, Fits: fits}); err == nil {
			return rd, nil
		}
	}
	return nil, err
}

// cutLabel cuts the Summary sheet label key, in any language, from the
// front of s.
func cutLabel(s, key string) (string, bool) {
	for _, t := range l10n.Texts("summary sheet: " + key) {
		if rest, ok := strings.CutPrefix(s, t); ok {
			return rest, true
		}
	}
	return s, false
}

// headerLang returns the language whose results header h (the outcome
// column's) is.
func headerLang(h string) l10n.Printer {
	h = strings.TrimSpace(h)
	for _, tag := range l10n.Languages {
		if p := l10n.For(tag); p.Term(columnKey("outcome")) == h {
			return p
		}
	}
	return l10n.Printer{}
}
