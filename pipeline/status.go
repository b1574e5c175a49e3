package pipeline

import (
	"context"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// StatusOptions configure [RefreshStatus].
type StatusOptions struct {
	Client      *certcentral.Client
	Journal     *journal.Journal // updated too when not nil
	Concurrency int              // requests in flight; 0 means 4
	// Wait, when positive, polls every Interval until every order is
	// final or Wait has passed.
	Wait, Interval time.Duration
	Log            *slog.Logger
}

// RefreshStatus asks CertCentral for the status of every order of recs
// that is not final and updates the records in place (and the journal).
// It returns how many orders are still not final.
func RefreshStatus(ctx context.Context, o StatusOptions, recs []order.Result) (int, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	deadline := time.Now().Add(o.Wait)
	for {
		pending, err := refreshOnce(ctx, o, recs)
		if err != nil {
			return 0, err
		}
		o.Log.Info("status refreshed", "pending", pending)
		if pending == 0 || o.Wait <= 0 || time.Now().Add(o.Interval).After(deadline) {
			return pending, nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(o.Interval):
		}
	}
}

// waiting reports whether a record has an order whose status may still
// change.
func waiting(r *order.Result) bool { return r.OrderID != 0 && !order.IsFinal(r.OrderStatus) }

// refreshOnce fetches the status of every non-final order once and
// returns how many are still not final.
func refreshOnce(ctx context.Context, o StatusOptions, recs []order.Result) (int, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Concurrency)
	for i := range recs {
		r := &recs[i]
		if !waiting(r) {
			continue
		}
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			ord, err := o.Client.GetOrder(gctx, r.OrderID)
			if err != nil {
				r.Error = "status: " + err.Error()
				return nil
			}
			a := ord.Answer()
			r.Answer.Refresh(a)
			if o.Journal != nil {
				o.Journal.UpdateStatus(a)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	pending := 0
	for i := range recs {
		if waiting(&recs[i]) {
			pending++
		}
	}
	return pending, nil
}
