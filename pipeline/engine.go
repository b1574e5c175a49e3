package pipeline

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/ordered"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
)

// The start and the end every run of the engine shares (Submit, and
// runPlanned for renew and sync): the two phases, the writer goroutine,
// and how the batch, the results and the errors are closed.

// begin starts the run's phases: ph.stop ends when no new request may
// start (a stop request, a fatal answer: s.stop), and ph.req, the
// context of requests in flight, ends o.Grace after that, or at once on
// o.Hurry (a second Ctrl-C). It sets s.stop and s.finder; release ends
// both phases.
func (s *submitter) begin(ctx context.Context) (ph phases, release func()) {
	stopCtx, stop := context.WithCancelCause(ctx)
	s.stop = stop
	s.finder = NewOrderFinder(s.o.Client, s.o.Templates, s.o.Journal, certcentral.StopWaiting(stopCtx))
	reqCtx, graceCancel := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		<-stopCtx.Done()
		t := time.NewTimer(s.o.Grace)
		defer t.Stop()
		select {
		case <-t.C:
			graceCancel()
		case <-s.o.Hurry:
			graceCancel()
		case <-reqCtx.Done():
		}
	}()
	return phases{stop: stopCtx, req: reqCtx}, func() {
		graceCancel()
		stop(nil)
	}
}

// startWriter runs the writer goroutine (writeLoop) over q; its output
// and journal errors arrive on the channel once q is closed.
func (s *submitter) startWriter(q *ordered.Queue[done], w results.Writer, sum *order.Summary) <-chan [2]error {
	writerErr := make(chan [2]error, 1)
	go func() {
		outErr, journalErr := s.writeLoop(q, w, sum)
		writerErr <- [2]error{outErr, journalErr}
	}()
	return writerErr
}

// end waits for the rows in flight and the writer, closes the batch
// (interrupted when the run was stopped or the input could not be read
// to the end: mapErr), follows up the statuses of a whole run and
// commits the results, keeping every row done so far. The error is
// run-fatal; the summary comes back with it once the results are
// written.
func (s *submitter) end(ctx context.Context, ph phases, g *errgroup.Group, q *ordered.Queue[done], writerErr <-chan [2]error,
	w results.Writer, sum *order.Summary, mapErr error) (*order.Summary, error) {
	g.Wait()
	q.Close()
	werrs := <-writerErr
	outErr, journalErr := werrs[0], werrs[1]
	status := journal.BatchFinished
	if ph.stop.Err() != nil || mapErr != nil {
		status = journal.BatchInterrupted
	}
	if err := s.o.Journal.FinishBatch(s.batch, status); err != nil && journalErr == nil {
		journalErr = &JournalError{Err: err}
	}
	s.o.Progress.Finish()
	if outErr != nil {
		if journalErr != nil {
			return nil, l10n.Errorf("%w; and the journal could not be written either (%v): the orders placed are at DigiCert, and the next run checks there first", outErr, journalErr)
		}
		return nil, l10n.Errorf("%w; every row sent is in the journal: `certbatch results --batch %s -o FILE` writes the results", outErr, s.batch)
	}
	if ph.stop.Err() == nil && mapErr == nil {
		s.followUp(ctx, w)
	}
	// The input stopped being readable (it was read whole when checked),
	// or the journal could not be written: keep the results of the rows
	// done so far, every one of them.
	if err := w.Commit(); err != nil {
		if journalErr != nil {
			return nil, l10n.Errorf("%w; and the journal could not be written either (%v): the orders placed are at DigiCert, and the next run checks there first", err, journalErr)
		}
		return nil, &OutputError{Err: l10n.Errorf("%w; every row sent is in the journal: `certbatch results --batch %s -o FILE` writes the results", err, s.batch)}
	}
	var jerr *JournalError
	if cause := context.Cause(ph.stop); journalErr == nil && errors.As(cause, &jerr) {
		journalErr = jerr // an intent or an answer could not be journaled
	}
	if journalErr != nil {
		return sum, &JournalWriteError{Err: journalErr, Journal: s.o.Journal.Path(), Results: s.o.Output}
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
