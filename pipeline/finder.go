package pipeline

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/templates"
)

// OrderFinder is what certbatch knows of the account's orders in one
// run, from what DigiCert documents only (certcentral-today.md §3):
//
//   - The order list, walked newest first (sort=-date_created, offset
//     paging) without a filter, until a short page
//     ([certcentral.Pager]; never on page.total). List items carry the
//     order's ID, status, date_created, certificate.common_name,
//     organization and product
//     (https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html).
//     Newest-first paging can repeat an item when orders are placed
//     meanwhile (they push the list down) but never skips one; a list
//     that turns out unsorted is walked to its end. A date without a time
//     zone counts as any time within 14 hours of it; an order without a
//     usable date is always in a window.
//   - Order info for a candidate only, once per run (and once ever for
//     what the journal's account_orders cache keeps): it names the
//     order's emails for S/MIME orders only ("Returned only for S/MIME
//     certificate orders",
//     https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html).
//
// A person is recognised by an email order info names, or, where it
// names none, by the common name the order is listed under ([Person]).
// The list's documented filters (filters[common_name], filters[search],
// filters[email]) are not used: a filter could find candidates but
// never prove that a person has no order, and a walk is needed for that
// anyway. It is safe for concurrent use.
type OrderFinder struct {
	c    *certcentral.Client
	set  *templates.Set
	j    *journal.Journal
	opts []certcentral.CallOption

	mu       sync.Mutex
	items    []walked
	seen     map[int64]bool
	offset   int
	pager    certcentral.Pager
	end      bool
	unsorted bool
	lastHi   time.Time // the newest possible creation time of the last dated item walked
	info     map[int64]*facts
	pages    int // list pages read
	reads    int // order info reads
	byName   map[string][]int
	indexed  int // items already in byName

	// The account's orders that may be a person's by an email
	// (account_email.go): the active orders the journal does not hold,
	// by product, once the walk is whole; the products whose every such
	// order's info was read (swept); filters[email] answers by email.
	emailMu   sync.Mutex
	unknown   map[string][]certcentral.Order
	swept     map[string]bool
	sweptAll  bool
	emailHits map[string][]certcentral.Order
	searches  int
}

// walked is one list item and the span its creation time lies in.
type walked struct {
	o      certcentral.Order
	lo, hi time.Time // zero lo / hi: unbounded
	name   string    // the common name, normalized (NormalizeName)
}

// facts is what order info (or the journal's cache of it) says of an
// order: its product and the emails it names.
type facts struct {
	order  *certcentral.Order // order info, when read in this run
	key    string             // canonical product ID; "" for a product certbatch does not know
	emails []string           // normalized; empty when order info names none
}

// zoneSlack is how far a creation time without a time zone may be from
// the same digits read as UTC.
const zoneSlack = 14 * time.Hour

// maxWalkPages bounds a walk (a million orders).
const maxWalkPages = 1000

// NewOrderFinder returns a finder over the account behind c. set tells
// which product IDs name the same product; j, when not nil, tells which
// orders already belong to other attempts and keeps what order info
// said.
func NewOrderFinder(c *certcentral.Client, set *templates.Set, j *journal.Journal, opts ...certcentral.CallOption) *OrderFinder {
	return &OrderFinder{c: c, set: set, j: j, opts: opts, seen: map[int64]bool{}, info: map[int64]*facts{},
		pager: certcentral.Pager{Asked: certcentral.ListPageSize}, byName: map[string][]int{}}
}

