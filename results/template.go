package results

import (
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/atomicfile"
)

// TemplateColumn is one column of an input template workbook.
type TemplateColumn struct {
	Header   string
	Required bool
	Note     string   // shown as a note on the header cell
	Allowed  []string // non-empty: a dropdown on the column
	Example  string   // value in the example row
}

// templateRows is how many rows get dropdowns.
const templateRows = 1000

// WriteTemplate writes an input template: .xlsx with a bold frozen
// header (required columns marked), a note on every header, dropdowns
// and an example row; .csv with the header and the example row.
func WriteTemplate(path string, cols []TemplateColumn) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		af, err := atomicfile.Create(path)
		if err != nil {
			return err
		}
		defer af.Abort()
		af.WriteString("\uFEFF")
		w := csv.NewWriter(af)
		w.UseCRLF = true
		var h, ex []string
		for _, c := range cols {
			h = append(h, c.Header)
			ex = append(ex, escapeCSV(c.Example))
		}
		w.Write(h)
		w.Write(ex)
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return af.Commit()
	case ".xlsx":
		return writeTemplateXLSX(path, cols)
	}
	return fmt.Errorf("write template %s: unknown file type %q; want .xlsx or .csv", path, filepath.Ext(path))
}

func writeTemplateXLSX(path string, cols []TemplateColumn) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Orders"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	req, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F8CBAD"}}})
	opt, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": typed values stay text (IDs, phones)
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		cell := col + "1"
		f.SetCellStr(sheet, cell, c.Header)
		st := opt
		if c.Required {
			st = req
		}
		f.SetCellStyle(sheet, cell, cell, st)
		f.SetColWidth(sheet, col, col, min(max(float64(len(c.Header))+6, 14), 40))
		f.SetColStyle(sheet, col, text)
		if c.Example != "" {
			f.SetCellStr(sheet, col+"2", c.Example)
		}
		if c.Note != "" {
			if err := f.AddComment(sheet, excelize.Comment{Cell: cell, Author: "certbatch", Text: c.Note}); err != nil {
				return fmt.Errorf("write %s: note on %s: %w", path, c.Header, err)
			}
		}
		if len(c.Allowed) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, templateRows+1)
			if err := dv.SetDropList(c.Allowed); err != nil {
				return fmt.Errorf("write %s: dropdown on %s: %w", path, c.Header, err)
			}
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return fmt.Errorf("write %s: dropdown on %s: %w", path, c.Header, err)
			}
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	af, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	defer af.Abort()
	if _, err := f.WriteTo(af); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return af.Commit()
}
