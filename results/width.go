package results

import (
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Column widths of a results workbook, in characters.
const (
	minWidth = 8
	maxWidth = 60
)

// textWidth is how many character widths the longest line of s takes on
// screen: East Asian wide and fullwidth characters count two, others one.
func textWidth(s string) int {
	longest, n := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == '\n' || c == '\r' {
				longest, n = max(longest, n), 0
				continue
			}
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
	return max(longest, n)
}

// widths tracks the widest value seen in each column.
type widths []int

// see notes a value of column i. A value never takes more widths than it
// has bytes, so values no longer than the widest seen are not measured.
func (w widths) see(i int, s string) {
	if len(s) > w[i] && w[i] < maxWidth {
		w[i] = max(w[i], textWidth(s))
	}
}

// header notes a header cell: bold, and with a filter button beside it.
func (w widths) header(i int, s string) { w[i] = max(w[i], textWidth(s)+3) }

// column returns column i's width, with a little padding, bounded to
// minWidth..maxWidth.
func (w widths) column(i int) float64 { return float64(min(max(w[i]+2, minWidth), maxWidth)) }
