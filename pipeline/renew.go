package pipeline

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
)

// Renewals. CertCentral expresses a renewal as a new order whose body
// names the order it renews in renewal_of_order_id ("If the order is a
// renewal, enter the ID of the previous order": the client certificate
// seed page's body table,
// https://dev.digicert.com/services-api/orders/order-client-certificate/).
// The document signing page lists no such field: certbatch does not
// renew document signing orders through the API (the plan lists them,
// with what to do).
//
// What a renewal sends, and why: the order renewed is read with order
// info, and a row is built from it with the client template's own
// headers, then mapped and validated exactly like an input row (today's
// S/MIME profile rules included):
//
//   - the person: certificate.emails, common_name, organization_units and
//     the S/MIME profile fields (common_name_indicator, individual
//     first_name/last_name or pseudonym), as order info gives them: a
//     renewal is the same person's certificate;
//   - the terms: the config's order: constants when it has them
//     (organization.id, container.id, validity_years, payment_method,
//     skip_approval), else the order renewed's organization, container
//     and validity_years (1 year when it has none); a custom expiration
//     date is never copied (it lies in the past for an order about to
//     expire);
//   - no CSR: a request's key pair is not reused, so the person generates
//     the new key in the browser, as with any order without a CSR;
//   - renewal_of_order_id: the order renewed.
//
// A renewal is an order: it is journaled like one (with its link,
// journal.AddRenewalIntent), so the same crash, re-run and lost-answer
// safety applies, and an order is never renewed twice:
//
//   - the journal's renewal of it that stands, or one whose answer never
//     came (DigiCert is checked for that one first);
//   - order info's is_renewed / renewed_order_id (a renewal by anyone;
//     https://dev.digicert.com/zh-tw/services-api/orders/order-info/).
//     When DigiCert sets it is not documented, so false never proves
//     "not renewed": the two checks before and after this one stand on
//     their own;
//   - a newer order of the same person and product, in the journal or in
//     the account (the account check submit makes), renewal or not.

// RenewOptions configure [PlanRenew] and [Renew].
type RenewOptions struct {
	// SubmitOptions carries the engine's settings: Client, Journal,
	// Templates, Concurrency, Output, Log, Progress, Settle, Grace,
	// Hurry, Sandbox, NoAccountCheck. Its Source is not read.
	SubmitOptions
	// Config gives the renewal's terms (order: constants); nil: none.
	Config *mapping.Config
	// Within is the renewal window: orders whose certificate expires
	// from today to today+Within are renewed.
	Within time.Duration
	// Only, when set, restricts renewals to these people.
	Only *People
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Label names the run's input in the journal and the results.
	Label string
	// Account, when set, is the account check already made (sync): it is
	// used instead of reading the account again.
	Account *AccountOrders
}

// RenewDecision is what a renewal plan does with an expiring order.
type RenewDecision string

// Renewal decisions.
const (
	RenewIt        RenewDecision = "renew"      // order its renewal
	RenewReconcile RenewDecision = "reconcile"  // an earlier renewal request got no answer: DigiCert is checked first
	RenewDone      RenewDecision = "renewed"    // already renewed (certbatch, or anyone): never again
	RenewAdopt     RenewDecision = "adopt"      // renewed at DigiCert (is_renewed), unknown to the journal: journaled
	RenewCannot    RenewDecision = "cannot"     // certbatch cannot renew it: Why says what to do
	RenewNotListed RenewDecision = "not listed" // the input does not list the person
)

// Renewal is one expiring order and what the plan does with it.
type Renewal struct {
	Order     certcentral.Order // order info of the order renewed
	ValidTill time.Time
	Email     string // the person (first email), normalized
	Key       string // the journal's key for the person, when known
	Product   string
	Decision  RenewDecision
	Why       string
	// Validity and Payment are what the renewal buys.
	Validity, Payment string
	prev              *journal.Entry // RenewReconcile: the unanswered attempt
	mapped            mapping.Result
	cells             []string
}

