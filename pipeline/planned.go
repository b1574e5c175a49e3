package pipeline

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/ordered"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
)

// A planned run (renew, sync) is decided before it starts: its rows come
// from the account and the journal, not from reading an input file
// twice. It goes through the same engine as submit: every order is
// journaled before it is sent (process: reconcile an unanswered earlier
// request first, record the intent, send, record the answer), orders
// found at DigiCert are adopted into the journal, one writer goroutine
// owns the results file and the journal's row records, and the batch is
// recorded like submit's, so `certbatch results --batch ID` rebuilds its
// results and `status` follows its orders.

// rowAct is what a planned run does with a row.
type rowAct int

const (
	actFinal        rowAct = iota // nothing to send: rec is the result
	actOrder                      // place it (reconciling prev first)
	actAdopt                      // found at DigiCert: journal found as the person's order
	actAdoptRenewal               // renewed at DigiCert (is_renewed): journal the renewal
)

// plannedRow is one row of a planned run.
type plannedRow struct {
	it  item         // cells, mapped order (payload, identity), renewal link
	rec order.Result // Row, Input, Product; the whole result for actFinal
	act rowAct
	// prev is an earlier attempt still waiting for its answer (actOrder):
	// DigiCert is checked for it first.
	prev *journal.Entry
	// found is the order adopted (actAdopt), renewedBy the renewal's
	// order ID (actAdoptRenewal).
	found     *certcentral.Order
	renewedBy int64
}

// plannedRun is a planned run's batch.
type plannedRun struct {
	command, input, inputSHA256 string
	header                      []string
	rows                        []plannedRow
	// account is what the run's plan read of the account: a new person's
	// order there is adopted, not placed again (nil: not checked).
	account *AccountOrders
}

// orders counts the rows that place an order.
func (p *plannedRun) orders() int {
	n := 0
	for i := range p.rows {
		if p.rows[i].act == actOrder {
			n++
		}
	}
	return n
}

// runPlanned runs a planned batch through the engine and writes its
// results to o.Output. Like Submit, every row gets a result, the error is
// only for run-fatal problems, and the summary comes back with it once
// the results file is written.
func runPlanned(ctx context.Context, o SubmitOptions, run plannedRun) (*order.Summary, error) {
	o = o.withDefaults()
	b, err := o.Journal.BeginBatch(run.command, run.input, run.inputSHA256, run.header)
	if err != nil {
		return nil, err
	}
	meta := results.Meta{Batch: b.ID, Started: b.StartedAt, Input: run.input, Sandbox: o.Sandbox, Lang: o.Lang}
	if o.Client != nil {
		meta.Endpoint = o.Client.BaseURL()
	}
	w, err := results.CreateWith(o.Output, run.header, meta)
	if err != nil {
		o.Journal.FinishBatch(b.ID, journal.BatchInterrupted)
		return nil, &OutputError{Err: err}
	}
	defer w.Abort()
	s := &submitter{o: o, batch: b.ID, plan: &Plan{Account: run.account, names: Names{}, accountAt: time.Now(), checked: run.account != nil}}
	ph, release := s.begin(ctx)
	defer release()
	sum := &order.Summary{Output: o.Output, Batch: b.ID}
	o.Progress.Start(int64(run.orders()))
	q := ordered.New[done](4*o.Concurrency + batchSize)
	writerErr := s.startWriter(q, w, sum)
	var g errgroup.Group
	g.SetLimit(o.Concurrency)
	for i := range run.rows {
		pr := &run.rows[i]
		slot, err := q.Reserve(context.WithoutCancel(ctx))
		if err != nil {
			break
		}
		rec := pr.rec
		switch {
		case pr.act == actFinal:
			slot.Put(done{rec: rec})
		case ph.stop.Err() != nil:
			slot.Put(done{rec: s.notSent(ph, rec)})
		case pr.act == actAdopt:
			slot.Put(done{rec: s.adopt(&pr.it.res, Verdict{Order: pr.found}, rec)})
		case pr.act == actAdoptRenewal:
			slot.Put(done{rec: s.adoptRenewal(&pr.it, pr.renewedBy, rec)})
		default:
			g.Go(func() error {
				slot.Put(done{rec: s.processPlanned(ph, pr, rec), sent: true})
				return nil
			})
		}
	}
	return s.end(ctx, ph, &g, q, writerErr, w, sum, nil)
}

// processPlanned places a planned row's order. A renewal whose earlier
// request got no answer is first looked up through the order it renews:
// order info's renewed_order_id names the renewal once DigiCert sets it
// (https://dev.digicert.com/zh-tw/services-api/orders/order-info/); when
// it does not, the engine's reconciliation looks for it like any order.
func (s *submitter) processPlanned(ph phases, pr *plannedRow, rec order.Result) order.Result {
	if pr.prev != nil && pr.it.renewalOf != 0 && pr.prev.State != journal.StateOrdered {
		orig, err := s.o.Client.GetOrder(ph.req, pr.it.renewalOf, certcentral.StopWaiting(ph.stop))
		switch {
		case err != nil && fatal(err):
			rec.Outcome = order.Uncertain
			rec.Error = s.o.Lang.Sprintf("an earlier renewal request (batch %s) got no answer and DigiCert could not be checked: %v", pr.prev.Batch, err)
			return rec
		case err == nil && orig.IsRenewed && orig.RenewedOrderID != 0:
			a := order.Answer{OrderID: orig.RenewedOrderID}
			if jerr := s.o.Journal.Complete(pr.prev.ID, journal.Result{State: journal.StateOrdered, Answer: a, Recovered: true}); jerr != nil {
				s.stop(&JournalError{Err: jerr})
			}
			rec.Outcome, rec.Answer = order.Ordered, a
			rec.Note = s.o.Lang.Sprintf("recovered: DigiCert says order %d renewed it (the earlier request of batch %s got no answer)", orig.RenewedOrderID, pr.prev.Batch)
			return rec
		}
	}
	return s.process(ph, &pr.it, pr.prev, s.plan, rec)
}

// adoptRenewal records a renewal placed outside this journal (order
// info's is_renewed / renewed_order_id) as the person's order, linked to
// the order it renews, and skips the row.
func (s *submitter) adoptRenewal(it *item, renewedBy int64, rec order.Result) order.Result {
	r := &it.res
	rec.Outcome, rec.Answer = order.Skipped, order.Answer{OrderID: renewedBy}
	rec.Note = s.o.Lang.Sprintf("already renewed at DigiCert: order %d renews order %d", renewedBy, it.renewalOf)
	id, err := s.o.Journal.AddRenewalIntent(journal.Intent{Batch: s.batch, Row: r.Row, Identity: r.Identity, Product: r.Product,
		ProductKey: r.ProductKey, PersonKey: r.PersonKey, Email: r.Email, CommonName: r.CommonName, PayloadHash: payloadHash(r.Payload)},
		it.renewalOf, it.validTill)
	if err == nil {
		err = s.o.Journal.Complete(id, journal.Result{State: journal.StateOrdered, Answer: rec.Answer, Recovered: true})
	}
	if err != nil {
		var jerr *JournalError
		if !errors.As(err, &jerr) {
			err = &JournalError{Err: err}
		}
		s.stop(err)
	}
	return rec
}
