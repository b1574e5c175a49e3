package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
)

// slidingFeed serves sb, paging its status-change feed five orders a
// page, and drops the feed's first two orders after the first page was
// read, as a window that slides while it is read: without care, the
// order then at the page boundary is never seen.
type slidingFeed struct {
	sb    *sandbox.Server
	mu    sync.Mutex
	pages int
	infos int
}

func (f *slidingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/status-changes"):
	case strings.Count(r.URL.Path, "/") == 5 && r.Method == http.MethodGet: // order info
		f.mu.Lock()
		f.infos++
		f.mu.Unlock()
		fallthrough
	default:
		f.sb.ServeHTTP(w, r)
		return
	}
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	q.Del("offset")
	q.Del("limit")
	r = r.Clone(r.Context())
	r.URL.RawQuery = q.Encode()
	rec := httptest.NewRecorder()
	f.sb.ServeHTTP(rec, r)
	var m map[string][]any
	json.Unmarshal(rec.Body.Bytes(), &m)
	all := m["orders"]
	f.mu.Lock()
	if f.pages > 0 {
		all = all[2:]
	}
	f.pages++
	f.mu.Unlock()
	all = all[min(offset, len(all)):]
	all = all[:min(5, len(all))]
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"orders": all})
}

// A feed that moved while it was read proves nothing about the orders it
// did not list: they are read directly, never called unchanged.
func TestRefreshAsksWhatAMovingFeedMissed(t *testing.T) {
	sb, err := sandbox.New(sandbox.Config{APIKey: "k", Windows: []sandbox.Window{}, EmailValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	feed := &slidingFeed{sb: sb}
	srv := httptest.NewServer(feed)
	defer srv.Close()
	c, err := certcentral.New(certcentral.Config{BaseURL: srv.URL + "/services/v2", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	b, _ := j.BeginBatch("submit", "x", "x", nil)
	var recs []order.Result
	for i := range 14 {
		body := fmt.Sprintf(`{"certificate":{"common_name":"P %d","emails":["p%d@example.com"],"signature_hash":"sha256","common_name_indicator":"pseudonym","individual":{"pseudonym":"P"}},"organization":{"id":112233},"validity_years":1,"skip_approval":true}`, i, i)
		id, _ := j.AddIntent(journal.Intent{Batch: b.ID, Row: i + 2, Identity: fmt.Sprint(i), Product: "client_premium", Email: fmt.Sprintf("p%d@example.com", i)})
		resp, err := c.PlaceOrder(context.Background(), "client_premium", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		a := resp.Answer()
		a.OrderStatus = "pending"
		j.Complete(id, journal.Result{State: journal.StateOrdered, Answer: a})
		recs = append(recs, order.Result{Row: i + 2, Outcome: order.Ordered, Answer: a})
	}
	for _, o := range sb.Orders() {
		if err := sb.ValidateEmail(o.ID); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := RefreshStatus(context.Background(), StatusOptions{Client: c, Journal: j}, recs)
	if err != nil || rep.Pending != 0 {
		t.Fatalf("%+v, %v", rep, err)
	}
	for _, r := range recs {
		if r.OrderStatus != "issued" {
			t.Errorf("row %d: %q", r.Row, r.OrderStatus)
		}
	}
	// Pages of five, the second starting one order early: the order that
	// slid past the boundary is the one read directly.
	if feed.infos != 1 {
		t.Errorf("%d order info reads: want the one order the moving feed missed", feed.infos)
	}
}
