package certcentral

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// A list read ends at a short page, never at a missing or stale
// page.total (issue 20): the page size is the one the answer reports,
// else the longest page seen.
func TestPagerEndsOnAShortPageOnly(t *testing.T) {
	for _, c := range []struct {
		name   string
		pages  []int // items per page
		limits []int // page.limit per page (0: not given)
		ends   int   // index of the page that ends the read
	}{
		{"server honours the limit and says so", []int{1000, 1000, 3}, []int{1000, 1000, 1000}, 2},
		{"a full page, then an empty one", []int{1000, 0}, []int{1000, 1000}, 1},
		{"a smaller page size, reported", []int{50, 50, 50, 49}, []int{50, 50, 50, 50}, 3},
		{"a smaller page size, not reported: 200 changes in pages of 50", []int{50, 50, 50, 50, 0}, nil, 4},
		{"not reported, the last page short", []int{50, 50, 7}, nil, 2},
		{"not reported, one short page: one more read tells", []int{200, 0}, nil, 1},
		{"a first empty page", []int{0}, nil, 0},
		{"more than asked", []int{5000, 0}, nil, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := Pager{Asked: 1000}
			for i, n := range c.pages {
				limit := 0
				if c.limits != nil {
					limit = c.limits[i]
				}
				if end := p.End(n, limit); end != (i == c.ends) {
					t.Fatalf("page %d (%d items, limit %d): End = %v", i, n, limit, end)
				}
				if i == c.ends {
					return
				}
			}
			t.Fatal("the read never ended")
		})
	}
}

// feedServer serves the status-change feed from changes (order IDs,
// newest first) in pages of at most size, honouring offset and limit,
// and calls between before answering each page.
func feedServer(t *testing.T, size int, changes func() []int64, between func(page int)) (*Client, *recorder) {
	rec := &recorder{}
	page := 0
	c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
		rec.add(r)
		if between != nil {
			between(page)
		}
		page++
		q := r.URL.Query()
		off, _ := strconv.Atoi(q.Get("offset"))
		lim, _ := strconv.Atoi(q.Get("limit"))
		all := changes()
		lim = min(lim, size)
		var items []string
		for i := off; i < len(all) && i < off+lim; i++ {
			items = append(items, fmt.Sprintf(`{"order_id":%d,"certificate_id":%d,"status":"issued"}`, all[i], all[i]+1000))
		}
		if len(items) == 0 {
			return answer(r, 200, `{}`), nil
		}
		return answer(r, 200, `{"orders":[`+strings.Join(items, ",")+`]}`), nil
	}))
	return c, rec
}

func ids(from, to int64) []int64 {
	var out []int64
	for id := from; id >= to; id-- {
		out = append(out, id)
	}
	return out
}

// The feed is read page by page until a short page (the status-change
// list page: "This endpoint supports filters, sorting, and pagination",
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/status-change-list.html):
// with a server page of 50 and 200 changes, all 200 are read (issue 15:
// one page read left 150 issued orders pending).
func TestStatusChangesReadsEveryPage(t *testing.T) {
	c, rec := feedServer(t, 50, func() []int64 { return ids(200, 1) }, nil)
	feed, err := c.StatusChanges(context.Background(), 90*time.Second)
	if err != nil || len(feed.Changes) != 200 || !feed.Complete {
		t.Fatalf("StatusChanges: %d changes, complete %v, %v", len(feed.Changes), feed.Complete, err)
	}
	if feed.Changes[199] != (StatusChange{OrderID: 1, CertificateID: 1001, Status: "issued"}) {
		t.Errorf("last change %+v", feed.Changes[199])
	}
	// Pages overlap by one order: 0, 49, 98, 147, 196 (the short one).
	reqs := rec.all()
	if feed.Requests != len(reqs) || len(reqs) != 5 {
		t.Fatalf("%d requests (counted %d), want 5", len(reqs), feed.Requests)
	}
	for i, r := range reqs {
		q, _ := url.ParseQuery(r.query)
		wantOff := ""
		if i > 0 {
			wantOff = strconv.Itoa(49 * i)
		}
		if r.path != "/services/v2/order/certificate/status-changes" || q.Get("minutes") != "2" || q.Get("limit") != "1000" || q.Get("offset") != wantOff {
			t.Errorf("request %d: %s?%s", i, r.path, r.query)
		}
	}
	// The window is rounded up to a minute and capped at 7 days.
	c.StatusChanges(context.Background(), 30*24*time.Hour)
	if q, _ := url.ParseQuery(rec.all()[5].query); q.Get("minutes") != "10080" {
		t.Errorf("a month asked %q, want the 7-day maximum minutes=10080", rec.all()[5].query)
	}
}

