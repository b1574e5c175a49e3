package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/journal"
)

// PruneOptions are the flags of `certbatch prune`.
type PruneOptions struct {
	IO      IO
	State   string
	Journal string // --journal (--state is its older name)
	// Sandbox is --sandbox: the sandbox runs' journal.
	Sandbox bool
	Before  string
}

func newPruneCmd(sio IO) *cobra.Command {
	o := &PruneOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "prune --before DATE",
		Short: "Delete the input rows the journal keeps for old batches (orders stay)",
		Long: `The journal keeps every batch's input rows so that 'certbatch results --batch'
can rebuild a results file after a crash. That is personal data: prune
deletes the rows of batches started before DATE. What was ordered for whom
(the orders table) stays, because it is what stops a person being ordered
twice, and it is the audit trail ('certbatch history').`,
		Example: "  certbatch prune --before 2026-01-01",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return runPrune(o) },
	}
	addReadJournalFlags(cmd, &o.Journal, &o.State, &o.Sandbox)
	cmd.Flags().StringVar(&o.Before, "before", "", "delete rows of batches started before `DATE` (yyyy-MM-dd, required)")
	return cmd
}

func runPrune(o *PruneOptions) error {
	p := o.IO.P()
	if o.Before == "" {
		return usageErrorf("--before DATE is required")
	}
	before, err := time.Parse("2006-01-02", o.Before)
	if err != nil {
		return usageErrorf("--before %q: want a date like 2026-01-01", o.Before)
	}
	sp, err := readPath(o.Journal, o.State, o.Sandbox, o.IO)
	if err != nil {
		return err
	}
	j, err := openExisting(sp, journal.Options{})
	if err != nil {
		return err
	}
	defer j.Close()
	n, err := j.PruneRows(before)
	if err != nil {
		return err
	}
	p.Fprintf(o.IO.Out, "prune: deleted %d input rows of batches started before %s; orders and history are kept\n", int(n), o.Before)
	return nil
}
