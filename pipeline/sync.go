package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// The nightly roster (`certbatch sync`): HR's full list of current people
// in, and in one run what a cron needs: order the people new to the
// account (joiners), renew the roster's certificates that expire within
// the renewal window, and list the people who hold an active certificate
// but are no longer on the roster (leavers; revoked only when asked).
// Joiners and renewals go through the engine as one planned batch;
// leavers are revoked (when asked) through the journaled revocation.

// SyncOptions configure [PlanSync] and [Sync].
type SyncOptions struct {
	// RenewOptions carry the engine's settings and the renewal window;
	// its Source is the roster (read once, snapshotted by the caller).
	RenewOptions
}

// Joiner is a roster row that orders a person new to the account.
type Joiner struct {
	Row        int
	Email, Key string
	Name       string
	Product    string
	// Reconcile: an earlier request for this person got no answer;
	// DigiCert is checked first.
	Reconcile bool
	it        item
	prev      *journal.Entry
}

// SyncPlan is the plan of a sync run: the three groups.
type SyncPlan struct {
	// lang is the language the plan is described in.
	lang     l10n.Printer
	Rows     int // roster rows read
	Current  int // roster people who hold an order already
	Invalid  []string
	Joiners  []Joiner
	Renewals *RenewPlan
	// Leavers are the current orders of people not on the roster whose
	// certificate is active (issued), read with order info.
	Leavers []Target
	// Pending counts people not on the roster whose order is not issued
	// (nothing to revoke; cancel them if they are leavers).
	Pending  int
	Account  *AccountOrders
	Requests int
	people   *People
	found    []plannedRow // roster people found at DigiCert, adopted into the journal
	invalid  []plannedRow // roster rows not sent: their problems
}

