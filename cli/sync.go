package cli

import (
	"cmp"
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
)

// SyncOptions are the flags and dependencies of `certbatch sync`.
type SyncOptions struct {
	IO     IO
	Flags  commonFlags
	API    apiFlags
	Within string
	// RevokeLeavers revokes the leavers' certificates (never by
	// default), with Reason, Comment and SkipApproval as revoke's.
	RevokeLeavers bool
	Reason        string
	Comment       string
	SkipApproval  bool
	DryRun        bool
	Yes           bool
	JSON          bool
	// NoAccountCheck: only the journal says who holds an order.
	NoAccountCheck bool
	Grace          time.Duration
	Roster         string
}

// JSONGroup is one group of a sync run as --json prints it.
type JSONGroup struct {
	Count  int      `json:"count"`
	People []string `json:"people"`
}

// JSONSync is the summary `sync --json` prints: the three groups, the
// outcomes of the batch's rows, and the exit code.
type JSONSync struct {
	Command  string    `json:"command"`
	DryRun   bool      `json:"dry_run"`
	Rows     int       `json:"roster_rows"`
	Current  int       `json:"current"`
	Invalid  int       `json:"invalid"`
	Joiners  JSONGroup `json:"joiners"`
	Renewals JSONGroup `json:"renewals"`
	// Leavers counts the people no longer on the roster who hold an
	// active certificate; Revoked how many of them this run revoked or
	// asked an approver to revoke (--revoke-leavers).
	Leavers     JSONGroup             `json:"leavers"`
	Revoked     int                   `json:"leavers_revoked"`
	Outcomes    map[order.Outcome]int `json:"outcomes"`
	Batch       string                `json:"batch"`
	Output      string                `json:"output"`
	ExitCode    int                   `json:"exit_code"`
	ExitMeaning string                `json:"exit_meaning"`
}

func newSyncCmd(sio IO) *cobra.Command {
	o := &SyncOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "sync ROSTER --config C",
		Short: "The nightly roster: order joiners, renew what expires, list (or revoke) leavers",
		Long: `Takes the full current list of people (HR's export, any file submit reads)
and does in one run what a nightly cron needs:

  joiners   people on the roster new to the account are ordered (as submit
            does: the journal and the account are checked first);
  renewals  the roster's certificates that expire within the renewal window
            (--within, renew_within in the config, else 30d) are renewed
            once (as renew does);
  leavers   people who hold an active certificate (the journal and the
            account) but are no longer on the roster are listed; they are
            revoked only with --revoke-leavers (and --reason), never by
            default.

The plan shows the three groups with counts and names; --dry-run shows it
and sends nothing. Joiners and renewals are one journaled batch; the results
workbook has a row per joiner, renewal and leaver (column Group), and --json
prints the three groups.

` + exitTable(),
		Example: `  certbatch sync hr-export.xlsx --config staff.yaml --dry-run
  certbatch sync hr-export.xlsx --config staff.yaml --yes --json      # cron
  certbatch sync hr-export.xlsx --config staff.yaml --yes --revoke-leavers --reason cessationOfOperation`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Roster = args[0]
			return runSync(cmd.Context(), o)
		},
	}
	o.Flags.add(cmd)
	o.API.add(cmd)
	addJSONFlag(cmd, &o.JSON)
	f := cmd.Flags()
	f.StringVar(&o.Within, "within", "", "renewal window `DURATION`: 30d, 6w, 720h (default: renew_within in the config, else 30d)")
	f.BoolVar(&o.RevokeLeavers, "revoke-leavers", false, "revoke the leavers' certificates (needs --reason); without it they are only listed")
	f.StringVar(&o.Reason, "reason", "", "with --revoke-leavers: revocation `REASON`: "+strings.Join(certcentral.RevocationReasons, ", "))
	f.StringVar(&o.Comment, "comment", "", "with --revoke-leavers: comment kept on the revocation requests")
	f.BoolVar(&o.SkipApproval, "skip-approval", false, "with --revoke-leavers: revoke at once instead of creating requests for an approver")
	f.BoolVar(&o.DryRun, "dry-run", false, "show the three groups and send nothing")
	f.BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation (required without a terminal)")
	f.BoolVar(&o.NoAccountCheck, "no-account-check", false, "only the journal says who holds a certificate (the account is not read; joiners another admin ordered are ordered again)")
	f.DurationVar(&o.Grace, "grace", 30*time.Second, "after Ctrl-C or SIGTERM, how long to wait for the answers of orders already sent")
	return cmd
}

