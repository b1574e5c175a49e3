package pipeline

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/ratelimit"
)

// SubmitOptions configure `certbatch submit`.
type SubmitOptions struct {
	Source
	Output      string // results file; "" means DefaultOutput
	Payloads    string // optional JSON Lines file of the bodies to be sent (written by PlanSubmit)
	Client      *certcentral.Client
	Limiter     *ratelimit.Limiter // the client's limiter, for the progress display
	Journal     *journal.Journal
	Concurrency int  // requests in flight; 0 means 4
	Force       bool // order again for people who already have an order
	// Sandbox says the endpoint is certbatch's sandbox: placeholder
	// addresses (example.com) are expected there and not warned about.
	Sandbox bool
	// RecheckAfter is how old the plan's account check may be when
	// sending starts before it is read again; 0 means RecheckAfter.
	RecheckAfter time.Duration
	// NoAccountCheck skips asking the account whether a person the
	// journal has never seen already has an order ([CheckAccount]).
	NoAccountCheck bool
	// Grace bounds how long requests already sent may take to answer
	// after the run is stopped (Ctrl-C). 0 means 30 s.
	Grace time.Duration
	// Hurry, when closed after the run was stopped, ends the grace
	// period at once: the results are written without waiting for the
	// answers in flight (those rows are uncertain).
	Hurry <-chan struct{}
	// Settle is how old an unanswered request must be before finding no
	// order for it proves that it created none: DigiCert may still be
	// working on a request whose answer timed out. Negative means 0;
	// 0 means DefaultSettle.
	Settle   time.Duration
	Progress Progress
	Log      *slog.Logger
	MaxShown int
}

