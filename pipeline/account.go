package pipeline

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/templates"
)

// Person is who an order is for, in the terms DigiCert documents for
// every order: the product, the organization and the common name the
// order is listed under (list items and order info carry them), and
// the email, which order info names for S/MIME orders only
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html).
type Person struct {
	ProductKey string // the canonical product ID (templates.Set.Canonical)
	Product    string // the product ID as ordered
	Email      string // normalized (order.NormalizeEmail)
	// Emails are all the person's emails, normalized, the primary first:
	// an order naming any one of them is the person's.
	Emails []string
	// Name is the common name DigiCert lists the order under, normalized
	// ([NormalizeName]); "" when that is the organization's name, which
	// names no person (document signing by default).
	Name  string
	OrgID int64 // 0 when unknown
}

// NormalizeName is how a common name identifies a person whatever its
// spelling: the journal's normalisation of a person key
// ([order.NormalizeKey]: Unicode compatibility forms folded, trimmed,
// case folded), with runs of spaces inside the name made one (a
// spreadsheet's "Ann  Lee" is Ann Lee). Matching more spellings only
// makes more orders candidates: never a second order.
func NormalizeName(s string) string { return strings.Join(strings.Fields(order.NormalizeKey(s)), " ") }

// ListedName is the common name DigiCert will list a row's order under:
// the row's certificate.common_name (class1_smime: its first email,
// which DigiCert makes the common name, certcentral-today.md §1); for a
// body that names no common name, the organization's name, unless it
// sends use_org_as_common_name false, when its subject.name is the
// certificate's name (the seed page "Order document signing
// certificate": use_org_as_common_name "Use the organization name as the
// common name", default true). "" means the organization's name, or a
// name certbatch cannot know (Secure Email and today's document signing
// name no common name: DigiCert derives it; mapping.Result's
// CommonNameUnknown), which makes every active order of the product and
// organization a candidate: slower to check, never a missed person.
func ListedName(r *mapping.Result) string {
	if r.CommonName != "" && !r.CommonNameUnknown {
		return r.CommonName
	}
	var body struct {
		UseOrg  *bool `json:"use_org_as_common_name"`
		Subject struct {
			Name string `json:"name"`
		} `json:"subject"`
	}
	if json.Unmarshal(r.Payload, &body) == nil && body.UseOrg != nil && !*body.UseOrg {
		return body.Subject.Name
	}
	return ""
}

// personOf is the person a mapped row orders for.
func personOf(r *mapping.Result) Person {
	return Person{ProductKey: r.ProductKey, Product: r.Product, Email: r.Email, Emails: r.Emails, Name: NormalizeName(ListedName(r)), OrgID: r.OrgID}
}

// hasEmail reports whether e (normalized) is one of p's emails.
func (p Person) hasEmail(e string) bool {
	return e == p.Email || slices.Contains(p.Emails, e)
}

// entryPerson is the person of a journal attempt (the journal keeps no
// organization).
func entryPerson(e *journal.Entry) Person {
	return Person{ProductKey: e.ProductKey, Product: e.Product, Email: e.Email, Name: NormalizeName(e.CommonName)}
}

// Names counts people by product and name, to tell whether a name is
// shared: an order that names no email and is listed under a shared
// name cannot be told to be either person's. A submit counts the
// batch's people the journal has no order for (new people listed under
// a name an active order has, and those with an unanswered request):
// they are the ones a wrong guess could order twice. A person the
// journal has an order for is not counted: an order of theirs the
// journal does not know could at worst keep a namesake from being
// ordered, never order anybody twice.
type Names map[string]int

func (n Names) key(p Person) string { return p.ProductKey + "\x00" + p.Name }

// Add counts p.
func (n Names) Add(p Person) {
	if p.Name != "" {
		n[n.key(p)]++
	}
}

// Shared reports whether another person counted has p's product and
// name.
func (n Names) Shared(p Person) bool { return p.Name != "" && n[n.key(p)] > 1 }

// NamesOf counts the people of journal attempts (those reconciled
// together: `certbatch reconcile`'s unanswered ones).
func NamesOf(entries []journal.Entry) Names {
	n := Names{}
	for i := range entries {
		n.Add(entryPerson(&entries[i]))
	}
	return n
}

// inactive order statuses do not stop a person from being ordered.
var inactive = []string{"canceled", "rejected", "revoked", "expired", "denied"}

// AccountOrders is the account's order list, read whole, to tell
// whether a person the journal has never seen (another machine's
// journal, another admin, a lost journal) already has an active order:
// see [AccountOrders.Decide]. It costs one request per 1,000 orders
// listed, plus one order info per active order listed under the name
// of a person asked about that the journal does not know (once ever:
// the journal keeps what order info said), whatever the account's size.
type AccountOrders struct {
	f *OrderFinder
	// Orders counts the orders listed.
	Orders int

	namedMu sync.Mutex
	named   []NamedOrder // Named's answer, once read
	namedOK bool
}

