package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// RevokeOptions are the flags and dependencies of `certbatch revoke`.
type RevokeOptions struct {
	IO      IO
	API     apiFlags
	People  personFlags
	Flags   commonFlags // --config, --sheet, --encoding for --leavers
	Results string
	Leavers string
	Reason  string
	Comment string
	// SkipApproval revokes at once instead of creating requests for an
	// approver (needs an admin key).
	SkipApproval bool
	Yes          bool
}

func newRevokeCmd(sio IO) *cobra.Command {
	o := &RevokeOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "revoke RESULTS | --batch ID | --email EMAIL | --leavers FILE  --reason REASON",
		Short: "Revoke the certificates of people (leavers), with a documented reason",
		Long: `Revokes every certificate of the orders of a results file, a batch (--batch
ID), named people (--email, --key: the journal's orders and the account's)
or the people of a leavers file (--leavers FILE: any file submit reads,
mapped with --config), narrowed with --email/--key/--row. The whole order is
revoked (PUT /order/certificate/{id}/revoke: every certificate of the order,
duplicates and reissues included), so a leaver keeps none.

--reason is one of DigiCert's revocation reasons: ` + strings.Join(certcentral.RevocationReasons, ", ") + `.
DigiCert uses it for TLS certificates only and ignores it for client and
document signing certificates, so it also leads the comment kept on the
revocation request. Without --skip-approval DigiCert creates a revocation
request that an administrator approves (certbatch approve); with it (a key
with admin privileges) the certificate is revoked at once. Revoking cannot
be undone.

The plan names each person and certificate. A certificate whose holder
neither the journal nor DigiCert's order info confirms as the row's person is
never revoked. On a terminal the confirmation is typed ("revoke 3"); --yes
confirms without a terminal. Each revocation is journaled before it is sent:
a run that stopped is run again, and one DigiCert already has is not sent
twice.

Exit status: 0 every certificate is revoked or awaits an approver; 3 a row was
refused (holder not confirmed) or DigiCert refused a revocation; 4 a
revocation did not get through (run again); 2 usage, key refused, journal
locked.`,
		Example: `  certbatch revoke --email ann.lee@corp.example.net --reason cessationOfOperation --comment "left 2026-11-30"
  certbatch revoke --leavers leavers.xlsx --config staff.yaml --reason affiliationChanged --yes
  certbatch revoke staff.results.xlsx --row 7 --reason keyCompromise --skip-approval`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Results = args[0]
			}
			return runRevoke(cmd.Context(), o)
		},
	}
	o.API.add(cmd)
	o.People.add(cmd, "revoke")
	f := cmd.Flags()
	f.StringVar(&o.Leavers, "leavers", "", "revoke the certificates of the people of `FILE` (CSV or .xlsx, mapped with --config)")
	f.StringVar(&o.Flags.config, "config", "", "with --leavers: batch configuration `FILE` that maps its columns")
	f.StringVar(&o.Flags.sheet, "sheet", "", "with --leavers: worksheet `NAME`")
	f.StringVar(&o.Flags.encoding, "encoding", "", "with --leavers: CSV `ENCODING`")
	f.StringVar(&o.Reason, "reason", "", "revocation `REASON` (required): "+strings.Join(certcentral.RevocationReasons, ", "))
	f.StringVar(&o.Comment, "comment", "", "comment kept on the revocation request, for the approver")
	f.BoolVar(&o.SkipApproval, "skip-approval", false, "revoke at once instead of creating requests for an approver (the API key needs admin privileges)")
	f.BoolVarP(&o.Yes, "yes", "y", false, "do not ask for the typed confirmation (required without a terminal)")
	o.Flags.logFlags.add(cmd, "no informational log lines")
	cmd.RegisterFlagCompletionFunc("reason", cobra.FixedCompletions(certcentral.RevocationReasons, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runRevoke(ctx context.Context, o *RevokeOptions) error {
	p := o.IO.P()
	if !certcentral.ValidRevocationReason(o.Reason) {
		return usageErrorf("--reason must be one of %s (DigiCert's revocation reasons)", strings.Join(certcentral.RevocationReasons, ", "))
	}
	if o.Leavers != "" && (o.Results != "" || o.People.Batch != "") {
		return usageErrorf("name --leavers FILE, --batch ID or a RESULTS file, not several")
	}
	if o.Leavers == "" {
		if err := o.People.source(o.Results, true); err != nil {
			return err
		}
	}
	log, err := o.Flags.logger(o.IO)
	if err != nil {
		return err
	}
	var file *results.File
	if o.Results != "" {
		if file, err = results.Read(o.Results); err != nil {
			return usageErrorf("%v", err)
		}
	}
	var leavers *pipeline.People
	if o.Leavers != "" {
		src, err := o.Flags.source(p, o.Leavers)
		if err != nil {
			return err
		}
		if err := src.Snapshot(); err != nil {
			return err
		}
		defer src.Snap.Close()
		if leavers, err = pipeline.ReadPeople(ctx, src); err != nil {
			return err
		}
	}
	j, sp, err := o.API.writableJournal(o.IO)
	if err != nil {
		return err
	}
	defer j.Close()
	conn, err := o.API.connect(o.IO, log, sp)
	if err != nil {
		return err
	}
	defer conn.close()
	targets, label, err := o.revokeTargets(ctx, conn, j, file, leavers)
	if err != nil {
		return l10n.Errorf("revoke: nothing was revoked: %w", err)
	}
	if len(targets) == 0 {
		p.Fprintf(o.IO.Out, "revoke: %s: no certificates: nothing to revoke\n", label)
		return nil
	}
	// Whose certificate it is, confirmed, before anything else.
	if err := pipeline.ReadHolders(ctx, p, conn.client, j, o.API.concurrency, pipeline.RequireMatch, targets); err != nil {
		return l10n.Errorf("revoke: nothing was revoked: %w", err)
	}
	ro := pipeline.RevokeOptions{Lang: p, Client: conn.client, Journal: j, Concurrency: o.API.concurrency, Reason: o.Reason,
		Comment: strings.TrimSpace(o.Comment), SkipApproval: o.SkipApproval}
	plan, err := pipeline.PlanRevoke(ctx, ro, targets)
	if err != nil {
		return l10n.Errorf("revoke: nothing was revoked: %w", err)
	}
	n := describeRevoke(p, o.IO.Err, label, o.Reason, o.SkipApproval, conn, o.API.sandbox, plan)
	if n > 0 {
		if err := confirmTyped(o.IO, o.Yes, p.Sprintf("Revoking cannot be undone. Type \"revoke %d\" to revoke these certificates:", n), fmt.Sprintf("revoke %d", n)); err != nil {
			return err
		}
		if err := pipeline.RevokeOrders(ctx, ro, plan); err != nil {
			return l10n.Errorf("revoke: %w", err)
		}
	}
	return revokeReport(p, o.IO.Out, label, plan)
}

// revokeTargets is the orders revoke acts on: the leavers' current
// orders, the named people's (journal and account), or a batch's or
// results file's.
func (o *RevokeOptions) revokeTargets(ctx context.Context, conn *connection, j *journal.Journal, file *results.File, leavers *pipeline.People) ([]pipeline.Target, string, error) {
	set, err := loadTemplates(nil)
	if err != nil {
		return nil, "", err
	}
	if leavers == nil && (o.Results != "" || o.People.Batch != "") {
		sel, err := o.People.selectTargets(j, file, o.Results, true)
		if err != nil {
			return nil, "", err
		}
		return sel.Targets, sel.Label, nil
	}
	// People: every current order the journal or the account holds for
	// them.
	all, _, err := pipeline.Holdings(ctx, conn.client, j, set, o.API.concurrency, true)
	if err != nil {
		return nil, "", err
	}
	label := o.Leavers
	if leavers == nil {
		leavers = &pipeline.People{}
		label = strings.Join(append(slices.Clone(o.People.Emails), o.People.Keys...), ", ")
	}
	var out []pipeline.Target
	for _, t := range all {
		if leavers.Has(t.Email, t.Key) || peopleNamed(&o.People, t) {
			out = append(out, t)
		}
	}
	return out, label, nil
}

// peopleNamed reports whether --email or --key names the target's person.
func peopleNamed(p *personFlags, t pipeline.Target) bool {
	for _, e := range p.Emails {
		if t.Email != "" && order.NormalizeEmail(e) == t.Email {
			return true
		}
	}
	for _, k := range p.Keys {
		if t.Key != "" && order.NormalizeKey(k) == order.NormalizeKey(t.Key) {
			return true
		}
	}
	return false
}

// revokeGroups are the groups of a revocation plan, in the order
// describeRevoke lists them, with their titles (words of the catalog).
var revokeGroups = []struct {
	a     pipeline.RevokeAction
	title string
}{
	{pipeline.RevokeIt, "will revoke"}, {pipeline.RevokeRequested, "revocation requested already, waiting for an approver"},
	{pipeline.RevokeDone, "revoked already"}, {pipeline.RevokeNotIssued, "not issued (nothing to revoke; cancel the order instead)"},
	{pipeline.RevokeRefused, "REFUSED: not revoked"},
}

// describeRevoke prints the plan, naming each person and certificate,
// and returns how many orders it revokes.
func describeRevoke(p l10n.Printer, w io.Writer, label, reason string, skip bool, conn *connection, sandboxFlag bool, plan []pipeline.RevokeTarget) int {
	kind := p.Term(endpointKind(conn.client, sandboxFlag))
	if skip {
		p.Fprintf(w, "revoke: %s: %d orders at %s (%s); reason %s; revoked at once (--skip-approval)\n", label, len(plan), conn.client.BaseURL(), kind, reason)
	} else {
		p.Fprintf(w, "revoke: %s: %d orders at %s (%s); reason %s; revocation requests for an approver (certbatch approve)\n", label, len(plan), conn.client.BaseURL(), kind, reason)
	}
	line := func(t pipeline.RevokeTarget) string {
		if t.Order != nil && t.Order.Certificate.ValidTill != "" {
			return p.Sprintf("    %-36s order %-10d certificate %-10s %s, valid till %s", t.Name(), t.OrderID, order.ID(t.CertificateID), t.Product, t.Order.Certificate.ValidTill)
		}
		return p.Sprintf("    %-36s order %-10d certificate %-10s %s", t.Name(), t.OrderID, order.ID(t.CertificateID), t.Product)
	}
	n := 0
	for _, g := range revokeGroups {
		var l []pipeline.RevokeTarget
		for _, t := range plan {
			if t.Action == g.a {
				l = append(l, t)
			}
		}
		if len(l) == 0 {
			continue
		}
		if g.a == pipeline.RevokeIt {
			n = len(l)
		}
		p.Fprintf(w, "  %s (%d):\n", l10n.Term(g.title), len(l))
		for _, t := range l {
			s := line(t)
			switch {
			case g.a == pipeline.RevokeRefused && t.Refused != "":
				s += ": " + t.Refused
			case g.a == pipeline.RevokeRefused:
				s += ": " + t.Error
			case g.a == pipeline.RevokeNotIssued:
				s += ": " + t.Order.Status
			}
			fmt.Fprintln(w, s)
		}
	}
	return n
}

// confirmTyped asks for a typed confirmation on a terminal unless yes;
// without a terminal it refuses with errNotConfirmed.
func confirmTyped(sio IO, yes bool, question, want string) error {
	if yes {
		return nil
	}
	if !sio.InTTY {
		return l10n.Errorf("%w: no terminal to confirm on; pass --yes to go ahead without asking", errNotConfirmed)
	}
	fmt.Fprintf(sio.Err, "%s ", question)
	line, _ := bufio.NewReader(sio.In).ReadString('\n')
	if strings.TrimSpace(line) != want {
		return errNotConfirmed
	}
	return nil
}

// revokeReport prints what happened and returns the exit error.
func revokeReport(p l10n.Printer, w io.Writer, label string, plan []pipeline.RevokeTarget) error {
	for _, t := range plan {
		if t.Action == pipeline.RevokeIt && !t.Revoked && t.RequestID == 0 {
			p.Fprintf(w, "%s: order %d: not revoked: %s\n", t.Name(), t.OrderID, t.Err)
		}
	}
	c := pipeline.CountRevocations(plan)
	p.Fprintf(w, "revoke: %s: %d revoked, %d waiting for an approver, %d revoked already, %d not issued, %d refused (holder not confirmed), %d refused by DigiCert, %d to retry\n",
		label, c.Revoked, c.Requested, c.Already, c.NotIssued, c.Refused, c.Failed, c.Retry)
	switch {
	case c.Refused+c.Failed > 0:
		return &exitError{code: ExitRowsBad}
	case c.Retry > 0:
		return &exitError{code: ExitRowsRetry}
	}
	return nil
}
