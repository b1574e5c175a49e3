package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/ordered"
	"github.com/certbatch/certbatch/internal/testhook"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
)

// ErrInputChanged means the input file changed between the checking pass
// and the submission pass.
var ErrInputChanged = l10n.Errorf("the input file changed after it was checked; nothing was sent for the changed file, run the command again")

// phases are the two contexts of a submission, passed to every step
// that sends: stop ends dispatching (Ctrl-C, a run-fatal error) and
// every wait for the rate limiter; req bounds requests already decided
// and outlives stop by the grace period, so a request on the wire gets
// its answer.
type phases struct {
	stop context.Context
	req  context.Context
}

// submitter holds the state of one submission pass.
type submitter struct {
	placed []order.Answer // orders placed by this run, for the status follow-up (writer goroutine)
	o      SubmitOptions
	batch  string
	stop   context.CancelCauseFunc // ends phases.stop with a cause
	finder *OrderFinder            // reconciliation, shared by the run's rows
	plan   *Plan
}

// Submit runs the submission pass for a confirmed plan: rows are read
// again, checked against the journal, and the valid new ones are ordered
// concurrently. Every row gets a result; the returned error is only for
// run-fatal problems, and the summary is returned with it when the
// results file was written.
func Submit(ctx context.Context, o SubmitOptions, plan *Plan) (*order.Summary, error) {
	o = o.withDefaults()
	if sum, err := o.inputSHA256(); err != nil {
		return nil, err
	} else if sum != plan.InputSHA256 {
		return nil, &InputError{Err: ErrInputChanged}
	}
	if err := guardResults(o.Lang, o.Output, ""); err != nil {
		return nil, err
	}
	rd, m, err := o.Source.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	b, err := o.Journal.BeginBatch("submit", o.Input, plan.InputSHA256, rd.Header())
	if err != nil {
		return nil, err
	}
	if err := recordRows(o.Journal, b.ID, plan, len(rd.Header())); err != nil {
		o.Journal.FinishBatch(b.ID, journal.BatchInterrupted)
		return nil, l10n.Errorf("record the batch's rows before sending: %w; nothing was sent", err)
	}
	meta := results.Meta{Batch: b.ID, Started: b.StartedAt, Input: o.Input, Sandbox: o.Sandbox, Mapping: mappingRows(o.Lang, m.Report()), Lang: o.Lang}
	if o.Client != nil {
		meta.Endpoint = o.Client.BaseURL()
	}
	w, err := results.CreateWith(o.Output, rd.Header(), meta)
	if err != nil {
		o.Journal.FinishBatch(b.ID, journal.BatchInterrupted)
		return nil, &OutputError{Err: err}
	}
	defer w.Abort()

	o.recheckAccount(ctx, plan)
	s := &submitter{o: o, batch: b.ID, plan: plan}
	ph, release := s.begin(ctx)
	defer release()
	if errors.Is(plan.AccountErr, certcentral.ErrAuth) {
		s.stop(plan.AccountErr) // the key is refused: nothing can be sent
	}

	sum := &order.Summary{Output: o.Output, Batch: b.ID, Sheet: rd.Sheet()}
	// The progress display counts the orders to send, not rows skipped.
	o.Progress.Start(int64(plan.NewOrders()))
	q := ordered.New[done](4*o.Concurrency + batchSize)
	writerErr := s.startWriter(q, w, sum)

	var g errgroup.Group
	g.SetLimit(o.Concurrency)
	// The stream itself is not stopped by Ctrl-C: every row still gets a
	// result (not sent), so the results file is complete.
	mapErr := mapRows(context.WithoutCancel(ctx), rd, m, o.Workers, true, o.IncludeHidden, func(it *item) error {
		slot, err := q.Reserve(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
		rec := order.Result{Row: it.res.Row, Input: it.cells, Product: it.res.Product, Name: it.res.Name, Email: it.res.RawEmail}
		kinds := cellKinds(it.kinds)
		r := it.res
		switch {
		case it.held != nil:
			rec.Outcome, rec.Error = order.Held, hiddenText(s.o.Lang, it.held)
			slot.Put(done{rec: rec, kinds: kinds})
			return nil
		case !r.Valid():
			rec.Outcome, rec.Error = order.Invalid, r.ErrorText()
			slot.Put(done{rec: rec, kinds: kinds})
			return nil
		case ph.stop.Err() != nil:
			slot.Put(done{rec: s.notSent(ph, rec), kinds: kinds})
			return nil
		}
		d, e, err := o.decide(&r)
		if err != nil {
			s.stop(err)
			slot.Put(done{rec: s.notSent(ph, rec), kinds: kinds})
			return nil
		}
		if d == conflict || d == conflictEmail || d == skipIt {
			slot.Put(done{rec: s.settled(d, &r, e, rec), kinds: kinds})
			return nil
		}
		g.Go(func() error {
			slot.Put(done{rec: s.process(ph, it, e, plan, rec), sent: true, kinds: kinds})
			return nil
		})
		return nil
	})
	return s.end(ctx, ph, &g, q, writerErr, w, sum, mapErr)
}

// done is a row's result on its way to the writer; sent tells whether
// the row went to a worker to be ordered (the progress display counts
// those).
type done struct {
	rec   order.Result
	sent  bool
	kinds []results.CellKind // what the input cells were (nil: all text)
}

// notSent is the result of a valid row that the run stopped before sending.
func (s *submitter) notSent(ph phases, rec order.Result) order.Result {
	rec.Outcome = order.Failed
	cause := context.Cause(ph.stop)
	if errors.Is(cause, context.Canceled) || cause == nil {
		rec.Error = s.o.Lang.Sprintf("not sent: the run was interrupted; run again to order it")
	} else {
		rec.Error = s.o.Lang.Sprintf("not sent: the run stopped: %s", s.o.Lang.Error(cause))
	}
	return rec
}

func payloadHash(p []byte) string {
	h := sha256.Sum256(p)
	return hex.EncodeToString(h[:])
}

// settled is the result of a row the journal decides alone: a conflict
// with another order (a row problem) or a person already ordered
// (skipped; a key the order lacked is learned).
func (s *submitter) settled(d decision, r *mapping.Result, e *journal.Entry, rec order.Result) order.Result {
	if d == conflict || d == conflictEmail {
		rec.Outcome, rec.Error = order.Invalid, conflictText(s.o.Lang, r, e, d == conflictEmail)
		return rec
	}
	if r.PersonKey != "" && e.PersonKey == "" {
		if err := s.o.Journal.LearnKey(e.ID, r.PersonKey); err != nil {
			s.stop(&JournalError{Err: err})
		}
	}
	rec.Outcome, rec.Answer = order.Skipped, e.Answer
	rec.Note = skipNote(s.o.Lang, e, payloadHash(r.Payload))
	return rec
}

// process orders one row. It holds the person's lock (on a shared
// journal, other hosts wait for it) from the journal and account check
// until the answer is journaled: it looks the person up again under the
// lock, since another run may have ordered them after the plan (then
// the row is skipped, or reconciled if that run's answer is missing),
// reconciles an earlier unanswered request, checks the account, then
// records the intent durably, sends, and records the answer.
func (s *submitter) process(ph phases, it *item, planned *journal.Entry, plan *Plan, rec order.Result) order.Result {
	r := &it.res
	if ph.stop.Err() != nil {
		return s.notSent(ph, rec)
	}
	unlock, err := s.o.Journal.LockPerson(ph.stop, journal.Person{ProductKey: r.ProductKey, Email: r.Email, Emails: r.Emails, Key: r.PersonKey})
	if err != nil {
		if ph.stop.Err() == nil {
			s.stop(&JournalError{Err: err})
		}
		return s.notSent(ph, rec)
	}
	defer unlock()
	var (
		d    decision
		prev *journal.Entry
	)
	if it.renewalOf != 0 {
		d, prev, err = s.o.decideRenewal(it.renewalOf)
	} else {
		d, prev, err = s.o.decide(r)
	}
	if err != nil {
		s.stop(err)
		return s.notSent(ph, rec)
	}
	switch {
	case d == conflict, d == conflictEmail, d == skipIt:
		return s.settled(d, r, prev, rec)
	case d == forceIt && (planned == nil || prev.ID != planned.ID):
		// --force orders past the orders the plan showed, not one
		// another run placed since: that one is this run's order too.
		rec.Outcome, rec.Answer = order.Skipped, prev.Answer
		rec.Note = s.o.Lang.Sprintf("ordered meanwhile by another run (batch %s, row %d); not ordered again", prev.Batch, prev.Row)
		return rec
	case d == reconcile:
		if done, out := s.reconcileRow(ph, prev, rec); done {
			return out
		}
	case d == orderIt && !s.o.Force && it.renewalOf == 0:
		v, err := s.o.accountVerdict(ph.stop, plan, r)
		var jerr *JournalError
		switch {
		case errors.As(err, &jerr):
			s.stop(err)
			return s.notSent(ph, rec)
		case err != nil && ph.stop.Err() != nil:
			return s.notSent(ph, rec)
		case err != nil:
			rec.Outcome = order.Failed
			rec.Error = s.o.Lang.Sprintf("not sent: DigiCert could not be checked for an existing order of this person (%s); nothing was created, safe to run again", s.o.Lang.Error(err))
			return rec
		case v.Order != nil:
			return s.adopt(r, v, rec)
		case len(v.Held) > 0:
			rec.Outcome, rec.Error = order.Invalid, heldText(s.o.Lang, v)
			return rec
		}
		if s.o.accountUnchecked(plan) {
			rec.Outcome = order.Failed
			rec.Error = s.o.Lang.Sprintf("not sent: DigiCert could not be checked for an existing order of this person (%s); nothing was created, safe to run again", s.o.Lang.Error(plan.AccountErr))
			return rec
		}
	}
	// A generated key is on disk, encrypted, before its intent.
	body, keyID, err := s.orderBody(r)
	if err != nil {
		s.stop(err)
		return s.notSent(ph, rec)
	}
	in := journal.Intent{Batch: s.batch, Row: r.Row, Identity: r.Identity, Product: r.Product,
		ProductKey: r.ProductKey, PersonKey: r.PersonKey, Email: r.Email, CommonName: ListedName(r), PayloadHash: payloadHash(r.Payload)}
	var id int64
	switch {
	case it.renewalOf != 0:
		// A renewal is journaled like an order, with its link.
		id, err = s.o.Journal.AddRenewalIntent(in, it.renewalOf, it.validTill, r.Emails...)
	case keyID != "":
		id, err = s.o.Journal.AddIntentWithKey(in, keyID, r.Emails...)
	default:
		id, err = s.o.Journal.AddIntent(in, r.Emails...)
	}
	if err != nil {
		s.stop(&JournalError{Err: err})
		return s.notSent(ph, rec)
	}
	testhook.Reach(StepIntent)
	resp, err := s.o.Client.PlaceOrder(ph.req, r.Product, body, certcentral.StopWaiting(ph.stop))
	res, text := answerOf(s.o.Lang, resp, err)
	rec.Error = text
	switch {
	case errors.Is(err, certcentral.ErrAuth):
		s.stop(err)
	case res.State == journal.StateFailed && ph.stop.Err() != nil:
		rec.Error = s.notSent(ph, rec).Error
	}
	if err := s.o.Journal.Complete(id, res); err != nil {
		// Like a lost answer: the intent stays, and the next run checks
		// DigiCert for the order before anything else.
		s.stop(&JournalError{Err: err})
		if rec.Error == "" {
			rec.Error = s.o.Lang.Sprintf("the answer could not be journaled: %s", s.o.Lang.Error(err))
		}
	}
	if resp != nil && res.State == journal.StateOrdered {
		// Issued at once: keep the chain for `certbatch download`.
		if err := s.o.Journal.PutChain(resp.ID, resp.CertificateID, resp.ChainPEM()); err != nil {
			s.o.Log.Warn("the certificate chain could not be kept; download fetches it again", "order_id", resp.ID, "error", err)
		}
	}
	rowErr := rec.Error // the row's text explains the answer's error
	rec.Outcome, rec.Answer = res.State.Outcome(), res.Answer
	rec.Error = rowErr
	return rec
}

// answerOf turns the outcome of PlaceOrder into the journal's record and
// the row's error text.
func answerOf(p l10n.Printer, resp *certcentral.OrderResponse, err error) (journal.Result, string) {
	var (
		apiErr *certcentral.APIError
		unc    *certcentral.UncertainError
	)
	switch {
	case err == nil:
		// A certificate ID is not issuance (certcentral-today.md §2): the
		// order's status is unknown until order info tells it.
		return journal.Result{State: journal.StateOrdered, Answer: resp.Answer()}, ""
	case errors.As(err, &unc):
		return journal.Result{State: journal.StateUncertain, Answer: order.Answer{Error: err.Error()}},
			p.Sprintf("%s; not resent in this run: the next run checks DigiCert first", p.Error(err))
	case errors.Is(err, certcentral.ErrAuth):
		return journal.Result{State: journal.StateFailed, Answer: order.Answer{Error: err.Error()}}, err.Error()
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429:
		return journal.Result{State: journal.StateRejected, Answer: order.Answer{Error: err.Error()}}, err.Error()
	default: // nothing was created: rate limit retries ran out, not connected, stopped before sending
		return journal.Result{State: journal.StateFailed, Answer: order.Answer{Error: err.Error()}},
			p.Sprintf("not created: %s; safe to run again", p.Error(err))
	}
}

// adopt records an order the account already had for a person the
// journal did not know, and skips the row: the journal knows it from now
// on.
func (s *submitter) adopt(r *mapping.Result, v Verdict, rec order.Result) order.Result {
	ord := v.Order
	rec.Outcome, rec.Answer = order.Skipped, ord.Answer()
	rec.Note = foundText(s.o.Lang, v)
	id, err := s.o.Journal.AddIntent(journal.Intent{Batch: s.batch, Row: r.Row, Identity: r.Identity, Product: r.Product,
		ProductKey: r.ProductKey, PersonKey: r.PersonKey, Email: r.Email, CommonName: ListedName(r), PayloadHash: payloadHash(r.Payload)}, r.Emails...)
	if err == nil {
		err = s.o.Journal.Complete(id, journal.Result{State: journal.StateOrdered, Answer: ord.Answer(), Recovered: true})
	}
	if err != nil {
		s.stop(&JournalError{Err: err})
	}
	return rec
}

// followUp reads the status of the orders the run placed from the
// order list, newest first ([FirstStatuses]: one request per 1,000
// orders; order info for any no page listed), so the results say what
// DigiCert says of each order (needs_approval, pending, issued) rather
// than nothing; a certificate ID in the POST answer is no status
// (certcentral-today.md §2). A failure here only logs: the orders are in
// the journal either way, and `certbatch status` reads them.
func (s *submitter) followUp(ctx context.Context, w results.Writer) {
	if len(s.placed) == 0 || s.o.Client == nil {
		return
	}
	recs := make([]order.Result, len(s.placed))
	for i, a := range s.placed {
		recs[i] = order.Result{Outcome: order.Ordered, Answer: a}
	}
	o := StatusOptions{Client: s.o.Client, Journal: s.o.Journal, Templates: s.o.Templates, Concurrency: s.o.Concurrency, Log: s.o.Log}
	if _, err := FirstStatuses(ctx, o, recs); err != nil {
		s.o.Log.Warn("order statuses not read after submitting; `certbatch status` reads them", "error", err)
		return
	}
	as := make([]order.Answer, len(recs))
	for i := range recs {
		as[i] = recs[i].Answer
	}
	w.Refresh(as)
}