// CheckAccount reads the account's whole order list.
func CheckAccount(ctx context.Context, c *certcentral.Client, set *templates.Set, j *journal.Journal, opts ...certcentral.CallOption) (*AccountOrders, error) {
	return NewOrderFinder(c, set, j, opts...).Account(ctx)
}

// Account walks the rest of the order list and returns the account's
// orders as the finder knows them.
func (f *OrderFinder) Account(ctx context.Context) (*AccountOrders, error) {
	f.mu.Lock()
	err := f.walk(ctx, time.Time{})
	n := len(f.items)
	f.mu.Unlock()
	if err != nil {
		return nil, l10n.Errorf("account check: %w", err)
	}
	return &AccountOrders{f: f, Orders: n}, nil
}

// Requests returns the requests the check sent so far: list pages and
// order info.
func (a *AccountOrders) Requests() int { return a.f.Requests() }

// candidates are the active orders listed that may be p's: the same
// product (or one certbatch does not know), organization (when both
// say), and name (all of them when p's name is the organization's).
func (a *AccountOrders) candidates(p Person) []certcentral.Order {
	f := a.f
	f.mu.Lock()
	defer f.mu.Unlock()
	f.index()
	var idx []int
	if p.Name != "" {
		idx = slices.Clone(f.byName[p.Name])
		if succ, _, ok := f.setSuccessor(p.Product); ok {
			// A successor's order (Secure Email) is listed under a name
			// DigiCert derives: every one of them may be the person's.
			for _, is := range f.byName {
				for _, i := range is {
					if f.sameProduct(f.items[i].o.NameID(), succ) {
						idx = append(idx, i)
					}
				}
			}
			slices.Sort(idx)
			idx = slices.Compact(idx)
		}
	} else {
		for _, is := range f.byName {
			idx = append(idx, is...)
		}
		slices.Sort(idx)
	}
	var out []certcentral.Order
	for _, i := range idx {
		o := f.items[i].o
		if f.otherProduct(o.NameID(), p.Product) || o.Organization.ID != 0 && p.OrgID != 0 && o.Organization.ID != p.OrgID {
			continue
		}
		out = append(out, o)
	}
	return out
}

// listed reports whether an active order is listed under name.
func (a *AccountOrders) listed(name string) bool {
	if name == "" {
		return false
	}
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	a.f.index()
	return len(a.f.byName[name]) > 0
}

// index files the active items walked since the last call by name.
// Callers hold mu.
func (f *OrderFinder) index() {
	for ; f.indexed < len(f.items); f.indexed++ {
		w := &f.items[f.indexed]
		if !slices.Contains(inactive, w.o.Status) {
			f.byName[w.name] = append(f.byName[w.name], f.indexed)
		}
	}
}

// Verdict is what the account says of a person the journal has no
// order for.
type Verdict struct {
	// Order is the person's order at DigiCert: the row is skipped (and
	// journaled), or an unanswered attempt adopts it.
	Order *certcentral.Order
	// ByName tells that Order names no email and is the person's by its
	// name.
	ByName bool
	// Held lists the orders that may be the person's when DigiCert's
	// documented fields cannot tell: a person decides (--force sends
	// anyway). Why says what could not be told.
	Held []int64
	Why  string
}

// Decide tells whether p has an active order at DigiCert. An order
// whose order info names emails is p's when one is p's email, and
// nobody else's. An order whose order info names none (every product
// but S/MIME) and that is listed under p's name is p's unless the
// journal holds it for another attempt, provided it is the only one and
// no other person of the batch (shared) has that name; several, or a
// shared name, or a name that is the organization's, are held for a
// person to decide.
func (a *AccountOrders) Decide(ctx context.Context, p Person, shared bool) (Verdict, error) {
	byEmail, byName, err := a.classify(ctx, p, a.candidates(p))
	if err != nil {
		return Verdict{}, err
	}
	if len(byEmail) == 0 {
		// No order listed under the person's name names their email: one
		// listed under another name may (account_email.go).
		more, err := a.emailCandidates(ctx, p)
		if err != nil {
			return Verdict{}, l10n.Errorf("account check: %w", err)
		}
		if byEmail, _, err = a.classify(ctx, p, more); err != nil {
			return Verdict{}, err
		}
	}
	switch {
	case len(byEmail) == 1:
		return Verdict{Order: &byEmail[0]}, nil
	case len(byEmail) > 1:
		return Verdict{Held: orderIDList(byEmail), Why: "each names this person's email"}, nil
	case len(byName) == 0:
		return Verdict{}, nil
	case p.Name == "":
		return Verdict{Held: orderIDList(byName), Why: "they are listed under the organization's name and DigiCert does not say whose they are"}, nil
	case len(byName) > 1:
		return Verdict{Held: orderIDList(byName), Why: "each is listed under this person's name and DigiCert does not say whose they are"}, nil
	case shared:
		return Verdict{Held: orderIDList(byName), Why: "it is listed under this person's name, which another person of the batch has too, and DigiCert does not say whose it is"}, nil
	}
	return Verdict{Order: &byName[0], ByName: true}, nil
}

