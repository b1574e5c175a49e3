package cli

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/certbatch/certbatch/order"
)

// printSummary writes the end-of-run paragraph.
func printSummary(w io.Writer, verb string, s *order.Summary) {
	for _, line := range s.Shown {
		fmt.Fprintln(w, line)
	}
	if n := s.NeedFix() + s.ByOutcome[order.Uncertain]; n > len(s.Shown) && len(s.Shown) > 0 {
		fmt.Fprintf(w, "... and %d more rows with problems (see the results file)\n", n-len(s.Shown))
	}
	if len(s.Shown) > 0 {
		fmt.Fprintln(w)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d rows read", verb, s.Rows)
	if s.Sheet != "" {
		fmt.Fprintf(&b, " from sheet %q", s.Sheet)
	}
	for _, oc := range order.Outcomes {
		if n := s.ByOutcome[oc]; n > 0 {
			fmt.Fprintf(&b, ", %d %s", n, oc)
		}
	}
	prods := make([]string, 0, len(s.ByProduct))
	for p := range s.ByProduct {
		prods = append(prods, p)
	}
	sort.Strings(prods)
	if len(prods) > 0 {
		b.WriteString(" (")
		for i, p := range prods {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s:", p)
			ocs := make([]order.Outcome, 0, len(s.ByProduct[p]))
			for oc := range s.ByProduct[p] {
				ocs = append(ocs, oc)
			}
			slices.Sort(ocs)
			for j, oc := range ocs {
				if j > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, " %d %s", s.ByProduct[p][oc], oc)
			}
		}
		b.WriteString(")")
	}
	if s.Batch != "" {
		fmt.Fprintf(&b, "; batch %s", s.Batch)
	}
	fmt.Fprintf(&b, ". Results: %s\n", s.Output)
	io.WriteString(w, b.String())
}

// countText formats counts as "issued 3, pending 1", sorted by name.
func countText(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", cmp.Or(k, "(none)"), m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
