package pipeline

import (
	"context"
	"fmt"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/templates"
)

// AccountOrders is what the CertCentral account already holds for the
// batch's products, so a person the journal has never seen (another
// machine's journal, another admin, a lost journal) is not ordered
// again. It relies only on documented behaviour, like reconciliation
// ([OrderFinder]): the whole order list is walked (sort, offset, limit;
// no filter), and each order of a batch product that is still active and
// that the journal does not already know is read once with order info
// for its emails; what order info said is cached in the journal, so a
// later run reads only orders placed since.
type AccountOrders struct {
	byPerson map[personOf]certcentral.Order
	// Requests counts the API requests the check sent; Orders the
	// orders listed; Unnamed the active orders of a batch product whose
	// order info names no email (they cannot be matched to a person).
	Requests, Orders, Unnamed int
}

type personOf struct{ product, email string }

// inactive order statuses do not stop a person from being ordered.
var inactive = []string{"canceled", "rejected", "revoked", "expired", "denied"}

// CheckAccount walks the account's orders for the products named by
// productKeys (their canonical IDs; see templates.Set.Canonical).
func CheckAccount(ctx context.Context, c *certcentral.Client, set *templates.Set, j *journal.Journal, productKeys map[string]bool,
	concurrency int, opts ...certcentral.CallOption) (*AccountOrders, error) {
	a := &AccountOrders{byPerson: map[personOf]certcentral.Order{}}
	var cands []certcentral.Order
	seen := map[int64]bool{}
	for offset := 0; ; {
		if a.Requests >= maxWalkPages {
			return nil, fmt.Errorf("account check: the order list is longer than %d pages", maxWalkPages)
		}
		p, err := c.ListPage(ctx, offset, opts...)
		a.Requests++
		if err != nil {
			return nil, fmt.Errorf("account check: %w", err)
		}
		for _, o := range p.Orders {
			if seen[o.ID] {
				continue
			}
			seen[o.ID] = true
			a.Orders++
			if slices.Contains(inactive, o.Status) {
				continue
			}
			if id := o.NameID(); id != "" && !productKeys[set.Canonical(id)] {
				if _, known := set.ForProduct(id); known {
					continue // another product certbatch knows
				}
			}
			cands = append(cands, o)
		}
		offset += len(p.Orders)
		if len(p.Orders) == 0 || offset >= p.Total {
			break
		}
	}
	type info struct {
		o      certcentral.Order
		key    string
		emails []string
	}
	infos := make([]info, len(cands))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	var requests int64
	for i, cand := range cands {
		if owner, err := j.OrderOwner(cand.ID); err != nil {
			return nil, &JournalError{Err: err}
		} else if owner != nil {
			continue // the journal knows whose it is
		}
		if cached, err := j.AccountOrder(cand.ID); err != nil {
			return nil, &JournalError{Err: err}
		} else if cached != nil {
			// Normalized again: a cache written before emails were
			// normalized as they are now (Unicode domains) still matches.
			emails := make([]string, len(cached.Emails))
			for k, e := range cached.Emails {
				emails[k] = order.NormalizeEmail(e)
			}
			infos[i] = info{o: cand, key: cached.ProductKey, emails: emails}
			continue
		}
		requests++
		g.Go(func() error {
			o, err := c.GetOrder(gctx, cand.ID, opts...)
			if err != nil {
				return fmt.Errorf("account check: %w", err)
			}
			key := set.Canonical(o.NameID())
			if o.NameID() == "" {
				key = set.Canonical(cand.NameID())
			}
			if _, known := set.ForProduct(key); !known {
				// A product ID certbatch does not know may be a batch
				// product under DigiCert's own name: "" counts it as
				// every product asked about, so it stops those people.
				key = ""
			}
			var emails []string
			for _, e := range o.Emails() {
				emails = append(emails, order.NormalizeEmail(e))
			}
			infos[i] = info{o: *o, key: key, emails: emails}
			if err := j.PutAccountOrder(journal.AccountOrder{OrderID: o.ID, ProductKey: key, Emails: emails}); err != nil {
				return &JournalError{Err: err}
			}
			return nil
		})
	}
	err := g.Wait()
	a.Requests += int(requests)
	if err != nil {
		return nil, err
	}
	for _, in := range infos {
		if in.o.ID == 0 || in.key != "" && !productKeys[in.key] {
			continue
		}
		if len(in.emails) == 0 {
			a.Unnamed++
		}
		keys := []string{in.key}
		if in.key == "" {
			keys = keys[:0]
			for k := range productKeys {
				keys = append(keys, k)
			}
		}
		for _, pk := range keys {
			for _, e := range in.emails {
				k := personOf{pk, e}
				if prev, ok := a.byPerson[k]; !ok || prev.ID < in.o.ID {
					a.byPerson[k] = in.o
				}
			}
		}
	}
	return a, nil
}

// Find returns the newest active order of the account for the person:
// the product and any one of their normalized emails.
func (a *AccountOrders) Find(productKey string, emails []string) (certcentral.Order, bool) {
	if a == nil {
		return certcentral.Order{}, false
	}
	var best certcentral.Order
	found := false
	for _, e := range emails {
		if o, ok := a.byPerson[personOf{productKey, e}]; ok && (!found || o.ID > best.ID) {
			best, found = o, true
		}
	}
	return best, found
}

// merge adds what another family's check found.
func (a *AccountOrders) merge(b *AccountOrders) {
	for k, v := range b.byPerson {
		a.byPerson[k] = v
	}
	a.Requests += b.Requests
	a.Orders += b.Orders
	a.Unnamed += b.Unnamed
}
