package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/ordered"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
)

// ErrInputChanged means the input file changed between the checking pass
// and the submission pass.
var ErrInputChanged = errors.New("the input file changed after it was checked; nothing was sent for the changed file, run the command again")

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
}

func (s *submitter) now() time.Time { return time.Now() }

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
	rd, m, err := o.Source.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	b, err := o.Journal.BeginBatch("submit", o.Input, plan.InputSHA256, rd.Header())
	if err != nil {
		return nil, err
	}
	meta := results.Meta{Batch: b.ID, Started: b.StartedAt, Input: o.Input, Sandbox: o.Sandbox}
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
	s := &submitter{o: o, batch: b.ID}
	stopCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	s.stop = stop
	s.finder = NewOrderFinder(o.Client, o.Templates, o.Journal, certcentral.StopWaiting(stopCtx))
	if errors.Is(plan.AccountErr, certcentral.ErrAuth) {
		stop(plan.AccountErr) // the key is refused: nothing can be sent
	}
	reqCtx, graceCancel := context.WithCancel(context.WithoutCancel(ctx))
	defer graceCancel()
	ph := phases{stop: stopCtx, req: reqCtx}
	go func() {
		<-stopCtx.Done()
		t := time.NewTimer(o.Grace)
		defer t.Stop()
		select {
		case <-t.C:
			graceCancel()
		case <-o.Hurry:
			graceCancel()
		case <-reqCtx.Done():
		}
	}()

	sum := &order.Summary{Output: o.Output, Batch: b.ID, Sheet: rd.Sheet()}
	// The progress display counts the orders to send, not rows skipped.
	o.Progress.Start(int64(plan.NewOrders()))
	q := ordered.New[done](4*o.Concurrency + batchSize)
	writerErr := make(chan error, 1)
	go func() { writerErr <- s.writeLoop(q, w, sum) }()

	var g errgroup.Group
	g.SetLimit(o.Concurrency)
	// The stream itself is not stopped by Ctrl-C: every row still gets a
	// result (not sent), so the results file is complete.
	mapErr := mapRows(context.WithoutCancel(ctx), rd, m, o.Workers, true, func(it *item) error {
		slot, err := q.Reserve(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
		rec := order.Result{Row: it.res.Row, Input: it.cells, Product: it.res.Product}
		kinds := cellKinds(it.kinds)
		r := it.res
		switch {
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
		if d == conflict {
			rec.Outcome, rec.Error = order.Invalid, conflictText(&r, e)
			slot.Put(done{rec: rec, kinds: kinds})
			return nil
		}
		if d == skipIt {
			if r.PersonKey != "" && e.PersonKey == "" {
				if err := o.Journal.LearnKey(e.ID, r.PersonKey); err != nil {
					s.stop(&JournalError{Err: err})
				}
			}
			rec.Outcome, rec.Answer = order.Skipped, e.Answer
			rec.Error = fmt.Sprintf("already ordered in batch %s (row %d); --force orders again", e.Batch, e.Row)
			if e.PayloadHash != payloadHash(r.Payload) {
				rec.Error += "; the row has changed since that order"
			}
			slot.Put(done{rec: rec, kinds: kinds})
			return nil
		}
		if d == orderIt && !o.Force {
			if ord, ok := plan.Account.Find(r.ProductKey, r.Email); ok {
				slot.Put(done{rec: s.adopt(&r, ord, rec), kinds: kinds})
				return nil
			}
			if o.accountUnchecked(plan) {
				rec.Outcome = order.Failed
				rec.Error = "not sent: DigiCert could not be checked for an existing order of this person (" + plan.AccountErr.Error() + "); nothing was created, safe to run again"
				slot.Put(done{rec: rec, kinds: kinds})
				return nil
			}
		}
		g.Go(func() error {
			slot.Put(done{rec: s.process(ph, it, e, rec), sent: true, kinds: kinds})
			return nil
		})
		return nil
	})
	g.Wait()
	q.Close()
	werr := <-writerErr
	status := journal.BatchFinished
	if ph.stop.Err() != nil || mapErr != nil {
		status = journal.BatchInterrupted
	}
	if err := o.Journal.FinishBatch(b.ID, status); err != nil && werr == nil {
		werr = err
	}
	o.Progress.Finish()
	if werr != nil {
		return nil, fmt.Errorf("%w; every row sent is in the journal: `certbatch results --batch %s -o FILE` writes the results", werr, b.ID)
	}
	if ph.stop.Err() == nil && mapErr == nil {
		s.followUp(ctx, w)
	}
	// The input stopped being readable (it was read whole when checked):
	// keep the results of the rows done so far.
	if err := w.Commit(); err != nil {
		return nil, &OutputError{Err: fmt.Errorf("%w; every row sent is in the journal: `certbatch results --batch %s -o FILE` writes the results", err, b.ID)}
	}
	if mapErr != nil {
		return sum, mapErr
	}
	if cause := context.Cause(ph.stop); cause != nil && ph.stop.Err() != nil {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		return sum, cause
	}
	return sum, nil
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

// process orders one row: reconcile an earlier unanswered request if
// there is one, then record the intent durably, send, record the answer.
func (s *submitter) process(ph phases, it *item, prev *journal.Entry, rec order.Result) order.Result {
	r := &it.res
	if ph.stop.Err() != nil {
		return s.notSent(ph, rec)
	}
	if prev != nil && prev.State != journal.StateOrdered {
		done, out := s.reconcileRow(ph, prev, rec)
		if done {
			return out
		}
	}
	in := journal.Intent{Batch: s.batch, Row: r.Row, Identity: r.Identity, Product: r.Product,
		ProductKey: r.ProductKey, PersonKey: r.PersonKey, Email: r.Email, CommonName: r.CommonName, PayloadHash: payloadHash(r.Payload)}
	var id int64
	var err error
	if it.renewalOf != 0 {
		// A renewal is journaled like an order, with its link.
		id, err = s.o.Journal.AddRenewalIntent(in, it.renewalOf, it.validTill)
	} else {
		id, err = s.o.Journal.AddIntent(in)
	}
	if err != nil {
		s.stop(&JournalError{Err: err})
		return s.notSent(ph, rec)
	}
	resp, err := s.o.Client.PlaceOrder(ph.req, r.Product, r.Payload, certcentral.StopWaiting(ph.stop))
	res, text := answerOf(resp, err)
	rec.Error = text
	switch {
	case errors.Is(err, certcentral.ErrAuth):
		s.stop(err)
	case res.State == journal.StateFailed && ph.stop.Err() != nil:
		rec.Error = s.notSent(ph, rec).Error
	}
	if err := s.o.Journal.Complete(id, res); err != nil {
		s.stop(&JournalError{Err: err})
		if rec.Error == "" {
			rec.Error = "the answer could not be journaled: " + err.Error()
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
func answerOf(resp *certcentral.OrderResponse, err error) (journal.Result, string) {
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
			err.Error() + "; not resent in this run: the next run checks DigiCert first"
	case errors.Is(err, certcentral.ErrAuth):
		return journal.Result{State: journal.StateFailed, Answer: order.Answer{Error: err.Error()}}, err.Error()
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429:
		return journal.Result{State: journal.StateRejected, Answer: order.Answer{Error: err.Error()}}, err.Error()
	default: // nothing was created: rate limit retries ran out, not connected, stopped before sending
		return journal.Result{State: journal.StateFailed, Answer: order.Answer{Error: err.Error()}},
			"not created: " + err.Error() + "; safe to run again"
	}
}

// adopt records an order the account already had for a person the
// journal did not know, and skips the row: the journal knows it from now
// on.
func (s *submitter) adopt(r *mapping.Result, ord certcentral.Order, rec order.Result) order.Result {
	rec.Outcome, rec.Answer = order.Skipped, ord.Answer()
	rec.Error = fmt.Sprintf("found at DigiCert: order %d (%s) already exists for this person; --force orders again", ord.ID, ord.Status)
	id, err := s.o.Journal.AddIntent(journal.Intent{Batch: s.batch, Row: r.Row, Identity: r.Identity, Product: r.Product,
		ProductKey: r.ProductKey, PersonKey: r.PersonKey, Email: r.Email, CommonName: r.CommonName, PayloadHash: payloadHash(r.Payload)})
	if err == nil {
		err = s.o.Journal.Complete(id, journal.Result{State: journal.StateOrdered, Answer: ord.Answer(), Recovered: true})
	}
	if err != nil {
		s.stop(&JournalError{Err: err})
	}
	return rec
}

// followUp reads the status of the orders the run placed, the way
// `certbatch status` does (one status-change request for a batch of more
// than DefaultFeedThreshold orders, order info for fewer), so the results
// say what DigiCert says of each order (needs_approval, pending, issued)
// rather than nothing; a certificate ID in the POST answer is no status
// (certcentral-today.md §2). Statuses the feed does not list stay empty
// for `status` to fill in; a failure here only logs: the orders are in
// the journal either way.
func (s *submitter) followUp(ctx context.Context, w results.Writer) {
	if len(s.placed) == 0 || s.o.Client == nil {
		return
	}
	recs := make([]order.Result, len(s.placed))
	for i, a := range s.placed {
		recs[i] = order.Result{Outcome: order.Ordered, Answer: a}
	}
	o := StatusOptions{Client: s.o.Client, Journal: s.o.Journal, Templates: s.o.Templates, Concurrency: s.o.Concurrency,
		Log: s.o.Log, followUp: true}
	if _, err := RefreshStatus(ctx, o, recs); err != nil {
		s.o.Log.Warn("order statuses not read after submitting; `certbatch status` reads them", "error", err)
		return
	}
	as := make([]order.Answer, len(recs))
	for i := range recs {
		as[i] = recs[i].Answer
	}
	w.Refresh(as)
}
