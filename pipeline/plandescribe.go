package pipeline

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/textsafe"
)

// Describe writes the plan for the confirmation prompt.
func (p *Plan) Describe(w io.Writer) {
	prods := make([]string, 0, len(p.Orders))
	for id := range p.Orders {
		prods = append(prods, id)
	}
	sort.Strings(prods)
	if p.NewOrders() == 0 {
		p.lang.Fprintf(w, "certbatch has nothing to order.\n")
	} else {
		p.lang.Fprintf(w, "certbatch will place up to %d orders:\n", p.NewOrders())
	}
	for _, id := range prods {
		pp := p.Orders[id]
		p.lang.Fprintf(w, "  %-36s %5d  validity: %s; payment: %s\n", id, pp.Orders, countList(pp.Validity), countList(pp.Payment))
	}
	if n := sumCounts(p.Generate); n > 0 {
		p.lang.Fprintf(w, "  keys: certbatch generates %d key pairs here (%s), each kept encrypted in %s until its certificate is handed over in a .p12\n",
			n, countList(p.Generate), p.KeyDir)
	}
	if p.Placeholders > 0 {
		p.lang.Fprintf(w, "  WARNING: %d orders go to example.com/.org/.net addresses, which are placeholders: check the file before you confirm\n", p.Placeholders)
	}
	if p.Reconcile > 0 {
		p.lang.Fprintf(w, "  (%d of them had a request whose answer never arrived; DigiCert is checked first and they are ordered only if no order exists)\n", p.Reconcile)
	}
	if p.Forced > 0 {
		p.lang.Fprintf(w, "  --force: %d of them ALREADY HAVE an order and will be ordered AGAIN\n", p.Forced)
	}
	if p.Skip > 0 {
		p.lang.Fprintf(w, "%d rows already ordered earlier: skipped\n", p.Skip)
	}
	if p.Found > 0 {
		p.lang.Fprintf(w, "%d rows have an order at DigiCert that this journal did not know (another machine, admin or journal): skipped\n", p.Found)
	}
	if p.Held > 0 {
		p.lang.Fprintf(w, "%d rows are held back: an order at DigiCert may be the person's and DigiCert does not say (listed above with the orders; --force sends them)\n",
			p.Held)
	}
	if p.Hidden > 0 {
		p.lang.Fprintf(w, "%d rows hidden or struck through in the input: held back, not sent (--include-hidden sends them)\n", p.Hidden)
	}
	if p.AccountErr != nil {
		p.lang.Fprintf(w, "the account could NOT be checked for existing orders (%v): %d people new to the journal are not sent; run again later, or pass --no-account-check\n",
			p.AccountErr, p.Unchecked)
	}
	if a := p.Account; a != nil {
		p.lang.Fprintf(w, "account checked for existing orders: %s listed, %s\n", l10n.N(a.Orders, "%d orders"), l10n.N(a.Requests(), "%d requests"))
	}
	if p.Invalid > 0 {
		p.lang.Fprintf(w, "%d invalid rows: not sent (listed above; the results file has every problem)\n", p.Invalid)
	}
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s × %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// listAll is how many rows a plan lists person by person without being
// asked (--show-plan); a bigger plan lists the first listFirst rows of
// each kind and counts the rest.
const (
	listAll   = 25
	listFirst = 10
)

// kindTitle heads a kind's list in the plan.
func kindTitle(lp l10n.Printer, k PlanKind, n int) string {
	switch k {
	case PlanOrder:
		return lp.Sprintf("To order (%d):", n)
	case PlanForce:
		return lp.Sprintf("To order AGAIN, --force (%d):", n)
	case PlanReconcile:
		return lp.Sprintf("To check at DigiCert first, then order only if no order exists (%d):", n)
	case PlanSkip:
		return lp.Sprintf("Skipped, already ordered (%d):", n)
	case PlanFound:
		return lp.Sprintf("Skipped, found at DigiCert (%d):", n)
	case PlanHeld:
		return lp.Sprintf("Held back, not sent (%d):", n)
	case PlanHidden:
		return lp.Sprintf("Held back, hidden or struck through in the input (%d; --include-hidden sends them):", n)
	}
	return lp.Sprintf("Invalid, not sent (%d):", n)
}

// DescribePeople lists who the plan orders, skips (and why), holds back
// and leaves out as invalid, by name: every row of a plan of at most 25
// rows, or when all is set (--show-plan); otherwise the first 10 of
// each kind and a count of the rest. Names, emails and reasons come from
// the file and the journal: each is kept on its line.
func (p *Plan) DescribePeople(w io.Writer, all bool) error {
	all = all || p.Rows <= listAll
	more := false
	for _, k := range planKinds {
		n := p.People[k]
		if n == 0 {
			continue
		}
		fmt.Fprintln(w, kindTitle(p.lang, k, n))
		if all && n > len(p.listed[k]) {
			err := p.rows.each(func(r *PlanRow) error {
				if r.Kind == k {
					fmt.Fprintln(w, personLine(p.lang, r))
				}
				return nil
			})
			if err != nil {
				return err
			}
			continue
		}
		shown := p.listed[k]
		// Rows the account decided after the whole file was read come
		// last: list in row order.
		slices.SortStableFunc(shown, func(a, b PlanRow) int { return a.Row - b.Row })
		if !all && len(shown) > listFirst {
			shown = shown[:listFirst]
		}
		for i := range shown {
			fmt.Fprintln(w, personLine(p.lang, &shown[i]))
		}
		if n > len(shown) {
			p.lang.Fprintf(w, "  ... and %d more\n", n-len(shown))
			more = true
		}
	}
	if more {
		p.lang.Fprintf(w, "(--show-plan lists every row)\n")
	}
	return nil
}

// personLine is one row of the plan's listing: row, who, what and why.
func personLine(lp l10n.Printer, r *PlanRow) string {
	who := r.Email
	switch {
	case r.Name != "" && r.Email != "":
		who = r.Name + " <" + r.Email + ">"
	case r.Name != "":
		who = r.Name
	case who == "":
		who = lp.Sprintf("(no email)")
	}
	return textsafe.OneLine(lp.Sprintf("  row %-5d %s: %s", r.Row, who, r.Why))
}
