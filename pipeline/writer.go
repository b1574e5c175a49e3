package pipeline

import (
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/ordered"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
)

// writeLoop is the one goroutine that owns the results file, the
// journal's row records, the progress display and the summary. It takes
// rows from q in input order, whatever order their answers arrive in.
//
// The results file and the journal fail apart: a journal that cannot be
// written (a full disk) stops the run (no request is sent after it) and
// its row records stop, but every row still goes to the results file,
// which then holds the only complete record (journalErr); a results file
// that cannot be written stops the run too, and the journal keeps the
// rows (outErr).
func (s *submitter) writeLoop(q *ordered.Queue[done], w results.Writer, sum *order.Summary) (outErr, journalErr error) {
	var (
		pending []order.Result
		lastPut = time.Now()
		paused  time.Time
	)
	flush := func() {
		if len(pending) == 0 || journalErr != nil {
			pending = pending[:0]
			return
		}
		if err := s.o.Journal.PutRows(s.batch, pending); err != nil {
			journalErr = &JournalError{Err: err}
			s.stop(journalErr)
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
	for {
		slot, ok := q.Next()
		if !ok {
			break
		}
		var d done
	wait:
		for {
			select {
			case d = <-slot.Value():
				break wait
			case <-tick.C:
				showPause()
			}
		}
		rec := d.rec
		if outErr == nil {
			if err := w.WriteKinds(&rec, d.kinds); err != nil {
				outErr = &OutputError{Err: err}
				s.stop(outErr)
			}
		}
		if rec.Outcome == order.Ordered && d.sent && rec.OrderStatus == "" {
			s.placed = append(s.placed, rec.Answer)
		}
		pending = append(pending, rec)
		if len(pending) >= 200 || time.Since(lastPut) > 500*time.Millisecond {
			flush()
		}
		sum.Add(&rec)
		switch rec.Outcome {
		case order.Invalid, order.Rejected, order.Uncertain, order.Held:
			if len(sum.Shown) < s.o.MaxShown {
				sum.Shown = append(sum.Shown, s.o.Lang.Sprintf("row %d: %s: %s", rec.Row, l10n.Term(rec.Outcome), rec.Error))
			}
		}
		showPause()
		if d.sent {
			s.o.Progress.Add(1)
		}
	}
	flush()
	return outErr, journalErr
}
