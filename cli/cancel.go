package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// CancelOptions are the flags and dependencies of `certbatch cancel`.
type CancelOptions struct {
	IO      IO
	API     apiFlags
	People  personFlags
	Results string
	Output  string
	Note    string
	Yes     bool
	Log     logFlags
}

func newCancelCmd(sio IO) *cobra.Command {
	o := &CancelOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "cancel --batch ID | cancel RESULTS | cancel --email EMAIL",
		Short: "Cancel the orders of a mistaken batch that are not issued yet",
		Long: `Reads the current status of every order placed by a batch (--batch ID, from
the journal) or a results file (RESULTS: its ordered rows), shows what it
will undo and what it cannot (issued orders: they need a revocation, and
the command to revoke each is printed; certbatch does not revoke), asks for
confirmation (--yes when unattended), then undoes each the way DigiCert
documents: an order pending or waiting_pickup is canceled (PUT
/order/certificate/{id}/status), an order awaiting approval
(needs_approval) has its request rejected (PUT /request/{id}/status) and is
then rejected. Each is recorded in the journal: a later submit orders a
canceled or rejected person again without --force. --note is passed to
DigiCert (the cancel's note, the rejection's comment). Doing it twice is
harmless. With RESULTS the file is written again with the new statuses.

--email, --key and --row act on exactly those people (without a batch or
RESULTS, on the journal's orders of those people). Every order's holder is
checked against the journal and DigiCert's order info first: a row whose
order belongs to someone else (a hand-edited results file) is refused.

Exit status: 0 every order that could be canceled is; 3 some orders are
issued (revoke them) or DigiCert refused a cancel; 4 some cancels did not
get through (run again); 2 usage, key refused, journal locked.`,
		Example: `  certbatch cancel --batch 20261123T073310Z-3f9a --note "wrong product"
  certbatch cancel staff.results.xlsx --yes`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Results = args[0]
			}
			return runCancel(cmd.Context(), o)
		},
	}
	o.API.add(cmd)
	o.People.add(cmd, "cancel")
	f := cmd.Flags()
	f.StringVarP(&o.Output, "output", "o", "", "with RESULTS: write to `FILE` (default: replace RESULTS)")
	f.StringVar(&o.Note, "note", "", "reason passed to DigiCert with every cancel (default: \"canceled with certbatch\")")
	f.BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation (required without a terminal)")
	o.Log.add(cmd, "no informational log lines")
	return cmd
}

func runCancel(ctx context.Context, o *CancelOptions) error {
	p := o.IO.P()
	if err := o.People.source(o.Results, true); err != nil {
		return err
	}
	log, err := o.Log.logger(o.IO)
	if err != nil {
		return err
	}
	sp, err := o.API.journalPath(o.IO)
	if err != nil {
		return err
	}
	var (
		j    *journal.Journal
		file *results.File
	)
	if o.Results == "" || sp.exists() {
		if j, err = journal.Open(string(sp), o.API.journalOptions(o.IO, sp)); err != nil {
			return err
		}
		defer j.Close()
	}
	if o.Results != "" {
		if file, err = results.Read(o.Results); err != nil {
			return usageErrorf("%v", err)
		}
	}
	sel, err := o.People.selectTargets(j, file, o.Results, false)
	if err != nil {
		return err
	}
	label := sel.Label
	if sel.Skipped > 0 {
		p.Fprintf(o.IO.Err, "%d rows name orders placed by earlier batches (skipped): not canceled; cancel those batches to undo them\n", sel.Skipped)
	}
	var conn *connection
	var refused int
	var targets []pipeline.CancelTarget
	if len(sel.Targets) > 0 {
		if conn, err = o.API.connect(o.IO, log, sp); err != nil {
			return err
		}
		defer conn.close()
		// Whose order it is, before anything is decided about it.
		if err := pipeline.ReadHolders(ctx, p, conn.client, j, o.API.concurrency, pipeline.RefuseMismatch, sel.Targets); err != nil {
			return l10n.Errorf("cancel: nothing was canceled: %w", err)
		}
		var ok []pipeline.Target
		ok, refused = refusedLines(p, o.IO.Err, l10n.Term("verbed: canceled"), sel.Targets)
		for _, t := range ok {
			targets = append(targets, pipeline.CancelTarget{Row: t.Row, Who: t.Who, OrderID: t.OrderID, CertificateID: t.CertificateID, Order: t.Order})
		}
	}
	slices.SortStableFunc(targets, func(a, b pipeline.CancelTarget) int { return cmp.Compare(a.Row, b.Row) })
	if j == nil {
		log.Warn("no journal: cancels are not recorded, so a later submit still counts these people as ordered", "state", sp)
	}
	if len(targets) == 0 {
		p.Fprintf(o.IO.Out, "cancel: %s placed no orders: nothing to cancel\n", label)
		if refused > 0 {
			return &exitError{code: ExitRowsBad}
		}
		return nil
	}
	note := strings.TrimSpace(o.Note)
	if note == "" {
		note = "canceled with certbatch"
	}
	co := pipeline.CancelOptions{Lang: p, Client: conn.client, Journal: j, Concurrency: o.API.concurrency, Note: note}
	if err := pipeline.ReadCancelTargets(ctx, co, targets); err != nil {
		return l10n.Errorf("cancel: nothing was canceled: %w", err)
	}
	n := describeCancel(p, o.IO.Err, label, p.Term(endpointKind(conn.client, o.API.sandbox)), conn.client.BaseURL(), targets)
	if n > 0 {
		if err := confirm(o.IO, o.Yes, cancelQuestion(p, n)); err != nil {
			return err
		}
		if err := pipeline.CancelOrders(ctx, co, targets); err != nil {
			return l10n.Errorf("cancel: %w", err)
		}
	}
	if file != nil {
		if err := rewriteCanceled(p, file, o.Output, o.Results, targets); err != nil {
			return err
		}
	}
	return cancelReport(p, o.IO.Out, label, targets, refused)
}