// A feed that fits one page takes one more (empty) read to be sure when
// the answer does not say its page size; an empty feed takes one.
func TestStatusChangesShortFeeds(t *testing.T) {
	for _, c := range []struct {
		n, requests int
	}{{0, 1}, {1, 2}, {37, 2}} {
		cl, _ := feedServer(t, 1000, func() []int64 { return ids(int64(c.n), 1) }, nil)
		feed, err := cl.StatusChanges(context.Background(), time.Minute)
		if err != nil || len(feed.Changes) != c.n || !feed.Complete || feed.Requests != c.requests {
			t.Errorf("%d changes: %+v, %v", c.n, feed, err)
		}
	}
}

// When the feed moves between two pages (orders leave the window, or
// new changes come in), the read is not Complete: an order the feed does
// not name may have changed, and the caller asks it directly.
func TestStatusChangesNoticesAMovingFeed(t *testing.T) {
	for _, c := range []struct {
		name string
		move func(all []int64) []int64
	}{
		{"an order leaves the window", func(all []int64) []int64 { return append(all[:10:10], all[11:]...) }},
		{"new changes come in", func(all []int64) []int64 { return append([]int64{999, 998}, all...) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			all := ids(120, 1)
			cl, _ := feedServer(t, 50, func() []int64 { return all }, func(page int) {
				if page == 1 {
					all = c.move(all)
				}
			})
			feed, err := cl.StatusChanges(context.Background(), time.Minute)
			if err != nil || feed.Complete {
				t.Fatalf("complete %v, %v", feed.Complete, err)
			}
		})
	}
	// A server that ignores offset repeats its first page: incomplete,
	// and the read stops.
	rec := &recorder{}
	cl, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
		rec.add(r)
		return answer(r, 200, `{"orders":[{"order_id":3,"status":"issued"},{"order_id":2,"status":"issued"}]}`), nil
	}))
	feed, err := cl.StatusChanges(context.Background(), time.Minute)
	if err != nil || feed.Complete || len(feed.Changes) != 2 || len(rec.all()) != 2 {
		t.Errorf("offset ignored: %+v, %v, %d requests", feed, err, len(rec.all()))
	}
}

// Against the sandbox, whose feed pages hold StatusPageSize orders.
func TestStatusChangesAgainstThePagedSandbox(t *testing.T) {
	c, sb := sandboxClient(t, sandbox.Config{StatusPageSize: 3})
	for i := range 10 {
		body := strings.Replace(strings.Replace(clientOrder, "%s", "true", 1), `,"csr":""`, "", 1)
		body = strings.Replace(body, "minji@", fmt.Sprintf("p%d@", i), 1)
		if _, err := c.PlaceOrder(context.Background(), "client_premium", []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	before := sb.Stats().Requests
	feed, err := c.StatusChanges(context.Background(), time.Minute)
	if err != nil || len(feed.Changes) != 10 || !feed.Complete || sb.Stats().Requests-before != feed.Requests {
		t.Fatalf("%+v, %v", feed, err)
	}
}

// The client learns the server's clock from the Date header of every
// answer (issue 20: reconciliation does not trust the local clock).
func TestServerSkewFromTheDateHeader(t *testing.T) {
	var date string
	c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
		if date == "" {
			return answer(r, 200, `{}`), nil
		}
		return answer(r, 200, `{}`, "Date", date), nil
	}))
	if _, ok := c.ServerSkew(); ok {
		t.Fatal("a skew before any answer")
	}
	c.ListPage(context.Background(), 0)
	if _, ok := c.ServerSkew(); ok {
		t.Fatal("a skew from an answer without Date")
	}
	d0 := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC) // hours from this machine's clock, either way
	date = d0.Format(http.TimeFormat)
	before := time.Now()
	c.ListPage(context.Background(), 0)
	after := time.Now()
	if d, ok := c.ServerSkew(); !ok || d < d0.Sub(after) || d > d0.Sub(before) {
		t.Errorf("skew %v %v, want between %v and %v", d, ok, d0.Sub(after), d0.Sub(before))
	}
	date = "not a date"
	c.ListPage(context.Background(), 0)
	if d, _ := c.ServerSkew(); d < d0.Sub(after) || d > d0.Sub(before) {
		t.Errorf("a bad Date changed the skew: %v", d)
	}
}
