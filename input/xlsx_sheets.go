package input

import (
	"io"
	"strconv"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
)

// headerScan is how many non-blank rows are searched for the header.
const headerScan = 20

// sheetRow is a <row> of a worksheet as read.
type sheetRow struct {
	num    int
	cells  []string
	kinds  []Kind
	hidden bool // hidden in Excel (by hand, a filter or a zero height)
	struck int  // the first column with struck-through text; 0 for none
	partly bool // only some of that cell's text is struck through
	// extraCol and extra are the first non-empty cell beyond the
	// header's width (0, "": none).
	extraCol int
	extra    string
}

// findHeader reads the header row: the first of the first 20 non-blank
// rows that fits (fits nil: the first non-blank row), else the first
// non-blank row; rows read past the header are kept for Next. It
// reports whether a row fit.
func (x *xlsxReader) findHeader(fits func([]string) bool) (bool, error) {
	var seen []sheetRow
	for len(seen) < headerScan {
		row, err := x.nextRow(0)
		if err == io.EOF {
			break
		}
		if err != nil {
			return false, err
		}
		if trimBlank(row.cells) {
			continue
		}
		if fits != nil {
			if err := x.arc.work.add(fitsCost(row.cells)); err != nil {
				return false, l10n.Errorf("read %s: sheet %q, row %d: %w", x.file, x.sheet, row.num, err)
			}
		}
		if fits == nil || fits(row.cells) {
			x.header = row.cells
			return fits != nil, nil
		}
		seen = append(seen, row)
	}
	if len(seen) == 0 {
		return false, l10n.Errorf("open %s: sheet %q is empty: no header row", x.file, x.sheet)
	}
	x.header, x.pending = seen[0].cells, seen[1:]
	return false, nil
}

// fittingSheet scans every visible worksheet for a header row that
// fits: exactly one must have one.
func (x *xlsxReader) fittingSheet(wb *workbook, fits func([]string) bool, skip func(string) bool) (sheetInfo, error) {
	var fit []sheetInfo
	var list []string
	for _, s := range wb.sheets {
		if s.err != nil || !s.worksheet() || s.hidden {
			continue
		}
		if skip != nil && skip(s.name) {
			list = append(list, strconv.Quote(s.name)+" (not data)")
			continue
		}
		if err := x.openSheet(s); err != nil {
			return s, err
		}
		ok, err := x.findHeader(fits)
		if err != nil && !strings.Contains(err.Error(), "no header row") {
			return s, err
		}
		if ok {
			fit = append(fit, s)
			list = append(list, strconv.Quote(s.name)+" (fits)")
		} else {
			list = append(list, strconv.Quote(s.name))
		}
	}
	x.header, x.pending = nil, nil
	switch {
	case len(fit) == 1:
		return fit[0], nil
	case len(fit) == 0:
		return sheetInfo{}, l10n.Errorf("no worksheet has a header row with the columns needed; the worksheets are %s: pass --sheet NAME", strings.Join(list, ", "))
	}
	return sheetInfo{}, l10n.Errorf("%d worksheets have a header row with the columns needed: %s: pass --sheet NAME to choose one", len(fit), strings.Join(list, ", "))
}

// pickSheet chooses the sheet named want (exactly, else ignoring case),
// or with want "", the first visible worksheet.
func pickSheet(wb *workbook, want string) (sheetInfo, error) {
	if want == "" {
		for _, s := range wb.sheets {
			if s.err == nil && s.worksheet() && !s.hidden {
				return s, nil
			}
		}
		for _, s := range wb.sheets {
			if s.err != nil {
				return s, s.err
			}
		}
		return sheetInfo{}, l10n.Errorf("the workbook has no visible worksheet; the sheets are %s", sheetList(wb))
	}
	idx := -1
	for i, s := range wb.sheets {
		if s.name == want {
			idx = i
			break
		}
		if idx < 0 && strings.EqualFold(s.name, want) {
			idx = i
		}
	}
	if idx < 0 {
		return sheetInfo{}, l10n.Errorf("no sheet named %q; the sheets are %s", want, sheetList(wb))
	}
	s := wb.sheets[idx]
	if s.err != nil {
		return s, s.err
	}
	if !s.worksheet() {
		return s, l10n.Errorf("sheet %q is %s, not a table", s.name, s.kindName())
	}
	return s, nil
}

func sheetList(wb *workbook) string {
	names := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		names[i] = strconv.Quote(s.name)
	}
	return strings.Join(names, ", ")
}
