package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
)

// ExpiringSearch is what [FindExpiring] found: every issued order of the
// account whose certificate expires in a window, whatever its product.
type ExpiringSearch struct {
	From, To time.Time // the window, dates (UTC midnight), both included
	Orders   []certcentral.Order
	Requests int
	// Fallback says why the whole order list was walked instead of the
	// filtered one (a message of the catalog: print it with
	// l10n.Printer.Error); nil when the filter was enough.
	Fallback error
}

// day is t's date at UTC midnight.
func day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// FindExpiring lists the issued orders whose certificate.valid_till lies
// between from and to (dates, both included).
//
// It asks the order list with the documented filters[valid_till]
// (https://dev.digicert.com/ja/services-api/orders/list-orders/), whose
// accepted forms the page does not give: the range is widened by a day
// on each side and every order's own valid_till is checked here, so the
// filter's treatment of the ends does not matter. A filter that is
// refused, or that finds fewer orders than GET /report/order/expiring
// counts in a window the search covers
// (https://dev.digicert.com/en/certcentral-apis/services-api/reports/expiring-orders-and-certificates.html),
// is not trusted: the whole list is walked instead (one request per
// 1,000 orders). Missing an order would leave a person without a
// renewal; walking more only costs requests.
func FindExpiring(ctx context.Context, c *certcentral.Client, now, from, to time.Time) (*ExpiringSearch, error) {
	s := &ExpiringSearch{From: day(from), To: day(to)}
	listed, err := s.walk(ctx, func(offset int) (*certcentral.OrderPage, error) {
		return c.ListValidTillPage(ctx, s.From.AddDate(0, 0, -1), s.To.AddDate(0, 0, 1), offset)
	})
	switch {
	case err != nil && fatal(err) && !errors.Is(err, certcentral.ErrRateLimited):
		return nil, err
	case err != nil:
		s.Fallback = l10n.Errorf("the order list refused filters[valid_till] (%v)", err)
	default:
		short, err := s.shortOfReport(ctx, c, now, listed)
		if err != nil {
			return nil, err
		}
		s.Fallback = short
	}
	if s.Fallback != nil {
		if listed, err = s.walk(ctx, func(offset int) (*certcentral.OrderPage, error) { return c.ListPage(ctx, offset) }); err != nil {
			return nil, err
		}
	}
	for _, o := range listed {
		if till, ok := o.Certificate.ValidTillDate(); ok && o.Status == "issued" && !till.Before(s.From) && !till.After(s.To) {
			s.Orders = append(s.Orders, o)
		}
	}
	return s, nil
}

// walk reads every page of a list.
func (s *ExpiringSearch) walk(ctx context.Context, page func(offset int) (*certcentral.OrderPage, error)) ([]certcentral.Order, error) {
	var out []certcentral.Order
	seen := map[int64]bool{}
	for offset, pages := 0, 0; ; pages++ {
		if pages >= maxWalkPages {
			return nil, l10n.Errorf("expiring orders: the order list is longer than %d pages", maxWalkPages)
		}
		p, err := page(offset)
		s.Requests++
		if err != nil {
			return nil, err
		}
		for _, o := range p.Orders {
			if !seen[o.ID] {
				seen[o.ID] = true
				out = append(out, o)
			}
		}
		offset += len(p.Orders)
		if len(p.Orders) == 0 || offset >= p.Total {
			return out, nil
		}
	}
}

// shortOfReport compares the filtered list with the expiring report, for
// every report window inside the search: "" when the list has at least
// as many orders there as the report counts, else why not.
func (s *ExpiringSearch) shortOfReport(ctx context.Context, c *certcentral.Client, now time.Time, listed []certcentral.Order) (error, error) {
	today := day(now)
	// The report's windows, from "the day you submit the request":
	// 30 = today excluded to 30 days excluded, 60 = 30 included to 60
	// excluded, 90 = 60 to 90 both included.
	type window struct{ lo, hi int }
	windows := map[int]window{30: {1, 29}, 60: {30, 59}, 90: {60, 90}}
	covered := map[int]bool{}
	for d, w := range windows {
		covered[d] = !today.AddDate(0, 0, w.lo).Before(s.From) && !today.AddDate(0, 0, w.hi).After(s.To)
	}
	if !covered[30] && !covered[60] && !covered[90] {
		return nil, nil
	}
	rep, err := c.ExpiringReport(ctx)
	s.Requests++
	if err != nil {
		if fatal(err) && !errors.Is(err, certcentral.ErrRateLimited) {
			return nil, err
		}
		return l10n.Errorf("the expiring report could not be read to check the filter (%v)", err), nil
	}
	for _, b := range rep {
		w, ok := windows[b.DaysExpiring]
		if !ok || !covered[b.DaysExpiring] {
			continue
		}
		n := 0
		for _, o := range listed {
			if till, ok := o.Certificate.ValidTillDate(); ok && !till.Before(today.AddDate(0, 0, w.lo)) && !till.After(today.AddDate(0, 0, w.hi)) {
				n++
			}
		}
		if n < b.OrderCount {
			return l10n.Errorf("filters[valid_till] found %d orders expiring in %d to %d days, the expiring report counts %d", n, w.lo, w.hi, b.OrderCount), nil
		}
	}
	return nil, nil
}
