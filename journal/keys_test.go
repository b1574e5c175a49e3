package journal

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/certbatch/certbatch/order"
)

func genKey(id, email string) GeneratedKey {
	return GeneratedKey{ID: id, ProductKey: "client_premium_sha2", Email: email, Algorithm: "ecdsa-p256", Fingerprint: "fp-" + id,
		Path: "/keys/" + id + ".age", Recipients: "age1x", CSR: "-----BEGIN CERTIFICATE REQUEST-----"}
}

// A generated key is reused by the next attempt for its person until an
// order carries its CSR: a key stored before a crash (never sent), or
// sent by an attempt that created nothing, is the same person's key next
// time; one whose attempt placed an order, or may have (intent,
// uncertain), never is.
func TestUnsentKeyAndIntentBinding(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j := open(t, path)
	p := Person{ProductKey: "client_premium_sha2", Email: "p2@example.com"}
	if k, err := j.UnsentKey(p); k != nil || err != nil {
		t.Fatalf("before any key: %v %v", k, err)
	}
	b := beginBatch(t, j)
	if err := j.ReserveKey(genKey("k1", "p2@example.com")); err != nil {
		t.Fatal(err)
	}
	k, err := j.UnsentKey(p)
	if err != nil || k == nil || k.ID != "k1" || k.State != KeyWaiting || k.EntryID != 0 || k.CSR == "" {
		t.Fatalf("stored, not sent: %+v %v", k, err)
	}
	// Another person's key is not this person's.
	if k, _ := j.UnsentKey(Person{ProductKey: "client_premium_sha2", Email: "p3@example.com"}); k != nil {
		t.Fatalf("someone else's key: %+v", k)
	}
	id, err := j.AddIntentWithKey(intent(b.ID, 2, "client_premium_sha2|email:p2@example.com"), "k1")
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := j.UnsentKey(p); k != nil {
		t.Fatalf("a key whose request is in flight was offered again: %+v", k)
	}
	complete(t, j, id, Result{State: StateFailed, Answer: order.Answer{Error: "500"}})
	if k, _ := j.UnsentKey(p); k == nil || k.ID != "k1" {
		t.Fatalf("a key whose attempt created nothing is not reused: %+v", k)
	}
	id2, err := j.AddIntentWithKey(intent(b.ID, 2, "client_premium_sha2|email:p2@example.com"), "k1")
	if err != nil {
		t.Fatal(err)
	}
	complete(t, j, id2, Result{State: StateOrdered, Answer: order.Answer{OrderID: 7001}})
	if k, _ := j.UnsentKey(p); k != nil {
		t.Fatalf("the key of an order was offered for another: %+v", k)
	}
	if k, err := j.KeyOfOrder(7001); err != nil || k == nil || k.ID != "k1" || k.EntryID != id2 {
		t.Fatalf("key of order: %+v %v", k, err)
	}
	if k, _ := j.KeyByFingerprint("fp-k1"); k == nil || k.ID != "k1" {
		t.Fatalf("by fingerprint: %+v", k)
	}
	// An unknown key cannot be tied to an intent, and the intent is not
	// recorded without it.
	if _, err := j.AddIntentWithKey(intent(b.ID, 3, "client_premium_sha2|email:p3@example.com"), "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	if m, _ := j.FindPerson(Person{ProductKey: "client_premium_sha2", Email: "p3@example.com"}); m.Entry != nil {
		t.Fatalf("an intent was recorded without its key: %+v", m.Entry)
	}
	// Hand-over: handing, delivered, destroyed; survives reopening.
	if err := j.BeginHandover("k1", "/out/row-0002.p12", "abc"); err != nil {
		t.Fatal(err)
	}
	if err := j.KeyDelivered("k1", ""); err != nil {
		t.Fatal(err)
	}
	if err := j.KeyDelivered("k1", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("delivered twice: %v", err)
	}
	if err := j.KeyDestroyed("k1"); err != nil {
		t.Fatal(err)
	}
	j.Close()
	j = open(t, path)
	ks, err := j.GeneratedKeys()
	if err != nil || len(ks) != 1 || ks[0].State != KeyDelivered || ks[0].P12Path != "/out/row-0002.p12" || ks[0].DestroyedAt.IsZero() || ks[0].DeliveredAt.IsZero() {
		t.Fatalf("after reopen: %+v %v", ks, err)
	}
}

// A reserved key whose file never appeared is dropped; one tied to an
// order never is.
func TestDropKey(t *testing.T) {
	j := tempJournal(t)
	b := beginBatch(t, j)
	for _, id := range []string{"a", "b"} {
		if err := j.ReserveKey(genKey(id, id+"@example.com")); err != nil {
			t.Fatal(err)
		}
	}
	e, _ := j.AddIntentWithKey(intent(b.ID, 2, "client_premium_sha2|email:b@example.com"), "b")
	complete(t, j, e, Result{State: StateOrdered, Answer: order.Answer{OrderID: 1}})
	for _, id := range []string{"a", "b"} {
		if err := j.DropKey(id); err != nil {
			t.Fatal(err)
		}
	}
	ks, _ := j.GeneratedKeys()
	if len(ks) != 1 || ks[0].ID != "b" {
		t.Fatalf("%+v", ks)
	}
}

// A journal that never generated a key answers "none", and gains no table.
func TestNoKeysTable(t *testing.T) {
	// A journal where no key was ever generated knows none (the table
	// comes with migration 5, empty).
	j := tempJournal(t)
	if k, err := j.KeyOfOrder(1); k != nil || err != nil {
		t.Fatal(k, err)
	}
	if ks, err := j.GeneratedKeys(); ks != nil || err != nil {
		t.Fatal(ks, err)
	}
}
