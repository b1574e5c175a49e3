package input

import (
	"os"

	"github.com/certbatch/certbatch/internal/l10n"
)

// SheetNames lists the visible worksheets of the .xlsx file at path, in
// workbook order (what --sheet accepts), reading only the workbook part.
// A CSV file has none.
func SheetNames(path string) ([]string, error) {
	if isCSV(path) {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, l10n.Errorf("open input: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, l10n.Errorf("open input: %w", err)
	}
	arc, err := openArchive(f, st.Size(), newWork(st.Size()))
	if err != nil {
		return nil, l10n.Errorf("open %s: %w", path, err)
	}
	wb, err := arc.readWorkbook()
	if err != nil {
		return nil, l10n.Errorf("open %s: %w", path, err)
	}
	var names []string
	for _, s := range wb.sheets {
		if s.err == nil && s.worksheet() && !s.hidden {
			names = append(names, s.name)
		}
	}
	return names, nil
}
