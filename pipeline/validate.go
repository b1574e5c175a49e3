package pipeline

import (
	"bufio"
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
)

// ValidateOptions configure a dry run.
type ValidateOptions struct {
	Source
	Output   string // results file (.xlsx or .csv); "" means DefaultOutput
	Payloads string // optional JSON Lines file of the bodies that would be sent
	Progress Progress
	Log      *slog.Logger
	// Journal, when not nil (a journal that exists, opened read-only),
	// lets the dry run say what submit would do with each valid row: a
	// person already ordered would be skipped (the row's note says so),
	// a key or email that belongs to another order is a problem.
	Journal *journal.Journal
	// MaxShown bounds how many problem rows are listed in the summary.
	MaxShown int
}

// Validate runs the dry run: it reads, maps and validates every row and
// writes the results file (and the payloads file if asked). It sends
// nothing. Invalid rows are data in the summary, not an error.
func Validate(ctx context.Context, o ValidateOptions) (*order.Summary, error) {
	if o.Output == "" {
		o.Output = DefaultOutput(o.Input)
	}
	if err := o.checkOutputs([]string{o.Output, o.Payloads}); err != nil {
		return nil, err
	}
	if err := guardResults(o.Lang, o.Output, ""); err != nil {
		return nil, err
	}
	rd, m, err := o.Source.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if o.Progress == nil {
		o.Progress = NopProgress{}
	}
	if o.MaxShown == 0 {
		o.MaxShown = 20
	}
	rep := m.Report()
	w, err := results.CreateWith(o.Output, rd.Header(), results.Meta{Started: time.Now(), Input: o.Input, Mapping: mappingRows(o.Lang, rep), Lang: o.Lang})
	if err != nil {
		return nil, &OutputError{Err: err}
	}
	defer w.Abort()
	var pw *payloadWriter
	if o.Payloads != "" {
		if pw, err = newPayloadWriter(o.Payloads); err != nil {
			return nil, &OutputError{Err: err}
		}
		defer pw.abort()
	}
	sum := &order.Summary{Output: o.Output, Sheet: rd.Sheet(), Mapping: MappingLines(o.Lang, rep)}
	o.Progress.Start(-1)
	// Payloads are built for the journal too: a skipped row says whether
	// it changed since its order (by the payload's hash).
	err = mapRows(ctx, rd, m, o.Workers, pw != nil || o.Journal != nil, o.IncludeHidden, func(it *item) error {
		rec := order.Result{Row: it.res.Row, Input: it.cells, Product: it.res.Product, Outcome: order.Valid, Name: it.res.Name, Email: it.res.RawEmail}
		if it.held != nil {
			rec.Outcome, rec.Error = order.Held, hiddenText(o.Lang, it.held)
			if len(sum.Shown) < o.MaxShown {
				sum.Shown = append(sum.Shown, o.Lang.Sprintf("row %d: %s", it.res.Row, rec.Error))
			}
		} else if !it.res.Valid() {
			rec.Outcome = order.Invalid
			rec.Error = it.res.ErrorText()
			if len(sum.Shown) < o.MaxShown {
				sum.Shown = append(sum.Shown, o.Lang.Sprintf("row %d: %s", it.res.Row, rec.Error))
			}
		} else if pw != nil {
			if err := pw.write(it.res.Row, it.res.Product, it.res.Payload); err != nil {
				return &OutputError{Err: err}
			}
		}
		if rec.Outcome == order.Valid && o.Journal != nil {
			if err := o.wouldDo(&it.res, &rec, sum); err != nil {
				return err
			}
		}
		sum.Add(&rec)
		if err := w.WriteKinds(&rec, cellKinds(it.kinds)); err != nil {
			return &OutputError{Err: err}
		}
		o.Progress.Add(1)
		return nil
	})
	o.Progress.Finish()
	if err != nil {
		return nil, err
	}
	if pw != nil {
		if err := pw.commit(); err != nil {
			return nil, &OutputError{Err: err}
		}
	}
	if err := w.Commit(); err != nil {
		return nil, &OutputError{Err: err}
	}
	return sum, nil
}

// wouldDo notes on a valid row what submit would do with it, from the
// journal: skip a person already ordered, check DigiCert first for an
// earlier unanswered request, or refuse a key or email that belongs to
// another order.
func (o *ValidateOptions) wouldDo(r *mapping.Result, rec *order.Result, sum *order.Summary) error {
	d, e, err := decidePerson(o.Journal, false, r)
	if err != nil {
		return err
	}
	switch d {
	case conflict, conflictEmail:
		rec.Outcome, rec.Error = order.Invalid, conflictText(o.Lang, r, e, d == conflictEmail)
		if len(sum.Shown) < o.MaxShown {
			sum.Shown = append(sum.Shown, o.Lang.Sprintf("row %d: %s", r.Row, rec.Error))
		}
	case skipIt:
		rec.Note = o.Lang.Sprintf("would be skipped: %s", skipNote(o.Lang, e, payloadHash(r.Payload)))
		sum.WouldSkip++
		if len(sum.Skips) < o.MaxShown {
			sum.Skips = append(sum.Skips, personLine(o.Lang, &PlanRow{Row: r.Row, Name: r.Name, Email: r.RawEmail, Why: rec.Note}))
		}
	case reconcile:
		rec.Note = o.Lang.Sprintf("an earlier request (batch %s, row %d) got no answer: submit checks DigiCert first, and orders only if no order exists", e.Batch, e.Row)
	}
	return nil
}

// payloadWriter writes {"row":N,"product":"...","payload":{...}} lines.
type payloadWriter struct {
	f   *atomicfile.File
	buf *bufio.Writer
	tmp []byte
}

func newPayloadWriter(path string) (*payloadWriter, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	return &payloadWriter{f: f, buf: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (p *payloadWriter) write(row int, product string, payload []byte) error {
	b := p.tmp[:0]
	b = append(b, `{"row":`...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, `,"product":`...)
	b = strconv.AppendQuote(b, product) // product IDs are plain ASCII
	b = append(b, `,"payload":`...)
	b = append(b, payload...)
	b = append(b, "}\n"...)
	p.tmp = b
	if _, err := p.buf.Write(b); err != nil {
		return l10n.Errorf("write %s: %w", p.f.Dest(), err)
	}
	return nil
}

func (p *payloadWriter) commit() error {
	if err := p.buf.Flush(); err != nil {
		return l10n.Errorf("write %s: %w", p.f.Dest(), err)
	}
	return p.f.Commit()
}

func (p *payloadWriter) abort() { p.f.Abort() }
