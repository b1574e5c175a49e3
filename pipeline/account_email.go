package pipeline

import (
	"context"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// An S/MIME order names its person's emails in order info ("Returned
// only for S/MIME certificate orders":
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html),
// but the order list does not: it lists the common name, which DigiCert
// may have made from another spelling of the person's name (Robert for
// Bob, a name order HR does not use, a name DigiCert derives for Secure
// Email). So for a person whose product names emails, the account check
// does not stop at the orders listed under their name: every active
// order of the product the journal does not hold may be theirs by an
// email. Two ways to know, whichever costs fewer requests:
//
//   - sweep: read the order info of every such order whose info the
//     journal has not cached (once ever: the journal keeps it), when they
//     are no more than the batch's people to check;
//   - search: otherwise ask the order list with the documented
//     filters[email] for each of the person's emails
//     (https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html):
//     one request per email. It only finds candidates: whether it folds
//     case, or lists every product, is not documented, so an order it
//     does not return is not proof of absence; the sweep, the name
//     shortlist and the journal still stand. Every candidate is confirmed
//     by its order info as always.
//
// Either way the check costs at most about one request per new person,
// whatever the account's size, and never misses an order that names the
// person's email.

// emailProduct reports whether a product's orders identify their person
// by certificate.emails (client certificates and Secure Email): the
// products whose order info may name the person's emails.
func (f *OrderFinder) emailProduct(product string) bool {
	if f.set == nil {
		return true
	}
	t, ok := f.set.ForProduct(product)
	return ok && t.IdentityPath(product) == "certificate.emails"
}

// unknownActive returns the account's active orders that the journal
// does not hold and that may be of product (its own, a related one, or
// one certbatch does not know). Computed once per product (the walk is
// whole by then).
func (f *OrderFinder) unknownActive(product string) ([]certcentral.Order, error) {
	key := f.canon(product)
	f.emailMu.Lock()
	if os, ok := f.unknown[key]; ok {
		f.emailMu.Unlock()
		return os, nil
	}
	f.emailMu.Unlock()
	f.mu.Lock()
	f.index()
	var items []certcentral.Order
	for _, is := range f.byName {
		for _, i := range is {
			if o := f.items[i].o; !f.otherProduct(o.NameID(), product) {
				items = append(items, o)
			}
		}
	}
	f.mu.Unlock()
	var out []certcentral.Order
	for _, o := range items {
		owner, err := f.owner(o.ID)
		if err != nil {
			return nil, err
		}
		if owner == nil {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b certcentral.Order) int { return int(a.ID - b.ID) })
	f.emailMu.Lock()
	if f.unknown == nil {
		f.unknown = map[string][]certcentral.Order{}
	}
	f.unknown[key] = out
	f.emailMu.Unlock()
	return out, nil
}

// canon is product's canonical ID (its aliases share one).
func (f *OrderFinder) canon(product string) string {
	if f.set == nil {
		return product
	}
	return f.set.Canonical(product)
}

// cachedFacts returns what is known of an order without asking
// DigiCert: this run's reads, or the journal's cache; nil when neither.
func (f *OrderFinder) cachedFacts(id int64) (*facts, error) {
	f.mu.Lock()
	x := f.info[id]
	f.mu.Unlock()
	if x != nil || f.j == nil {
		return x, nil
	}
	cached, err := f.j.AccountOrder(id)
	if err != nil || cached == nil {
		if err != nil {
			return nil, &JournalError{Err: err}
		}
		return nil, nil
	}
	return &facts{key: cached.ProductKey, emails: cached.Emails}, nil
}

// searchEmail returns the orders filters[email] lists for email, asked
// once per run.
func (f *OrderFinder) searchEmail(ctx context.Context, email string) ([]certcentral.Order, error) {
	f.emailMu.Lock()
	hits, ok := f.emailHits[email]
	f.emailMu.Unlock()
	if ok {
		return hits, nil
	}
	hits, err := f.c.ListByEmail(ctx, email, f.opts...)
	f.emailMu.Lock()
	defer f.emailMu.Unlock()
	f.searches++
	if err != nil {
		return nil, err
	}
	if f.emailHits == nil {
		f.emailHits = map[string][]certcentral.Order{}
	}
	f.emailHits[email] = hits
	return hits, nil
}

// mayBeByEmail reports whether orders at DigiCert the name shortlist
// does not show may be p's by an email.
func (a *AccountOrders) mayBeByEmail(p Person) (bool, error) {
	if p.Email == "" || !a.f.emailProduct(p.Product) {
		return false, nil
	}
	os, err := a.f.unknownActive(p.Product)
	return len(os) > 0, err
}

// emailCandidates returns the active orders the journal does not hold
// that may be p's by an email (see the top of this file).
func (a *AccountOrders) emailCandidates(ctx context.Context, p Person) ([]certcentral.Order, error) {
	f := a.f
	if ok, err := a.mayBeByEmail(p); !ok || err != nil {
		return nil, err
	}
	unknown, err := f.unknownActive(p.Product)
	if err != nil {
		return nil, err
	}
	f.emailMu.Lock()
	swept := f.sweptAll || f.swept[f.canon(p.Product)]
	f.emailMu.Unlock()
	var out []certcentral.Order
	if swept {
		for _, o := range unknown {
			x, err := f.cachedFacts(o.ID)
			if err != nil {
				return nil, err
			}
			if x != nil && slices.ContainsFunc(x.emails, func(e string) bool { return p.hasEmail(order.NormalizeEmail(e)) }) {
				out = append(out, o)
			}
		}
		return out, nil
	}
	ids := map[int64]bool{}
	for _, o := range unknown {
		ids[o.ID] = true
	}
	for _, e := range append([]string{p.Email}, p.Emails...) {
		hits, err := f.searchEmail(ctx, e)
		if err != nil {
			return nil, err
		}
		for _, o := range hits {
			if ids[o.ID] && !slices.ContainsFunc(out, func(x certcentral.Order) bool { return x.ID == o.ID }) {
				out = append(out, o)
			}
		}
	}
	return out, nil
}

// prefetchEmails prepares emailCandidates for people, the cheaper way:
// it sweeps a product when its unread unknown orders are no more than
// the people to check for it, and otherwise searches each person's
// emails, concurrently.
func (a *AccountOrders) prefetchEmails(ctx context.Context, people []Person, concurrency int) error {
	f := a.f
	byProduct := map[string][]Person{}
	for _, p := range people {
		if ok, err := a.mayBeByEmail(p); err != nil {
			return err
		} else if ok {
			k := f.canon(p.Product)
			byProduct[k] = append(byProduct[k], p)
		}
	}
	var search []string
	for product, ps := range byProduct {
		unknown, err := f.unknownActive(product)
		if err != nil {
			return err
		}
		var unread []certcentral.Order
		for _, o := range unknown {
			if x, err := f.cachedFacts(o.ID); err != nil {
				return err
			} else if x == nil {
				unread = append(unread, o)
			}
		}
		if len(unread) <= len(ps) {
			if err := f.prefetch(ctx, unread, concurrency); err != nil {
				return l10n.Errorf("account check: %w", err)
			}
			f.emailMu.Lock()
			if f.swept == nil {
				f.swept = map[string]bool{}
			}
			f.swept[product] = true
			f.emailMu.Unlock()
			continue
		}
		for _, p := range ps {
			search = append(search, append([]string{p.Email}, p.Emails...)...)
		}
	}
	slices.Sort(search)
	search = slices.Compact(search)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	for _, e := range search {
		g.Go(func() error {
			_, err := f.searchEmail(gctx, e)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return l10n.Errorf("account check: %w", err)
	}
	return nil
}
