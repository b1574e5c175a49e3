package results

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/order"
)

// crBeforeLF is what a CSV round trip drops: CRs that end a line.
var crBeforeLF = regexp.MustCompile("\r+\n")

// corpusRecords spreads strings over the input cells and the error text
// of records with three input columns, after fix.
func corpusRecords(strs []string, fix func(string) string) []order.Result {
	var recs []order.Result
	for i := 0; i+3 < len(strs); i += 4 {
		recs = append(recs, order.Result{Row: len(recs) + 2,
			Input:   []string{fix(strs[i]), fix(strs[i+1]), fix(strs[i+2])},
			Product: "client_premium_sha2", Outcome: order.Failed,
			Answer: order.Answer{Error: fix(strs[i+3])}})
	}
	return recs
}

// TestCorpusRoundTrip writes generated cells full of quotes, triggers,
// separators, line breaks and non-ASCII text, and reads them back.
func TestCorpusRoundTrip(t *testing.T) {
	strs := corpus(4000)
	strs = append(strs, "_x0041_", "_x005F_", "_x005F__x0041_", "_x005F_x0041_", "_x00", "a_xZZZZ_")
	for len(strs)%4 != 0 {
		strs = append(strs, "")
	}
	hdr := []string{"a;=1", "'=b", "\tc"}
	tests := []struct {
		ext string
		// fix is what a round trip may change: a CSV file stores a CR LF
		// line break inside a cell as LF; a workbook reader trims cells
		// (and certbatch's input cells are trimmed already).
		fix func(string) string
	}{
		{".csv", func(s string) string { return crBeforeLF.ReplaceAllString(s, "\n") }},
		{".xlsx", strings.TrimSpace},
	}
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "out"+tt.ext)
			writeAll(t, p, hdr, corpusRecords(strs, func(s string) string { return s }))
			f, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			wantHdr := []string{tt.fix(hdr[0]), tt.fix(hdr[1]), tt.fix(hdr[2])}
			if !reflect.DeepEqual(f.InputHeader, wantHdr) {
				t.Errorf("header %q, want %q", f.InputHeader, wantHdr)
			}
			want := corpusRecords(strs, tt.fix)
			if len(f.Records) != len(want) {
				t.Fatalf("%d records, want %d", len(f.Records), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(f.Records[i], want[i]) {
					t.Errorf("record %d:\n got %q %q\nwant %q %q", i, f.Records[i].Input, f.Records[i].Error, want[i].Input, want[i].Error)
				}
			}
		})
	}
}

// TestCSVSafeUnderAnySeparator reads a written CSV file the way Excel in
// another locale might: split on ';' or tab (or ',', CR, LF), with
// quoting lost. No piece may start like a formula.
func TestCSVSafeUnderAnySeparator(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.csv")
	writeAll(t, p, []string{"x;=1", "=y"}, func() []order.Result {
		recs := corpusRecords(corpus(2000), func(s string) string { return s })
		for i := range recs {
			recs[i].Input = recs[i].Input[:2]
		}
		return recs
	}())
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	// A reader splits the file into lines first.
	if seg, ok := formulaSegmentBy(string(b), ",\r\n", ";\r\n", "\t\r\n", ",;\t\r\n"); ok {
		t.Errorf("segment %q starts like a formula", seg)
	}
}
