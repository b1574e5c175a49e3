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
)

// TemplateColumn is one column of an input template.
type TemplateColumn struct {
	Header   string
	Required bool
	Note     string   // shown as a note on the header cell, e.g. "required · text · the person's full name"
	Allowed  []string // non-empty: a dropdown of these values on the column
	Example  string   // the value in the example row
}

// Template sheet names.
const (
	SheetOrders = "Orders" // the sheet users fill in
	SheetLists  = "Lists"  // hidden: dropdown values too long or awkward for an inline list
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
//     as a note on its header cell, a dropdown of the Allowed values on
//     rows 2 to [TemplateRows]+1, text-formatted columns (so "00123" stays
//     "00123"), and the examples in row 2.
//   - .csv: UTF-8 with a byte order mark and CRLF line endings: the header
//     and the example row.
func WriteTemplate(path string, cols []TemplateColumn) error {
	if len(cols) == 0 {
		return fmt.Errorf("write template %s: no columns", path)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return writeTemplateCSV(path, cols)
	case ".xlsx":
		return writeTemplateXLSX(path, cols)
	}
	return fmt.Errorf("write template %s: unknown file type %q; want .xlsx or .csv", path, filepath.Ext(path))
}

func writeTemplateCSV(path string, cols []TemplateColumn) error {
	af, err := atomicfile.Create(path)
	if err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	defer af.Abort()
	bw := bufio.NewWriter(af)
	bw.WriteString("\uFEFF")
	w := csv.NewWriter(bw)
	w.UseCRLF = true
	h := make([]string, len(cols))
	ex := make([]string, len(cols))
	for i, c := range cols {
		h[i], ex[i] = c.Header, escapeCSV(c.Example) // headers are certbatch's own
	}
	w.Write(h)
	w.Write(ex)
	w.Flush()
	err = w.Error()
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write template %s: %w", path, err)
	}
	return af.Commit()
}

func writeTemplateXLSX(path string, cols []TemplateColumn) (err error) {
	f := excelize.NewFile()
	defer f.Close()
	defer func() {
		if err != nil {
			err = fmt.Errorf("write template %s: %w", path, err)
		}
	}()
	if err := f.SetSheetName("Sheet1", SheetOrders); err != nil {
		return err
	}
	style := func(fill string) (int, error) {
		return f.NewStyle(&excelize.Style{
			Font:   &excelize.Font{Bold: true},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
			Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
		})
	}
	req, err := style(requiredFill)
	if err != nil {
		return err
	}
	opt, err := style(optionalFill)
	if err != nil {
		return err
	}
	textFmt, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": what users type stays text
	if err != nil {
		return err
	}
	lists := 0 // columns used on the Lists sheet
	for i, c := range cols {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		// Column style first: setting it later would restyle the header.
		if err := f.SetColStyle(SheetOrders, col, textFmt); err != nil {
			return err
		}
		if err := f.SetColWidth(SheetOrders, col, col, min(max(float64(len([]rune(c.Header)))*1.2+4, 14), 40)); err != nil {
			return err
		}
		cell := col + "1"
		if err := f.SetCellStr(SheetOrders, cell, clipCell(c.Header)); err != nil {
			return err
		}
		st := opt
		if c.Required {
			st = req
		}
		if err := f.SetCellStyle(SheetOrders, cell, cell, st); err != nil {
			return err
		}
		if c.Example != "" {
			if err := f.SetCellStr(SheetOrders, col+"2", clipCell(c.Example)); err != nil {
				return err
			}
		}
		if c.Note != "" {
			if err := f.AddComment(SheetOrders, excelize.Comment{Cell: cell, Author: "certbatch", Text: c.Note}); err != nil {
				return fmt.Errorf("note on %q: %w", c.Header, err)
			}
		}
		if len(c.Allowed) > 0 {
			if err := addDropdown(f, col, c.Allowed, &lists); err != nil {
				return fmt.Errorf("dropdown on %q: %w", c.Header, err)
			}
		}
	}
	if err := f.SetPanes(SheetOrders, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	return atomicfile.WriteWith(path, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
}

// addDropdown adds a list validation to col's data rows. Short lists are
// inline; a list Excel cannot hold inline (over 255 characters, or values
// with commas or quotes, or one starting with "=", which Excel would read
// as a formula) goes in a column of the hidden Lists sheet instead.
func addDropdown(f *excelize.File, col string, allowed []string, lists *int) error {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, TemplateRows+1)
	dv.SetError(excelize.DataValidationErrorStyleStop, "Not allowed", "Pick a value from the list.")
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
