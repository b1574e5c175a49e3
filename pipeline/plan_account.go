package pipeline

import (
	"cmp"
	"context"
	"errors"
	"time"

	"github.com/certbatch/certbatch/mapping"
)

// pendingRow is a row new to the journal that orders at DigiCert may be
// for: what the plan needs to list and count it once it is decided.
type pendingRow struct {
	orderRow
	person Person
}

// accountChecked reports whether people new to the journal are checked
// against the account.
func (o *SubmitOptions) accountChecked() bool {
	return !o.NoAccountCheck && !o.Force && o.Client != nil
}

// accountFirst reads the account once per plan (the whole order list)
// and reports whether orders listed there may be the row's person: the
// row then waits for [SubmitOptions.decidePending]. An account that
// cannot be read is noted in the plan (its new people are not sent); a
// journal error or a cancelled run is returned.
func (o *SubmitOptions) accountFirst(ctx context.Context, p *Plan, r *mapping.Result) (bool, error) {
	if !o.accountChecked() {
		return false, nil
	}
	if !p.checked {
		p.checked = true
		a, err := CheckAccount(ctx, o.Client, o.Templates, o.Journal)
		var jerr *JournalError
		switch {
		case errors.As(err, &jerr) || ctx.Err() != nil:
			return false, err
		case err != nil:
			// Nothing is sent for people the account could not be
			// checked for: they are marked not sent, the run goes on.
			p.AccountErr = err
			return false, nil
		}
		p.Account, p.accountAt = a, time.Now()
	}
	if p.Account == nil {
		return false, nil
	}
	per := personOf(r)
	if p.Account.listed(per.Name) {
		p.names.Add(per)
	}
	if len(p.Account.candidates(per)) > 0 {
		return true, nil
	}
	// An order listed under another name may still name the person's
	// email (account_email.go).
	return p.Account.mayBeByEmail(per)
}

// decidePending decides the rows that orders at DigiCert may be for,
// once every row is known: the order info they need is read
// concurrently first.
func (o *SubmitOptions) decidePending(ctx context.Context, p *Plan, pw *payloadWriter, pending []pendingRow) error {
	if len(pending) == 0 {
		return nil
	}
	people := make([]Person, len(pending))
	for i := range pending {
		people[i] = pending[i].person
	}
	a := p.Account
	err := a.prefetch(ctx, people, o.Concurrency)
	for _, pr := range pending {
		var v Verdict
		if err == nil {
			v, err = a.Decide(ctx, pr.person, p.names.Shared(pr.person))
		}
		var jerr *JournalError
		row := pr.PlanRow
		row.Cells = pr.Cells
		switch {
		case errors.As(err, &jerr) || ctx.Err() != nil:
			return err
		case err != nil:
			p.AccountErr = err
			p.Unchecked++
			row.Kind, row.Why = PlanHeld, "not sent: DigiCert could not be checked for an existing order of this person"
		case v.Order != nil:
			p.Found++
			row.Kind, row.Why = PlanFound, foundText(o.Lang, v)
		case len(v.Held) > 0:
			p.Held++
			row.Kind, row.Why = PlanHeld, heldText(o.Lang, v)
		default:
			if err := p.add(*o, pw, pr.orderRow); err != nil {
				return err
			}
			continue
		}
		if err := p.noteRow(row); err != nil {
			return &OutputError{Err: err}
		}
	}
	return nil
}

// accountUnchecked reports whether a new person cannot be sent because
// the account could not be checked.
func (o *SubmitOptions) accountUnchecked(p *Plan) bool {
	return p.AccountErr != nil && o.accountChecked()
}

// RecheckAfter is how old the plan's account check may be when sending
// starts; an older one (a person read the plan for a while) is read
// again, so an order another admin placed meanwhile is still found. An
// unattended run (--yes) sends at once and pays nothing more.
const RecheckAfter = 30 * time.Second

// recheckAccount reads the account again when the plan's check is older
// than RecheckAfter.
func (o *SubmitOptions) recheckAccount(ctx context.Context, p *Plan) {
	if p.Account == nil || time.Since(p.accountAt) < cmp.Or(o.RecheckAfter, RecheckAfter) {
		return
	}
	a, err := CheckAccount(ctx, o.Client, o.Templates, o.Journal)
	if err != nil {
		p.AccountErr = err // the new people are not sent
		return
	}
	p.Account, p.accountAt = a, time.Now()
}

// accountVerdict decides, when sending, whether a person the journal has
// never seen has an order at DigiCert (see [AccountOrders.Decide]).
func (o *SubmitOptions) accountVerdict(ctx context.Context, plan *Plan, r *mapping.Result) (Verdict, error) {
	if !o.accountChecked() || plan == nil || plan.Account == nil {
		return Verdict{}, nil
	}
	per := personOf(r)
	return plan.Account.Decide(ctx, per, plan.names.Shared(per))
}
