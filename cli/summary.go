package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
)

// printSummary writes the end-of-run paragraph.
func printSummary(p l10n.Printer, w io.Writer, verb string, s *order.Summary) {
	for _, line := range s.Mapping {
		fmt.Fprintln(w, termLine(line))
	}
	if len(s.Mapping) > 0 {
		fmt.Fprintln(w)
	}
	if s.WouldSkip > 0 {
		p.Fprintf(w, "Would be skipped, already ordered (%d):\n", s.WouldSkip)
		for _, line := range s.Skips {
			fmt.Fprintln(w, termLine(line))
		}
		if s.WouldSkip > len(s.Skips) {
			p.Fprintf(w, "  ... and %d more (see the note column of the results)\n", s.WouldSkip-len(s.Skips))
		}
		fmt.Fprintln(w)
	}
	for _, line := range s.Shown {
		fmt.Fprintln(w, termLine(line))
	}
	if n := s.NeedFix() + s.ByOutcome[order.Uncertain] + s.ByOutcome[order.Held]; n > len(s.Shown) && len(s.Shown) > 0 {
		p.Fprintf(w, "... and %d rows more with problems (see the results file)\n", n-len(s.Shown))
	}
	if len(s.Shown) > 0 {
		fmt.Fprintln(w)
	}
	line := p.Sprintf("%s: %d rows read", verb, s.Rows)
	if s.Sheet != "" {
		line = p.Sprintf("%s: %d rows read from sheet %q", verb, s.Rows, s.Sheet)
	}
	var counts []string
	for _, oc := range order.Outcomes {
		if n := s.ByOutcome[oc]; n > 0 {
			counts = append(counts, outcomeCount(p, n, oc))
		}
	}
	if len(counts) > 0 {
		line = p.Sprintf("%s, %s", line, strings.Join(counts, ", "))
	}
	prods := make([]string, 0, len(s.ByProduct))
	for p := range s.ByProduct {
		prods = append(prods, p)
	}
	sort.Strings(prods)
	if len(prods) > 0 {
		parts := make([]string, len(prods))
		for i, pr := range prods {
			ocs := make([]order.Outcome, 0, len(s.ByProduct[pr]))
			for oc := range s.ByProduct[pr] {
				ocs = append(ocs, oc)
			}
			slices.Sort(ocs)
			items := make([]string, len(ocs))
			for j, oc := range ocs {
				items[j] = outcomeCount(p, s.ByProduct[pr][oc], oc)
			}
			parts[i] = pr + ": " + strings.Join(items, ", ")
		}
		line = p.Sprintf("%s (%s)", line, strings.Join(parts, "; "))
	}
	if s.Batch != "" {
		line = p.Sprintf("%s; batch %s", line, s.Batch)
	}
	p.Fprintf(w, "%s. Results: %s\n", line, s.Output)
}

// outcomeCount says how many rows had an outcome: "2 valid".
func outcomeCount(p l10n.Printer, n int, oc order.Outcome) string {
	return p.Sprintf("%d %s (count of an outcome)", n, l10n.Term(oc))
}

// countText formats counts as "issued 3, pending 1", sorted by name:
// DigiCert's statuses as DigiCert names them; with words set, the keys
// are words of the catalog (outcomes), in p's language.
func countText(p l10n.Printer, m map[string]int, words bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		switch {
		case k == "":
			name = p.Sprintf("(none)")
		case words:
			name = p.Term(k)
		}
		parts[i] = p.Sprintf("%s %d (count of a status)", termLine(name), m[k])
	}
	if len(parts) == 0 {
		return p.Sprintf("none")
	}
	return strings.Join(parts, ", ")
}

// plural is pipeline.Plural: "1 row", "2 rows".
func plural(n int, one, many string) string { return pipeline.Plural(n, one, many) }