// RenewPlan is a renewal run's plan.
type RenewPlan struct {
	// lang is the language the plan is described in.
	lang     l10n.Printer
	From, To time.Time
	Renewals []Renewal
	Search   *ExpiringSearch
	Account  *AccountOrders
	// AccountErr is why the account could not be checked for newer
	// orders; nothing is renewed then (Unchecked renewals held back).
	AccountErr error
	Requests   int // API requests the plan sent
}

// Count returns how many renewals have decision d.
func (p *RenewPlan) Count(d RenewDecision) int {
	n := 0
	for i := range p.Renewals {
		if p.Renewals[i].Decision == d {
			n++
		}
	}
	return n
}

// renewHeader is the row a renewal is built from: the client template's
// own headers (mapping reads them without a columns: block), the
// person's key, and the expiry of the order renewed (a header no
// template field reads).
var renewHeader = []string{"Product", "Email", "Common Name", "First Name", "Last Name", "Pseudonym", "Common Name Indicator",
	"Organization Units", "Organization ID", "Container ID", "Validity Years", "Renewal Of Order ID", "Person Key", "Order Expires"}

// PlanRenew finds the orders that expire within the window and decides
// about each; nothing is sent but reads.
func PlanRenew(ctx context.Context, o RenewOptions) (*RenewPlan, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	t := now()
	p := &RenewPlan{From: day(t), To: day(t.Add(o.Within)), lang: o.Lang}
	search, err := FindExpiring(ctx, o.Client, t, p.From, p.To)
	if err != nil {
		return nil, l10n.Errorf("find expiring orders: %w", err)
	}
	p.Search = search
	p.Requests += search.Requests
	// Only products certbatch knows can be renewed; order info names the
	// person and the body's fields.
	var cands []certcentral.Order
	for _, ord := range search.Orders {
		if _, ok := o.Templates.ForProduct(ord.NameID()); ok {
			cands = append(cands, ord)
		} else {
			p.Renewals = append(p.Renewals, Renewal{Order: ord, Product: ord.NameID(), Decision: RenewCannot,
				Why: o.Lang.Sprintf("product %q is not one certbatch orders", ord.NameID())})
		}
	}
	infos := make([]*certcentral.Order, len(cands))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.Concurrency, 1))
	var mu sync.Mutex
	for i, c := range cands {
		g.Go(func() error {
			info, err := o.Client.GetOrder(gctx, c.ID)
			mu.Lock()
			p.Requests++
			mu.Unlock()
			if err != nil {
				return l10n.Errorf("read order %d: %w", c.ID, err)
			}
			infos[i] = info
			// What order info said is cached like the account check caches
			// it, so that check does not read the order again.
			if owner, err := o.Journal.OrderOwner(info.ID); err != nil {
				return &JournalError{Err: err}
			} else if owner == nil {
				var emails []string
				for _, e := range info.Emails() {
					emails = append(emails, order.NormalizeEmail(e))
				}
				key := o.Templates.Canonical(info.NameID())
				if _, known := o.Templates.ForProduct(key); !known {
					key = ""
				}
				if err := o.Journal.PutAccountOrder(journal.AccountOrder{OrderID: info.ID, ProductKey: key, Emails: emails}); err != nil {
					return &JournalError{Err: err}
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// The account: a person with a newer order (by anyone) is renewed
	// already.
	if o.Account != nil {
		p.Account = o.Account
	} else if len(infos) > 0 && !o.NoAccountCheck {
		a, err := CheckAccount(ctx, o.Client, o.Templates, o.Journal)
		switch {
		case err != nil && (ctx.Err() != nil || isJournalErr(err)):
			return nil, err
		case err != nil:
			p.AccountErr = err
		default:
			p.Account = a
		}
	}
	var mappers [2]*mapping.Mapper // without, with the key column
	for i := range mappers {
		if mappers[i], err = renewMapper(o, i == 1); err != nil {
			return nil, err
		}
	}
	for _, info := range infos {
		r, err := o.decideRenewal(ctx, p, mappers, info)
		if err != nil {
			return nil, err
		}
		p.Renewals = append(p.Renewals, r)
	}
	// One renewal per person and product: the latest order.
	newest := map[string]int{}
	for i := range p.Renewals {
		r := &p.Renewals[i]
		if r.Decision != RenewIt && r.Decision != RenewReconcile {
			continue
		}
		k := o.Templates.Canonical(r.Product) + "|" + r.Email
		if j, ok := newest[k]; ok {
			older := j
			if p.Renewals[j].Order.ID > r.Order.ID {
				older = i
			}
			keep := i + j - older
			p.Renewals[older].Decision = RenewDone
			p.Renewals[older].Why = o.Lang.Sprintf("order %d of the same person is renewed instead", p.Renewals[keep].Order.ID)
			newest[k] = keep
			continue
		}
		newest[k] = i
	}
	slices.SortStableFunc(p.Renewals, func(a, b Renewal) int {
		return cmp.Or(a.ValidTill.Compare(b.ValidTill), cmp.Compare(a.Email, b.Email), cmp.Compare(a.Order.ID, b.Order.ID))
	})
	return p, nil
}

func isJournalErr(err error) bool {
	_, ok := err.(*JournalError)
	return ok
}

// renewMapper compiles the renewal rows' mapper: the config's terms, the
// template's own headers, and the key column when the person has a key.
func renewMapper(o RenewOptions, withKey bool) (*mapping.Mapper, error) {
	cfg := &mapping.Config{}
	if withKey {
		cfg.Key = "Person Key"
	}
	if o.Config != nil {
		cfg.Order = o.Config.Order
	}
	return mapping.Compile(cfg, renewHeader, o.Templates, mapping.Options{Now: o.Now, Lang: o.Lang})
}

// hasConst reports whether the config's order: constants set a path.
func hasConst(cfg *mapping.Config, path string) bool {
	if cfg == nil {
		return false
	}
	var cur any = cfg.Order
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[k]; !ok {
			return false
		}
	}
	return true
}

// decideRenewal decides about one expiring order (its order info).
func (o *RenewOptions) decideRenewal(ctx context.Context, p *RenewPlan, mappers [2]*mapping.Mapper, info *certcentral.Order) (Renewal, error) {
	r := Renewal{Order: *info, Product: info.NameID()}
	r.ValidTill, _ = info.Certificate.ValidTillDate()
	if emails := info.Emails(); len(emails) > 0 {
		r.Email = order.NormalizeEmail(emails[0])
	}
	tpl, _ := o.Templates.ForProduct(r.Product)
	if e, err := o.Journal.OrderOwner(info.ID); err != nil {
		return r, &JournalError{Err: err}
	} else if e != nil {
		r.Key = e.PersonKey
		if r.Email == "" {
			r.Email = e.Email
		}
	}
	switch {
	case tpl.Family != "client_certificate":
		r.Decision, r.Why = RenewCannot, o.Lang.Sprintf("DigiCert documents renewal_of_order_id for client certificates only; order a new certificate with submit (--force)")
		return r, nil
	case info.Status != "issued":
		r.Decision, r.Why = RenewCannot, o.Lang.Sprintf("it is %s now", info.Status)
		return r, nil
	case r.Email == "":
		r.Decision, r.Why = RenewCannot, o.Lang.Sprintf("order info names no email and the journal does not know the order")
		return r, nil
	case o.Only != nil && !o.Only.Has(r.Email, r.Key):
		r.Decision, r.Why = RenewNotListed, o.Lang.Sprintf("not in the input")
		return r, nil
	}
	// The journal's renewal of this order.
	prev, err := o.Journal.Renewal(info.ID)
	if err != nil {
		return r, &JournalError{Err: err}
	}
	pk := o.Templates.Canonical(r.Product)
	switch {
	case prev != nil && prev.State == journal.StateOrdered:
		r.Decision, r.Why = RenewDone, o.Lang.Sprintf("renewed by certbatch: order %d (batch %s)", prev.OrderID, prev.Batch)
		return r, nil
	case prev != nil:
		// An earlier renewal request got no answer: DigiCert is checked
		// for it first (the order it renews, then like any order), as
		// submit does for an unanswered order.
		r.Decision, r.prev = RenewReconcile, prev
	case info.IsRenewed && info.RenewedOrderID != 0 && prev == nil:
		r.Decision, r.Why = RenewAdopt, o.Lang.Sprintf("renewed at DigiCert: order %d", info.RenewedOrderID)
	case info.IsRenewed && prev == nil:
		r.Decision, r.Why = RenewDone, o.Lang.Sprintf("DigiCert says it is renewed")
		return r, nil
	}
	if r.Decision == "" {
		// A newer order of the person, in the journal or the account.
		m, err := o.Journal.FindPerson(journal.Person{ProductKey: pk, Email: r.Email, Key: r.Key})
		if err != nil {
			return r, &JournalError{Err: err}
		}
		if e := m.Entry; e != nil && e.State == journal.StateOrdered && e.OrderID > info.ID {
			r.Decision, r.Why = RenewDone, o.Lang.Sprintf("the person has a newer order %d (batch %s)", e.OrderID, e.Batch)
			return r, nil
		}
		a, ok, err := p.Account.Find(ctx, pk, []string{r.Email}, o.Concurrency)
		if err != nil {
			if isJournalErr(err) || ctx.Err() != nil {
				return r, err
			}
			p.AccountErr = err
		}
		if ok && a.ID > info.ID {
			r.Decision, r.Why = RenewDone, o.Lang.Sprintf("the person has a newer order at DigiCert: %d (%s)", a.ID, a.Status)
			return r, nil
		}
		if p.AccountErr != nil && !o.NoAccountCheck {
			r.Decision, r.Why = RenewCannot, o.Lang.Sprintf("the account could not be checked for a newer order of this person (%s); run again later", o.Lang.Error(p.AccountErr))
			return r, nil
		}
		r.Decision = RenewIt
	}
	// The renewal's order, mapped and validated like an input row.
	r.cells = o.renewalCells(info, r)
	m := mappers[0]
	if r.Key != "" {
		m = mappers[1]
	}
	res := m.Map(0, r.cells, &mapping.Scratch{}, true)
	if !res.Valid() {
		r.Decision, r.Why = RenewCannot, o.Lang.Sprintf("its renewal would be refused: %s", res.ErrorText())
		return r, nil
	}
	r.mapped, r.Validity, r.Payment = res, cmp.Or(res.Validity, o.Lang.Sprintf("(none)")), cmp.Or(res.Payment, o.Lang.Sprintf("balance (DigiCert's default)"))
	return r, nil
}

// renewalCells builds the renewal's row (renewHeader) from order info.
func (o *RenewOptions) renewalCells(info *certcentral.Order, r Renewal) []string {
	c := info.Certificate
	ind := c.Individual
	if ind == nil {
		ind = &certcentral.Individual{}
	}
	cells := make([]string, len(renewHeader))
	set := func(h, v string) { cells[slices.Index(renewHeader, h)] = v }
	set("Product", r.Product)
	set("Email", strings.Join(c.Emails, ";"))
	if len(c.Emails) == 0 {
		set("Email", r.Email)
	}
	set("Common Name", c.CommonName)
	set("First Name", ind.FirstName)
	set("Last Name", ind.LastName)
	set("Pseudonym", ind.Pseudonym)
	set("Common Name Indicator", c.CommonNameIndicator)
	set("Organization Units", strings.Join(c.OrganizationUnits, ";"))
	if !hasConst(o.Config, "organization.id") && info.Organization.ID != 0 {
		set("Organization ID", strconv.FormatInt(info.Organization.ID, 10))
	}
	if !hasConst(o.Config, "container.id") && info.Container.ID != 0 {
		set("Container ID", strconv.FormatInt(info.Container.ID, 10))
	}
	if !hasConst(o.Config, "validity_years") && !hasConst(o.Config, "custom_expiration_date") {
		set("Validity Years", strconv.Itoa(max(info.ValidityYears, 1)))
	}
	set("Renewal Of Order ID", strconv.FormatInt(info.ID, 10))
	set("Person Key", r.Key)
	if !r.ValidTill.IsZero() {
		set("Order Expires", r.ValidTill.Format(time.DateOnly))
	}
	return cells
}
