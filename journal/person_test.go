package journal

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/certbatch/certbatch/order"
)

// A person is the set of their emails: an attempt is found by any email
// it was sent with, in any spelling, and an email shared with an order
// under another key is a conflict.
func TestFindPersonByAnyEmail(t *testing.T) {
	j := tempJournal(t)
	b := beginBatch(t, j)
	in := Intent{Batch: b.ID, Row: 2, Identity: "x", Product: "client_premium", ProductKey: "client_premium_sha2", Email: "ann@example.com", PersonKey: "e1"}
	id, err := j.AddIntent(in, "ann@example.com", "ann.lee@xn--bcher-kva.example")
	if err != nil {
		t.Fatal(err)
	}
	complete(t, j, id, Result{State: StateOrdered, Answer: order.Answer{OrderID: 500}})
	for _, c := range []struct {
		name            string
		p               Person
		entry, conflict int64
		byEmail         bool
	}{
		{"the primary email", Person{ProductKey: "client_premium_sha2", Email: "ann@example.com"}, 500, 0, false},
		{"the second email, alone", Person{ProductKey: "client_premium_sha2", Email: "ann.lee@xn--bcher-kva.example"}, 500, 0, false},
		{"the second email in Unicode, NFD, upper case", Person{ProductKey: "client_premium_sha2", Email: "ANN.LEE@BU\u0308CHER.example"}, 500, 0, false},
		{"emails in the other order", Person{ProductKey: "client_premium_sha2", Email: "ann.lee@bücher.example", Emails: []string{"ann.lee@bücher.example", "ann@example.com"}}, 500, 0, false},
		{"a new email beside an old one", Person{ProductKey: "client_premium_sha2", Email: "new@example.com", Emails: []string{"new@example.com", "ann@example.com"}, Key: "e1"}, 500, 0, false},
		{"no email in common", Person{ProductKey: "client_premium_sha2", Email: "bo@example.com", Emails: []string{"bo@example.com", "ann@example.org"}}, 0, 0, false},
		{"another product", Person{ProductKey: "document_signing_org_1", Email: "ann@example.com"}, 0, 0, false},
		{"a shared email under another key", Person{ProductKey: "client_premium_sha2", Email: "x@example.com", Emails: []string{"x@example.com", "ann.lee@xn--bcher-kva.example"}, Key: "e2"}, 0, 500, true},
		{"the key without an email in common", Person{ProductKey: "client_premium_sha2", Email: "x@example.com", Key: "e1"}, 0, 500, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := j.FindPerson(c.p)
			if err != nil {
				t.Fatal(err)
			}
			if c.entry == 0 && m.Entry != nil || c.entry != 0 && (m.Entry == nil || m.Entry.OrderID != c.entry) {
				t.Errorf("entry %+v, want order %d", m.Entry, c.entry)
			}
			if (c.conflict == 0) != (m.Conflict == nil) || m.Conflict != nil && (m.Conflict.OrderID != c.conflict || m.ConflictByEmail != c.byEmail) {
				t.Errorf("conflict %+v (by email %v), want order %d (by email %v)", m.Conflict, m.ConflictByEmail, c.conflict, c.byEmail)
			}
		})
	}
}

// A version 2 journal is upgraded in place to version 3: its attempts'
// emails are normalized as they are now (the domain in A-labels) and
// recorded in person_emails, so an order placed for ann@bücher.example
// stops the same person spelt ann@xn--bcher-kva.example. Readers read a
// version 2 journal as it is.
func TestUpgradeFromVersion2(t *testing.T) {
	v2, err := os.ReadFile(filepath.Join("testdata", "schema-v2.sql"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "v2.db")
	db, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(v2), "PRAGMA user_version=2", "PRAGMA application_id=" + strconv.Itoa(applicationID),
		`INSERT INTO batches VALUES('b1','2026-01-01T00:00:00.000000000Z',NULL,'submit','in.csv','x','[]','finished')`,
		// What version 2 stored: trimmed and lowercased, the domain as written.
		`INSERT INTO orders(batch_id,row,identity,product,email,common_name,payload_sha256,state,intent_at,order_id,product_key,person_key) VALUES('b1',2,'client_premium_sha2|email:ann@bücher.example','client_premium','ann@bücher.example','Ann','h','ordered','2026-01-01T00:00:00.000000000Z',777,'client_premium_sha2','')`,
		`INSERT INTO orders(batch_id,row,identity,product,email,common_name,payload_sha256,state,intent_at,order_id,product_key,person_key) VALUES('b1',3,'client_premium_sha2|key:e9','client_premium','bob@example.com','Bob','h','ordered','2026-01-01T00:00:00.000000000Z',778,'client_premium_sha2','e9')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	r, err := Open(p, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a version 2 journal: %v", err)
	}
	if hs, err := r.History(HistoryFilter{Email: "ANN@bücher.example"}); err != nil || len(hs) != 1 {
		t.Errorf("history of a version 2 journal: %+v, %v", hs, err)
	}
	r.Close()

	j := open(t, p)
	defer j.Close()
	var v int
	j.db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion {
		t.Errorf("user_version %d after the upgrade", v)
	}
	for _, c := range []struct {
		p    Person
		want int64
	}{
		{Person{ProductKey: "client_premium_sha2", Email: "ann@xn--bcher-kva.example"}, 777},
		{Person{ProductKey: "client_premium_sha2", Email: "ANN@bu\u0308cher.example"}, 777},
		{Person{ProductKey: "client_premium_sha2", Email: "new@example.com", Emails: []string{"new@example.com", "ann@bücher.example"}}, 777},
		{Person{ProductKey: "client_premium_sha2", Email: "bob@example.com", Key: "e9"}, 778},
		{Person{ProductKey: "client_premium_sha2", Email: "cy@example.com"}, 0},
	} {
		m, err := j.FindPerson(c.p)
		if err != nil {
			t.Fatal(err)
		}
		if got := int64(0); m.Entry != nil && m.Entry.OrderID != c.want || m.Entry == nil && c.want != 0 {
			if m.Entry != nil {
				got = m.Entry.OrderID
			}
			t.Errorf("FindPerson(%+v) = order %d, want %d", c.p, got, c.want)
		}
	}
	var email string
	j.db.QueryRow("SELECT email FROM orders WHERE order_id=777").Scan(&email)
	if email != "ann@xn--bcher-kva.example" {
		t.Errorf("orders.email after the upgrade = %q", email)
	}
}
