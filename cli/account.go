package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/pipeline"
)

// accountPreflight checks the account for the batch src describes (see
// pipeline.Preflight), prints the key's user and every problem to w, and
// sets src.RowCheck so every row a problem affects becomes invalid.
func accountPreflight(ctx context.Context, p l10n.Printer, w io.Writer, conn *connection, src *pipeline.Source) (*pipeline.AccountReport, error) {
	use, err := pipeline.ScanAccount(ctx, *src)
	if err != nil {
		return nil, err
	}
	rep, err := pipeline.Preflight(ctx, p, conn.client, src.Templates, use)
	if err != nil {
		return nil, err
	}
	u := rep.User
	roles := strings.Join(u.RoleNames(), ", ")
	if roles == "" {
		roles = p.Sprintf("no access roles listed")
	}
	linef(p, w, "account: the API key works: user %s (%s), roles: %s; %d read-only requests\n",
		firstNonEmpty(u.Username, u.Email, fmt.Sprint(u.ID)), firstNonEmpty(strings.TrimSpace(u.FirstName+" "+u.LastName), u.Email), roles, rep.Requests)
	if rep.OK() {
		p.Fprintf(w, "account: every product, organization and container of the batch is usable\n")
	}
	for _, pr := range rep.Problems {
		linef(p, w, "account problem: %s\n", pr)
	}
	src.RowCheck = rep.Check
	return rep, nil
}

// describeTarget says where a submission sends its orders: the endpoint
// and whether it is production, the organizations by name, and the
// journal that records them. It is part of the confirmation.
func describeTarget(p l10n.Printer, w io.Writer, conn *connection, sandboxFlag bool, rep *pipeline.AccountReport, loc journalLoc) {
	p.Fprintf(w, "Endpoint: %s (%s)\n", conn.client.BaseURL(), p.Term(strings.ToUpper(endpointKind(conn.client, sandboxFlag))))
	if rep != nil {
		if orgs := rep.OrgList(); orgs != "" {
			linef(p, w, "Organizations: %s\n", orgs)
		}
		if rep.User != nil {
			linef(p, w, "API key of: %s\n", firstNonEmpty(rep.User.Username, rep.User.Email))
		}
	}
	kind := ""
	if loc.shared() {
		kind = p.Sprintf(" (PostgreSQL, shared)")
	}
	p.Fprintf(w, "Journal: %s%s\n", loc, kind)
}

// submitPreflight runs the account pre-flight before submit asks for
// confirmation, when the plan orders anything (a re-run that only skips
// sends no request). When it finds problems, the rows they affect become
// invalid and the plan is made again. A pre-flight that cannot run (the
// key refused, CertCentral unreachable) is reported and the submission
// goes on: sending then fails the same way and the rows get their
// outcome (failed) and the run its exit code, as without the pre-flight.
func submitPreflight(ctx context.Context, o *SubmitOptions, conn *connection, so *pipeline.SubmitOptions,
	plan *pipeline.Plan, log *slog.Logger) (*pipeline.AccountReport, *pipeline.Plan, error) {
	p := o.IO.P()
	if plan.NewOrders() == 0 {
		return nil, plan, nil
	}
	acct, err := accountPreflight(ctx, p, o.IO.Err, conn, &so.Source)
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, nil, err
	case err != nil:
		log.Warn("the account could not be checked", "error", err)
		linef(p, o.IO.Err, "account: NOT CHECKED: %v\n", err)
		return nil, plan, nil
	case acct.OK():
		return acct, plan, nil
	}
	plan.Close()
	plan, err = pipeline.PlanSubmit(ctx, *so)
	return acct, plan, err
}
