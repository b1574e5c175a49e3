package results

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, out string }{
		{"plain", "plain"},
		{"", ""},
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@x", "'@x"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'", "'"},
		{"'x", "'x"},
		{"'=x", "''=x"},
		{"''", "''"},
		{"''x", "''x"},
		{"''=x", "'''=x"},
		{"a=b", "a=b"},
		{" =x", " =x"},
		{"it's -5", "it's -5"},
		// Segments after a separator, for Excel locales that split on ';'
		// or tab, and for readers that lose track of quoting at a line
		// break.
		{"a;=1+1", "a;'=1+1"},
		{"a,=1", "a,'=1"},
		{"x\t=cmd", "x\t'=cmd"},
		{"x\n@y", "x\n'@y"},
		{"x\r\n-y", "x\r\n'-y"},
		{"a;'=1", "a;''=1"},
		{"a;b", "a;b"},
		{";", ";"},
		{";;=", ";;'="},
		// A tab or CR is both a separator and a trigger.
		{"\t\t", "'\t'\t"},
		{"a\t", "a\t"},
		{"a\t\t", "a\t'\t"},
		{"\r\n", "'\r\n"},
		// Double quotes a CSV reader may strip.
		{`"=x"`, `'"=x"`},
		{`a;""=x`, `a;'""=x`},
		{`'"'=x`, `''"'=x`},
		{`"a"`, `"a"`},
		{"=a;=b,+c", "'=a;'=b,'+c"},
		{"陳;=大", "陳;'=大"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Escape(tt.in)
			if got != tt.out {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.out)
			}
			if seg, ok := formulaSegment(got); ok {
				t.Errorf("Escape(%q) = %q has a segment %q that starts like a formula", tt.in, got, seg)
			}
			if back := Unescape(got); back != tt.in {
				t.Errorf("Unescape(%q) = %q, want %q", got, back, tt.in)
			}
		})
	}
}

func TestUnescapeForeign(t *testing.T) {
	// Text that Escape did not write: only a quote that Escape would
	// have put there goes.
	tests := []struct{ in, out string }{
		{"'plain", "'plain"},
		{"=1", "=1"},
		{"'=1", "=1"},
		{"a;'-1", "a;-1"},
		{"''", "''"},
		{"'", "'"},
		{"a'=1", "a'=1"},
		{"'\"=x", "\"=x"},
	}
	for _, tt := range tests {
		if got := Unescape(tt.in); got != tt.out {
			t.Errorf("Unescape(%q) = %q, want %q", tt.in, got, tt.out)
		}
	}
}

// formulaSegment returns a segment of s that a spreadsheet could run as a
// formula when it splits s on ',', ';', tab, CR or LF (one of them, or
// all), with or without stripping leading double quotes.
func formulaSegment(s string) (string, bool) {
	return formulaSegmentBy(s, ",", ";", "\t", "\r", "\n", ",;\t\r\n")
}

// formulaSegmentBy is formulaSegment for the given sets of separators.
func formulaSegmentBy(s string, sepSets ...string) (string, bool) {
	for _, seps := range sepSets {
		for _, seg := range splitAny(s, seps) {
			for _, v := range []string{seg, strings.TrimLeft(seg, `"`)} {
				if v != "" && strings.IndexByte("=+-@\t\r", v[0]) >= 0 {
					return seg, true
				}
			}
		}
	}
	return "", false
}

// splitAny splits s at every byte in seps, keeping empty segments.
func splitAny(s, seps string) []string {
	var out []string
	for {
		i := strings.IndexAny(s, seps)
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
}

// pieces are the building blocks of generated strings: quotes, triggers,
// separators, line breaks, unicode and plain text.
var pieces = []string{"'", "''", `"`, "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", ",", ";", " ",
	"a", "Zoë", "陳大文", "😀", "_x0041_", "_x005F_", "''=", ";=", "\t=", "1", "00123", "\u00a0", "é"}

// randomString joins up to 12 random pieces.
func randomString(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(13) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// corpus returns n generated strings, the same ones on every run.
func corpus(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, n)
	for i := range out {
		out[i] = randomString(r)
	}
	return out
}

func checkEscape(t *testing.T, s string) {
	t.Helper()
	e := Escape(s)
	if back := Unescape(e); back != s {
		t.Fatalf("Unescape(Escape(%q)) = %q (escaped %q)", s, back, e)
	}
	if seg, ok := formulaSegment(e); ok {
		t.Fatalf("Escape(%q) = %q has a segment %q that starts like a formula", s, e, seg)
	}
	if Escape(s) != e {
		t.Fatalf("Escape(%q) is not deterministic", s)
	}
}

func TestEscapeProperty(t *testing.T) {
	for _, s := range corpus(20000) {
		checkEscape(t, s)
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "'", "''=", ";=", "a\t=b", "\r\n=", `"=x"`, "陳;@", "'\t'"} {
		f.Add(s)
	}
	f.Fuzz(checkEscape)
}

var update = flag.Bool("update", false, "rewrite testdata golden files")

// TestEscapeGolden pins the escaping scheme, which other programs and
// packages undo, to testdata/escape.golden: one line per generated
// string, the input and its escape as Go string literals. Run with
// -update after a deliberate change of the scheme.
func TestEscapeGolden(t *testing.T) {
	var b strings.Builder
	for _, s := range corpus(300) {
		fmt.Fprintf(&b, "%q\t%q\n", s, Escape(s))
	}
	golden := filepath.Join("testdata", "escape.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	got := strings.Split(b.String(), "\n")
	for i, line := range strings.Split(string(want), "\n") {
		if i >= len(got) || got[i] != line {
			t.Fatalf("line %d of %s:\n got %s\nwant %s", i+1, golden, got[min(i, len(got)-1)], line)
		}
	}
	if len(got) != len(strings.Split(string(want), "\n")) {
		t.Fatalf("%d lines, %s has %d", len(got), golden, len(strings.Split(string(want), "\n")))
	}
}

// csvRecords writes the bytes encoding/csv's Writer writes (then LF
// line ends made CRLF), for fields with every character that matters.
func TestCSVRecordsAsEncodingCSV(t *testing.T) {
	parts := []string{"", "a", ",", "\"", "\r", "\n", " ", "\t", "\u3000", `\.`, "김", "=1+2", ";", "'"}
	var fields []string
	for _, a := range parts {
		for _, b := range parts {
			fields = append(fields, a+b, a+"x"+b)
		}
	}
	for n := 1; n <= 3; n++ {
		for i := 0; i+n <= len(fields); i += n {
			rec := fields[i : i+n]
			var got, want bytes.Buffer
			c := newCSVRecords(&got)
			if err := c.write(rec); err != nil {
				t.Fatal(err)
			}
			c.flush()
			w := csv.NewWriter(&want)
			w.Write(rec)
			w.Flush()
			exp := "\uFEFF" + strings.TrimSuffix(want.String(), "\n") + "\r\n"
			if got.String() != exp {
				t.Fatalf("record %q:\n got %q\nwant %q", rec, got.String(), exp)
			}
		}
	}
}
