package pipeline

import (
	"path/filepath"
	"testing"
)

// A results file given as input writes NAME.results.xlsx, never
// NAME.results.results.xlsx, and never the input itself.
func TestDefaultOutput(t *testing.T) {
	for in, want := range map[string]string{
		"staff.csv":                       "staff.results.xlsx",
		"staff.xlsx":                      "staff.results.xlsx",
		"dir/staff.results.csv":           "dir/staff.results.xlsx",
		"staff.Results.CSV":               "staff.results.xlsx",
		"staff.results.xlsx":              "staff.results-2.xlsx",
		"staff.RESULTS.xlsx":              "staff.results-2.xlsx",
		"staff.results-2.xlsx":            "staff.results.xlsx",
		"staff.results-2.csv":             "staff.results.xlsx",
		".results.csv":                    ".results.results.xlsx",
		"noext":                           "noext.results.xlsx",
		"q1.results.backup.csv":           "q1.results.backup.results.xlsx",
		filepath.Join("a.b", "c.results"): filepath.Join("a.b", "c.results.xlsx"),
	} {
		if got := DefaultOutput(in); got != want {
			t.Errorf("DefaultOutput(%q) = %q, want %q", in, got, want)
		}
	}
}
