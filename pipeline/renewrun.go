package pipeline

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// RenewGroups are the groups of a renewal plan, in the order Describe
// lists them, with their titles (words of the catalog).
var RenewGroups = []struct {
	d     RenewDecision
	Title string
}{
	{RenewIt, "will renew"}, {RenewReconcile, "will renew unless DigiCert has the earlier unanswered renewal"},
	{RenewAdopt, "renewed at DigiCert, recorded in the journal"}, {RenewDone, "already renewed: not renewed again"},
	{RenewCannot, "cannot renew"}, {RenewNotListed, "not in the input: not renewed"},
}

// Describe writes the plan: who, which order, its expiry, and the
// product and validity of each renewal.
func (p *RenewPlan) Describe(w io.Writer) {
	n := p.Count(RenewIt) + p.Count(RenewReconcile)
	p.lang.Fprintf(w, "renew: %d orders expiring from %s to %s\n", len(p.Renewals), p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	if p.Search != nil && p.Search.Fallback != nil {
		p.lang.Fprintf(w, "  (the whole order list was read: %s)\n", p.lang.Error(p.Search.Fallback))
	}
	for _, g := range RenewGroups {
		var l []Renewal
		for _, r := range p.Renewals {
			if r.Decision == g.d {
				l = append(l, r)
			}
		}
		if len(l) == 0 {
			continue
		}
		p.lang.Fprintf(w, "  %s (%d):\n", l10n.Term(g.Title), len(l))
		for i, r := range l {
			if i == 50 {
				p.lang.Fprintf(w, "    ... and %d more (see the results)\n", len(l)-50)
				break
			}
			line := p.lang.Sprintf("    %-36s order %-10d expires %s  %s", cmp.Or(r.Email, "?"), r.Order.ID, fmtDate(r.ValidTill), r.Product)
			if g.d == RenewIt || g.d == RenewReconcile {
				line = p.lang.Sprintf("    %-36s order %-10d expires %s  %s, renewal: %s, %s", cmp.Or(r.Email, "?"), r.Order.ID, fmtDate(r.ValidTill), r.Product, r.Validity, r.Payment)
			} else if r.Why != "" {
				line += ": " + r.Why
			}
			fmt.Fprintln(w, line)
		}
	}
	if p.Account != nil {
		p.lang.Fprintf(w, "account checked for newer orders: %d orders listed\n", p.Account.Orders)
	}
	if n == 0 {
		p.lang.Fprintf(w, "certbatch has nothing to renew.\n")
	} else {
		p.lang.Fprintf(w, "certbatch will place up to %d renewal orders.\n", n)
	}
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "?         "
	}
	return t.Format(time.DateOnly)
}

// renewRows turns a plan into planned rows, numbered from row.
func (p *RenewPlan) renewRows(row int) []plannedRow {
	var out []plannedRow
	for i := range p.Renewals {
		r := &p.Renewals[i]
		cells := r.cells
		if cells == nil {
			cells = make([]string, len(renewHeader))
			cells[slices.Index(renewHeader, "Product")] = r.Product
			cells[slices.Index(renewHeader, "Email")] = r.Email
			cells[slices.Index(renewHeader, "Renewal Of Order ID")] = strconv.FormatInt(r.Order.ID, 10)
			cells[slices.Index(renewHeader, "Person Key")] = r.Key
			cells[slices.Index(renewHeader, "Order Expires")] = strings.TrimSpace(fmtDate(r.ValidTill))
		}
		pr := plannedRow{rec: order.Result{Row: row, Input: cells, Product: r.Product, Name: r.Order.Certificate.CommonName, Email: r.Email}}
		pr.it = item{cells: cells, res: r.mapped, renewalOf: r.Order.ID, validTill: strings.TrimSpace(fmtDate(r.ValidTill))}
		pr.it.res.Row = row
		switch r.Decision {
		case RenewIt, RenewReconcile:
			pr.act, pr.prev = actOrder, r.prev
		case RenewAdopt:
			pr.act, pr.renewedBy = actAdoptRenewal, r.Order.RenewedOrderID
		case RenewDone, RenewNotListed:
			pr.rec.Outcome, pr.rec.Note = order.Skipped, string(r.Decision)+": "+r.Why
			pr.rec.Answer = order.Answer{OrderID: r.Order.ID, OrderStatus: r.Order.Status, CertificateID: r.Order.Certificate.ID}
		default:
			pr.rec.Outcome, pr.rec.Error = order.Invalid, "not renewed: "+r.Why
			pr.rec.Answer = order.Answer{OrderID: r.Order.ID, OrderStatus: r.Order.Status, CertificateID: r.Order.Certificate.ID}
		}
		out = append(out, pr)
		row++
	}
	return out
}

// Renew orders the plan's renewals through the engine and writes the
// results (one row per expiring order: the renewal's order, or why it
// was not renewed).
func Renew(ctx context.Context, o RenewOptions, plan *RenewPlan) (*order.Summary, error) {
	rows := plan.renewRows(2)
	return runPlanned(ctx, o.SubmitOptions, plannedRun{command: "renew", input: cmp.Or(o.Label, "renew"),
		inputSHA256: rowsDigest(rows), header: renewHeader, rows: rows, account: plan.Account})
}

// rowsDigest is a digest of a planned run's rows, recorded as its
// input's.
func rowsDigest(rows []plannedRow) string {
	h := sha256.New()
	for _, r := range rows {
		fmt.Fprintf(h, "%d\x00%s\n", r.rec.Row, strings.Join(r.rec.Input, "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))
}
