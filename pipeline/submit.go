package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/results"
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
	// Grace bounds how long requests already sent may take to answer
	// after the run is stopped (Ctrl-C). 0 means 30 s.
	Grace    time.Duration
	Progress Progress
	Log      *slog.Logger
	MaxShown int
}

// ProductPlan is what a submission will buy of one product.
type ProductPlan struct {
	Orders   int
	Validity map[string]int // "1 year", "until 2027-06-30" -> orders
	Payment  map[string]int // payment method -> orders
}

// Plan is the outcome of the checking pass before anything is sent.
type Plan struct {
	Rows        int
	Invalid     int
	Skip        int // people who already have an order (skipped)
	Forced      int // people who already have an order and will be ordered again (--force)
	Reconcile   int // people with an unanswered earlier request, checked before ordering
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
		fmt.Fprintf(w, "certbatch will place up to %d orders:\n", p.NewOrders())
	}
	for _, id := range prods {
		pp := p.Orders[id]
		fmt.Fprintf(w, "  %-36s %5d  validity: %s; payment: %s\n", id, pp.Orders, countList(pp.Validity), countList(pp.Payment))
	}
	if p.Reconcile > 0 {
		fmt.Fprintf(w, "  (%d of them had a request whose answer never arrived; DigiCert is checked first and they are ordered only if no order exists)\n", p.Reconcile)
	}
	if p.Forced > 0 {
		fmt.Fprintf(w, "  --force: %d of them ALREADY HAVE an order and will be ordered AGAIN\n", p.Forced)
	}
	if p.Skip > 0 {
		fmt.Fprintf(w, "%d rows already ordered earlier: skipped\n", p.Skip)
	}
	if p.Invalid > 0 {
		fmt.Fprintf(w, "%d invalid rows: not sent (run `certbatch validate` to see why)\n", p.Invalid)
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

type orderTerms struct {
	ValidityYears        int    `json:"validity_years"`
	CustomExpirationDate string `json:"custom_expiration_date"`
	PaymentMethod        string `json:"payment_method"`
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
// and looked up in the journal, and nothing is sent.
func PlanSubmit(ctx context.Context, o SubmitOptions) (*Plan, error) {
	if o.Output == "" {
		o.Output = DefaultOutput(o.Input)
	}
	if err := o.checkOutputs(o.Output, o.Payloads); err != nil {
		return nil, err
	}
	sum, err := fileSHA256(o.Input)
	if err != nil {
		return nil, err
	}
	rd, m, err := o.Source.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if o.MaxShown == 0 {
		o.MaxShown = 20
	}
	var pw *payloadWriter
	if o.Payloads != "" {
		if pw, err = newPayloadWriter(o.Payloads); err != nil {
			return nil, &OutputError{Err: err}
		}
		defer pw.abort()
	}
	p := &Plan{Orders: map[string]*ProductPlan{}, InputSHA256: sum}
	err = mapRows(ctx, rd, m, o.Workers, true, func(it *item) error {
		p.Rows++
		r := &it.res
		if !r.Valid() {
			p.Invalid++
			if len(p.Shown) < o.MaxShown {
				p.Shown = append(p.Shown, fmt.Sprintf("row %d: %s", r.Row, r.ErrorText()))
			}
			return nil
		}
		e, err := o.Journal.Lookup(r.Identity)
		if err != nil {
			return err
		}
		if e != nil && e.State == journal.StateOrdered {
			if !o.Force {
				p.Skip++
				return nil
			}
			p.Forced++
		} else if e != nil {
			p.Reconcile++
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
		var t orderTerms
		json.Unmarshal(r.Payload, &t)
		switch {
		case t.CustomExpirationDate != "":
			pp.Validity["until "+t.CustomExpirationDate]++
		case t.ValidityYears == 1:
			pp.Validity["1 year"]++
		default:
			pp.Validity[strconv.Itoa(t.ValidityYears)+" years"]++
		}
		if t.PaymentMethod == "" {
			t.PaymentMethod = "balance (DigiCert's default)"
		}
		pp.Payment[t.PaymentMethod]++
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

// ErrInputChanged means the input file changed between the checking pass
// and the submission pass.
var ErrInputChanged = errors.New("the input file changed after it was checked; nothing was sent for the changed file, run the command again")

// submitter holds the state of one submission pass.
type submitter struct {
	o       SubmitOptions
	batch   string
	stopCtx context.Context
	stop    context.CancelCauseFunc
	reqCtx  context.Context // for requests already decided: outlives stop by Grace
}

// Submit runs the submission pass for a confirmed plan: rows are read
// again, checked against the journal, and the valid new ones are ordered
// concurrently. Every row gets a result; the returned error is only for
// run-fatal problems, and the summary is returned with it when the
// results file was written.
func Submit(ctx context.Context, o SubmitOptions, plan *Plan) (*Summary, error) {
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
	if o.MaxShown == 0 {
		o.MaxShown = 20
	}
	if o.Output == "" {
		o.Output = DefaultOutput(o.Input)
	}
	if sum, err := fileSHA256(o.Input); err != nil {
		return nil, err
	} else if sum != plan.InputSHA256 {
		return nil, &InputError{Err: ErrInputChanged}
	}
	rd, m, err := o.Source.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	w, err := results.Create(o.Output, rd.Header())
	if err != nil {
		return nil, &OutputError{Err: err}
	}
	defer w.Abort()
	b, err := o.Journal.BeginBatch("submit", o.Input, plan.InputSHA256, rd.Header())
	if err != nil {
		return nil, err
	}

	s := &submitter{o: o, batch: b.ID}
	s.stopCtx, s.stop = context.WithCancelCause(ctx)
	defer s.stop(nil)
	var graceCancel context.CancelFunc
	s.reqCtx, graceCancel = context.WithCancel(context.WithoutCancel(ctx))
	defer graceCancel()
	go func() {
		<-s.stopCtx.Done()
		t := time.NewTimer(o.Grace)
		defer t.Stop()
		select {
		case <-t.C:
			graceCancel()
		case <-s.reqCtx.Done():
		}
	}()

	sum := newSummary()
	sum.Output, sum.Batch = o.Output, b.ID
	o.Progress.Start(int64(plan.Rows))
	futures := make(chan chan results.Record, 4*o.Concurrency+batchSize)
	writerErr := make(chan error, 1)
	go func() { writerErr <- s.writeLoop(futures, w, sum) }()

	var g errgroup.Group
	g.SetLimit(o.Concurrency)
	mapErr := mapRows(context.WithoutCancel(ctx), rd, m, o.Workers, true, func(it *item) error {
		fut := make(chan results.Record, 1)
		futures <- fut
		rec := results.Record{Row: it.res.Row, Input: it.cells, Product: it.res.Product}
		r := it.res
		switch {
		case !r.Valid():
			rec.Outcome, rec.Error = results.Invalid, r.ErrorText()
			fut <- rec
			return nil
		case s.stopCtx.Err() != nil:
			fut <- s.notSent(rec)
			return nil
		}
		e, err := o.Journal.Lookup(r.Identity)
		if err != nil {
			s.stop(&JournalError{Err: err})
			fut <- s.notSent(rec)
			return nil
		}
		if e != nil && e.State == journal.StateOrdered && !o.Force {
			rec.Outcome = results.Skipped
			fillFromEntry(&rec, e)
			rec.Error = fmt.Sprintf("already ordered in batch %s (row %d); --force orders again", e.Batch, e.Row)
			if e.PayloadHash != payloadHash(r.Payload) {
				rec.Error += "; the row has changed since that order"
			}
			fut <- rec
			return nil
		}
		g.Go(func() error {
			fut <- s.process(it, e, rec)
			return nil
		})
		return nil
	})
	g.Wait()
	close(futures)
	werr := <-writerErr
	status := "finished"
	if s.stopCtx.Err() != nil || mapErr != nil {
		status = "interrupted"
	}
	if err := o.Journal.FinishBatch(b.ID, status); err != nil && werr == nil {
		werr = err
	}
	o.Progress.Finish()
	if werr != nil {
		return nil, fmt.Errorf("%w; every row sent is in the journal: `certbatch results --batch %s -o FILE` writes the results", werr, b.ID)
	}
	// The input stopped being readable (it was read whole when checked):
	// keep the results of the rows done so far.
	if err := w.Commit(); err != nil {
		return nil, &OutputError{Err: fmt.Errorf("%w; every row sent is in the journal: `certbatch results --batch %s -o FILE` writes the results", err, b.ID)}
	}
	if mapErr != nil {
		return sum, mapErr
	}
	if cause := context.Cause(s.stopCtx); cause != nil && s.stopCtx.Err() != nil {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		return sum, cause
	}
	return sum, nil
}

// notSent is the result of a valid row that the run stopped before sending.
func (s *submitter) notSent(rec results.Record) results.Record {
	rec.Outcome = results.Failed
	cause := context.Cause(s.stopCtx)
	if errors.Is(cause, context.Canceled) || cause == nil {
		rec.Error = "not sent: the run was interrupted; run again to order it"
	} else {
		rec.Error = "not sent: the run stopped: " + cause.Error()
	}
	return rec
}

func payloadHash(p []byte) string {
	h := sha256.Sum256(p)
	return hex.EncodeToString(h[:])
}

func fillFromEntry(rec *results.Record, e *journal.Entry) {
	rec.OrderID = idText(e.OrderID)
	rec.RequestID = idText(e.RequestID)
	rec.RequestStatus = e.RequestStatus
	rec.OrderStatus = e.OrderStatus
	rec.CertificateID = idText(e.CertificateID)
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// process orders one row: reconcile an earlier unanswered request if
// there is one, then record the intent durably, send, record the answer.
func (s *submitter) process(it *item, prev *journal.Entry, rec results.Record) results.Record {
	r := &it.res
	if s.stopCtx.Err() != nil {
		return s.notSent(rec)
	}
	if prev != nil && prev.State != journal.StateOrdered {
		done, out := s.reconcileRow(prev, rec)
		if done {
			return out
		}
	}
	id, err := s.o.Journal.AddIntent(journal.Intent{Batch: s.batch, Row: r.Row, Identity: r.Identity, Product: r.Product,
		Email: r.Email, CommonName: r.CommonName, PayloadHash: payloadHash(r.Payload)})
	if err != nil {
		s.stop(&JournalError{Err: err})
		return s.notSent(rec)
	}
	resp, err := s.o.Client.PlaceOrder(certcentral.WithWaitContext(s.reqCtx, s.stopCtx), r.Product, r.Payload)
	res := journal.Result{}
	var (
		apiErr *certcentral.APIError
		unc    *certcentral.UncertainError
	)
	switch {
	case err == nil:
		res = journal.Result{State: journal.StateOrdered, OrderID: resp.ID, CertificateID: resp.CertificateID}
		if len(resp.Requests) > 0 {
			res.RequestID, res.RequestStatus = resp.Requests[0].ID, resp.Requests[0].Status
		}
		res.OrderStatus = "pending"
		if resp.CertificateID != 0 {
			res.OrderStatus = "issued"
		}
		rec.Outcome = results.Ordered
	case errors.As(err, &unc):
		res = journal.Result{State: journal.StateUncertain, Error: err.Error()}
		rec.Outcome = results.Uncertain
		rec.Error = err.Error() + "; not resent in this run: the next run checks DigiCert first"
	case errors.Is(err, certcentral.ErrAuth):
		res = journal.Result{State: journal.StateFailed, Error: err.Error()}
		rec.Outcome, rec.Error = results.Failed, err.Error()
		s.stop(err)
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429:
		res = journal.Result{State: journal.StateRejected, Error: err.Error()}
		rec.Outcome, rec.Error = results.Rejected, err.Error()
	default: // nothing was created: rate limit retries ran out, not connected, stopped before sending
		res = journal.Result{State: journal.StateFailed, Error: err.Error()}
		rec.Outcome, rec.Error = results.Failed, "not created: "+err.Error()+"; safe to run again"
		if s.stopCtx.Err() != nil {
			rec.Error = s.notSent(rec).Error
		}
	}
	if err := s.o.Journal.Complete(id, res); err != nil {
		s.stop(&JournalError{Err: err})
		if rec.Error == "" {
			rec.Error = "the answer could not be journaled: " + err.Error()
		}
	}
	rec.OrderID, rec.RequestID, rec.CertificateID = idText(res.OrderID), idText(res.RequestID), idText(res.CertificateID)
	rec.RequestStatus, rec.OrderStatus = res.RequestStatus, res.OrderStatus
	return rec
}

// reconcileRow resolves an earlier unanswered request for the row's
// identity. done reports whether the row's result is decided; when it is
// not, no order exists and the row may be ordered.
func (s *submitter) reconcileRow(prev *journal.Entry, rec results.Record) (bool, results.Record) {
	res, _, err := Reconcile(certcentral.WithWaitContext(s.reqCtx, s.stopCtx), s.o.Client, s.o.Journal, prev)
	var jerr *JournalError
	switch {
	case errors.As(err, &jerr):
		s.stop(err)
		if res.State != journal.StateOrdered {
			return true, s.notSent(rec)
		}
	case err != nil:
		rec.Outcome = results.Uncertain
		rec.Error = fmt.Sprintf("an earlier request (batch %s) got no answer and DigiCert could not be checked: %v", prev.Batch, err)
		return true, rec
	}
	switch res.State {
	case journal.StateFailed: // no order exists: order it now
		return false, rec
	case journal.StateOrdered:
		rec.Outcome = results.Ordered
		rec.OrderID, rec.RequestID, rec.CertificateID = idText(res.OrderID), idText(res.RequestID), idText(res.CertificateID)
		rec.RequestStatus, rec.OrderStatus = res.RequestStatus, res.OrderStatus
		rec.Error = fmt.Sprintf("recovered: the order from an interrupted run (batch %s) was found at DigiCert", prev.Batch)
	default:
		rec.Outcome, rec.Error = results.Uncertain, res.Error+"; decide by hand (cancel the extra ones in CertCentral), then run `certbatch reconcile`"
	}
	return true, rec
}

// JournalError means the journal could not record something: the run
// must stop, because what it sends would no longer be remembered.
type JournalError struct{ Err error }

// Error returns the message of the underlying error.
func (e *JournalError) Error() string { return "journal: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *JournalError) Unwrap() error { return e.Err }

// Reconcile resolves a journal entry whose request got no answer: it
// looks for the order at DigiCert ([FindOrders]) and records what it
// found. Exactly one match: the entry becomes that order (recovered).
// None: the entry is closed as failed, and the person may be ordered.
// Several: the entry stays uncertain, listing the order IDs for a person
// to decide. It returns the recorded result and the matches; an error
// from the API leaves the entry as it was, and a *JournalError means the
// result could not be recorded.
func Reconcile(ctx context.Context, c *certcentral.Client, j *journal.Journal, e *journal.Entry) (journal.Result, []certcentral.Order, error) {
	m, err := FindOrders(ctx, c, e)
	if err != nil {
		return journal.Result{}, nil, err
	}
	var res journal.Result
	switch len(m) {
	case 0:
		res = journal.Result{State: journal.StateFailed, Error: "reconciled: no order exists at DigiCert"}
	case 1:
		o := m[0]
		res = journal.Result{State: journal.StateOrdered, OrderID: o.ID, CertificateID: o.Certificate.ID, OrderStatus: o.Status, Recovered: true}
		if len(o.Requests) > 0 {
			res.RequestID, res.RequestStatus = o.Requests[0].ID, o.Requests[0].Status
		}
	default:
		res = journal.Result{State: journal.StateUncertain, Error: "several orders at DigiCert match an earlier unanswered request: " + orderIDs(m)}
	}
	if err := j.Complete(e.ID, res); err != nil {
		return res, m, &JournalError{Err: err}
	}
	return res, m, nil
}

func orderIDs(m []certcentral.Order) string {
	ids := make([]string, len(m))
	for i, o := range m {
		ids[i] = strconv.FormatInt(o.ID, 10)
	}
	return strings.Join(ids, ", ")
}

// ReconcileSkew is how far before an intent's time an order may have been
// created and still count as its order: the two clocks may differ.
const ReconcileSkew = 2 * time.Minute

// FindOrders lists the orders at DigiCert that an unanswered request may
// have created: same product and email, created at or after the intent
// (less ReconcileSkew), and the same common name when one is known.
func FindOrders(ctx context.Context, c *certcentral.Client, e *journal.Entry) ([]certcentral.Order, error) {
	since := e.IntentAt.Add(-ReconcileSkew)
	list, err := c.ListOrders(ctx, certcentral.ListFilter{Email: e.Email, ProductNameID: e.Product, CreatedSince: since})
	if err != nil {
		return nil, err
	}
	var out []certcentral.Order
	for _, o := range list {
		if !o.DateCreated.IsZero() && o.DateCreated.Before(since) {
			continue
		}
		if e.CommonName != "" && o.Certificate.CommonName != "" && !strings.EqualFold(o.Certificate.CommonName, e.CommonName) {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// writeLoop is the one goroutine that owns the results file, the
// journal's row records, the progress display and the summary. It
// receives rows in input order.
func (s *submitter) writeLoop(futures <-chan chan results.Record, w results.Writer, sum *Summary) error {
	var (
		pending  []journal.RowRecord
		lastPut  = time.Now()
		firstErr error
		paused   time.Time
	)
	flush := func() {
		if len(pending) == 0 || firstErr != nil {
			return
		}
		if err := s.o.Journal.PutRows(pending); err != nil {
			firstErr = &JournalError{Err: err}
			s.stop(firstErr)
		}
		pending, lastPut = pending[:0], time.Now()
	}
	// While a row's answer is awaited the display still follows the
	// limiter, so a pause after a 429 shows when it starts.
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	showPause := func() {
		if s.o.Limiter == nil {
			return
		}
		if p := s.o.Limiter.PausedUntil(); !p.Equal(paused) {
			paused = p
			s.o.Progress.Paused(p) // zero when the pause is over
		}
	}
	for fut := range futures {
		var rec results.Record
	wait:
		for {
			select {
			case rec = <-fut:
				break wait
			case <-tick.C:
				showPause()
			}
		}
		if firstErr == nil {
			if err := w.Write(rec); err != nil {
				firstErr = &OutputError{Err: err}
				s.stop(firstErr)
			}
		}
		pending = append(pending, journal.RowRecord{Batch: s.batch, Row: rec.Row, Cells: rec.Input, Product: rec.Product,
			Outcome: rec.Outcome, OrderID: rec.OrderID, RequestID: rec.RequestID, RequestStatus: rec.RequestStatus,
			OrderStatus: rec.OrderStatus, CertificateID: rec.CertificateID, Error: rec.Error})
		if len(pending) >= 200 || time.Since(lastPut) > 500*time.Millisecond {
			flush()
		}
		sum.count(rec.Product, rec.Outcome)
		switch rec.Outcome {
		case results.Invalid, results.Rejected, results.Uncertain:
			if len(sum.Shown) < s.o.MaxShown {
				sum.Shown = append(sum.Shown, fmt.Sprintf("row %d: %s: %s", rec.Row, rec.Outcome, rec.Error))
			}
		}
		showPause()
		s.o.Progress.Add(1)
	}
	flush()
	return firstErr
}