// withDefaults fills in the zero fields.
func (o SubmitOptions) withDefaults() SubmitOptions {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Grace <= 0 {
		o.Grace = 30 * time.Second
	}
	if o.Progress == nil {
		o.Progress = NopProgress{}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	o.MaxShown = cmp.Or(o.MaxShown, 20)
	o.Settle = settleOf(o.Settle)
	o.Output = cmp.Or(o.Output, DefaultOutput(o.Input))
	return o
}

// ProductPlan is what a submission will buy of one product.
type ProductPlan struct {
	Orders   int
	Validity map[string]int // "1 year", "until 2027-06-30" -> orders
	Payment  map[string]int // payment method -> orders
}

// Plan is the outcome of the checking pass before anything is sent.
type Plan struct {
	Rows      int
	Invalid   int
	Held      int // rows hidden or struck through in the input: held back
	Skip      int // people who already have an order (skipped)
	Forced    int // people who already have an order and will be ordered again (--force)
	Reconcile int // people with an unanswered earlier request, checked before ordering
	Found     int // people new to the journal whom the account already has an order for (skipped)
	// Placeholders counts orders to addresses at example.com, .org or
	// .net (RFC 2606): left over from a template or a test, they would
	// be ordered for real outside the sandbox.
	Placeholders int
	// Account is what the account holds for the batch's products, read
	// once by the plan and used again when sending (nil: not checked).
	Account *AccountOrders
	// AccountErr is why the account could not be checked; the people
	// new to the journal are then not sent (Unchecked of them).
	AccountErr error
	Unchecked  int
	// accountAt is when the account was read; accountKeys the products
	// it was read for (Submit reads it again when the confirmation took
	// long: another admin may have ordered meanwhile).
	accountAt   time.Time
	accountKeys map[string]bool
	// checked lists the product families the account was checked for.
	checked     map[string]bool
	Orders      map[string]*ProductPlan
	InputSHA256 string
	Shown       []string
}

// NewOrders returns the number of orders the plan places at most.
func (p *Plan) NewOrders() int {
	n := 0
	for _, pp := range p.Orders {
		n += pp.Orders
	}
	return n
}

// Describe writes the plan for the confirmation prompt.
func (p *Plan) Describe(w io.Writer) {
	prods := make([]string, 0, len(p.Orders))
	for id := range p.Orders {
		prods = append(prods, id)
	}
	sort.Strings(prods)
	if p.NewOrders() == 0 {
		fmt.Fprintln(w, "certbatch has nothing to order.")
	} else {
		fmt.Fprintf(w, "certbatch will place up to %s:\n", Plural(p.NewOrders(), "order", "orders"))
	}
	for _, id := range prods {
		pp := p.Orders[id]
		fmt.Fprintf(w, "  %-36s %5d  validity: %s; payment: %s\n", id, pp.Orders, countList(pp.Validity), countList(pp.Payment))
	}
	if p.Placeholders > 0 {
		fmt.Fprintf(w, "  WARNING: %s to example.com/.org/.net addresses, which are placeholders: check the file before you confirm\n", Plural(p.Placeholders, "order goes", "orders go"))
	}
	if p.Reconcile > 0 {
		fmt.Fprintf(w, "  (%d of them had a request whose answer never arrived; DigiCert is checked first and they are ordered only if no order exists)\n", p.Reconcile)
	}
	if p.Forced > 0 {
		fmt.Fprintf(w, "  --force: %d of them ALREADY %s an order and will be ordered AGAIN\n", p.Forced, map[bool]string{true: "HAS", false: "HAVE"}[p.Forced == 1])
	}
	if p.Skip > 0 {
		fmt.Fprintf(w, "%s already ordered earlier: skipped\n", Plural(p.Skip, "row", "rows"))
	}
	if p.Found > 0 {
		fmt.Fprintf(w, "%d rows have an order at DigiCert that this journal did not know (another machine, admin or journal): skipped\n", p.Found)
	}
	if p.AccountErr != nil {
		fmt.Fprintf(w, "the account could NOT be checked for existing orders (%v): %d people new to the journal are not sent; run again later, or pass --no-account-check\n",
			p.AccountErr, p.Unchecked)
	}
	if a := p.Account; a != nil {
		fmt.Fprintf(w, "account checked for existing orders: %s listed, %s", Plural(a.Orders, "order", "orders"), Plural(a.Requests, "request", "requests"))
		if a.Unnamed > 0 {
			fmt.Fprintf(w, "; %d active orders name no email and cannot be matched to people", a.Unnamed)
		}
		fmt.Fprintln(w)
	}
	if p.Invalid > 0 {
		fmt.Fprintf(w, "%s: not sent (run `certbatch validate` to see why)\n", Plural(p.Invalid, "invalid row", "invalid rows"))
	}
	if p.Held > 0 {
		fmt.Fprintf(w, "%s hidden or struck through in the input: held back, not sent (--include-hidden sends them)\n", Plural(p.Held, "row", "rows"))
	}
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s × %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// inputSHA256 is the digest of the input: the snapshot's, or the file's.
func (o *SubmitOptions) inputSHA256() (string, error) {
	if o.Snap != nil {
		return o.Snap.SHA256(), nil
	}
	return fileSHA256(o.Input)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", &InputError{Err: err}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", &InputError{Err: fmt.Errorf("read %s: %w", path, err)}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// PlanSubmit runs the checking pass: every row is mapped and validated
// and looked up in the journal, and nothing is sent. What the plan
// counts (validity, payment) comes from the mapper.
func PlanSubmit(ctx context.Context, o SubmitOptions) (*Plan, error) {
	o = o.withDefaults()
	if err := o.checkOutputs([]string{o.Output, o.Payloads}, o.Journal.Path()); err != nil {
		return nil, err
	}
	sum, err := o.inputSHA256()
	if err != nil {
		return nil, err
	}
	rd, m, err := o.Source.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var pw *payloadWriter
	if o.Payloads != "" {
		if pw, err = newPayloadWriter(o.Payloads); err != nil {
			return nil, &OutputError{Err: err}
		}
		defer pw.abort()
	}
	p := &Plan{Orders: map[string]*ProductPlan{}, InputSHA256: sum}
	err = mapRows(ctx, rd, m, o.Workers, true, o.IncludeHidden, func(it *item) error {
		p.Rows++
		r := &it.res
		if it.held != "" {
			p.Held++
			if len(p.Shown) < o.MaxShown {
				p.Shown = append(p.Shown, fmt.Sprintf("row %d: %s", r.Row, heldText(it.held)))
			}
			return nil
		}
		if !r.Valid() {
			p.Invalid++
			if len(p.Shown) < o.MaxShown {
				p.Shown = append(p.Shown, fmt.Sprintf("row %d: %s", r.Row, r.ErrorText()))
			}
			return nil
		}
		d, e, err := o.decide(r)
		if err != nil {
			return err
		}
		switch d {
		case conflict, conflictEmail:
			p.Invalid++
			if len(p.Shown) < o.MaxShown {
				p.Shown = append(p.Shown, fmt.Sprintf("row %d: %s", r.Row, conflictText(r, e, d == conflictEmail)))
			}
			return nil
		case skipIt:
			p.Skip++
			return nil
		case forceIt:
			p.Forced++
		case reconcile:
			p.Reconcile++
		case orderIt:
			found, err := o.foundAtDigiCert(ctx, p, r)
			if err != nil {
				return err
			}
			if found != nil {
				p.Found++
				return nil
			}
			if o.accountUnchecked(p) {
				p.Unchecked++
				return nil
			}
		}
		if pw != nil {
			if err := pw.write(r.Row, r.Product, r.Payload); err != nil {
				return &OutputError{Err: err}
			}
		}
		pp := p.Orders[r.Product]
		if pp == nil {
			pp = &ProductPlan{Validity: map[string]int{}, Payment: map[string]int{}}
			p.Orders[r.Product] = pp
		}
		pp.Orders++
		if !o.Sandbox && isPlaceholder(r.Email) {
			p.Placeholders++
		}
		pp.Validity[cmp.Or(r.Validity, "(none)")]++
		pp.Payment[cmp.Or(r.Payment, "balance (DigiCert's default)")]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if pw != nil {
		if err := pw.commit(); err != nil {
			return nil, &OutputError{Err: err}
		}
	}
	return p, nil
}

// foundAtDigiCert checks the account, once per product family a batch
// orders, for an order of a person the journal has never seen.
func (o *SubmitOptions) foundAtDigiCert(ctx context.Context, p *Plan, r *mapping.Result) (*certcentral.Order, error) {
	if o.NoAccountCheck || o.Force || o.Client == nil {
		return nil, nil
	}
	tpl, ok := o.Templates.ForProduct(r.Product)
	if !ok {
		return nil, nil
	}
	if !p.checked[tpl.Family] {
		keys := map[string]bool{}
		for _, prod := range tpl.Products {
			keys[o.Templates.Canonical(prod.ID)] = true
		}
		a, err := CheckAccount(ctx, o.Client, o.Templates, o.Journal, keys, o.Concurrency)
		if p.checked == nil {
			p.checked = map[string]bool{}
		}
		p.checked[tpl.Family] = true
		var jerr *JournalError
		switch {
		case errors.As(err, &jerr) || ctx.Err() != nil:
			return nil, err
		case err != nil:
			// Nothing is sent for people the account could not be
			// checked for: they are marked not sent, the run goes on.
			p.AccountErr = err
			return nil, nil
		}
		if p.Account == nil {
			p.Account, p.accountAt = a, time.Now()
		} else {
			p.Account.merge(a)
		}
		if p.accountKeys == nil {
			p.accountKeys = map[string]bool{}
		}
		for k := range keys {
			p.accountKeys[k] = true
		}
	}
	if ord, ok := p.Account.Find(r.ProductKey, r.Emails); ok {
		return &ord, nil
	}
	return nil, nil
}

// accountUnchecked reports whether a new person cannot be sent because
// the account could not be checked.
func (o *SubmitOptions) accountUnchecked(p *Plan) bool {
	return p.AccountErr != nil && !o.NoAccountCheck && !o.Force
}

// Plural formats a count with the noun that fits it: "1 row", "2 rows",
// "0 rows". The command line uses it too.
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// isPlaceholder reports whether an email is at a domain reserved for
// examples (RFC 2606).
func isPlaceholder(email string) bool {
	_, domain, _ := strings.Cut(email, "@")
	for _, d := range []string{"example.com", "example.org", "example.net"} {
		if domain == d || strings.HasSuffix(domain, "."+d) {
			return true
		}
	}
	return false
}

// RecheckAfter is how old the plan's account check may be when sending
// starts; an older one (a person read the plan for a while) is read
// again, so an order another admin placed meanwhile is still found. An
// unattended run (--yes) sends at once and pays nothing more.
const RecheckAfter = 30 * time.Second

// recheckAccount reads the account again for the plan's products when
// the plan's check is older than RecheckAfter.
func (o *SubmitOptions) recheckAccount(ctx context.Context, p *Plan) {
	if p.Account == nil || time.Since(p.accountAt) < cmp.Or(o.RecheckAfter, RecheckAfter) {
		return
	}
	a, err := CheckAccount(ctx, o.Client, o.Templates, o.Journal, p.accountKeys, o.Concurrency)
	if err != nil {
		p.AccountErr = err // the new people are not sent
		return
	}
	p.Account, p.accountAt = a, time.Now()
}
