package cli

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
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
	Log      logFlags
	Results  string
	// Download, when set, is the directory issued certificates are
	// downloaded into after the refresh (--download), in Format.
	Download, Format string
	// JSON prints the summary as one JSON object on stdout (--json).
	JSON bool
	// Handover is how generated keys are handed over with --download.
	Handover handoverFlags
	// Resend asks for the validation email of every order that waits for
	// its person's mailbox to be sent again (--resend).
	Resend bool
}

// JSONStatus is the summary `status --json` prints: one JSON object on
// one line of stdout.
type JSONStatus struct {
	// Command is "status".
	Command string `json:"command"`
	// Rows is the number of rows in the results file; Orders those with
	// an order ID.
	Rows   int `json:"rows"`
	Orders int `json:"orders"`
	// OrdersByStatus counts the orders by order_status ("(none)" when
	// unknown).
	OrdersByStatus map[string]int `json:"orders_by_status"`
	// NotFinal counts orders not issued, rejected or canceled yet.
	NotFinal int `json:"not_final"`
	// Output is the results file written; Download the --download
	// directory ("" without it).
	Output   string `json:"output"`
	Download string `json:"download"`
	// WaitingFor counts the orders not final by what they wait for:
	// "approver", "mailbox", "digicert", "pickup".
	WaitingFor map[string]int `json:"waiting_for"`
	// StoppedForApprover: --wait stopped early because every order
	// still waiting waits for an approver.
	StoppedForApprover bool `json:"stopped_for_approver"`
	// ExitCode is the process's exit code and ExitMeaning its line of
	// the exit code table.
	ExitCode    int    `json:"exit_code"`
	ExitMeaning string `json:"exit_meaning"`
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
(then it exits 4). While CertCentral does not answer (network, DNS,
timeouts, 5xx), --wait polls again, backing off and saying so on stderr,
until the time is up. The journal (--state), when it exists, is updated
too.

For every order still waiting it says what it waits for and who can act:
an approver (certbatch approve), the person's mailbox validation (with the
date DigiCert emailed them), the person picking up the certificate, or
DigiCert's validation. --wait stops early, with exit 4 and a message naming
certbatch approve, when everything left waits for an approver.`,
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
	o.Log.add(cmd, "no informational log lines")
	cmd.Flags().StringVar(&o.Download, "download", "", "then download every issued certificate into `DIR` (see 'certbatch download')")
	cmd.Flags().StringVar(&o.Format, "format", "pem", "with --download: pem or p7b")
	cmd.Flags().BoolVar(&o.Resend, "resend", false, "for orders waiting for their person's mailbox validation: how to send the validation email again")
	addJSONFlag(cmd, &o.JSON)
	o.Handover.add(cmd)
	return cmd
}

func runStatus(ctx context.Context, o *StatusOptions) error {
	return runStatusDownload(ctx, o, o.Download, o.Format)
}

// runStatusDownload refreshes the statuses of a results file and, when
// dir is set, downloads its issued certificates into dir.
func runStatusDownload(ctx context.Context, o *StatusOptions, dir, format string) error {
	p := o.IO.P()
	log, err := o.Log.logger(o.IO)
	if err != nil {
		return err
	}
	if dir != "" {
		if format != "pem" && format != "p7b" {
			return usageErrorf("--format must be pem or p7b, not %q", format)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return usageErrorf("--download: %v", err)
		}
	}
	f, err := results.Read(o.Results)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if !followable(f.Records) {
		// Nothing to follow: say so rather than exit 0 having done nothing
		// (a dry run's results given by mistake, or a run that ordered
		// nobody).
		return usageErrorf("%s holds no orders to follow: none of its rows has an order ID or an unanswered request (the results of a dry run, or a run that ordered nobody)", o.Results)
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
	j := openJournalForUpdates(sp, o.API.journalOptions(o.IO, sp), log)
	if j != nil {
		defer j.Close()
	}
	set, err := loadTemplates(nil)
	if err != nil {
		return err
	}
	// Generated keys are handed over with the journal that knows them.
	var ho *pipeline.Handover
	if dir != "" && j != nil {
		if ho, err = o.Handover.handover(o.IO, sp, dir); err != nil {
			return err
		}
	}
	rep, err := pipeline.RefreshStatus(ctx, pipeline.StatusOptions{Lang: p, Client: conn.client, Journal: j, Templates: set,
		Concurrency: o.API.concurrency, Wait: o.Wait, Interval: o.Interval, Log: log, Settle: settleOption(o.API.settle),
		StopForApprover: true}, f.Records)
	if err != nil {
		// A refused key, or CertCentral unreachable (with --wait: still
		// at the deadline): the file is left as it was, and the run fails
		// (exit 2, or 4: run again later).
		return l10n.Errorf("status: %s is unchanged: %w", o.Results, err)
	}
	pending := rep.Pending
	// What each order still waiting waits for, and who can act.
	waits, _, err := pipeline.WaitsFor(ctx, conn.client, set, f.Records, o.API.concurrency)
	if err != nil {
		log.Warn("what the waiting orders wait for could not be read", "error", err)
	}
	lines := o.IO.Out
	if o.JSON {
		lines = o.IO.Err
	}
	waitingFor := describeWaits(p, lines, o.Results, f.Records, waits, o.Resend)
	var dlExit, dlErr error
	if dir != "" {
		// Rows downloaded before a run error are noted in the results too.
		// With --json, stdout is the one object: the lines go to stderr.
		lines := o.IO.Out
		if o.JSON {
			lines = o.IO.Err
		}
		dlExit, dlErr = downloadInto(ctx, p, lines, conn, j, f.Records, dir, format, o.API.concurrency, ho)
	}
	out := o.Output
	if out == "" {
		out = o.Results
	} else if abs, _ := filepath.Abs(out); abs != mustAbs(o.Results) {
		// -o elsewhere: a file there with another batch's results is kept.
		var kept *pipeline.Kept
		if out, kept, err = pipeline.KeepResults(p, out, f.Meta.Batch); err != nil {
			return err
		}
		if kept != nil {
			linef(p, o.IO.Err, "certbatch: %s\n", kept.Message)
		}
	}
	counts := map[string]int{}
	orders := 0
	for i := range f.Records {
		if r := &f.Records[i]; r.OrderID != 0 {
			counts[r.OrderStatus]++
			orders++
		}
	}
	f.Meta.Lang = p // the file is written again in the run's language
	if err := f.Rewrite(out); err != nil {
		return err
	}
	exit := statusExit(dir, pending, o.Wait, dlExit, dlErr)
	if rep.ApproverOnly && dlErr == nil {
		exit = &exitError{code: ExitRowsRetry, err: l10n.Errorf("stopped waiting: %d orders wait for an approver, nothing changes until someone approves: run certbatch approve %s",
			pending, o.Results)}
	}
	if o.JSON {
		js := JSONStatus{Command: "status", Rows: len(f.Records), Orders: orders, OrdersByStatus: map[string]int{},
			NotFinal: pending, Output: out, Download: dir, ExitCode: exitCode(ctx, exit), WaitingFor: waitingFor,
			StoppedForApprover: rep.ApproverOnly}
		for k, n := range counts {
			js.OrdersByStatus[cmp.Or(k, "(none)")] += n
		}
		js.ExitMeaning = exitMeaning(js.ExitCode)
		writeJSONLine(o.IO.Out, js)
	} else {
		p.Fprintf(o.IO.Out, "status: %d rows, orders by status: %s. Results: %s\n", len(f.Records), countText(p, counts, false), out)
	}
	return exit
}

// statusExit is the error a status run ends with: a download's, else
// exit 4 when --wait ran out with orders not final.
func statusExit(dir string, pending int, wait time.Duration, dlExit, dlErr error) error {
	switch {
	case dlErr != nil:
		return dlErr
	case dir != "":
		return dlExit
	case wait > 0 && pending > 0:
		return &exitError{code: ExitRowsRetry, err: l10n.Errorf("%d orders are still not final after %s", pending, wait)}
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// mustAbs is filepath.Abs, or p itself when it cannot be made absolute.
func mustAbs(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// followable reports whether status has anything to follow in recs: an
// order, or a row whose request got no answer (reconciled first).
func followable(recs []order.Result) bool {
	for i := range recs {
		if recs[i].OrderID != 0 || recs[i].Outcome == order.Uncertain {
			return true
		}
	}
	return false
}
