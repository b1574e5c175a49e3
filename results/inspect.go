package results

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// Held says what an existing file at a results path holds, for a writer
// that must not replace what a person relies on ([Inspect]).
type Held struct {
	// Exists is false when nothing is at the path.
	Exists bool
	// NotResults is set when the file is not a certbatch results file
	// that can be read (another workbook, a damaged file): it is not
	// certbatch's to replace.
	NotResults bool
	// Batch is the batch its Summary sheet names ("" for CSV, a dry run,
	// or an earlier version's file).
	Batch string
	// Submission is set when it holds a submission's results: a batch,
	// or a row with an order ID or an outcome other than valid and
	// invalid (ordered, skipped, uncertain, failed, rejected). A dry
	// run's results (valid and invalid rows only) are not.
	Submission bool
}

// Inspect reads what the file at path holds, stopping at the first row
// that shows a submission. A missing file is Held{}.
func Inspect(path string) (Held, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Held{}, nil
	}
	if err != nil {
		return Held{}, l10n.Errorf("inspect %s: %w", path, err)
	}
	h := Held{Exists: true}
	if !fi.Mode().IsRegular() {
		h.NotResults = true
		return h, nil
	}
	var t table
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		if h.Batch = readMeta(path).Batch; h.Batch != "" {
			h.Submission = true
			return h, nil
		}
		t, err = openXLSXTable(path)
	case ".csv":
		t, err = openCSVTable(path)
	default:
		h.NotResults = true
		return h, nil
	}
	if err != nil {
		h.NotResults = true
		return h, nil
	}
	defer t.close()
	_, head, err := t.next()
	if err != nil {
		h.NotResults = true
		return h, nil
	}
	l, err := findColumns(head)
	if err != nil {
		h.NotResults = true
		return h, nil
	}
	for {
		_, c, err := t.next()
		if errors.Is(err, io.EOF) {
			return h, nil
		}
		if err != nil {
			// Damaged after some rows: not certbatch's to replace.
			h.NotResults = true
			return h, nil
		}
		cell := func(k int) string {
			if i := l.fixed[k]; i >= 0 && i < len(c) {
				return strings.TrimSpace(c[i])
			}
			return ""
		}
		switch ParseOutcome(cell(colOutcome)) {
		case order.Valid, order.Invalid, "":
		default:
			h.Submission = true
			return h, nil
		}
		if cell(colOrderID) != "" || cell(colRequestID) != "" {
			h.Submission = true
			return h, nil
		}
	}
}

// FreeName returns the first name beside path that nothing is at:
// staff.results-2.xlsx for staff.results.xlsx, staff.results-3.xlsx for
// staff.results-2.xlsx, and so on.
func FreeName(path string) (string, error) {
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	n := 2
	if i := strings.LastIndexByte(stem, '-'); i > 0 {
		if k, err := strconv.Atoi(stem[i+1:]); err == nil && k >= 1 && k < 10000 && stem[i+1] != '0' {
			stem, n = stem[:i], k+1
		}
	}
	for ; n < 10000; n++ {
		p := fmt.Sprintf("%s-%d%s", stem, n, ext)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	}
	return "", l10n.Errorf("no free name beside %s (tried up to %s-9999%s)", path, stem, ext)
}
