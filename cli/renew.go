package cli

import (
	"cmp"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
)

// RenewOptions are the flags and dependencies of `certbatch renew`.
type RenewOptions struct {
	IO     IO
	API    apiFlags
	Flags  commonFlags
	Within string
	Yes    bool
	DryRun bool
	JSON   bool
	// NoAccountCheck skips reading the account for newer orders.
	NoAccountCheck bool
	Grace          time.Duration
	Input          string // optional: renew only the people it lists
}

// DefaultRenewWithin is the renewal window without --within or
// renew_within in the config.
const DefaultRenewWithin = 30 * 24 * time.Hour

func newRenewCmd(sio IO) *cobra.Command {
	o := &RenewOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "renew [INPUT] --within 30d",
		Short: "Renew every certificate that expires within a window, once",
		Long: `Finds every order of the account whose certificate expires between today
and --within (the account's order list, through the documented
filters[valid_till] filter, checked against the expiring-orders report),
shows the plan (who, which order, its expiry, the product and validity of
the renewal) and, once confirmed (--yes when unattended), orders each renewal
once: a new order naming the order it renews in renewal_of_order_id.

A renewal's body comes from the order renewed (the person's emails, names,
organization units, organization and container) and the config's order:
constants (validity_years, payment_method, skip_approval, organization and
container when set); it carries no CSR. It is mapped and validated like an
input row and journaled like an order, so crashes, re-runs and lost answers
are as safe as with submit. An order is never renewed twice: not when the
journal renewed it, not when DigiCert says it is renewed (is_renewed), not
when the person has a newer order. INPUT (any file submit reads, mapped with
--config) restricts renewals to the people it lists. Document signing orders
are listed, not renewed: DigiCert documents renewal_of_order_id for client
certificates only.

` + exitTable(),
		Example: `  certbatch renew --config staff.yaml --within 30d
  certbatch renew staff.xlsx --config staff.yaml --yes -o renewals.xlsx   # cron, only the people in staff.xlsx`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Input = args[0]
			}
			return runRenew(cmd.Context(), o)
		},
	}
	o.Flags.add(cmd)
	o.API.add(cmd)
	addJSONFlag(cmd, &o.JSON)
	f := cmd.Flags()
	f.StringVar(&o.Within, "within", "", "renew certificates that expire within this `DURATION` from today: 30d, 6w, 720h (default: renew_within in the config, else 30d)")
	f.BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation (required without a terminal)")
	f.BoolVar(&o.DryRun, "dry-run", false, "show the plan and send nothing")
	f.BoolVar(&o.NoAccountCheck, "no-account-check", false, "do not read the account for newer orders of the people (you accept the risk of renewing someone twice)")
	f.DurationVar(&o.Grace, "grace", 30*time.Second, "after Ctrl-C or SIGTERM, how long to wait for the answers of orders already sent")
	return cmd
}

// parseWithin reads a renewal window: Nd (days), Nw (weeks), or a Go
// duration (720h); a bare number is days.
func parseWithin(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour, "": 24 * time.Hour} {
		if n, err := strconv.Atoi(strings.TrimSuffix(s, suffix)); err == nil && strings.HasSuffix(s, suffix) {
			if n < 0 || n > 3650 {
				return 0, l10n.Errorf("%q: between 0 and 3650 days", s)
			}
			return time.Duration(n) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, l10n.Errorf("%q is not a window such as 30d, 6w or 720h", s)
	}
	return d, nil
}

// within returns the renewal window: the flag, the config, or 30 days.
func within(flag string, cfg *mapping.Config) (time.Duration, error) {
	s := flag
	if s == "" && cfg != nil {
		s = cfg.RenewWithin
	}
	if s == "" {
		return DefaultRenewWithin, nil
	}
	d, err := parseWithin(s)
	if err != nil {
		return 0, usageErrorf("--within %v", err)
	}
	return d, nil
}

func runRenew(ctx context.Context, o *RenewOptions) error {
	p := o.IO.P()
	log, err := o.Flags.logger(o.IO)
	if err != nil {
		return err
	}
	src, err := o.Flags.source(p, o.Input)
	if err != nil {
		return err
	}
	win, err := within(o.Within, src.Config)
	if err != nil {
		return err
	}
	var people *pipeline.People
	if o.Input != "" {
		if err := src.Snapshot(); err != nil {
			return err
		}
		defer src.Snap.Close()
		if people, err = pipeline.ReadPeople(ctx, src); err != nil {
			return err
		}
	}
	j, jp, err := o.API.writableJournal(o.IO)
	if err != nil {
		return err
	}
	defer j.Close()
	conn, err := o.API.connect(o.IO, log, jp)
	if err != nil {
		return err
	}
	defer conn.close()
	out := o.Flags.output
	if out == "" {
		out = defaultRenewOutput(o.Input, time.Now())
	}
	ro := pipeline.RenewOptions{
		SubmitOptions: pipeline.SubmitOptions{Source: src, Output: out, Client: conn.client, Limiter: conn.limiter, Journal: j,
			Concurrency: o.API.concurrency, Log: log, Settle: settleOption(o.API.settle), NoAccountCheck: o.NoAccountCheck,
			Hurry: o.IO.Hurry, Grace: o.Grace, Sandbox: endpointKind(conn.client, o.API.sandbox) == "sandbox"},
		Config: src.Config, Within: win, Only: people, Label: cmp.Or(o.Input, "renew"),
	}
	plan, err := pipeline.PlanRenew(ctx, ro)
	if err != nil {
		return l10n.Errorf("renew: nothing was ordered: %w", err)
	}
	plan.Describe(o.IO.Err)
	describeTarget(p, o.IO.Err, conn, o.API.sandbox, nil, jp)
	n := plan.Count(pipeline.RenewIt) + plan.Count(pipeline.RenewReconcile)
	if o.DryRun {
		p.Fprintf(o.IO.Out, "renew: dry run: %s, %s; nothing was sent\n", l10n.N(n, "%d renewals to order"),
			l10n.N(len(plan.Renewals)-n, "%d orders not renewed"))
		return nil
	}
	if n > 0 {
		if err := confirm(o.IO, o.Yes, p.Sprintf("Place these %d renewals?", n)); err != nil {
			return err
		}
	}
	ro.Progress = o.Flags.progress(o.IO, log, "ordering")
	sum, err := pipeline.Renew(ctx, ro, plan)
	if sum != nil {
		if o.JSON {
			code := exitCode(ctx, err)
			if err == nil {
				code = exitCode(ctx, renewExit(sum))
			}
			printSummaryJSONCode(o.IO.Out, "renew", sum, code)
		} else {
			printSummary(p, o.IO.Out, "renew", sum)
		}
	}
	if err != nil {
		return err
	}
	return renewExit(sum)
}

// renewExit is outcomeExit for renewals: an order certbatch cannot renew
// (invalid) asks a person to act (3).
func renewExit(sum *order.Summary) error { return outcomeExit(sum) }

// defaultRenewOutput is where renew writes its results without -o:
// beside INPUT as <input>.renewals.xlsx, else renewals-YYYYMMDD.xlsx.
func defaultRenewOutput(input string, now time.Time) string {
	if input != "" {
		return strings.TrimSuffix(input, filepath.Ext(input)) + ".renewals.xlsx"
	}
	return "renewals-" + now.Format("20060102") + ".xlsx"
}