// isAre formats a count as the subject of "is"/"are": "1 order is",
// "2 orders are".
func isAre(n int, one, many string) string {
	if n == 1 {
		return plural(n, one, many) + " is"
	}
	return plural(n, one, many) + " are"
}

// JSONSummary is the end-of-run summary of validate and submit as --json
// prints it: one JSON object on one line of stdout, every key always
// present, so a cron job reads it with e.g. jq '.outcomes.failed'.
type JSONSummary struct {
	// Command is "validate" or "submit".
	Command string `json:"command"`
	// Rows is the number of data rows read.
	Rows int `json:"rows"`
	// Outcomes counts rows by outcome, with every outcome name present
	// (valid, ordered, skipped, held, invalid, rejected, failed, uncertain).
	Outcomes map[order.Outcome]int `json:"outcomes"`
	// ByProduct counts rows by product ID, then by outcome (only the
	// outcomes seen); rows without a product count under "(none)".
	ByProduct map[string]map[order.Outcome]int `json:"by_product"`
	// Batch is the journal batch ID (submit; "" for validate).
	Batch string `json:"batch"`
	// Output is the results file written.
	Output string `json:"output"`
	// Sheet is the worksheet read ("" for a CSV input).
	Sheet string `json:"sheet"`
	// Problems are the first problem rows, as the text summary shows
	// them; MoreProblems counts those left out (see the results file).
	Problems     []string `json:"problems"`
	MoreProblems int      `json:"more_problems"`
	// WouldSkip counts the valid rows a dry run found already ordered in
	// the journal (validate; 0 without a journal, and for submit).
	WouldSkip int `json:"would_skip"`
	// Mapping is the mapping report (validate): which input column feeds
	// which order field, which are ignored, one line each.
	Mapping []string `json:"mapping"`
	// ExitCode is the process's exit code and ExitMeaning its line of
	// the exit code table.
	ExitCode    int    `json:"exit_code"`
	ExitMeaning string `json:"exit_meaning"`
}

// summaryJSON builds the --json summary of a run that exits with code.
func summaryJSON(verb string, s *order.Summary, code int) JSONSummary {
	j := JSONSummary{
		Command: verb, Rows: s.Rows, Outcomes: map[order.Outcome]int{}, ByProduct: map[string]map[order.Outcome]int{},
		Batch: s.Batch, Output: s.Output, Sheet: s.Sheet, Problems: []string{}, WouldSkip: s.WouldSkip, Mapping: append([]string{}, s.Mapping...),
		ExitCode: code, ExitMeaning: exitMeaning(code),
	}
	for _, oc := range order.Outcomes {
		j.Outcomes[oc] = s.ByOutcome[oc]
	}
	for p, m := range s.ByProduct {
		j.ByProduct[p] = maps.Clone(m)
	}
	j.Problems = append(j.Problems, s.Shown...)
	if n := s.NeedFix() + s.ByOutcome[order.Uncertain] + s.ByOutcome[order.Held]; n > len(s.Shown) && len(s.Shown) > 0 {
		j.MoreProblems = n - len(s.Shown)
	}
	return j
}

// printSummaryJSON writes the end-of-run summary as one JSON object (see
// [JSONSummary]), with the exit code the rows call for.
func printSummaryJSON(w io.Writer, verb string, s *order.Summary) {
	printSummaryJSONCode(w, verb, s, exitCode(context.Background(), outcomeExit(s)))
}

// printSummaryJSONCode is printSummaryJSON for a run that exits with
// code whatever its rows say (an interrupted submit: 130).
func printSummaryJSONCode(w io.Writer, verb string, s *order.Summary, code int) {
	writeJSONLine(w, summaryJSON(verb, s, code))
}

// writeJSONLine writes v as one line of JSON.
func writeJSONLine(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// exitMeaning is code's line of the exit code table.
func exitMeaning(code int) string {
	for _, c := range ExitCodes {
		if c.Code == code {
			return c.Meaning
		}
	}
	return ""
}
