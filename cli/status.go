package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

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
	// Download, when set, is the directory issued certificates are
	// downloaded into after the refresh (--download), in Format.
	Download, Format string
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
	cmd.Flags().StringVar(&o.Download, "download", "", "then download every issued certificate into `DIR` (see 'certbatch download')")
	cmd.Flags().StringVar(&o.Format, "format", "pem", "with --download: pem or p7b")
	return cmd
}

func runStatus(ctx context.Context, o *StatusOptions) error {
	return runStatusDownload(ctx, o, o.Download, o.Format)
}

// runStatusDownload refreshes the statuses of a results file and, when
// dir is set, downloads its issued certificates into dir.
func runStatusDownload(ctx context.Context, o *StatusOptions, dir, format string) error {
	if dir != "" {
		if format != "pem" && format != "p7b" {
			return usageErrorf("--format must be pem or p7b, not %q", format)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return usageErrorf("--download: %v", err)
		}
	}
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
	// Best effort: a submit holding the journal must not stop a refresh.
	j := openJournalForUpdates(sp, log)
	if j != nil {
		defer j.Close()
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
	var dlExit, dlErr error
	if dir != "" {
		// Rows downloaded before a run error are noted in the results too.
		dlExit, dlErr = downloadInto(ctx, o.IO.Out, conn, j, f.Records, dir, format, o.API.concurrency)
	}
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
	if dlErr != nil {
		return dlErr
	}
	if dir != "" {
		return dlExit
	}
	if o.Wait > 0 && pending > 0 {
		return &exitError{code: ExitRowsRetry, err: fmt.Errorf("%d orders are still not final after %s", pending, o.Wait)}
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