// Requests returns how many requests the finder sent: list pages and
// order info.
func (f *OrderFinder) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.emailMu.Lock()
	defer f.emailMu.Unlock()
	return f.pages + f.reads + f.searches
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
// since (server time; zero: the whole list), or the list ends. Callers
// hold mu.
func (f *OrderFinder) walk(ctx context.Context, since time.Time) error {
	for {
		if f.end || (!since.IsZero() && !f.unsorted && !f.lastHi.IsZero() && f.lastHi.Before(since)) {
			return nil
		}
		if f.pages >= maxWalkPages {
			return l10n.Errorf("the order list is longer than %d pages; not walked to the end", maxWalkPages)
		}
		p, err := f.c.ListPage(ctx, f.offset, f.opts...)
		f.pages++
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
			f.items = append(f.items, walked{o: o, lo: lo, hi: hi, name: NormalizeName(o.Certificate.CommonName)})
		}
		f.offset += len(p.Orders)
		f.end = f.pager.End(len(p.Orders), p.Limit)
	}
}

// sameProduct reports whether two product IDs name one product.
func (f *OrderFinder) sameProduct(a, b string) bool {
	return a == b || f.set != nil && f.set.Canonical(a) == f.set.Canonical(b)
}

// otherProduct reports whether a listed product ID is certainly not the
// product: a product certbatch knows, and not one of its IDs. An ID
// certbatch does not know (DigiCert may list an order under a name of
// its own) could be it, so it stays a candidate.
func (f *OrderFinder) otherProduct(listed, product string) bool {
	if listed == "" || f.sameProduct(listed, product) {
		return false
	}
	if f.set == nil {
		return true
	}
	if f.set.Related(listed, product) {
		// A deprecated product and its successor: DigiCert could list
		// an order of one under the other's ID (templates.Set.Related).
		return false
	}
	_, known := f.set.ForProduct(listed)
	return known
}

// owner returns the journal's attempt that holds order id, or nil.
func (f *OrderFinder) owner(id int64) (*journal.Entry, error) {
	if f.j == nil {
		return nil, nil
	}
	e, err := f.j.OrderOwner(id)
	if err != nil {
		return nil, &JournalError{Err: err}
	}
	return e, nil
}

// orderFacts returns what order info says of a listed order: from this
// run's reads, the journal's cache, or a read (kept in both).
func (f *OrderFinder) orderFacts(ctx context.Context, item certcentral.Order) (*facts, error) {
	f.mu.Lock()
	x := f.info[item.ID]
	f.mu.Unlock()
	if x != nil {
		return x, nil
	}
	if f.j != nil {
		cached, err := f.j.AccountOrder(item.ID)
		if err != nil {
			return nil, &JournalError{Err: err}
		}
		if cached != nil {
			// Normalized again: a cache written before emails were
			// normalized as they are now (Unicode domains) still matches.
			emails := make([]string, len(cached.Emails))
			for k, e := range cached.Emails {
				emails[k] = order.NormalizeEmail(e)
			}
			x = &facts{key: cached.ProductKey, emails: emails}
		}
	}
	if x == nil {
		o, err := f.c.GetOrder(ctx, item.ID, f.opts...)
		f.mu.Lock()
		f.reads++
		f.mu.Unlock()
		if err != nil {
			return nil, err
		}
		id := o.NameID()
		if id == "" {
			id = item.NameID()
		}
		x = &facts{order: o, key: f.knownKey(id)}
		for _, e := range o.Emails() {
			x.emails = append(x.emails, order.NormalizeEmail(e))
		}
		if f.j != nil {
			if err := f.j.PutAccountOrder(journal.AccountOrder{OrderID: o.ID, ProductKey: x.key, Emails: x.emails}); err != nil {
				return nil, &JournalError{Err: err}
			}
		}
	}
	f.mu.Lock()
	f.info[item.ID] = x
	f.mu.Unlock()
	return x, nil
}

// knownKey is the canonical product ID of a product certbatch knows,
// else "" (a product certbatch does not know may be any of its products
// under DigiCert's own name).
func (f *OrderFinder) knownKey(id string) string {
	if f.set == nil {
		return id
	}
	if _, known := f.set.ForProduct(id); !known {
		return ""
	}
	return f.set.Canonical(id)
}

