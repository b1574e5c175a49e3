package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/spf13/cobra"
)

// ReconcileOptions are the flags and dependencies of `certbatch reconcile`.
type ReconcileOptions struct {
	IO    IO
	API   apiFlags
	Quiet bool
}

func newReconcileCmd(sio IO) *cobra.Command {
	o := &ReconcileOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Resolve every journal entry whose order request got no answer",
		Long: `For every journal entry whose request was sent but never answered (a
timeout, a dropped connection, a 5xx, a killed run), walks CertCentral's
order list newest first back past the request and confirms each order of
the same product with its order info (product and email): exactly one: it
is adopted as the person's order; none: the entry is closed and the next
submit orders the person; several, or orders whose owner DigiCert does not
name: the entry stays uncertain and the order IDs are listed for a person
to decide.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runReconcile(cmd.Context(), o) },
	}
	o.API.add(cmd)
	cmd.Flags().BoolVarP(&o.Quiet, "quiet", "q", false, "no informational log lines")
	return cmd
}

func runReconcile(ctx context.Context, o *ReconcileOptions) error {
	cf := commonFlags{quiet: o.Quiet, logFormat: "text"}
	log, _ := cf.logger(o.IO)
	if !o.API.sandbox {
		if _, err := apiKey(o.API.apiKeyFile, o.IO); err != nil {
			return err
		}
	}
	sp, err := o.API.journalPath(o.IO)
	if err != nil {
		return err
	}
	if !fileExists(sp) {
		return usageErrorf("no journal at %s (pass --state or set CERTBATCH_STATE)", sp)
	}
	j, err := journal.Open(sp, journal.Options{})
	if err != nil {
		return err
	}
	defer j.Close()
	entries, err := j.Unresolved()
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintln(o.IO.Out, "reconcile: nothing to do: every request in the journal has an answer")
		return nil
	}
	conn, err := o.API.connect(o.IO, log, sp)
	if err != nil {
		return err
	}
	defer conn.close()
	set, err := loadTemplates(nil)
	if err != nil {
		return err
	}
	finder := pipeline.NewOrderFinder(conn.client, set, j)
	left := 0
	for i := range entries {
		e := &entries[i]
		who := fmt.Sprintf("%s %s (batch %s row %d)", e.Product, e.Email, e.Batch, e.Row)
		res, err := pipeline.Reconcile(ctx, finder, j, e, time.Now(), o.API.settle)
		var jerr *pipeline.JournalError
		switch {
		case errors.As(err, &jerr):
			return err
		case err != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			left++
			fmt.Fprintf(o.IO.Out, "%s: still uncertain: %v\n", who, err)
		case res.State == journal.StateFailed:
			fmt.Fprintf(o.IO.Out, "%s: no order at DigiCert: the next submit orders it\n", who)
		case res.State == journal.StateOrdered:
			fmt.Fprintf(o.IO.Out, "%s: adopted order %d\n", who, res.OrderID)
		default:
			left++
			fmt.Fprintf(o.IO.Out, "%s: %s: decide by hand\n", who, res.Error)
		}
	}
	if left > 0 {
		return &exitError{code: ExitRowsRetry, err: fmt.Errorf("%d entries are still uncertain", left)}
	}
	return nil
}
