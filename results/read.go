package results

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/certbatch/certbatch/input"
)

// File is a results file read back.
type File struct {
	InputHeader []string
	Records     []Record
}

// Read reads a results file (.xlsx: the Results sheet, else the first;
// .csv). It fails, naming the missing column, on a file that is not a
// certbatch results file.
func Read(path string) (*File, error) {
	opts := input.Options{}
	isCSV := strings.EqualFold(filepath.Ext(path), ".csv")
	if !isCSV {
		opts.Sheet = SheetResults
	}
	rd, err := input.Open(path, opts)
	if err != nil && !isCSV && strings.Contains(err.Error(), "no sheet named") {
		rd, err = input.Open(path, input.Options{})
	}
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	defer rd.Close()
	h := rd.Header()
	if isCSV {
		h = unescapeAll(h)
	}
	for _, c := range Columns {
		if !slices.Contains(h, c) {
			return nil, fmt.Errorf("read results %s: not a certbatch results file: it has no %q column", filepath.Base(path), c)
		}
	}
	n := len(h) - len(Columns)
	for i, c := range Columns {
		if h[n+i] != c {
			return nil, fmt.Errorf("read results %s: not a certbatch results file: the columns %s must be the last ones", filepath.Base(path), strings.Join(Columns, ", "))
		}
	}
	f := &File{InputHeader: h[:n]}
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read results: %w", err)
		}
		c := row.Cells
		if isCSV {
			c = unescapeAll(c)
		}
		rec := Record{Input: c[:n:n], Product: c[n+1], Outcome: c[n+2], OrderID: c[n+3], RequestID: c[n+4],
			RequestStatus: c[n+5], OrderStatus: c[n+6], CertificateID: c[n+7], Error: c[n+8]}
		if c[n] != "" {
			if rec.Row, err = strconv.Atoi(c[n]); err != nil {
				return nil, fmt.Errorf("read results %s: row %d: column row: %q is not a number", filepath.Base(path), row.Number, c[n])
			}
		}
		f.Records = append(f.Records, rec)
	}
}

func unescapeAll(c []string) []string {
	for i := range c {
		c[i] = unescapeCSV(c[i])
	}
	return c
}
