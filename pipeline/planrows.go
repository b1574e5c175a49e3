package pipeline

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"runtime"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// PlanKind is what the plan does with a row, as a person reads it.
type PlanKind string

// What a plan does with a row, in the order [Plan.Describe] lists them.
const (
	PlanOrder     PlanKind = "order"       // new: ordered
	PlanForce     PlanKind = "order again" // --force: ordered although the person has an order
	PlanReconcile PlanKind = "check first" // an earlier request got no answer: DigiCert is checked, then ordered only if no order exists
	PlanSkip      PlanKind = "skip"        // already ordered (the journal)
	PlanFound     PlanKind = "found"       // already ordered (found at DigiCert): skipped
	PlanHeld      PlanKind = "hold back"   // not sent: DigiCert could not be checked for an existing order, or cannot say whose one is
	PlanHidden    PlanKind = "hidden"      // not sent: hidden or struck through in the input (--include-hidden sends it)
	PlanInvalid   PlanKind = "invalid"     // not sent: the row breaks a rule, or conflicts with an earlier order
)

// planKinds lists the kinds in the order the plan shows them.
var planKinds = []PlanKind{PlanOrder, PlanForce, PlanReconcile, PlanSkip, PlanFound, PlanHeld, PlanHidden, PlanInvalid}

// PlanRow is one row of the plan: who it is and what happens to it.
type PlanRow struct {
	Row     int      `json:"row"`
	Kind    PlanKind `json:"kind"`
	Product string   `json:"product,omitempty"`
	Name    string   `json:"name,omitempty"`
	Email   string   `json:"email,omitempty"`
	// Why says why the row is skipped, held back or invalid, or what the
	// order buys (its validity) for a row to order.
	Why string `json:"why,omitempty"`
	// Cells are the row's input cells: a row the run never reaches is
	// recorded with them, so the batch's results list it.
	Cells []string `json:"cells,omitempty"`
}

// outcomeIfUnreached is the outcome a row gets in the journal before the
// run reaches it: a row that breaks a rule is invalid whether or not it
// is reached; any other is not reached until the run says otherwise.
func (r *PlanRow) outcomeIfUnreached(p l10n.Printer) (order.Outcome, string) {
	switch r.Kind {
	case PlanInvalid:
		return order.Invalid, r.Why
	case PlanHidden:
		return order.Held, r.Why
	}
	return order.NotReached, p.Sprintf("not reached: the run ended (killed or crashed) before it got to this row; nothing was sent for it in that run. Run submit again: it orders the row, or skips it when the person is already ordered")
}

// rowSpool keeps every row of a plan in a temporary file, unlinked at
// once where the system allows (nothing is left behind, even after kill
// -9), so a plan of a million rows costs no memory: the plan's listing
// (--show-plan) and the rows recorded for a batch before it is sent are
// read back from it.
type rowSpool struct {
	f *os.File
	w *bufio.Writer
	n int
}

func newRowSpool() (*rowSpool, error) {
	f, err := os.CreateTemp("", "certbatch-plan-*")
	if err != nil {
		return nil, l10n.Errorf("plan: %w", err)
	}
	if runtime.GOOS != "windows" {
		os.Remove(f.Name()) // the open file stays readable
	}
	return &rowSpool{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (s *rowSpool) add(r *PlanRow) error {
	b, err := json.Marshal(r)
	if err != nil {
		return l10n.Errorf("plan: row %d: %w", r.Row, err)
	}
	b = append(b, '\n')
	if _, err := s.w.Write(b); err != nil {
		return l10n.Errorf("plan: %w", err)
	}
	s.n++
	return nil
}

// each calls fn for every row in input order.
func (s *rowSpool) each(fn func(*PlanRow) error) error {
	if err := s.w.Flush(); err != nil {
		return l10n.Errorf("plan: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return l10n.Errorf("plan: %w", err)
	}
	dec := json.NewDecoder(bufio.NewReaderSize(s.f, 64<<10))
	for {
		var r PlanRow
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return l10n.Errorf("plan: read back: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	_, err := s.f.Seek(0, io.SeekEnd)
	return err
}

func (s *rowSpool) close() {
	if s == nil {
		return
	}
	s.f.Close()
	os.Remove(s.f.Name()) // where it could not be unlinked while open
}

// recordRows writes every row of the plan into the batch's row records
// before anything is sent, each as the run has not reached it yet (or as
// invalid): rows the run writes replace them, so a batch whose run was
// killed still lists every row of its input, the ones it never reached
// saying so (`certbatch results --batch`).
func recordRows(j rowPutter, batch string, p *Plan, width int) error {
	if p == nil || p.rows == nil {
		return nil
	}
	var chunk []order.Result
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		err := j.PutRows(batch, chunk)
		chunk = chunk[:0]
		if err != nil {
			return &JournalError{Err: err}
		}
		return nil
	}
	err := p.rows.each(func(r *PlanRow) error {
		cells := make([]string, width)
		copy(cells, r.Cells)
		rec := order.Result{Row: r.Row, Input: cells, Product: r.Product, Name: r.Name, Email: r.Email}
		rec.Outcome, rec.Error = r.outcomeIfUnreached(p.lang)
		chunk = append(chunk, rec)
		if len(chunk) == 500 {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// rowPutter stores row records (the journal).
type rowPutter interface {
	PutRows(batch string, rows []order.Result) error
}
