package cli

import (
	"cmp"
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// ApproveOptions are the flags and dependencies of `certbatch approve`.
type ApproveOptions struct {
	IO      IO
	API     apiFlags
	People  personFlags
	Results string
	Reject  bool
	Comment string
	Yes     bool
	Log     logFlags
}

func newApproveCmd(sio IO) *cobra.Command {
	o := &ApproveOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "approve RESULTS | approve --batch ID | approve --email EMAIL",
		Short: "Approve (or --reject) the pending requests of orders",
		Long: `Orders placed without skip_approval wait in needs_approval until an
administrator approves their request (approvals are on by default in
CertCentral). approve lists the pending requests of the orders of a results
file, a batch (--batch ID) or named people (--email, --key), narrowed with
--email/--key/--row, shows them, asks for confirmation (--yes when
unattended) and approves each (PUT /request/{id}/status), or rejects them
with --reject. A pending revocation request of one of those orders is listed
as such: approving it revokes the certificate.

Every order's holder is checked first, against the journal and DigiCert's
order info: a row whose order belongs to someone else is refused. Each
decision is journaled before it is sent; approving twice is harmless.

Exit status: 0 every pending request was processed; 3 a row was refused (its
order is someone else's) or DigiCert refused a decision; 4 a decision did not
get through (run again); 2 usage, key refused (a key whose user may not
approve), journal locked.`,
		Example: `  certbatch approve staff.results.xlsx --comment "new hires, week 48"
  certbatch approve --batch 20261123T073310Z-3f9a --email ann.lee@corp.example.net --yes
  certbatch approve staff.results.xlsx --reject --comment "wrong product" --row 7`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Results = args[0]
			}
			return runApprove(cmd.Context(), o)
		},
	}
	o.API.add(cmd)
	o.People.add(cmd, "approve")
	f := cmd.Flags()
	f.BoolVar(&o.Reject, "reject", false, "reject the requests instead of approving them (the orders are then rejected)")
	f.StringVar(&o.Comment, "comment", "", "comment sent with every decision (processor_comment; default: \"approved with certbatch\")")
	f.BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation (required without a terminal)")
	o.Log.add(cmd, "no informational log lines")
	return cmd
}

func runApprove(ctx context.Context, o *ApproveOptions) error {
	p := o.IO.P()
	if err := o.People.source(o.Results, true); err != nil {
		return err
	}
	log, err := o.Log.logger(o.IO)
	if err != nil {
		return err
	}
	var file *results.File
	if o.Results != "" {
		if file, err = results.Read(o.Results); err != nil {
			return usageErrorf("%v", err)
		}
	}
	j, sp, err := o.API.writableJournal(o.IO)
	if err != nil {
		return err
	}
	defer j.Close()
	sel, err := o.People.selectTargets(j, file, o.Results, true)
	if err != nil {
		return err
	}
	// verb is the command's name as the summaries start with it; act
	// and acted are what it does, words of the catalog.
	verb, act, acted := "approve", l10n.Term("verb: approve"), l10n.Term("verbed: approved")
	if o.Reject {
		verb, act, acted = "reject", l10n.Term("verb: reject"), l10n.Term("verbed: rejected")
	}
	if len(sel.Targets) == 0 {
		p.Fprintf(o.IO.Out, "%s: %s: no orders: nothing to %s\n", verb, sel.Label, act)
		return nil
	}
	conn, err := o.API.connect(o.IO, log, sp)
	if err != nil {
		return err
	}
	defer conn.close()
	if err := pipeline.ReadHolders(ctx, p, conn.client, j, o.API.concurrency, pipeline.RefuseMismatch, sel.Targets); err != nil {
		return l10n.Errorf("%s: nothing was %s: %w", verb, acted, err)
	}
	p.Fprintf(o.IO.Err, "%s: %s: %d orders at %s (%s)\n", verb, sel.Label, len(sel.Targets),
		conn.client.BaseURL(), p.Term(endpointKind(conn.client, o.API.sandbox)))
	ok, refused := refusedLines(p, o.IO.Err, acted, sel.Targets)
	ao := pipeline.ApproveOptions{Lang: p, Client: conn.client, Journal: j, Concurrency: o.API.concurrency, Reject: o.Reject,
		Comment: cmp.Or(strings.TrimSpace(o.Comment), verb+"d with certbatch")}
	prs, _, err := pipeline.FindPendingRequests(ctx, ao, ok)
	if err != nil {
		return l10n.Errorf("%s: nothing was %s: %w", verb, acted, err)
	}
	describeRequests(p, o.IO.Err, act, ok, prs)
	if len(prs) > 0 {
		q := p.Sprintf("Approve these %d requests?", len(prs))
		switch {
		case o.Reject && len(prs) == 1:
			q = p.Sprintf("Reject this request?")
		case o.Reject:
			q = p.Sprintf("Reject these %d requests?", len(prs))
		case len(prs) == 1:
			q = p.Sprintf("Approve this request?")
		}
		if err := confirm(o.IO, o.Yes, q); err != nil {
			return err
		}
		if err := pipeline.ProcessRequests(ctx, ao, prs); err != nil {
			return l10n.Errorf("%s: %w", verb, err)
		}
	}
	return approveReport(p, o.IO.Out, verb, acted, sel.Label, prs, refused)
}

