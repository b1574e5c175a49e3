package results

import (
	"strings"

	"github.com/certbatch/certbatch/internal/termtable"
)

// Column widths of a results workbook, in characters.
const (
	minWidth = 8
	maxWidth = 60
)

// textWidth is how many character widths the longest line of s takes on
// screen: East Asian wide and fullwidth characters count two, others one.
func textWidth(s string) int {
	longest := 0
	for l := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		longest = max(longest, termtable.Width(l))
	}
	return longest
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