// cancelQuestion is the confirmation question for n orders.
func cancelQuestion(p l10n.Printer, n int) string {
	if n == 1 {
		return p.Sprintf("Cancel this order?")
	}
	return p.Sprintf("Cancel these %d orders?", n)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// describeCancel prints the plan and returns how many orders it cancels.
func describeCancel(p l10n.Printer, w io.Writer, label, kind, base string, ts []pipeline.CancelTarget) int {
	by := map[pipeline.CancelAction][]pipeline.CancelTarget{}
	for _, t := range ts {
		by[t.Action] = append(by[t.Action], t)
	}
	line := func(t pipeline.CancelTarget) string {
		return p.Sprintf("    row %-5d %-36s order %-10d %s", t.Row, termLine(t.Who), t.OrderID, termLine(t.Status))
	}
	p.Fprintf(w, "cancel: %s: %d orders, at %s (%s)\n", label, len(ts), base, kind)
	if l := by[pipeline.CancelIt]; len(l) > 0 {
		p.Fprintf(w, "  will cancel (%d):\n", len(l))
		for _, t := range l {
			fmt.Fprintln(w, line(t))
		}
	}
	if l := by[pipeline.RejectIt]; len(l) > 0 {
		p.Fprintf(w, "  awaiting approval: will reject the request (%d), the order is then rejected:\n", len(l))
		for _, t := range l {
			p.Fprintf(w, "%s, request %d\n", line(t), t.RequestID)
		}
	}
	if l := by[pipeline.NeedsRevoke]; len(l) > 0 {
		p.Fprintf(w, "  NOT cancellable, already issued (%d): only revoking the certificate undoes them:\n", len(l))
		for _, t := range l {
			p.Fprintf(w, "%s, certificate %d\n", line(t), t.CertificateID)
			if t.Who != "" && strings.Contains(t.Who, "@") {
				p.Fprintf(w, "      certbatch revoke --email %s --reason superseded --comment \"issued by mistake\"\n", t.Who)
			} else {
				p.Fprintf(w, "      certbatch revoke --batch ID --row %d --reason superseded --comment \"issued by mistake\"   (order %d at %s)\n", t.Row, t.OrderID, base)
			}
		}
	}
	if l := by[pipeline.AlreadyCanceled]; len(l) > 0 {
		p.Fprintf(w, "  already canceled (%d): nothing to do\n", len(l))
	}
	if l := by[pipeline.NothingToDo]; len(l) > 0 {
		p.Fprintf(w, "  nothing to undo (%d):\n", len(l))
		for _, t := range l {
			fmt.Fprintln(w, line(t))
		}
	}
	if l := by[pipeline.Unknown]; len(l) > 0 {
		p.Fprintf(w, "  status unreadable (%d): not canceled\n", len(l))
		for _, t := range l {
			fmt.Fprintf(w, "%s%s\n", line(t), termLine(t.Error))
		}
	}
	return len(by[pipeline.CancelIt]) + len(by[pipeline.RejectIt])
}

// rewriteCanceled writes the results file again with the canceled
// orders' status.
func rewriteCanceled(p l10n.Printer, f *results.File, out, in string, ts []pipeline.CancelTarget) error {
	status := map[int64]string{}
	for _, t := range ts {
		if t.Status != "" {
			status[t.OrderID] = t.Status
		}
	}
	if out == "" {
		out = in
	}
	for i := range f.Records {
		r := &f.Records[i]
		if s, ok := status[r.OrderID]; ok && r.Outcome == order.Ordered {
			r.OrderStatus = s
			if s == "rejected" { // its request was rejected
				r.RequestStatus = s
			}
		}
	}
	return writeResults(p, f, out)
}

// cancelReport prints what happened and returns the exit error.
func cancelReport(p l10n.Printer, w io.Writer, label string, ts []pipeline.CancelTarget, holderRefused int) error {
	var canceled, rejected, already, revoke, refused, retry int
	for _, t := range ts {
		switch {
		case t.Done && t.Status == "rejected":
			rejected++
		case t.Done:
			canceled++
		case t.Action == pipeline.AlreadyCanceled:
			already++
		case t.Action == pipeline.NeedsRevoke:
			revoke++
		case t.Refused:
			refused++
			linef(p, w, "row %d: order %d: %s\n", t.Row, t.OrderID, t.Error)
		case t.Action == pipeline.CancelIt || t.Action == pipeline.RejectIt || t.Action == pipeline.Unknown:
			retry++
			linef(p, w, "row %d: order %d: not canceled: %s\n", t.Row, t.OrderID, t.Error)
		}
	}
	if holderRefused > 0 {
		p.Fprintf(w, "cancel: %s: %d canceled, %d already canceled, %d rejected before approval, %d issued (revoke them), %d refused, %d to retry, %d rows refused (not the holder's order)\n",
			label, canceled, already, rejected, revoke, refused, retry, holderRefused)
	} else {
		p.Fprintf(w, "cancel: %s: %d canceled, %d already canceled, %d rejected before approval, %d issued (revoke them), %d refused, %d to retry\n",
			label, canceled, already, rejected, revoke, refused, retry)
	}
	switch {
	case revoke+refused+holderRefused > 0:
		return &exitError{code: ExitRowsBad}
	case retry > 0:
		return &exitError{code: ExitRowsRetry}
	}
	return nil
}
