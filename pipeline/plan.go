package pipeline

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
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
	// Keys is where the keys of rows with the key method generate go
	// (nil: such rows are not sent).
	Keys *KeyVault
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
	Skip      int // people who already have an order (skipped)
	Forced    int // people who already have an order and will be ordered again (--force)
	Reconcile int // people with an unanswered earlier request, checked before ordering
	Found     int // people new to the journal whom the account already has an order for (skipped)
	// Hidden counts the rows hidden or struck through in the input: held
	// back, never ordered (unless --include-hidden).
	Hidden int
	// Held counts people new to the journal whom an order at DigiCert may
	// be for, which DigiCert's documented fields cannot tell: they are not
	// sent (see [AccountOrders.Decide]; --force sends them).
	Held int
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
	// accountAt is when the account was read (Submit reads it again when
	// the confirmation took long: another admin may have ordered
	// meanwhile); checked tells that it was tried.
	accountAt time.Time
	checked   bool
	// names counts the batch's people listed under a name some active
	// order at DigiCert has, and those with an unanswered request: an
	// order naming no email under a name two of them share is neither's
	// for sure.
	names Names
	// Generate counts the rows whose key certbatch will generate, by
	// algorithm; KeyDir is the folder their encrypted keys go into.
	Generate    map[string]int
	KeyDir      string
	Orders      map[string]*ProductPlan
	InputSHA256 string
	// lang is the language the plan is described in.
	lang l10n.Printer
	// People counts the rows by what the plan does with them; listed
	// keeps the first rows of each kind for the listing, and rows every
	// row (a temporary file) for --show-plan and for the batch's record
	// of rows not reached yet. Close releases it.
	People map[PlanKind]int
	// Notices are what a person must read before confirming: a
	// free-text column of the input that is not sent (FreeTextNotices).
	Notices []string
	listed  map[PlanKind][]PlanRow
	rows    *rowSpool
}

// Close releases the plan's temporary file.
func (p *Plan) Close() {
	if p != nil {
		p.rows.close()
		p.rows = nil
	}
}

// note records what the plan does with row r (cells are its input
// cells).
func (p *Plan) note(r *mapping.Result, cells []string, kind PlanKind, why string) error {
	return p.noteRow(planRow(r, cells, kind, why))
}

// planRow is r's row of the plan.
func planRow(r *mapping.Result, cells []string, kind PlanKind, why string) PlanRow {
	return PlanRow{Row: r.Row, Kind: kind, Product: r.Product, Name: r.Name, Email: r.RawEmail, Why: why, Cells: cells}
}

// noteRow records a row of the plan.
func (p *Plan) noteRow(pr PlanRow) error {
	p.People[pr.Kind]++
	if len(p.listed[pr.Kind]) < listAll {
		short := pr
		short.Cells = nil
		p.listed[pr.Kind] = append(p.listed[pr.Kind], short)
	}
	return p.rows.add(&pr)
}