// describeRequests prints the pending requests found, and the orders
// without one.
func describeRequests(p l10n.Printer, w io.Writer, act l10n.Term, ts []pipeline.Target, prs []pipeline.PendingRequest) {
	has := map[int64]bool{}
	if len(prs) > 0 {
		p.Fprintf(w, "  will %s (%d):\n", act, len(prs))
	}
	for _, pr := range prs {
		has[pr.OrderID] = true
		by := strings.TrimSpace(pr.Request.Requester.FirstName + " " + pr.Request.Requester.LastName)
		product := cmp.Or(pr.Request.Order.Product.NameID, pr.Product)
		if pr.Request.Type == certcentral.RequestTypeRevoke {
			p.Fprintf(w, "    row %-5d %-36s order %-10d request %-10d REVOCATION (approving it revokes the certificate), %s, requested by %s on %s\n", pr.Row, pr.Who, pr.OrderID, pr.Request.ID,
				product, cmp.Or(by, "?"), cmp.Or(pr.Request.Date, "?"))
			continue
		}
		p.Fprintf(w, "    row %-5d %-36s order %-10d request %-10d new order, %s, requested by %s on %s\n", pr.Row, pr.Who, pr.OrderID, pr.Request.ID,
			product, cmp.Or(by, "?"), cmp.Or(pr.Request.Date, "?"))
	}
	none := 0
	for _, t := range ts {
		if !has[t.OrderID] {
			if none == 0 {
				p.Fprintf(w, "  nothing pending:\n")
			}
			none++
			p.Fprintf(w, "    row %-5d %-36s order %-10d %s\n", t.Row, t.Who, t.OrderID, t.Order.Status)
		}
	}
}

// approveReport prints what happened and returns the exit error.
func approveReport(p l10n.Printer, w io.Writer, verb string, acted l10n.Term, label string, prs []pipeline.PendingRequest, refused int) error {
	done, failed, retry := 0, 0, 0
	for _, pr := range prs {
		switch {
		case pr.Done:
			done++
		case pr.State == journal.ActionUncertain:
			retry++
			p.Fprintf(w, "row %d: request %d: not %s yet: %s\n", pr.Row, pr.Request.ID, acted, pr.Error)
		default:
			failed++
			p.Fprintf(w, "row %d: request %d: %s\n", pr.Row, pr.Request.ID, pr.Error)
		}
	}
	p.Fprintf(w, "%s: %s: %d %s, %d refused by DigiCert, %d to retry, %d rows refused (not the holder's order)\n",
		verb, label, done, acted, failed, retry, refused)
	switch {
	case failed+refused > 0:
		return &exitError{code: ExitRowsBad}
	case retry > 0:
		return &exitError{code: ExitRowsRetry}
	}
	return nil
}
