package pipeline

import (
	"fmt"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/termtable"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/results"
)

// mappingRows turns a mapping report into the results' Summary sheet
// section: which input column feeds which order field, which are
// ignored (a free-text one saying why), and the config's constants.
func mappingRows(p l10n.Printer, rep mapping.Report) []results.MappingRow {
	var rows []results.MappingRow
	for _, c := range rep.Columns {
		rows = append(rows, results.MappingRow{Column: c.Column, Field: strings.Join(c.Fields, ", "), How: columnHow(p, c)})
	}
	for _, f := range rep.Constants {
		rows = append(rows, results.MappingRow{Field: f, How: p.Sprintf("constant from the config (order:)")})
	}
	return rows
}

// columnHow says how a column is used, in a few words.
func columnHow(p l10n.Printer, c mapping.ColumnUse) string {
	switch {
	case c.FreeText != "":
		return p.Sprintf("NOT sent: free text (%s) the config does not map", c.FreeText)
	case len(c.Fields) == 0:
		return p.Sprintf("ignored: no order field")
	case len(c.Fields) == 1 && c.Fields[0] == "key":
		return p.Sprintf("key: identifies the person across runs, never sent")
	case c.Config:
		return p.Sprintf("named by the config (columns:)")
	}
	return p.Sprintf("the template's header")
}

// MappingLines is a mapping report as the terminal shows it (validate):
// one line per input column, then the constants, then a notice for
// every free-text column that is not sent.
func MappingLines(p l10n.Printer, rep mapping.Report) []string {
	width := 0
	for _, c := range rep.Columns {
		width = max(width, termtable.Width(c.Column))
	}
	width = min(width, 30)
	lines := []string{p.Sprintf("mapping (input column -> order field):")}
	for _, c := range rep.Columns {
		field := strings.Join(c.Fields, ", ")
		if field == "" {
			field = "-"
		}
		lines = append(lines, fmt.Sprintf("  %s -> %s (%s)", termtable.Pad(c.Column, width), field, columnHow(p, c)))
	}
	if len(rep.Constants) > 0 {
		lines = append(lines, p.Sprintf("  constants from the config (order:): %s", strings.Join(rep.Constants, ", ")))
	}
	return append(lines, FreeTextNotices(p, rep)...)
}

// FreeTextNotices are the lines a person must read before anything is
// sent: one for every free-text column that is not sent.
func FreeTextNotices(p l10n.Printer, rep mapping.Report) []string {
	var out []string
	for _, c := range rep.Columns {
		if c.FreeText != "" {
			out = append(out, mapping.FreeTextNotice(p, c))
		}
	}
	return out
}
