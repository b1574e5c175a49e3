package results

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
)

// TemplateColumn is one column of an input template.
type TemplateColumn struct {
	Header   string
	Required bool
	Note     string   // shown as a note on the header cell, e.g. "required · text · the person's full name"
	Allowed  []string // non-empty: a dropdown of these values on the column
	Prompt   string   // shown when a cell of a dropdown column is selected (clipped to 255 characters)
	Example  string   // the value on the Example sheet
}

// TemplateText is the fixed text of a template workbook, in its
// language. Empty fields get the English text.
type TemplateText struct {
	NotAllowedTitle string // title of a dropdown's error box (clipped to 32 characters)
	NotAllowed      string // message of a dropdown's error box (clipped to 225 characters)
	// ExampleNote is shown on the Example sheet below the example row;
	// a %s in it is replaced by the Orders sheet's name.
	ExampleNote string
}

var englishText = TemplateText{
	NotAllowedTitle: "Not allowed",
	NotAllowed:      "Pick a value from the list.",
	ExampleNote:     "Example only: do not copy this row to the %s sheet. certbatch refuses a row that repeats the example.",
}

// Template sheet names.
const (
	SheetOrders  = "Orders"  // the sheet users fill in
	SheetExample = "Example" // the example row, kept apart so it is never ordered
	SheetLists   = "Lists"   // hidden: dropdown values too long or awkward for an inline list
)

// TemplateRows is how many data rows (from row 2) get dropdowns.
const TemplateRows = 1000

// Header fills of a template: required columns stand out.
const (
	requiredFill = "F8CBAD" // orange
	optionalFill = "D9E1F2" // pale blue
)

// WriteTemplate writes an input template for cols to path, atomically and
// with mode 0600. The format follows path's extension:
//
//   - .xlsx: a sheet "Orders" with a bold, frozen header row (required
//     columns filled orange, optional ones pale blue), each column's Note
//     as a note on its header cell, a dropdown of the Allowed values (with
//     the column's Prompt) on rows 2 to [TemplateRows]+1, text-formatted
//     columns (so "00123" stays "00123"), and no data rows; then a sheet
//     "Example" with the same header, the examples in row 2 and the
//     example note in row 4. An example is never on the sheet that is
//     read, so it is never ordered by mistake.
//   - .csv: UTF-8 with a byte order mark and CRLF line endings: the
//     header only (the examples are in the .xlsx template).
//
// The fixed texts are English; [WriteTemplateText] writes them in
// another language.
func WriteTemplate(path string, cols []TemplateColumn) error {
	return WriteTemplateText(path, cols, TemplateText{})
}

// WriteTemplateText is [WriteTemplate] with the workbook's fixed texts
// given.
func WriteTemplateText(path string, cols []TemplateColumn, text TemplateText) error {
	if len(cols) == 0 {
		return l10n.Errorf("write template %s: no columns", path)
	}
	if text.NotAllowedTitle == "" {
		text.NotAllowedTitle = englishText.NotAllowedTitle
	}
	if text.NotAllowed == "" {
		text.NotAllowed = englishText.NotAllowed
	}
	if text.ExampleNote == "" {
		text.ExampleNote = englishText.ExampleNote
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return writeTemplateCSV(path, cols)
	case ".xlsx":
		return writeTemplateXLSX(path, cols, text)
	}
	return l10n.Errorf("write template %s: unknown file type %q; want .xlsx or .csv", path, filepath.Ext(path))
}

func writeTemplateCSV(path string, cols []TemplateColumn) error {
	af, err := atomicfile.Create(path)
	if err != nil {
		return l10n.Errorf("write template: %w", err)
	}
	defer af.Abort()
	bw := bufio.NewWriter(af)
	bw.WriteString("\uFEFF")
	w := csv.NewWriter(bw)
	w.UseCRLF = true
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Header // headers are certbatch's own
	}
	w.Write(h)
	w.Flush()
	err = w.Error()
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return l10n.Errorf("write template %s: %w", path, err)
	}
	return af.Commit()
}

