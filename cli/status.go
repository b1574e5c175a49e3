package cli

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/results"
)

func init() { extraCommands = append(extraCommands, newStatusCmd) }

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

// terminal order statuses: polling stops for them.
var terminalStatus = map[string]bool{"issued": true, "rejected": true, "canceled": true, "revoked": true, "denied": true, "expired": true}

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
	conn, err := o.API.connect(o.IO, log)
	if err != nil {
		return err
	}
	defer conn.close()
	var j *journal.Journal
	if sp := statePath(o.API.state, o.IO); fileExists(sp) {
		// Best effort: a submit holding the journal must not stop a refresh.
		if jj, err := journal.Open(sp, journal.Options{}); err == nil {
			j = jj
			defer j.Close()
		}
	}
	deadline := time.Now().Add(o.Wait)
	pending := 0
	for {
		pending, err = refresh(ctx, o, f, conn, j)
		if err != nil {
			return err
		}
		log.Info("status refreshed", "pending", pending)
		if pending == 0 || o.Wait == 0 || time.Now().Add(o.Interval).After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(o.Interval):
		}
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
	for _, r := range f.Records {
		if r.OrderID != "" {
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

// refresh fetches the status of every non-final order and returns how
// many are still not final.
func refresh(ctx context.Context, o *StatusOptions, f *results.File, conn *connection, j *journal.Journal) (int, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.API.concurrency)
	for i := range f.Records {
		r := &f.Records[i]
		if r.OrderID == "" || terminalStatus[r.OrderStatus] {
			continue
		}
		id, err := strconv.ParseInt(r.OrderID, 10, 64)
		if err != nil {
			continue
		}
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			ord, err := conn.client.GetOrder(gctx, id)
			if err != nil {
				r.Error = "status: " + err.Error()
				return nil
			}
			r.OrderStatus = ord.Status
			if ord.Certificate.ID != 0 {
				r.CertificateID = strconv.FormatInt(ord.Certificate.ID, 10)
			}
			if j != nil {
				j.UpdateStatus(id, ord.Status, ord.Certificate.ID)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	pending := 0
	for _, r := range f.Records {
		if r.OrderID != "" && !terminalStatus[r.OrderStatus] {
			pending++
		}
	}
	return pending, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
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
