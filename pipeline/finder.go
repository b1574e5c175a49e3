package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/templates"
)

// OrderFinder finds the orders an unanswered request may have created,
// relying only on what DigiCert documents (certcentral-today.md §3):
//
//   - It walks the order list newest first (sort=-date_created, offset
//     paging), with no filter: whether filters[email] folds case, whether
//     a client_premium_sha2 order is listed under that ID or
//     client_premium, and which date operators exist are not documented,
//     and a wrong guess would turn "not found" into a second order.
//   - It walks back past the intent time. Newest-first paging can repeat
//     an item when orders are placed meanwhile (they push the list down)
//     but never skips one. If the list turns out not to be sorted, the
//     walk goes to its end. A date without a time zone counts as any time
//     within 14 hours of it; an order without a usable date is always a
//     candidate.
//   - Candidates are the orders possibly created since the intent, of the
//     same product (either of its IDs, none given, or an ID certbatch does
//     not know: DigiCert could list an order under a name of its own),
//     that the journal does not already hold as another attempt's order. Each is confirmed
//     with order info (GET /order/certificate/{id}), which names the
//     order's emails for S/MIME orders: it matches when the product and
//     an email (normalized: order.NormalizeEmail) are the row's.
//   - A candidate whose order info names no email cannot be ruled out:
//     it is reported, never taken as absence.
//
// Absence is proven only when the walk covered the whole window and no
// candidate was left unconfirmed. One finder serves a whole run: list
// pages and order info are fetched once. It is safe for concurrent use.
type OrderFinder struct {
	c    *certcentral.Client
	set  *templates.Set
	j    *journal.Journal
	opts []certcentral.CallOption

	mu       sync.Mutex
	items    []walked
	seen     map[int64]bool
	offset   int
	end      bool
	unsorted bool
	lastHi   time.Time // the newest possible creation time of the last dated item walked
	info     map[int64]*certcentral.Order
}

// walked is one list item and the span its creation time lies in.
type walked struct {
	o      certcentral.Order
	lo, hi time.Time // zero lo / hi: unbounded
}

// zoneSlack is how far a creation time without a time zone may be from
// the same digits read as UTC.
const zoneSlack = 14 * time.Hour

// maxWalkPages bounds a walk (a million orders).
const maxWalkPages = 1000

// NewOrderFinder returns a finder over the account behind c. set tells
// which product IDs name the same product; j, when not nil, tells which
// orders already belong to other attempts.
func NewOrderFinder(c *certcentral.Client, set *templates.Set, j *journal.Journal, opts ...certcentral.CallOption) *OrderFinder {
	return &OrderFinder{c: c, set: set, j: j, opts: opts, seen: map[int64]bool{}, info: map[int64]*certcentral.Order{}}
}

// span returns the bounds of an item's creation time.
func span(o *certcentral.Order) (lo, hi time.Time) {
	if !o.DateCreated.IsZero() {
		return o.DateCreated, o.DateCreated
	}
	raw := strings.Replace(strings.TrimSpace(o.DateCreatedRaw), " ", "T", 1)
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, raw); err == nil {
			if layout == "2006-01-02" {
				return t.Add(-zoneSlack), t.Add(24*time.Hour + zoneSlack)
			}
			return t.Add(-zoneSlack), t.Add(zoneSlack)
		}
	}
	return time.Time{}, time.Time{}
}

