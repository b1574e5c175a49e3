package pipeline

import (
	"fmt"
	"time"

	"github.com/certbatch/certbatch/internal/ordered"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
)

// writeLoop is the one goroutine that owns the results file, the
// journal's row records, the progress display and the summary. It takes
// rows from q in input order, whatever order their answers arrive in.
func (s *submitter) writeLoop(q *ordered.Queue[done], w results.Writer, sum *order.Summary) error {
	var (
		pending  []order.Result
		lastPut  = time.Now()
		firstErr error
		paused   time.Time
	)
	flush := func() {
		if len(pending) == 0 || firstErr != nil {
			return
		}
		if err := s.o.Journal.PutRows(s.batch, pending); err != nil {
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
		if firstErr == nil {
			if err := w.WriteKinds(&rec, d.kinds); err != nil {
				firstErr = &OutputError{Err: err}
				s.stop(firstErr)
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
				sum.Shown = append(sum.Shown, fmt.Sprintf("row %d: %s: %s", rec.Row, rec.Outcome, rec.Error))
			}
		}
		showPause()
		if d.sent {
			s.o.Progress.Add(1)
		}
	}
	flush()
	return firstErr
}
