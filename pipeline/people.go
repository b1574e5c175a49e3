package pipeline

import (
	"context"
	"slices"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/templates"
)

// Holdings returns the current order of every person the journal or the
// account knows, one per person and product (the newest): the journal's
// standing orders, and the account's active orders the journal does not
// know, named by order info (what the account check reads, and caches in
// the journal; order info names the person "only for S/MIME certificate
// orders", so an order nothing names is counted in Unnamed, never
// guessed). The statuses are what the journal and the list last said:
// read them with ReadHolders before acting.
func Holdings(ctx context.Context, c *certcentral.Client, j *journal.Journal, set *templates.Set, concurrency int, account bool) ([]Target, *AccountOrders, error) {
	type pk struct{ product, person string }
	newest := map[pk]Target{}
	keep := func(t Target) {
		k := pk{set.Canonical(t.Product), t.Email}
		if t.Email == "" {
			k.person = "key:" + t.Key
		}
		if prev, ok := newest[k]; !ok || prev.OrderID < t.OrderID {
			newest[k] = t
		}
	}
	es, err := j.StandingOrders()
	if err != nil {
		return nil, nil, &JournalError{Err: err}
	}
	for i := range es {
		e := &es[i]
		keep(Target{Row: e.Row, Who: cmpOrStr(e.Email, e.PersonKey), Email: e.Email, Key: e.PersonKey, OrderID: e.OrderID,
			CertificateID: e.CertificateID, Product: e.Product})
	}
	var acct *AccountOrders
	if account {
		if acct, err = CheckAccount(ctx, c, set, j); err != nil {
			return nil, nil, err
		}
		named, err := acct.Named(ctx, concurrency)
		if err != nil {
			return nil, nil, err
		}
		for _, n := range named {
			for _, e := range n.Emails {
				keep(Target{Who: e, Email: e, OrderID: n.Order.ID, CertificateID: n.Order.Certificate.ID, Product: cmpOrStr(n.Order.NameID(), n.ProductKey)})
			}
		}
	}
	out := make([]Target, 0, len(newest))
	for _, t := range newest {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Target) int {
		if a.Email != b.Email {
			if a.Email < b.Email {
				return -1
			}
			return 1
		}
		return int(a.OrderID - b.OrderID)
	})
	out = slices.CompactFunc(out, func(a, b Target) bool { return a.OrderID == b.OrderID })
	return out, acct, nil
}

func cmpOrStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// People is a set of people, by normalized email or key: whom an input
// workbook or roster lists.
type People struct {
	emails, keys map[string]bool
	// Rows maps each person to its row in the input.
	rows map[string]int
}

// Has reports whether the person (normalized email, key) is listed.
func (p *People) Has(email, key string) bool {
	return p.emails[email] || key != "" && p.keys[key]
}

// Len is the number of rows the set was read from.
func (p *People) Len() int { return len(p.rows) }

func (p *People) add(row int, email, key string) {
	if p.emails == nil {
		p.emails, p.keys, p.rows = map[string]bool{}, map[string]bool{}, map[string]int{}
	}
	if email != "" {
		p.emails[email] = true
		p.rows["e:"+email] = row
	}
	if key != "" {
		p.keys[key] = true
		p.rows["k:"+key] = row
	}
}

// ReadPeople reads the people of an input file (any format submit
// reads), mapped with src's config: each row's primary email and key.
// Rows that name nobody are ignored.
func ReadPeople(ctx context.Context, src Source) (*People, error) {
	rd, m, err := src.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	p := &People{}
	err = mapRows(ctx, rd, m, src.Workers, false, src.IncludeHidden, func(it *item) error {
		if it.res.Email != "" || it.res.PersonKey != "" {
			p.add(it.res.Row, it.res.Email, it.res.PersonKey)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p.emails == nil {
		p.add(0, "", "")
	}
	return p, nil
}