// walk extends the walk until it covers every order created at or after
// since, or the list ends. Callers hold mu.
func (f *OrderFinder) walk(ctx context.Context, since time.Time) error {
	for pages := 0; ; pages++ {
		if f.end || (!f.unsorted && !f.lastHi.IsZero() && f.lastHi.Before(since)) {
			return nil
		}
		if pages >= maxWalkPages {
			return fmt.Errorf("reconcile: the order list is longer than %d pages; not walked to the end", maxWalkPages)
		}
		p, err := f.c.ListPage(ctx, f.offset, f.opts...)
		if err != nil {
			return err
		}
		for _, o := range p.Orders {
			lo, hi := span(&o)
			if !lo.IsZero() && !f.lastHi.IsZero() && lo.After(f.lastHi) {
				f.unsorted = true // newer than an item before it: sort is not honoured
			}
			if !hi.IsZero() {
				f.lastHi = hi
			}
			if f.seen[o.ID] {
				continue
			}
			f.seen[o.ID] = true
			f.items = append(f.items, walked{o: o, lo: lo, hi: hi})
		}
		f.offset += len(p.Orders)
		if len(p.Orders) == 0 || f.offset >= p.Total {
			f.end = true
		}
	}
}

// sameProduct reports whether two product IDs name one product.
func (f *OrderFinder) sameProduct(a, b string) bool {
	return a == b || f.set != nil && f.set.Canonical(a) == f.set.Canonical(b)
}

// otherProduct reports whether a listed product ID is certainly not the
// attempt's product: a product certbatch knows, and not one of its IDs.
// An ID certbatch does not know (DigiCert may list an order under a name
// of its own) could be it, so it stays a candidate.
func (f *OrderFinder) otherProduct(listed, product string) bool {
	if listed == "" || f.sameProduct(listed, product) {
		return false
	}
	if f.set == nil {
		return true
	}
	_, known := f.set.ForProduct(listed)
	return known
}

// Found is what a search for an attempt's order found.
type Found struct {
	Matches   []certcentral.Order // confirmed: same product and email
	Unchecked []int64             // candidates whose order info names no email
}

// Find looks for the orders the attempt e may have created: see
// [OrderFinder]. An error means nothing can be concluded.
func (f *OrderFinder) Find(ctx context.Context, e *journal.Entry) (*Found, error) {
	since := e.IntentAt.Add(-ReconcileSkew)
	f.mu.Lock()
	err := f.walk(ctx, since)
	var cands []certcentral.Order
	for _, w := range f.items {
		if !w.hi.IsZero() && w.hi.Before(since) {
			continue
		}
		if f.otherProduct(w.o.NameID(), e.Product) {
			continue
		}
		cands = append(cands, w.o)
	}
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	found := &Found{}
	for _, cand := range cands {
		if f.j != nil {
			owner, err := f.j.OrderOwner(cand.ID)
			if err != nil {
				return nil, &JournalError{Err: err}
			}
			if owner != nil && owner.ID != e.ID {
				continue // another row's order
			}
		}
		o, err := f.orderInfo(ctx, cand.ID)
		if err != nil {
			return nil, err
		}
		if f.otherProduct(o.NameID(), e.Product) {
			continue
		}
		emails := o.Emails()
		switch {
		case len(emails) == 0:
			found.Unchecked = append(found.Unchecked, o.ID)
		case slices.ContainsFunc(emails, func(x string) bool { return order.NormalizeEmail(x) == order.NormalizeEmail(e.Email) }):
			found.Matches = append(found.Matches, *o)
		}
	}
	return found, nil
}

// orderInfo fetches an order once per finder.
func (f *OrderFinder) orderInfo(ctx context.Context, id int64) (*certcentral.Order, error) {
	f.mu.Lock()
	o := f.info[id]
	f.mu.Unlock()
	if o != nil {
		return o, nil
	}
	o, err := f.c.GetOrder(ctx, id, f.opts...)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.info[id] = o
	f.mu.Unlock()
	return o, nil
}

// DefaultSettle is how old an unanswered request must be before an empty
// search proves that it created nothing: a request whose answer timed
// out after 90 seconds may still be being processed, and an order placed
// a moment ago may not be listed yet.
const DefaultSettle = 3 * time.Minute

// settleOf turns an options' Settle into the settle time used: 0 means
// DefaultSettle, a negative value none.
func settleOf(d time.Duration) time.Duration {
	switch {
	case d == 0:
		return DefaultSettle
	case d < 0:
		return 0
	}
	return d
}