// PlanSync reads the roster and the account and decides the three
// groups; nothing is sent but reads.
func PlanSync(ctx context.Context, o SyncOptions) (*SyncPlan, error) {
	o.SubmitOptions = o.SubmitOptions.withDefaults()
	p := &SyncPlan{people: &People{}, lang: o.Lang}
	// Every person the journal and the account hold a current order for:
	// the account check that keeps joiners from being ordered twice, and
	// the candidates for leavers.
	holdings, acct, err := Holdings(ctx, o.Client, o.Journal, o.Templates, o.Concurrency, !o.NoAccountCheck)
	if err != nil {
		return nil, l10n.Errorf("check the account: %w", err)
	}
	p.Account = acct
	rd, m, err := o.Source.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	err = mapRows(ctx, rd, m, o.Workers, true, o.IncludeHidden, func(it *item) error {
		p.Rows++
		r := &it.res
		if it.held != nil {
			// Hidden or struck through: on the roster (never a leaver),
			// but not ordered.
			p.people.add(r.Row, r.Email, r.PersonKey)
			p.Invalid = append(p.Invalid, o.Lang.Sprintf("row %d: %s", r.Row, hiddenText(o.Lang, it.held)))
			p.invalid = append(p.invalid, plannedRow{it: *it, rec: order.Result{Row: r.Row, Product: r.Product, Name: r.Name, Email: r.RawEmail, Outcome: order.Held, Answer: order.Answer{Error: hiddenText(o.Lang, it.held)}}})
			return nil
		}
		bad := func(text string) {
			p.Invalid = append(p.Invalid, o.Lang.Sprintf("row %d: %s", r.Row, text))
			p.invalid = append(p.invalid, plannedRow{it: *it, rec: order.Result{Row: r.Row, Product: r.Product, Name: r.Name, Email: r.RawEmail, Outcome: order.Invalid, Answer: order.Answer{Error: text}}})
		}
		if !r.Valid() {
			bad(r.ErrorText())
			return nil
		}
		p.people.add(r.Row, r.Email, r.PersonKey)
		d, e, err := o.decide(r)
		if err != nil {
			return err
		}
		j := Joiner{Row: r.Row, Email: r.Email, Key: r.PersonKey, Name: r.CommonName, Product: r.Product, it: *it}
		switch d {
		case conflict, conflictEmail:
			bad(conflictText(o.Lang, r, e, d == conflictEmail))
		case skipIt:
			p.Current++
		case reconcile:
			j.Reconcile, j.prev = true, e
			p.Joiners = append(p.Joiners, j)
		case orderIt:
			if acct != nil {
				// The account decides as for submit (AccountOrders.Decide):
				// an order naming the person's email, or listed under their
				// name where order info names none.
				v, err := acct.Decide(ctx, personOf(r), false)
				switch {
				case err != nil:
					return err
				case v.Order != nil:
					p.Current++
					p.found = append(p.found, plannedRow{it: *it, act: actAdopt, found: v.Order,
						rec: order.Result{Row: r.Row, Product: r.Product, Name: r.Name, Email: r.RawEmail}})
					return nil
				case len(v.Held) > 0:
					bad(heldText(o.Lang, v))
					return nil
				}
			}
			p.Joiners = append(p.Joiners, j)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Renewals: the roster's people only; the account as read above.
	ro := o.RenewOptions
	ro.Only, ro.Account = p.people, acct
	if p.Renewals, err = PlanRenew(ctx, ro); err != nil {
		return nil, err
	}
	p.Requests += p.Renewals.Requests
	// Leavers: current orders of people not on the roster, whose
	// certificate is active now.
	var cands []Target
	for _, t := range holdings {
		if !p.people.Has(t.Email, order.NormalizeKey(t.Key)) && (t.Email != "" || t.Key != "") {
			cands = append(cands, t)
		}
	}
	if len(cands) > 0 {
		if err := ReadHolders(ctx, o.Lang, o.Client, o.Journal, o.Concurrency, RequireMatch, cands); err != nil {
			return nil, err
		}
		p.Requests += len(cands)
		for _, t := range cands {
			switch {
			case t.Order != nil && t.Order.Status == "issued":
				p.Leavers = append(p.Leavers, t)
			case t.Order != nil && (t.Order.Status == "needs_approval" || t.Order.Status == "pending" || t.Order.Status == "waiting_pickup"):
				p.Pending++
			}
		}
	}
	return p, nil
}

// Renews is the number of renewals the plan orders.
func (p *SyncPlan) Renews() int { return p.Renewals.Count(RenewIt) + p.Renewals.Count(RenewReconcile) }

// Describe writes the plan: the three groups, with counts and names.
func (p *SyncPlan) Describe(w io.Writer, revokeLeavers bool) {
	p.lang.Fprintf(w, "sync: %d roster rows read: %d hold an order already, %d joiners, %d renewals, %d leavers\n",
		p.Rows, p.Current, len(p.Joiners), p.Renews(), len(p.Leavers))
	for i, s := range p.Invalid {
		if i == 20 {
			p.lang.Fprintf(w, "  ... and %d more invalid rows (certbatch validate shows them)\n", len(p.Invalid)-20)
			break
		}
		p.lang.Fprintf(w, "  invalid, not sent: %s\n", s)
	}
	p.lang.Fprintf(w, "  joiners (%d): new to the account: will order\n", len(p.Joiners))
	for _, j := range p.Joiners {
		if j.Reconcile {
			p.lang.Fprintf(w, "    row %-5d %-36s %s (an earlier request got no answer: DigiCert is checked first)\n", j.Row, j.Email, j.Product)
			continue
		}
		p.lang.Fprintf(w, "    row %-5d %-36s %s\n", j.Row, j.Email, j.Product)
	}
	p.lang.Fprintf(w, "  renewals (%d): expire from %s to %s: will renew\n", p.Renews(), p.Renewals.From.Format(time.DateOnly), p.Renewals.To.Format(time.DateOnly))
	for _, r := range p.Renewals.Renewals {
		if r.Decision == RenewIt || r.Decision == RenewReconcile {
			p.lang.Fprintf(w, "    %-46s order %-10d expires %s  %s, renewal: %s\n", r.Email, r.Order.ID, fmtDate(r.ValidTill), r.Product, r.Validity)
		}
	}
	if n := p.Renewals.Count(RenewCannot); n > 0 {
		p.lang.Fprintf(w, "    (%d expiring orders cannot be renewed here: see the results)\n", n)
	}
	if revokeLeavers {
		p.lang.Fprintf(w, "  leavers (%d): active certificates of people no longer on the roster: will revoke\n", len(p.Leavers))
	} else {
		p.lang.Fprintf(w, "  leavers (%d): active certificates of people no longer on the roster: listed only (--revoke-leavers revokes them)\n", len(p.Leavers))
	}
	for _, t := range p.Leavers {
		p.lang.Fprintf(w, "    %-46s order %-10d certificate %-10d %s, valid till %s\n", cmp.Or(t.Email, t.Key), t.OrderID, t.CertificateID, t.Product,
			cmp.Or(t.Order.Certificate.ValidTill, "?"))
	}
	if p.Pending > 0 {
		p.lang.Fprintf(w, "  (%d people not on the roster have an order that is not issued yet: cancel them with certbatch cancel --email)\n", p.Pending)
	}
}

// syncHeader is the sync results' input columns.
var syncHeader = []string{"Group", "Email", "Key", "Name", "Roster Row", "Order Renewed", "Order Expires"}

// Sync orders the joiners and the renewals through the engine, as one
// batch whose results list the three groups (leavers with what became of
// them: revoked, requested, or listed). revoked, when not nil, says what
// the leavers' revocation did (run before, by the caller), by order ID.
func Sync(ctx context.Context, o SyncOptions, p *SyncPlan, revoked map[int64]string) (*order.Summary, error) {
	var rows []plannedRow
	row := 2
	cells := func(group, email, key, name string, rosterRow int, renewed int64, expires string) []string {
		rr := ""
		if rosterRow > 0 {
			rr = fmt.Sprint(rosterRow)
		}
		return []string{group, email, key, name, rr, order.ID(renewed), expires}
	}
	for _, j := range p.Joiners {
		pr := plannedRow{it: j.it, act: actOrder, prev: j.prev,
			rec: order.Result{Row: row, Input: cells("joiner", j.Email, j.Key, j.Name, j.Row, 0, ""), Product: j.Product, Name: j.Name, Email: j.Email}}
		pr.it.res.Row = row
		rows = append(rows, pr)
		row++
	}
	keyCol := slices.Index(renewHeader, "Person Key")
	for i, pr := range p.Renewals.renewRows(row) {
		rn := &p.Renewals.Renewals[i]
		if rn.Decision == RenewNotListed {
			continue // not on the roster: no renewal question for them here
		}
		pr.rec.Input = cells("renewal", rn.Email, pr.it.cells[keyCol], pr.it.res.CommonName, 0, pr.it.renewalOf, pr.it.validTill)
		pr.rec.Row, pr.it.res.Row = row, row
		rows = append(rows, pr)
		row++
	}
	for _, t := range p.Leavers {
		rec := order.Result{Row: row, Name: t.Order.Certificate.CommonName, Email: t.Email, Input: cells("leaver", t.Email, t.Key, t.Order.Certificate.CommonName, 0, 0, t.Order.Certificate.ValidTill),
			Product: t.Product, Outcome: order.Skipped, Answer: order.Answer{OrderID: t.OrderID, CertificateID: t.CertificateID, OrderStatus: t.Order.Status}}
		rec.Note = p.lang.Sprintf("leaver: active certificate of a person no longer on the roster; not revoked (--revoke-leavers)")
		if what, ok := revoked[t.OrderID]; ok {
			rec.Note = p.lang.Sprintf("leaver: %s", what)
		}
		rows = append(rows, plannedRow{act: actFinal, rec: rec})
		row++
	}
	// Roster rows not sent, so the run's exit code asks a person to fix
	// them (3).
	for _, f := range p.invalid {
		f.rec.Input = cells("invalid", f.it.res.Email, f.it.res.PersonKey, f.it.res.CommonName, f.rec.Row, 0, "")
		f.rec.Row = row
		rows = append(rows, f)
		row++
	}
	// Roster people found at DigiCert are journaled (a row each).
	for _, f := range p.found {
		f.rec.Row, f.it.res.Row = row, row
		f.rec.Input = cells("current", f.it.res.Email, f.it.res.PersonKey, f.it.res.CommonName, f.it.res.Row, 0, "")
		rows = append(rows, f)
		row++
	}
	return runPlanned(ctx, o.SubmitOptions, plannedRun{command: "sync", input: o.Input, inputSHA256: rowsDigest(rows), header: syncHeader, rows: rows, account: p.Account})
}
