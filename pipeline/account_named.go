package pipeline

import (
	"cmp"
	"context"
	"slices"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// NamedOrder is an active order of the account the journal does not
// hold, with what order info says of it: its product and the emails it
// names (none for every product but S/MIME).
type NamedOrder struct {
	Order      certcentral.Order
	ProductKey string   // canonical; "" for a product certbatch does not know
	Emails     []string // normalized
}

// Named returns every active order of the account the journal does not
// hold, with its order info (read concurrently, once ever: the journal
// caches it). It costs one request per such order the first time: the
// lifecycle commands (renew, revoke, sync, expiring) need to know whose
// every certificate is, not only whether some person has one.
func (a *AccountOrders) Named(ctx context.Context, concurrency int) ([]NamedOrder, error) {
	a.namedMu.Lock()
	defer a.namedMu.Unlock()
	if a.namedOK {
		return a.named, nil
	}
	f := a.f
	f.mu.Lock()
	f.index()
	var items []certcentral.Order
	for _, is := range f.byName {
		for _, i := range is {
			items = append(items, f.items[i].o)
		}
	}
	f.mu.Unlock()
	var unknown []certcentral.Order
	for _, o := range items {
		owner, err := f.owner(o.ID)
		if err != nil {
			return nil, err
		}
		if owner == nil {
			unknown = append(unknown, o)
		}
	}
	slices.SortFunc(unknown, func(x, y certcentral.Order) int { return cmp.Compare(x.ID, y.ID) })
	if err := f.prefetch(ctx, unknown, concurrency); err != nil {
		return nil, l10n.Errorf("account check: %w", err)
	}
	out := make([]NamedOrder, 0, len(unknown))
	for _, o := range unknown {
		x, err := f.orderFacts(ctx, o)
		if err != nil {
			return nil, l10n.Errorf("account check: %w", err)
		}
		n := NamedOrder{Order: o, ProductKey: x.key, Emails: x.emails}
		if x.order != nil {
			n.Order = *x.order
		}
		out = append(out, n)
	}
	a.named, a.namedOK = out, true
	f.emailMu.Lock()
	f.sweptAll = true // every unknown order's info is known now
	f.emailMu.Unlock()
	return out, nil
}

// Find returns the newest active order of the account, not held by the
// journal, whose order info names one of emails for product productKey
// (or a product certbatch does not know). It reads every such order's
// info once ([AccountOrders.Named]).
func (a *AccountOrders) Find(ctx context.Context, productKey string, emails []string, concurrency int) (certcentral.Order, bool, error) {
	if a == nil {
		return certcentral.Order{}, false, nil
	}
	named, err := a.Named(ctx, concurrency)
	if err != nil {
		return certcentral.Order{}, false, err
	}
	var best certcentral.Order
	found := false
	for _, n := range named {
		if n.ProductKey != "" && !a.f.sameProduct(n.ProductKey, productKey) {
			continue
		}
		for _, e := range emails {
			if slices.Contains(n.Emails, order.NormalizeEmail(e)) && (!found || n.Order.ID > best.ID) {
				best, found = n.Order, true
			}
		}
	}
	return best, found, nil
}