func runSync(ctx context.Context, o *SyncOptions) error {
	p := o.IO.P()
	if o.RevokeLeavers && !certcentral.ValidRevocationReason(o.Reason) {
		return usageErrorf("--revoke-leavers needs --reason, one of %s", strings.Join(certcentral.RevocationReasons, ", "))
	}
	log, err := o.Flags.logger(o.IO)
	if err != nil {
		return err
	}
	src, err := o.Flags.source(p, o.Roster)
	if err != nil {
		return err
	}
	win, err := within(o.Within, src.Config)
	if err != nil {
		return err
	}
	if err := src.Snapshot(); err != nil {
		return err
	}
	defer src.Snap.Close()
	if err := src.Check(); err != nil {
		return err
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
	out := cmp.Or(o.Flags.output, strings.TrimSuffix(o.Roster, filepath.Ext(o.Roster))+".sync.xlsx")
	so := pipeline.SyncOptions{RenewOptions: pipeline.RenewOptions{
		SubmitOptions: pipeline.SubmitOptions{Source: src, Output: out, Client: conn.client, Limiter: conn.limiter, Journal: j,
			Concurrency: o.API.concurrency, Log: log, Settle: settleOption(o.API.settle), NoAccountCheck: o.NoAccountCheck,
			Hurry: o.IO.Hurry, Grace: o.Grace, Sandbox: endpointKind(conn.client, o.API.sandbox) == "sandbox"},
		Config: src.Config, Within: win, Label: o.Roster,
	}}
	plan, err := pipeline.PlanSync(ctx, so)
	if err != nil {
		return l10n.Errorf("sync: nothing was sent: %w", err)
	}
	plan.Describe(o.IO.Err, o.RevokeLeavers)
	describeTarget(p, o.IO.Err, conn, o.API.sandbox, nil, jp)
	js := syncJSON(plan)
	if o.DryRun {
		js.DryRun = true
		if o.JSON {
			js.ExitMeaning = exitMeaning(0)
			writeJSONLine(o.IO.Out, js)
		} else {
			p.Fprintf(o.IO.Out, "sync: dry run: %d joiners, %d renewals, %d leavers; nothing was sent\n", js.Joiners.Count, js.Renewals.Count, js.Leavers.Count)
		}
		return nil
	}
	acting := len(plan.Joiners) + plan.Renews()
	if o.RevokeLeavers {
		acting += len(plan.Leavers)
	}
	if acting > 0 {
		if err := confirm(o.IO, o.Yes, p.Sprintf("Go ahead with the joiners, renewals and leavers above?")); err != nil {
			return err
		}
	}
	revoked, revokeExit, err := o.revokeLeavers(ctx, conn, plan, so)
	if err != nil {
		return err
	}
	so.Progress = o.Flags.progress(o.IO, log, "ordering")
	sum, err := pipeline.Sync(ctx, so, plan, revoked)
	if sum == nil {
		return err
	}
	exit := err
	if exit == nil {
		exit = cmp.Or(outcomeExit(sum), revokeExit)
	}
	js.Outcomes, js.Batch, js.Output = map[order.Outcome]int{}, sum.Batch, sum.Output
	for _, oc := range order.Outcomes {
		js.Outcomes[oc] = sum.ByOutcome[oc]
	}
	for _, what := range revoked {
		if strings.HasPrefix(what, "revoked") || strings.HasPrefix(what, "revocation requested") {
			js.Revoked++
		}
	}
	if o.JSON {
		js.ExitCode = exitCode(ctx, exit)
		js.ExitMeaning = exitMeaning(js.ExitCode)
		writeJSONLine(o.IO.Out, js)
	} else {
		printSummary(p, o.IO.Out, "sync", sum)
		p.Fprintf(o.IO.Out, "sync: %d joiners, %d renewals, %d leavers (%d revoked or requested)\n", js.Joiners.Count, js.Renewals.Count, js.Leavers.Count, js.Revoked)
	}
	return exit
}

// revokeLeavers revokes the plan's leavers when asked, journaled as
// revoke does, and says what became of each, by order ID.
func (o *SyncOptions) revokeLeavers(ctx context.Context, conn *connection, plan *pipeline.SyncPlan, so pipeline.SyncOptions) (map[int64]string, error, error) {
	p := o.IO.P()
	if !o.RevokeLeavers || len(plan.Leavers) == 0 {
		return nil, nil, nil
	}
	ro := pipeline.RevokeOptions{Lang: p, Client: conn.client, Journal: so.Journal, Concurrency: o.API.concurrency, Reason: o.Reason,
		Comment: strings.TrimSpace(o.Comment), SkipApproval: o.SkipApproval}
	rts, err := pipeline.PlanRevoke(ctx, ro, plan.Leavers)
	if err != nil {
		return nil, nil, l10n.Errorf("sync: leavers not revoked: %w", err)
	}
	if err := pipeline.RevokeOrders(ctx, ro, rts); err != nil {
		return nil, nil, l10n.Errorf("sync: revoke leavers: %w", err)
	}
	out := map[int64]string{}
	for _, t := range rts {
		switch {
		case t.Revoked, t.Action == pipeline.RevokeDone:
			out[t.OrderID] = "revoked (" + o.Reason + ")"
		case t.RequestID != 0:
			out[t.OrderID] = p.Sprintf("revocation requested (%s): request %d waits for an approver (certbatch approve)", o.Reason, t.RequestID)
		case t.Refused != "":
			out[t.OrderID] = "not revoked: " + t.Refused
		default:
			out[t.OrderID] = "not revoked: " + cmp.Or(t.Err, string(t.Action))
		}
	}
	c := pipeline.CountRevocations(rts)
	switch {
	case c.Refused+c.Failed > 0:
		return out, &exitError{code: ExitRowsBad}, nil
	case c.Retry > 0:
		return out, &exitError{code: ExitRowsRetry}, nil
	}
	return out, nil, nil
}

func syncJSON(p *pipeline.SyncPlan) JSONSync {
	js := JSONSync{Command: "sync", Rows: p.Rows, Current: p.Current, Invalid: len(p.Invalid),
		Joiners: JSONGroup{People: []string{}}, Renewals: JSONGroup{People: []string{}}, Leavers: JSONGroup{People: []string{}}}
	for _, j := range p.Joiners {
		js.Joiners.People = append(js.Joiners.People, cmp.Or(j.Email, j.Key))
	}
	for _, r := range p.Renewals.Renewals {
		if r.Decision == pipeline.RenewIt || r.Decision == pipeline.RenewReconcile {
			js.Renewals.People = append(js.Renewals.People, r.Email)
		}
	}
	for _, t := range p.Leavers {
		js.Leavers.People = append(js.Leavers.People, cmp.Or(t.Email, t.Key))
	}
	js.Joiners.Count, js.Renewals.Count, js.Leavers.Count = len(js.Joiners.People), len(js.Renewals.People), len(js.Leavers.People)
	return js
}
