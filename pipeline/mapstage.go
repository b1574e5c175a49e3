package pipeline

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/input"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/ordered"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/results"
)

// item is one input row with its mapping result.
type item struct {
	cells []string
	kinds []input.Kind // nil for CSV
	res   mapping.Result
	held  l10n.Msg // why the row is held back (input.Row.HeldWhy); nil when it is not
	// renewalOf, when not 0, is the order this row's order renews (its
	// intent is journaled with the link; validTill is that order's
	// expiry).
	renewalOf int64
	validTill string
}

// hiddenText is the error text of a row held back for why (hidden or
// struck through in the input).
func hiddenText(p l10n.Printer, why l10n.Msg) string {
	return p.Sprintf("held back, not ordered: the row is %s; check it, then --include-hidden orders it", why)
}

// heldReason returns the reason a results file's error text gives for a
// row held back (the text hiddenText made, in any language), or "".
func heldReason(text string) string {
	for _, t := range l10n.Texts("held back, not ordered: the row is %s; check it, then --include-hidden orders it") {
		prefix, suffix, ok := strings.Cut(t, "%s")
		if ok && strings.HasPrefix(text, prefix) && strings.HasSuffix(text, suffix) && len(text) >= len(prefix)+len(suffix) {
			return text[len(prefix) : len(text)-len(suffix)]
		}
	}
	return ""
}

// cellKinds turns the input's cell kinds into the results writer's.
func cellKinds(k []input.Kind) []results.CellKind {
	if k == nil {
		return nil
	}
	out := make([]results.CellKind, len(k))
	for i, x := range k {
		switch x {
		case input.KindNumber:
			out[i] = results.Number
		case input.KindDate:
			out[i] = results.Date
		case input.KindBool:
			out[i] = results.Bool
		}
	}
	return out
}

const batchSize = 256

// mapRows streams rows from rd, maps them on workers goroutines in
// batches, and calls fn for every row in input order, after the
// duplicate check (which depends on order). Rows the input holds back
// (input.Row.Held) carry it in item.held, unless includeHidden, and stay
// out of the duplicate check: a row nobody orders cannot make another a
// duplicate. fn runs on a single goroutine. An error from fn or from
// reading ends the run.
func mapRows(ctx context.Context, rd input.Reader, m *mapping.Mapper, workers int, emit, includeHidden bool, fn func(*item) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		rows []input.Row
		slot ordered.Slot[[]item]
	}
	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan job, workers)
	q := ordered.New[[]item](workers * 2)

	g.Go(func() error {
		defer close(jobs)
		defer q.Close()
		for {
			rows := make([]input.Row, 0, batchSize)
			var readErr error
			for len(rows) < batchSize {
				r, err := rd.Next()
				if err != nil {
					readErr = err
					break
				}
				rows = append(rows, r)
			}
			if len(rows) > 0 {
				slot, err := q.Reserve(ctx)
				if err != nil {
					return err
				}
				select {
				case jobs <- job{rows: rows, slot: slot}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			if readErr == io.EOF {
				return nil
			}
			if readErr != nil {
				return &InputError{Err: readErr}
			}
		}
	})
	for w := 0; w < workers; w++ {
		g.Go(func() error {
			var sc mapping.Scratch
			for j := range jobs {
				items := make([]item, len(j.rows))
				for i, r := range j.rows {
					items[i].cells, items[i].kinds = r.Cells, r.Kinds
					if r.Held != "" && !includeHidden {
						items[i].held = r.HeldWhy
						if items[i].held == nil {
							items[i].held = l10n.Term(r.Held)
						}
						items[i].res = m.Map(r.Number, r.Cells, &sc, false) // for its product
						items[i].res.Payload = nil
						continue
					}
					items[i].res = m.Map(r.Number, r.Cells, &sc, emit)
					if r.Err != nil {
						items[i].res.Problems = append(items[i].res.Problems, mapping.Problem{Row: r.Number, Column: "row", Message: r.Err.Error()})
						items[i].res.Payload = nil
					}
				}
				j.slot.Put(items)
			}
			return nil
		})
	}
	g.Go(func() error {
		dd := mapping.NewDeduper()
		dd.Lang = m.Lang()
		for {
			slot, ok := q.Next()
			if !ok {
				return ctx.Err()
			}
			items, ok := slot.Wait(ctx)
			if !ok {
				return ctx.Err()
			}
			for i := range items {
				if items[i].held == nil {
					dd.Check(&items[i].res)
				}
				if err := fn(&items[i]); err != nil {
					return err
				}
			}
		}
	})
	err := g.Wait()
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// errStop lets a row callback end the stream early without an error.
var errStop = errors.New("stop")
