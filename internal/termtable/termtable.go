// Package termtable aligns tab-separated text into columns for a
// terminal, as text/tabwriter does, but by the width a character takes
// on screen: Korean, Chinese and Japanese characters (East Asian wide
// and fullwidth) take two columns, so a table of Korean names lines up.
// text/tabwriter counts one column per rune, which misaligns them; no
// well-kept library does both tab cells and display width, so this is
// small and by hand (golang.org/x/text/width gives the widths).
package termtable

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Gap is the number of spaces between two columns.
const Gap = 2

// Writer buffers lines of tab-separated cells and, on Flush, writes
// them with every cell but the last of each line padded to its column's
// widest cell. The last cell of a line neither is padded nor widens its
// column (as with text/tabwriter), so a line without tabs is written as
// it is.
type Writer struct {
	w   io.Writer
	buf bytes.Buffer
}

// New returns a Writer that writes the aligned table to w on Flush.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// Write buffers p; it never fails.
func (t *Writer) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the buffered lines aligned and empties the buffer.
func (t *Writer) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	if text == "" {
		return nil
	}
	end := strings.HasSuffix(text, "\n")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	cells := make([][]string, len(lines))
	var widths []int
	for i, l := range lines {
		cells[i] = strings.Split(l, "\t")
		for j, c := range cells[i][:len(cells[i])-1] {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], Width(c))
		}
	}
	var b strings.Builder
	for i, row := range cells {
		for j, c := range row {
			b.WriteString(c)
			if j < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-Width(c)+Gap))
			}
		}
		if i < len(cells)-1 || end {
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// Width is how many columns s takes on screen: East Asian wide and
// fullwidth characters two, every other character one.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// Pad returns s followed by the spaces that make it n columns wide on
// screen (s itself when it is as wide already).
func Pad(s string, n int) string { return s + strings.Repeat(" ", max(0, n-Width(s))) }