// NewOrders returns the number of orders the plan places at most.
func (p *Plan) NewOrders() int {
	n := 0
	for _, pp := range p.Orders {
		n += pp.Orders
	}
	return n
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
		return "", &InputError{Err: l10n.Errorf("read %s: %w", path, err)}
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
	if err := guardResults(o.Lang, o.Output, ""); err != nil {
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
	spool, err := newRowSpool()
	if err != nil {
		return nil, &OutputError{Err: err}
	}
	p := &Plan{Orders: map[string]*ProductPlan{}, Generate: map[string]int{}, InputSHA256: sum, names: Names{}, lang: o.Lang,
		People: map[PlanKind]int{}, listed: map[PlanKind][]PlanRow{}, rows: spool, Notices: FreeTextNotices(o.Lang, m.Report())}
	var pending []pendingRow
	err = mapRows(ctx, rd, m, o.Workers, true, o.IncludeHidden, func(it *item) error {
		p.Rows++
		r := &it.res
		if it.held != nil {
			p.Hidden++
			return p.note(r, it.cells, PlanHidden, hiddenText(o.Lang, it.held))
		}
		if !r.Valid() {
			p.Invalid++
			return p.note(r, it.cells, PlanInvalid, r.ErrorText())
		}
		d, e, err := o.decide(r)
		if err != nil {
			return err
		}
		kind, why := PlanOrder, orderTerms(o.Lang, r)
		switch d {
		case conflict, conflictEmail:
			p.Invalid++
			return p.note(r, it.cells, PlanInvalid, conflictText(o.Lang, r, e, d == conflictEmail))
		case skipIt:
			p.Skip++
			return p.note(r, it.cells, PlanSkip, skipNote(o.Lang, e, payloadHash(r.Payload)))
		case forceIt:
			p.Forced++
			kind, why = PlanForce, o.Lang.Sprintf("ALREADY ordered in batch %s (row %d, order %s): ordered AGAIN (--force); %s", e.Batch, e.Row, order.ID(e.OrderID), why)
		case reconcile:
			p.Reconcile++
			p.names.Add(personOf(r))
			kind, why = PlanReconcile, o.Lang.Sprintf("an earlier request (batch %s, row %d) got no answer: DigiCert is checked first, and the row is ordered only if no order exists; %s", e.Batch, e.Row, why)
		case orderIt:
			wait, err := o.accountFirst(ctx, p, r)
			if err != nil {
				return err
			}
			if o.accountUnchecked(p) {
				p.Unchecked++
				return p.note(r, it.cells, PlanHeld, o.Lang.Sprintf("not sent: DigiCert could not be checked for an existing order of this person"))
			}
			if wait {
				// Orders at DigiCert may be this person's: decided once
				// every row is read (another row may share the name).
				pending = append(pending, pendingRow{person: personOf(r), orderRow: newOrderRow(r, it.cells, kind, why, pw != nil)})
				return nil
			}
		}
		return p.add(o, pw, newOrderRow(r, it.cells, kind, why, pw != nil))
	})
	if err != nil {
		p.Close()
		return nil, err
	}
	if err := o.decidePending(ctx, p, pw, pending); err != nil {
		return nil, err
	}
	if p.Account != nil {
		// The account is read again when the plan waits long for its
		// confirmation, counted from here: the plan itself (a thousand
		// email searches at DigiCert's rate) is no reason to read it all
		// again.
		p.accountAt = time.Now()
	}
	if pw != nil {
		if err := pw.commit(); err != nil {
			p.Close()
			return nil, &OutputError{Err: err}
		}
	}
	return p, nil
}

// orderTerms says what a row's order buys, for the plan's listing.
func orderTerms(p l10n.Printer, r *mapping.Result) string {
	return p.Sprintf("%s; validity: %s; payment: %s", r.Product, cmp.Or(r.Validity, p.Sprintf("(none)")), cmp.Or(r.Payment, p.Sprintf("balance (DigiCert's default)")))
}

// generated is the algorithm of the key certbatch will generate for r,
// "" when it generates none.
func generated(r *mapping.Result) string {
	if r.KeyMethod != mapping.KeyGenerate {
		return ""
	}
	return r.KeyAlgorithm.String()
}

// orderRow is a row the plan orders: its line in the plan's listing and
// what it buys.
type orderRow struct {
	PlanRow
	validity, payment, email string
	keyAlgorithm             string // of the key certbatch generates, "" for none
	payload                  []byte // kept only for a payloads file
}

// newOrderRow is r's orderRow; the body is kept only when keep is set.
func newOrderRow(r *mapping.Result, cells []string, kind PlanKind, why string, keep bool) orderRow {
	x := orderRow{PlanRow: planRow(r, cells, kind, why), validity: r.Validity, payment: r.Payment, email: r.Email, keyAlgorithm: generated(r)}
	if keep {
		x.payload = r.Payload
	}
	return x
}

// add lists a row to be ordered and counts what it buys.
func (p *Plan) add(o SubmitOptions, pw *payloadWriter, x orderRow) error {
	if x.keyAlgorithm != "" {
		if o.Keys == nil || o.Keys.Store == nil {
			return l10n.Errorf("the key method generate needs a key folder")
		}
		p.Generate[x.keyAlgorithm]++
		p.KeyDir = o.Keys.Store.Dir()
	}
	if err := p.noteRow(x.PlanRow); err != nil {
		return &OutputError{Err: err}
	}
	if pw != nil {
		if err := pw.write(x.Row, x.Product, x.payload); err != nil {
			return &OutputError{Err: err}
		}
	}
	pp := p.Orders[x.Product]
	if pp == nil {
		pp = &ProductPlan{Validity: map[string]int{}, Payment: map[string]int{}}
		p.Orders[x.Product] = pp
	}
	pp.Orders++
	if !o.Sandbox && isPlaceholder(x.email) {
		p.Placeholders++
	}
	pp.Validity[cmp.Or(x.validity, o.Lang.Sprintf("(none)"))]++
	pp.Payment[cmp.Or(x.payment, o.Lang.Sprintf("balance (DigiCert's default)"))]++
	return nil
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
