package results

import (
	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/l10n"
)

// printLayout makes a sheet print the way a person reads it on paper:
// landscape, every column on one page's width (as many pages down as it
// takes), and, with titles, the header row repeated at the top of every
// page (the workbook's _xlnm.Print_Titles for the sheet). A results sheet of a
// dozen columns otherwise prints on a stack of portrait pages where
// only the first shows whose row is whose.
func printLayout(f *excelize.File, sheet string, titles bool) error {
	landscape, one, any := "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &any}); err != nil {
		return l10n.Errorf("page layout: %w", err)
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return l10n.Errorf("page layout: %w", err)
	}
	if !titles {
		return nil
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet}); err != nil {
		return l10n.Errorf("print titles: %w", err)
	}
	return nil
}
