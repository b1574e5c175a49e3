package journal

import (
	"path/filepath"
	"testing"

	"github.com/certbatch/certbatch/internal/pgtest"
	"github.com/certbatch/certbatch/order"
)

// An SQLite journal copied into a PostgreSQL one: every record arrives,
// a second copy adds nothing (idempotent) but brings an attempt answered
// since up to date, and the copied orders keep stopping their people.
func TestCopySQLiteToPostgres(t *testing.T) {
	s := pgtest.Require(t)
	src := open(t, filepath.Join(t.TempDir(), "j.db"))
	b := beginBatch(t, src)
	ann := addIntent(t, src, Intent{Batch: b.ID, Row: 2, Identity: "client_premium|email:ann@example.com", Product: "client_premium",
		ProductKey: "client_premium", Email: "ann@example.com", CommonName: "Ann", PayloadHash: "h2"})
	complete(t, src, ann, Result{State: StateOrdered, Answer: order.Answer{OrderID: 700, CertificateID: 900, OrderStatus: "issued"}})
	bob := addIntent(t, src, Intent{Batch: b.ID, Row: 3, Identity: "client_premium|key:E7", Product: "client_premium",
		ProductKey: "client_premium", PersonKey: "e7", Email: "bob@example.com", CommonName: "Bob", PayloadHash: "h3"})
	if err := src.PutRows(b.ID, []order.Result{{Row: 2, Input: []string{"Ann", "ann@example.com"}, Outcome: order.Ordered}, {Row: 3, Input: []string{"Bob"}, Outcome: order.Uncertain}}); err != nil {
		t.Fatal(err)
	}
	if err := src.FinishBatch(b.ID, BatchInterrupted); err != nil {
		t.Fatal(err)
	}
	src.RecordDownload(Download{CertificateID: 900, Format: "pem", OrderID: 700, Path: "a.pem", SHA256: "x"})
	src.PutChain(700, 900, "PEM")
	src.PutAccountOrder(AccountOrder{OrderID: 555, ProductKey: "client_premium", Emails: []string{"cy@example.com"}})

	dst := open(t, s.URL(s.NewDatabase(t)))
	want := map[string]int64{"batches": 1, "orders": 2, "rows": 2, "downloads": 1, "certificate_chains": 1, "account_orders": 1}
	counts, err := Copy(t.Context(), dst, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		if c.Source != want[c.Table] || c.New != want[c.Table] || c.Present != c.Source || c.Updated != 0 {
			t.Errorf("first copy, %s: %+v, want %d new and present", c.Table, c, want[c.Table])
		}
	}
	// Bob's answer arrives in the SQLite journal (reconciled there).
	complete(t, src, bob, Result{State: StateOrdered, Answer: order.Answer{OrderID: 701}, Recovered: true})
	counts, err = Copy(t.Context(), dst, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		wantUpd := int64(0)
		if c.Table == "orders" {
			wantUpd = 1
		}
		if c.New != 0 || c.Present != c.Source || c.Updated != wantUpd {
			t.Errorf("second copy, %s: %+v, want nothing new, %d updated", c.Table, c, wantUpd)
		}
	}
	for _, p := range []Person{{"client_premium", "ann@example.com", "", nil}, {"client_premium", "robert@example.com", "e7", nil}} {
		m, err := dst.FindPerson(p)
		if err != nil || (m.Entry == nil && m.Conflict == nil) {
			t.Errorf("FindPerson(%+v) in the copy = %+v, %v; want the copied order", p, m, err)
		}
	}
	if e, _ := dst.Lookup("client_premium|key:E7"); e == nil || e.State != StateOrdered || e.OrderID != 701 || !e.Recovered {
		t.Errorf("Bob in the copy: %+v", e)
	}
	if got, err := dst.Batch(b.ID); err != nil || got.Status != BatchInterrupted {
		t.Errorf("batch in the copy: %+v, %v", got, err)
	}
	if a, _ := dst.AccountOrder(555); a == nil || a.Emails[0] != "cy@example.com" {
		t.Errorf("account order in the copy: %+v", a)
	}
}