// classify sorts the candidates the journal does not hold by what their
// order info says: orders naming one of p's emails, and orders naming no
// email at all (every product but S/MIME); orders naming only other
// emails, or another product certbatch knows, are someone else's.
func (a *AccountOrders) classify(ctx context.Context, p Person, cands []certcentral.Order) (byEmail, byName []certcentral.Order, err error) {
	for _, c := range cands {
		owner, err := a.f.owner(c.ID)
		if err != nil {
			return nil, nil, err
		}
		if owner != nil {
			continue // the journal knows whose it is
		}
		x, err := a.f.orderFacts(ctx, c)
		if err != nil {
			return nil, nil, l10n.Errorf("account check: %w", err)
		}
		if x.key != "" && !a.f.sameProduct(x.key, p.Product) && !a.f.replaces(x.key, p.Product) {
			continue
		}
		switch {
		case len(x.emails) > 0:
			if slices.ContainsFunc(x.emails, p.hasEmail) && !slices.ContainsFunc(byEmail, func(o certcentral.Order) bool { return o.ID == c.ID }) {
				byEmail = append(byEmail, c)
			}
		default:
			byName = append(byName, c)
		}
	}
	return byEmail, byName, nil
}

// prefetch reads, concurrently, the order info Decide will need for
// people: the candidates the journal does not know.
func (a *AccountOrders) prefetch(ctx context.Context, people []Person, concurrency int) error {
	seen := map[int64]bool{}
	var items []certcentral.Order
	for _, p := range people {
		for _, c := range a.candidates(p) {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			if owner, err := a.f.owner(c.ID); err != nil {
				return err
			} else if owner == nil {
				items = append(items, c)
			}
		}
	}
	if err := a.f.prefetch(ctx, items, concurrency); err != nil {
		return l10n.Errorf("account check: %w", err)
	}
	var rest []Person // whose name shortlist names none of their emails
	for _, p := range people {
		byEmail, _, err := a.classify(ctx, p, a.candidates(p))
		if err != nil {
			return err
		}
		if len(byEmail) == 0 {
			rest = append(rest, p)
		}
	}
	return a.prefetchEmails(ctx, rest, concurrency)
}

// heldText is a held row's error text (v.Why is a phrase of the
// catalog).
func heldText(p l10n.Printer, v Verdict) string {
	if len(v.Held) == 1 {
		return p.Sprintf("held back: order %s at DigiCert may be this person's (%s); check it in CertCentral: if it is this person's, nothing needs ordering; if not, --force sends the row anyway",
			idList(v.Held), l10n.Term(v.Why))
	}
	return p.Sprintf("held back: orders %s at DigiCert may be this person's (%s); check them in CertCentral: if one is this person's, nothing needs ordering; if not, --force sends the row anyway",
		idList(v.Held), l10n.Term(v.Why))
}

// ordersText is "order 7" or "orders 7, 9".
func ordersText(p l10n.Printer, ids []int64) string {
	if len(ids) == 1 {
		return p.Sprintf("order %s", idList(ids))
	}
	return p.Sprintf("orders %s", idList(ids))
}

// orderIDList returns the orders' IDs, lowest first.
func orderIDList(os []certcentral.Order) []int64 {
	ids := make([]int64, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	slices.Sort(ids)
	return ids
}

// foundText is a skipped row's error text for an order found at
// DigiCert.
func foundText(p l10n.Printer, v Verdict) string {
	if v.ByName {
		return p.Sprintf("found at DigiCert: order %d (%s) already exists for this person (it names no email and is listed under this person's name, product and organization); --force orders again", v.Order.ID, v.Order.Status)
	}
	return p.Sprintf("found at DigiCert: order %d (%s) already exists for this person (it names this person's email); --force orders again", v.Order.ID, v.Order.Status)
}

// setSuccessor returns the product that replaces product, if any.
func (f *OrderFinder) setSuccessor(product string) (string, string, bool) {
	if f.set == nil {
		return "", "", false
	}
	return f.set.Successor(product)
}

// replaces reports whether an order of product id stops a person from
// being ordered product: id is product's successor. DigiCert could list a
// legacy order under its successor's ID, and a person who has the
// successor needs no deprecated product. The other way round it does
// not: ordering the successor for people with a legacy order is what a
// migration does (README, "Never ordered twice").
func (f *OrderFinder) replaces(id, product string) bool {
	if f.set == nil || id == "" {
		return false
	}
	succ, _, ok := f.set.Successor(product)
	return ok && f.set.Canonical(succ) == f.set.Canonical(id)
}
