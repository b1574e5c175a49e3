package cli

import (
	"cmp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// personFlags name the people a command that changes orders (cancel,
// approve, revoke) acts on: a batch, a results file, or named people,
// narrowed to exactly some people with --email, --key and --row.
type personFlags struct {
	Batch  string
	Emails []string
	Keys   []string
	Rows   []int
}

func (p *personFlags) add(cmd *cobra.Command, verb string) {
	f := cmd.Flags()
	f.StringVar(&p.Batch, "batch", "", verb+" the orders placed by batch `ID` (see `certbatch history`)")
	f.StringArrayVar(&p.Emails, "email", nil, "only this person's orders: `EMAIL` (repeatable); without a batch or RESULTS, the journal's orders of that person")
	f.StringArrayVar(&p.Keys, "key", nil, "only this person's orders: key column `VALUE` (repeatable)")
	f.IntSliceVar(&p.Rows, "row", nil, "only these `ROWS` of the batch or RESULTS (repeatable, or comma-separated)")
}

// narrowed reports whether the flags name people or rows.
func (p *personFlags) narrowed() bool { return len(p.Emails)+len(p.Keys)+len(p.Rows) > 0 }

// source checks that the command names one set of orders: --batch, a
// RESULTS file, or (with allowPeople) people alone.
func (p *personFlags) source(results string, allowPeople bool) error {
	n := 0
	for _, s := range []string{p.Batch, results} {
		if s != "" {
			n++
		}
	}
	switch {
	case n > 1:
		return usageErrorf("name either --batch ID or a RESULTS file, not both")
	case n == 0 && !(allowPeople && len(p.Emails)+len(p.Keys) > 0):
		if allowPeople {
			return usageErrorf("name --batch ID, a RESULTS file, or people with --email/--key")
		}
		return usageErrorf("name either --batch ID or a RESULTS file")
	case n == 0 && len(p.Rows) > 0:
		return usageErrorf("--row needs --batch ID or a RESULTS file")
	}
	return nil
}

// selection is the orders a command acts on, and what it left out.
type selection struct {
	Targets []pipeline.Target
	Label   string // "batch ID", the results file, or the people named
	// Skipped counts rows of a results file whose order an earlier batch
	// placed (cancel leaves them alone).
	Skipped int
}

// selectTargets builds the targets of a command: every ordered row of
// the batch or results file (with withEarlier, also the rows skipped
// because an earlier batch ordered the person: their current order), or
// the journal's standing orders of the people named, narrowed by the
// flags. The person each order must belong to comes from the journal
// (batch, people) or from the row's email (results file).
func (p *personFlags) selectTargets(j *journal.Journal, file *results.File, resultsPath string, withEarlier bool) (*selection, error) {
	sel := &selection{}
	switch {
	case p.Batch != "":
		if j == nil {
			return nil, usageErrorf("--batch needs the journal")
		}
		if _, err := j.Batch(p.Batch); err != nil {
			return nil, usageErrorf("%v", err)
		}
		hs, err := j.History(journal.HistoryFilter{Batch: p.Batch})
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			if h.State == journal.StateOrdered && h.OrderID != 0 {
				sel.Targets = append(sel.Targets, entryTarget(&h))
			}
		}
		sel.Label = "batch " + p.Batch
	case file != nil:
		for i := range file.Records {
			r := &file.Records[i]
			switch {
			case r.OrderID == 0:
			case r.Outcome == order.Ordered || withEarlier && r.Outcome == order.Skipped:
				email := rowEmail(r)
				t := pipeline.Target{Row: r.Row, Who: email, Email: email, OrderID: r.OrderID, CertificateID: r.CertificateID, Product: r.Product}
				if j != nil {
					// A results row has no key column of its own: the
					// journal's attempt that placed the order knows it
					// (the holder check still compares the row's email).
					if owner, err := j.OrderOwner(r.OrderID); err != nil {
						return nil, err
					} else if owner != nil {
						t.Key = owner.PersonKey
					}
				}
				sel.Targets = append(sel.Targets, t)
			default:
				sel.Skipped++
			}
		}
		sel.Label = resultsPath
	default:
		if j == nil {
			return nil, usageErrorf("--email and --key need the journal (--state)")
		}
		var hs []journal.Entry
		for _, e := range p.Emails {
			h, err := j.PersonOrders(order.NormalizeEmail(e), "")
			if err != nil {
				return nil, err
			}
			hs = append(hs, h...)
		}
		for _, k := range p.Keys {
			h, err := j.PersonOrders("", order.NormalizeKey(k))
			if err != nil {
				return nil, err
			}
			hs = append(hs, h...)
		}
		for i := range hs {
			if h := &hs[i]; h.State == journal.StateOrdered && h.OrderID != 0 && !released(h.OrderStatus) {
				sel.Targets = append(sel.Targets, entryTarget(h))
			}
		}
		sel.Label = strings.Join(append(slices.Clone(p.Emails), p.Keys...), ", ")
	}
	sel.Targets = p.narrow(sel.Targets)
	slices.SortStableFunc(sel.Targets, func(a, b pipeline.Target) int { return cmp.Compare(a.Row, b.Row) })
	sel.Targets = slices.CompactFunc(sel.Targets, func(a, b pipeline.Target) bool { return a.OrderID == b.OrderID })
	return sel, nil
}

// released reports whether an order no longer stands for its person.
func released(status string) bool {
	return status == "canceled" || status == "rejected" || status == "revoked"
}

func entryTarget(h *journal.Entry) pipeline.Target {
	return pipeline.Target{Row: h.Row, Who: firstNonEmpty(h.Email, h.PersonKey), Email: h.Email, Key: h.PersonKey,
		OrderID: h.OrderID, CertificateID: h.CertificateID, Product: h.Product}
}

// rowEmail is the first cell of a results row that looks like one
// email address, normalized; "" when none does.
func rowEmail(r *order.Result) string {
	for _, c := range r.Input {
		if c = strings.TrimSpace(c); strings.Count(c, "@") == 1 && !strings.ContainsAny(c, " ;,") {
			return order.NormalizeEmail(c)
		}
	}
	return ""
}

// narrow keeps the targets the flags name: any of the emails, keys and
// rows given (none given: all).
func (p *personFlags) narrow(ts []pipeline.Target) []pipeline.Target {
	if !p.narrowed() {
		return ts
	}
	var out []pipeline.Target
	for _, t := range ts {
		keep := slices.Contains(p.Rows, t.Row)
		for _, e := range p.Emails {
			keep = keep || t.Email != "" && order.NormalizeEmail(e) == t.Email
		}
		for _, k := range p.Keys {
			keep = keep || t.Key != "" && order.NormalizeKey(k) == order.NormalizeKey(t.Key)
		}
		if keep {
			out = append(out, t)
		}
	}
	return out
}

// refusedLines prints the targets whose holder does not check out and
// returns the others.
func refusedLines(p l10n.Printer, w interface{ Write([]byte) (int, error) }, verb l10n.Term, ts []pipeline.Target) (ok []pipeline.Target, refused int) {
	for _, t := range ts {
		switch {
		case t.Refused != "":
			refused++
			p.Fprintf(w, "  REFUSED row %d (%s): %s: not %s\n", t.Row, cmp.Or(t.Who, "?"), t.Refused, verb)
		case t.Error != "":
			refused++
			p.Fprintf(w, "  row %d (%s): order %d could not be read: %s\n", t.Row, cmp.Or(t.Who, "?"), t.OrderID, t.Error)
		default:
			ok = append(ok, t)
		}
	}
	return ok, refused
}
