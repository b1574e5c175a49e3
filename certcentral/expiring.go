package certcentral

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// ListValidTillPage fetches one page of GET /order/certificate with the
// documented filters[valid_till] filter
// (https://dev.digicert.com/ja/services-api/orders/list-orders/ lists
// filters[valid_till] among the list's filters), as the range
// "FROM...TO" (yyyy-MM-dd), newest first, from offset.
//
// The page names the filter without saying which forms it takes or
// whether a range's ends are included (public clients send ">D"; the
// "A...B" form is the one documented for dates on the status-change
// list). Callers therefore widen the range and check every order's own
// certificate.valid_till, and fall back to the unfiltered list when the
// filter is refused or finds fewer orders than the expiring report
// counts (pipeline's expiring search).
func (c *Client) ListValidTillPage(ctx context.Context, from, to time.Time, offset int, opts ...CallOption) (*OrderPage, error) {
	q := url.Values{}
	q.Set("filters[valid_till]", from.Format(time.DateOnly)+"..."+to.Format(time.DateOnly))
	q.Set("sort", "-date_created")
	q.Set("limit", strconv.Itoa(ListPageSize))
	q.Set("offset", strconv.Itoa(offset))
	var page struct {
		Orders []Order `json:"orders"`
		Page   struct {
			Total int `json:"total"`
		} `json:"page"`
	}
	if err := c.get(ctx, l10n.Msgf("list orders expiring %s to %s (offset %d)", from.Format(time.DateOnly), to.Format(time.DateOnly), offset),
		"/order/certificate", q, &page, opts); err != nil {
		return nil, err
	}
	return &OrderPage{Orders: page.Orders, Total: page.Page.Total}, nil
}
