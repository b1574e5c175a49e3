package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
)

// SubmitOptions are the flags and dependencies of `certbatch submit`.
type SubmitOptions struct {
	IO    IO
	Flags commonFlags
	API   apiFlags
	Yes   bool
	Force bool
	// NoAccountCheck turns off the account check for people new to
	// the journal.
	NoAccountCheck bool
	// JSON prints the end-of-run summary as one JSON object on stdout.
	JSON bool
	// Grace bounds how long orders already sent may take to answer once
	// the run is stopped (Ctrl-C, SIGTERM); a second signal ends it.
	Grace time.Duration
	// Keys says where generated keys are encrypted to (--key-recipient).
	Keys recipientFlags
	// ShowPlan lists every row of the plan by name, however many
	// (--show-plan); without it a plan of more than 25 rows lists the
	// first of each kind and counts the rest.
	ShowPlan bool
	Input    string
}

func newSubmitCmd(sio IO) *cobra.Command {
	o := &SubmitOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "submit INPUT",
		Short: "Validate, then order a certificate for every valid row (costs money)",
		Long: `Validates INPUT like 'validate', shows what it will buy and asks for
confirmation (--yes for unattended runs), then orders every valid row
concurrently under DigiCert's rate limits. Every order is journaled before
it is sent, so a person is never ordered twice: rows already ordered are
skipped, and rows whose answer never arrived are checked at DigiCert first.

The API key comes from $DIGICERT_API_KEY or --api-key-file, never a flag.

` + exitTable(),
		Example: `  export DIGICERT_API_KEY=...   # or --api-key-file key.txt
  certbatch submit staff.xlsx --config batch.yaml
  certbatch submit staff.csv --config batch.yaml --yes -o results.xlsx   # cron
  certbatch submit samples/client.csv --config samples/client.yaml --sandbox --yes   # rehearsal`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Input = args[0]
			return runSubmit(cmd.Context(), o)
		},
	}
	o.Flags.add(cmd)
	o.API.add(cmd)
	addJSONFlag(cmd, &o.JSON)
	o.Keys.add(cmd)
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation (required without a terminal)")
	cmd.Flags().BoolVar(&o.Force, "force", false, "order again for people who already have an order (in the journal or at DigiCert)")
	cmd.Flags().DurationVar(&o.Grace, "grace", 30*time.Second, "after Ctrl-C, SIGTERM or SIGHUP, how long to wait for the answers of orders already sent (a second signal stops waiting)")
	cmd.Flags().BoolVar(&o.ShowPlan, "show-plan", false, "list every row of the plan by name before asking (a plan of more than 25 rows otherwise lists the first 10 of each kind)")
	cmd.Flags().BoolVar(&o.NoAccountCheck, "no-account-check", false, "do not ask DigiCert whether people new to the journal already have an order (saves requests; you accept the risk of ordering twice)")
	return cmd
}

func runSubmit(ctx context.Context, o *SubmitOptions) error {
	p := o.IO.P()
	log, err := o.Flags.logger(o.IO)
	if err != nil {
		return err
	}
	src, err := o.Flags.source(p, o.Input)
	if err != nil {
		return err
	}
	o.Flags.hintDeprecated(o.IO, log, &src)
	// Read once: the plan confirmed is what is sent.
	if err := src.Snapshot(); err != nil {
		return err
	}
	defer src.Snap.Close()
	if err := src.Check(); err != nil {
		return err
	}
	if err := o.API.needKey(o.IO); err != nil {
		return err
	}
	jp, err := o.API.journalPath(o.IO)
	if err != nil {
		return err
	}
	out, err := o.Flags.resultsPath(o.IO, &src, string(jp))
	if err != nil {
		return err
	}
	j, err := openWriter(jp, o.API.journalOptions(o.IO, jp))
	if err != nil {
		return err
	}
	defer j.Close()
	if j.Created() {
		p.Fprintf(o.IO.Err, "certbatch: new journal %s: no earlier orders are known to it\n", jp)
	}
	vault, err := o.Keys.vault(o.IO, jp, func(s string) { fmt.Fprintln(o.IO.Err, s) })
	if err != nil {
		return err
	}
	conn, err := o.API.connect(o.IO, log, jp)
	if err != nil {
		return err
	}
	defer conn.close()
	so := pipeline.SubmitOptions{Keys: vault,
		Source: src, Output: out, Payloads: o.Flags.payloads,
		Client: conn.client, Limiter: conn.limiter, Journal: j,
		Concurrency: o.API.concurrency, Force: o.Force, Log: log, Settle: settleOption(o.API.settle),
		NoAccountCheck: o.NoAccountCheck, Hurry: o.IO.Hurry, Grace: o.Grace, Sandbox: endpointKind(conn.client, o.API.sandbox) == "sandbox",
	}
	plan, err := pipeline.PlanSubmit(ctx, so)
	if err != nil {
		return err
	}
	defer func() { plan.Close() }()
	acct, plan, err := submitPreflight(ctx, o, conn, &so, plan, log)
	if err != nil {
		return err
	}
	// Who, by name, before the counts and the question. Names and
	// reasons come from the file, the journal and the server: nothing
	// of theirs reaches the terminal raw.
	if err := plan.DescribePeople(safeWriter{o.IO.Err}, o.ShowPlan); err != nil {
		return err
	}
	for _, n := range plan.Notices {
		linef(p, o.IO.Err, "WARNING: %s\n", n)
	}
	plan.Describe(safeWriter{o.IO.Err})
	describeTarget(p, o.IO.Err, conn, o.API.sandbox, acct, jp)
	linef(p, o.IO.Err, "Results: %s\n", out)
	if plan.NewOrders() > 0 && !o.Yes {
		if !o.IO.InTTY {
			return l10n.Errorf("%w: no terminal to confirm on; pass --yes to order without asking", errNotConfirmed)
		}
		p.Fprintf(o.IO.Err, "Place these orders? Type yes to continue: ")
		flushLine(o.IO.Err)
		line, _ := bufio.NewReader(o.IO.In).ReadString('\n')
		if strings.ToLower(strings.TrimSpace(line)) != "yes" {
			return errNotConfirmed
		}
	}
	so.Progress = o.Flags.progress(o.IO, log, "ordering")
	start := time.Now()
	sum, err := pipeline.Submit(ctx, so, plan)
	if sum != nil {
		if o.JSON {
			code := exitCode(ctx, err)
			if err == nil {
				code = exitCode(ctx, outcomeExit(sum))
			}
			printSummaryJSONCode(o.IO.Out, "submit", sum, code)
		} else {
			printSummary(p, o.IO.Out, "submit", sum)
		}
		if n := sum.ByOutcome[order.Ordered]; n > 0 {
			log.Info("submission finished", "ordered", n, "elapsed", time.Since(start).Round(time.Millisecond).String(),
				"orders_per_s", fmt.Sprintf("%.2f", float64(n)/time.Since(start).Seconds()))
		}
	}
	if err != nil {
		return err
	}
	return outcomeExit(sum)
}
