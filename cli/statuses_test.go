package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

// fast is a client rate limit that never holds these tests back (the
// sandbox here has no windows either).
const fast = "none"

// apiCounter puts a counter of requests by kind in front of the env's
// sandbox (order info, list pages, status-change feed, downloads) and
// can hide orders from the list and the feed.
type apiCounter struct {
	mu     sync.Mutex
	counts map[string]int
	hidden map[int64]bool
	// feedPage, when set, pages the status-change feed at most this many
	// orders a page, honouring offset and limit (the status-change list
	// page: "supports filters, sorting, and pagination").
	feedPage int
}

func (c *apiCounter) kind(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, "/services/v2/")
	switch {
	case r.Method != http.MethodGet:
		return r.Method
	case p == "order/certificate":
		return "list"
	case p == "order/certificate/status-changes":
		return "feed"
	case orderInfoPath.MatchString(r.URL.Path):
		return "info"
	case strings.Contains(p, "/download/"):
		return "download"
	}
	return "other"
}

func (c *apiCounter) n(kind string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[kind]
}

func (c *apiCounter) reset() {
	c.mu.Lock()
	c.counts = map[string]int{}
	c.mu.Unlock()
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

func (e *env) countAPI() *apiCounter {
	c := &apiCounter{counts: map[string]int{}, hidden: map[int64]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := c.kind(r)
		c.mu.Lock()
		c.counts[k]++
		hide := len(c.hidden) > 0 && (k == "list" || k == "feed")
		page := c.feedPage
		c.mu.Unlock()
		if !hide && (k != "feed" || page == 0) {
			e.sb.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		offset, limit := atoiOr(q.Get("offset"), 0), atoiOr(q.Get("limit"), page)
		if k == "feed" && page > 0 {
			q.Del("offset")
			q.Del("limit")
			r = r.Clone(r.Context())
			r.URL.RawQuery = q.Encode()
		}
		rec := httptest.NewRecorder()
		e.sb.ServeHTTP(rec, r)
		var m map[string]any
		json.Unmarshal(rec.Body.Bytes(), &m)
		list, _ := m["orders"].([]any)
		var kept []any
		for _, it := range list {
			o := it.(map[string]any)
			id := o["id"]
			if k == "feed" {
				id = o["order_id"]
			}
			c.mu.Lock()
			h := c.hidden[int64(id.(float64))]
			c.mu.Unlock()
			if !h {
				kept = append(kept, it)
			}
		}
		if k == "feed" && page > 0 {
			kept = kept[min(offset, len(kept)):]
			kept = kept[:min(limit, page, len(kept))]
		}
		delete(m, "orders")
		if len(kept) > 0 {
			m["orders"] = kept
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		json.NewEncoder(w).Encode(m)
	}))
	e.t.Cleanup(srv.Close)
	e.base = srv.URL + "/services/v2"
	return c
}

// validateAll validates every order's emails in the sandbox, as the
// recipients would: S/MIME orders held for it are issued.
func (e *env) validateAll() {
	e.t.Helper()
	for _, o := range e.sb.Orders() {
		if o.Status == "pending" {
			if err := e.sb.ValidateEmail(o.ID); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

// The status-change feed is read page by page until a short page
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/status-change-list.html:
// "supports filters, sorting, and pagination"): with a feed of 50 per
// page and 200 orders issued at the server, all 200 end issued (issue
// 15: one page read left 150 pending, exit 4).
func TestStatusReadsEveryPageOfTheFeed(t *testing.T) {
	e := newEnv(t, 200, sandbox.Config{EmailValidation: true})
	api := e.countAPI()
	api.feedPage = 50
	if r := e.submit("--rate-limit", fast); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	e.validateAll()
	api.reset()
	r := run(t, e.vars, "status", e.resultsPath(), "--state", e.state, "--base-url", e.base, "--quiet", "--rate-limit", fast)
	if r.code != 0 {
		t.Fatalf("status: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, x := range readResults(t, e.resultsPath()).Records {
		if x.OrderStatus != "issued" {
			t.Fatalf("row %d: %q", x.Row, x.OrderStatus)
		}
	}
	// Five pages of the feed (each after the first starts at the last
	// order of the one before), not one order info per person.
	if api.n("feed") != 5 || api.n("info") != 0 {
		t.Errorf("%d feed pages, %d order info reads", api.n("feed"), api.n("info"))
	}
}

// The first status after submit comes from the order list (one page for
// a batch), not one order info per person; an order no list page names
// is read directly, never left without a status.
func TestFirstStatusesComeFromListPages(t *testing.T) {
	for _, c := range []struct {
		rows   int
		hidden bool
	}{{5, false}, {20, false}, {20, true}} {
		t.Run(fmt.Sprintf("%d orders, one hidden from the list and the feed: %v", c.rows, c.hidden), func(t *testing.T) {
			e := newEnv(t, c.rows, sandbox.Config{EmailValidation: true})
			api := e.countAPI()
			if c.hidden {
				api.hidden[100003] = true
			}
			if r := e.submit(); r.code != 0 {
				t.Fatalf("submit: %d %s", r.code, r.stderr)
			}
			for _, x := range readResults(t, e.resultsPath()).Records {
				if x.OrderStatus != "pending" {
					t.Errorf("row %d: status %q after submit", x.Row, x.OrderStatus)
				}
			}
			// One list page for the account check, one for the statuses.
			want := 0
			if c.hidden {
				want = 1
			}
			if api.n("list") != 2 || api.n("info") != want {
				t.Errorf("%d list pages, %d order info reads; want 2 and %d", api.n("list"), api.n("info"), want)
			}
		})
	}
}

// The list is walked until a short page, never stopped by a missing
// page.total (issue 20: the account check ended after 1,000 orders
// without a word): a person whose order is on the second page is found.
func TestAccountCheckWalksPastAMissingTotal(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/services/v2/order/certificate" {
			e.sb.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		e.sb.ServeHTTP(rec, r)
		var m map[string]any
		json.Unmarshal(rec.Body.Bytes(), &m)
		if p, ok := m["page"].(map[string]any); ok {
			delete(p, "total")
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(m)
	}))
	t.Cleanup(srv.Close)
	postOrder(t, e.base, "person1@example.com", "Person 1") // the oldest: on page 2
	for i := range 1000 {
		postOrder(t, e.base, fmt.Sprintf("other%d@example.com", i), fmt.Sprintf("Other %d", i))
	}
	e.base = srv.URL + "/services/v2"
	writeCSV(t, e.input, staff(1, 1))
	posts := e.sb.Stats().OrderPOSTs
	r := e.submit()
	x := e.results()[2]
	if r.code != 0 || e.sb.Stats().OrderPOSTs != posts || x.outcome != "skipped" || x.orderID != "100001" {
		t.Fatalf("exit %d, %d POSTs, %+v\n%s", r.code, e.sb.Stats().OrderPOSTs-posts, x, r.stderr)
	}
}

// The whole job (order, statuses until issued, download) on an account
// holding 1,000 orders of other people costs about 3 requests per
// person, counted by the sandbox (issue 15: 6.03 per person measured,
// one order info per unknown order of the account): the order, the
// download, and one filters[email] search per new person, because an
// S/MIME order listed under another spelling of the person's name
// still names their email (pipeline/account_email.go). Issue 15's goal
// of 2.1 holds only without that search, which would let such an order
// through; never twice comes first.
func TestWholeJobRequestsPerPersonOnABusyAccount(t *testing.T) {
	const people, others = 200, 1000
	e := newEnv(t, 0, sandbox.Config{EmailValidation: true})
	for i := range others {
		postOrder(t, e.base, fmt.Sprintf("other%d@example.com", i), fmt.Sprintf("Other %d", i))
	}
	writeCSV(t, e.input, staff(people, 1))
	before := e.sb.Stats().Requests
	if r := e.submit("--rate-limit", fast); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	submitted := e.sb.Stats().Requests
	e.validateAll()
	r := run(t, e.vars, "status", e.resultsPath(), "--state", e.state, "--base-url", e.base, "--download", filepath.Join(e.dir, "certs"), "--quiet", "--rate-limit", fast)
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("download: %d written", people)) {
		t.Fatalf("status --download: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	total := e.sb.Stats().Requests - before
	per := float64(total) / people
	t.Logf("%d requests for %d people (%.3f per person; submit %d)", total, people, per, submitted-before)
	if per > 3.1 {
		t.Errorf("%.3f requests per person (%d for %d people), want at most 3.1", per, total, people)
	}
	// The account check itself: two list pages, no order info (nobody
	// of the batch is listed under another's name), one search each.
	if n := submitted - before; n > 2*people+8 {
		t.Errorf("submit sent %d requests for %d orders", n, people)
	}
}