func writeTemplateXLSX(path string, cols []TemplateColumn, text TemplateText) (err error) {
	f := excelize.NewFile()
	defer f.Close()
	defer func() {
		if err != nil {
			err = l10n.Errorf("write template %s: %w", path, err)
		}
	}()
	if err := f.SetSheetName("Sheet1", SheetOrders); err != nil {
		return err
	}
	hasExample := false
	for _, c := range cols {
		hasExample = hasExample || c.Example != ""
	}
	if hasExample {
		if _, err := f.NewSheet(SheetExample); err != nil {
			return err
		}
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	lists := 0 // columns used on the Lists sheet
	for i, c := range cols {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := st.header(f, SheetOrders, col, c); err != nil {
			return err
		}
		cell := col + "1"
		if c.Note != "" {
			if err := f.AddComment(SheetOrders, excelize.Comment{Cell: cell, Author: "certbatch", Text: c.Note}); err != nil {
				return l10n.Errorf("note on %q: %w", c.Header, err)
			}
		}
		if len(c.Allowed) > 0 {
			if err := addDropdown(f, col, c, text, &lists); err != nil {
				return l10n.Errorf("dropdown on %q: %w", c.Header, err)
			}
		}
		if !hasExample {
			continue
		}
		if err := st.header(f, SheetExample, col, c); err != nil {
			return err
		}
		if c.Example != "" {
			if err := f.SetCellStr(SheetExample, col+"2", clipCell(c.Example)); err != nil {
				return err
			}
		}
	}
	if hasExample {
		note := text.ExampleNote
		if strings.Contains(note, "%s") {
			note = fmt.Sprintf(note, SheetOrders)
		}
		if err := f.SetCellStr(SheetExample, "A4", clipCell(note)); err != nil {
			return err
		}
		if err := f.SetCellStyle(SheetExample, "A4", "A4", st.note); err != nil {
			return err
		}
	}
	if err := f.SetPanes(SheetOrders, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return atomicfile.WriteWith(path, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
}

// templateStyles are the cell styles of a template workbook.
type templateStyles struct {
	required, optional, text, note int
}

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var st templateStyles
	style := func(fill string) (int, error) {
		return f.NewStyle(&excelize.Style{
			Font:   &excelize.Font{Bold: true},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
			Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
		})
	}
	var err error
	if st.required, err = style(requiredFill); err != nil {
		return st, err
	}
	if st.optional, err = style(optionalFill); err != nil {
		return st, err
	}
	if st.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": what users type stays text
		return st, err
	}
	st.note, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
	return st, err
}

// header formats col of sheet as text and writes its styled header.
func (st templateStyles) header(f *excelize.File, sheet, col string, c TemplateColumn) error {
	// Column style first: setting it later would restyle the header.
	if err := f.SetColStyle(sheet, col, st.text); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, col, col, min(max(float64(len([]rune(c.Header)))*1.2+4, 14), 40)); err != nil {
		return err
	}
	cell := col + "1"
	if err := f.SetCellStr(sheet, cell, clipCell(c.Header)); err != nil {
		return err
	}
	s := st.optional
	if c.Required {
		s = st.required
	}
	return f.SetCellStyle(sheet, cell, cell, s)
}

// clipRunes cuts s to at most n characters (Excel's limits on a data
// validation's texts count UTF-16 units; every rune certbatch writes
// there is one).
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// addDropdown adds a list validation to col's data rows. Short lists are
// inline; a list Excel cannot hold inline (over 255 characters, or values
// with commas or quotes, or one starting with "=", which Excel would read
// as a formula) goes in a column of the hidden Lists sheet instead.
func addDropdown(f *excelize.File, col string, c TemplateColumn, text TemplateText, lists *int) error {
	allowed := c.Allowed
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, TemplateRows+1)
	dv.SetError(excelize.DataValidationErrorStyleStop, clipRunes(text.NotAllowedTitle, 32), clipRunes(text.NotAllowed, 225))
	if c.Prompt != "" {
		dv.SetInput(clipRunes(c.Header, 32), clipRunes(c.Prompt, 255))
	}
	inline := true
	for _, v := range allowed {
		if strings.ContainsAny(v, `,"`) || strings.HasPrefix(v, "=") {
			inline = false
		}
	}
	if err := dv.SetDropList(allowed); err != nil || !inline {
		if err != nil && !errors.Is(err, excelize.ErrDataValidationFormulaLength) {
			return err
		}
		if *lists == 0 {
			if _, err := f.NewSheet(SheetLists); err != nil {
				return err
			}
			if err := f.SetSheetVisible(SheetLists, false); err != nil {
				return err
			}
		}
		*lists++
		lc, err := excelize.ColumnNumberToName(*lists)
		if err != nil {
			return err
		}
		for i, v := range allowed {
			if err := f.SetCellStr(SheetLists, fmt.Sprintf("%s%d", lc, i+1), clipCell(v)); err != nil {
				return err
			}
		}
		dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$1:$%s$%d", SheetLists, lc, lc, len(allowed)))
	}
	return f.AddDataValidation(SheetOrders, dv)
}