// prefetch reads the order info of items concurrently (at most
// concurrency at a time), so the per-person decisions that follow find
// it cached.
func (f *OrderFinder) prefetch(ctx context.Context, items []certcentral.Order, concurrency int) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	for _, it := range items {
		g.Go(func() error {
			_, err := f.orderFacts(gctx, it)
			return err
		})
	}
	return g.Wait()
}

// Found is what a search for an attempt's order found.
type Found struct {
	// Matches are orders of the attempt's product whose order info names
	// the attempt's email.
	Matches []certcentral.Order
	// ByName are orders of the product whose order info names no email
	// and whose common name is the attempt's.
	ByName []certcentral.Order
	// Unchecked are orders of the product placed since the attempt whose
	// order info names no email and whose common name names nobody (the
	// attempt's order is listed under its organization's name).
	Unchecked []int64
}

// ReconcileSkew is how long before an attempt, in the server's time
// (this machine's time moved by [certcentral.Client.ServerSkew]), an
// order may have been created and still be the attempt's whatever its
// name: the clocks of DigiCert's servers may differ a little.
const ReconcileSkew = 10 * time.Minute

// ReconcileWindow is how long before an attempt an order listed under
// the attempt's name (or naming its email) is still looked at. It is
// wide so that no clock escapes it: this machine's clock may have been
// hours off when the attempt was recorded, or when it is reconciled,
// and corrected in between (issue 20). An order that old is not the
// attempt's own, but it is the person's: the person is not ordered
// again.
const ReconcileWindow = 48 * time.Hour

// Find looks for the orders the attempt e may have created, or that its
// person already has (see [Found]): orders of the same product created
// since the attempt (in the server's time, less ReconcileSkew) are each
// confirmed with order info; active orders created up to ReconcileWindow
// earlier are looked at when they are listed under the attempt's name. An order
// the journal holds for another attempt is never a candidate. An error
// means nothing can be concluded.
func (f *OrderFinder) Find(ctx context.Context, e *journal.Entry) (*Found, error) {
	skew, _ := f.c.ServerSkew()
	near := e.IntentAt.Add(skew).Add(-ReconcileSkew)
	far := e.IntentAt.Add(min(skew, 0)).Add(-ReconcileWindow)
	name := NormalizeName(e.CommonName)
	f.mu.Lock()
	err := f.walk(ctx, far)
	var cands []walked
	for _, w := range f.items {
		inNear := w.hi.IsZero() || !w.hi.Before(near)
		inFar := w.hi.IsZero() || !w.hi.Before(far)
		// Before the request, only an active order under the person's
		// name counts: it is theirs already, not the request's.
		byName := inFar && name != "" && w.name == name && !slices.Contains(inactive, w.o.Status)
		if !inNear && !byName || f.otherProduct(w.o.NameID(), e.Product) {
			continue
		}
		cands = append(cands, w)
	}
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	found := &Found{}
	for _, cand := range cands {
		owner, err := f.owner(cand.o.ID)
		if err != nil {
			return nil, err
		}
		if owner != nil && owner.ID != e.ID {
			continue // another attempt's order
		}
		x, err := f.orderFacts(ctx, cand.o)
		if err != nil {
			return nil, err
		}
		if x.key != "" && !f.sameProduct(x.key, e.Product) && (f.set == nil || !f.set.Related(x.key, e.Product)) {
			continue // order info names another product certbatch knows (not the one it replaces or is replaced by)
		}
		o := cand.o
		if x.order != nil {
			o = *x.order
		}
		switch {
		case len(x.emails) > 0:
			if slices.Contains(x.emails, order.NormalizeEmail(e.Email)) {
				found.Matches = append(found.Matches, o)
			}
		case name != "" && cand.name == name:
			found.ByName = append(found.ByName, o)
		case name == "":
			found.Unchecked = append(found.Unchecked, o.ID)
		}
	}
	return found, nil
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
