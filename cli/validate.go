package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// ValidateOptions are the flags and dependencies of `certbatch validate`.
type ValidateOptions struct {
	IO    IO
	Flags commonFlags
	Input string
}

func newValidateCmd(sio IO) *cobra.Command {
	o := &ValidateOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "validate INPUT",
		Short: "Dry run: map and validate every row, write the results file, send nothing",
		Long: `Dry run: reads INPUT (.csv or .xlsx), maps every row to a CertCentral order
through the product template and the config, checks every rule, and writes
the results file with each row's outcome (valid or invalid) and all of its
problems. Nothing is sent to DigiCert.

` + exitTable,
		Example: `  certbatch validate staff.xlsx --config batch.yaml
  certbatch validate staff.csv --product client_premium_sha2 --encoding cp949 -o check.csv --payloads bodies.jsonl`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Input = args[0]
			return runValidate(cmd, o)
		},
	}
	o.Flags.add(cmd)
	return cmd
}

func runValidate(cmd *cobra.Command, o *ValidateOptions) error {
	log, err := o.Flags.logger(o.IO)
	if err != nil {
		return err
	}
	src, err := o.Flags.source(o.Input)
	if err != nil {
		return err
	}
	sum, err := pipeline.Validate(cmd.Context(), pipeline.ValidateOptions{
		Source:   src,
		Output:   o.Flags.output,
		Payloads: o.Flags.payloads,
		Progress: o.Flags.progress(o.IO, log, "validating"),
		Log:      log,
	})
	if err != nil {
		return err
	}
	printSummary(o.IO.Out, "validate", sum)
	if sum.ByOutcome[results.Invalid] > 0 {
		return &exitError{code: ExitRowsBad}
	}
	return nil
}

// printSummary writes the end-of-run paragraph.
func printSummary(w io.Writer, verb string, s *pipeline.Summary) {
	for _, line := range s.Shown {
		fmt.Fprintln(w, line)
	}
	if n := s.ByOutcome[results.Invalid] + s.ByOutcome[results.Rejected]; n > len(s.Shown) && len(s.Shown) > 0 {
		fmt.Fprintf(w, "... and %d more rows with problems (see the results file)\n", n-len(s.Shown))
	}
	if len(s.Shown) > 0 {
		fmt.Fprintln(w)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d rows read", verb, s.Rows)
	for _, oc := range []string{results.Valid, results.Ordered, results.Skipped, results.Invalid, results.Rejected, results.Failed, results.Uncertain} {
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
			ocs := make([]string, 0, len(s.ByProduct[p]))
			for oc := range s.ByProduct[p] {
				ocs = append(ocs, oc)
			}
			sort.Strings(ocs)
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
