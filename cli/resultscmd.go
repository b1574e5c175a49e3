package cli

import (
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// ResultsOptions are the flags of `certbatch results`.
type ResultsOptions struct {
	IO      IO
	State   string
	Journal string // --journal (--state is its older name)
	// Sandbox is --sandbox: the sandbox runs' journal.
	Sandbox bool
	Batch   string
	Output  string
}

func newResultsCmd(sio IO) *cobra.Command {
	o := &ResultsOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "results --batch ID -o OUT",
		Short: "Rebuild a batch's results workbook from the journal (after a crash)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runResults(o) },
	}
	addReadJournalFlags(cmd, &o.Journal, &o.State, &o.Sandbox)
	cmd.Flags().StringVar(&o.Batch, "batch", "", "batch `ID` (see `certbatch history`; default: the latest batch)")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "results `FILE` (.xlsx or .csv; default <batch>.results.xlsx)")
	return cmd
}

func runResults(o *ResultsOptions) error {
	p := o.IO.P()
	sp, err := readPath(o.Journal, o.State, o.Sandbox, o.IO)
	if err != nil {
		return err
	}
	j, err := journal.Open(string(sp), journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer j.Close()
	if o.Batch == "" {
		bs, err := j.Batches()
		if err != nil {
			return err
		}
		if len(bs) == 0 {
			return usageErrorf("the journal has no batches")
		}
		o.Batch = bs[len(bs)-1].ID
	}
	b, err := j.Batch(o.Batch)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if o.Output == "" {
		o.Output = b.ID + ".results.xlsx"
	}
	// A file there with another batch's results is kept (a rebuild of
	// the same batch replaces its earlier rebuild).
	out, kept, err := pipeline.KeepResults(p, o.Output, b.ID)
	if err != nil {
		return err
	}
	if kept != nil {
		linef(p, o.IO.Err, "certbatch: %s\n", kept.Message)
	}
	o.Output = out
	recs, err := pipeline.BatchRecords(p, j, b)
	if err != nil {
		return err
	}
	w, err := results.CreateWith(o.Output, b.Header, results.Meta{Batch: b.ID, Started: b.StartedAt, Input: b.Input, Lang: p})
	if err != nil {
		return err
	}
	defer w.Abort()
	counts := map[string]int{}
	for i := range recs {
		counts[string(recs[i].Outcome)]++
		if err := w.Write(&recs[i]); err != nil {
			return err
		}
	}
	if err := w.Commit(); err != nil {
		return err
	}
	p.Fprintf(o.IO.Out, "results: batch %s (%s, %s): %d rows: %s. Results: %s\n", b.ID, b.Status, filepath.Base(b.Input), len(recs), countText(p, counts, true), o.Output)
	return nil
}
