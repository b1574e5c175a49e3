package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// StatusOptions are the flags and dependencies of `certbatch status`.
type StatusOptions struct {
	IO       IO
	API      apiFlags
	Output   string
	Wait     time.Duration
	Interval time.Duration
	Quiet    bool
	Results  string
}

func newStatusCmd(sio IO) *cobra.Command {
	o := &StatusOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "status RESULTS",
		Short: "Refresh order status and certificate IDs in a results file",
		Long: `Reads a results file written by submit, asks CertCentral for every ordered
row's order status (under the same rate limiter), and writes the results
again with order_status and certificate_id filled in. With --wait it polls
until every order is issued, rejected or canceled, or the time is up
(then it exits 4). The journal (--state), when it exists, is updated too.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Results = args[0]
			return runStatus(cmd.Context(), o)
		},
	}
	o.API.add(cmd)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write to `FILE` (default: replace RESULTS)")
	cmd.Flags().DurationVar(&o.Wait, "wait", 0, "poll until every order is final or this `DURATION` has passed")
	cmd.Flags().DurationVar(&o.Interval, "interval", 15*time.Second, "time between polls with --wait")
	cmd.Flags().BoolVarP(&o.Quiet, "quiet", "q", false, "no informational log lines")
	return cmd
}

func runStatus(ctx context.Context, o *StatusOptions) error {
	cf := commonFlags{quiet: o.Quiet, logFormat: "text"}
	log, _ := cf.logger(o.IO)
	f, err := results.Read(o.Results)
	if err != nil {
		return usageErrorf("%v", err)
	}
	sp, err := o.API.journalPath(o.IO)
	if err != nil {
		return err
	}
	conn, err := o.API.connect(o.IO, log, sp)
	if err != nil {
		return err
	}
	defer conn.close()
	var j *journal.Journal
	if fileExists(sp) {
		// Best effort: a submit holding the journal must not stop a refresh.
		if jj, err := journal.Open(sp, journal.Options{}); err == nil {
			j = jj
			defer j.Close()
		}
	}
	set, err := loadTemplates(nil)
	if err != nil {
		return err
	}
	rep, err := pipeline.RefreshStatus(ctx, pipeline.StatusOptions{Client: conn.client, Journal: j, Templates: set,
		Concurrency: o.API.concurrency, Wait: o.Wait, Interval: o.Interval, Log: log, Settle: settleOption(o.API.settle)}, f.Records)
	if err != nil {
		// A refused key, an unreachable endpoint or repeated 5xx: the
		// file is left as it was, and the run fails.
		return fmt.Errorf("status: nothing was refreshed, %s is unchanged: %w", o.Results, err)
	}
	pending := rep.Pending
	out := o.Output
	if out == "" {
		out = o.Results
	}
	w, err := results.Create(out, f.InputHeader)
	if err != nil {
		return err
	}
	defer w.Abort()
	counts := map[string]int{}
	for i := range f.Records {
		r := &f.Records[i]
		if r.OrderID != 0 {
			counts[r.OrderStatus]++
		}
		if err := w.Write(r); err != nil {
			return err
		}
	}
	if err := w.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "status: %d rows, orders by status: %s. Results: %s\n", len(f.Records), countText(counts), out)
	if o.Wait > 0 && pending > 0 {
		return &exitError{code: ExitRowsRetry, err: fmt.Errorf("%d orders are still not final after %s", pending, o.Wait)}
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
