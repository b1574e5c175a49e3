package pipeline

import (
	"context"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// listStatuses reads the statuses of rows' orders from the order list,
// newest first: list items carry each order's status and certificate ID
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html),
// so a batch just placed costs one request per 1,000 orders instead of
// one per order. The walk ends when every order was seen, at the list's
// end (a short page), or after as many pages as the orders need and two
// more (orders other people placed meanwhile push them down). The rows
// whose order no page listed are returned: their status is unknown, and
// they are to be asked directly, never taken as unchanged.
func listStatuses(ctx context.Context, o StatusOptions, rows []*order.Result) (requests int, left []*order.Result, err error) {
	want := make(map[int64][]*order.Result, len(rows))
	for _, r := range rows {
		want[r.OrderID] = append(want[r.OrderID], r)
	}
	pg := certcentral.Pager{Asked: certcentral.ListPageSize}
	maxPages := len(rows)/certcentral.ListPageSize + 2
	for offset := 0; len(want) > 0 && requests < maxPages; {
		p, err := o.Client.ListPage(ctx, offset)
		requests++
		if err != nil {
			return requests, nil, l10n.Errorf("status: %w", err)
		}
		for _, item := range p.Orders {
			rs, ok := want[item.ID]
			if !ok {
				continue
			}
			delete(want, item.ID)
			a := item.Answer()
			for _, r := range rs {
				r.Answer.Refresh(a)
			}
			if o.Journal != nil {
				if err := o.Journal.UpdateStatus(a); err != nil {
					return requests, nil, &JournalError{Err: err}
				}
			}
		}
		offset += len(p.Orders)
		if pg.End(len(p.Orders), p.Limit) {
			break
		}
	}
	for _, r := range rows {
		if _, missing := want[r.OrderID]; missing {
			left = append(left, r)
		}
	}
	return requests, left, nil
}

// FirstStatuses reads the statuses of orders just placed: from the
// order list ([listStatuses]), and with order info those no list page
// named. A certificate ID in the POST answer is no status
// (certcentral-today.md §2), so without this the results would say
// nothing of each order until `certbatch status`.
func FirstStatuses(ctx context.Context, o StatusOptions, recs []order.Result) (int, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	rows := make([]*order.Result, 0, len(recs))
	for i := range recs {
		if recs[i].OrderID != 0 {
			rows = append(rows, &recs[i])
		}
	}
	if len(rows) == 0 {
		return 0, nil
	}
	n, left, err := listStatuses(ctx, o, rows)
	if err != nil {
		return n, err
	}
	m, err := askEach(ctx, o, left)
	return n + m, err
}
