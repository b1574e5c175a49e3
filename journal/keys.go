package journal

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// KeyState is what became of a generated key.
type KeyState string

// Generated key states.
const (
	KeyWaiting   KeyState = "waiting"   // stored encrypted, waiting for its certificate
	KeyHanding   KeyState = "handing"   // its PKCS #12 is being written
	KeyDelivered KeyState = "delivered" // its PKCS #12 and password were written
)

// GeneratedKey is the journal's record of a key certbatch generated.
type GeneratedKey struct {
	ID                 string
	ProductKey, Email  string
	PersonKey          string
	Algorithm          string
	Fingerprint        string
	Path               string
	Recipients         string
	CSR                string // PEM: public, sent again by a retry
	EntryID            int64
	State              KeyState
	CreatedAt          time.Time
	P12Path, P12SHA256 string
	DeliveredAt        time.Time
	EscrowPath         string
	DestroyedAt        time.Time
}

const keyCols = "id, product_key, email, person_key, algorithm, fingerprint, path, recipients, csr, entry_id, state, created_at, p12_path, p12_sha256, delivered_at, escrow_path, destroyed_at"

func scanKey(sc interface{ Scan(...any) error }) (*GeneratedKey, error) {
	var k GeneratedKey
	var entry sql.NullInt64
	var created, delivered, destroyed sql.NullString
	if err := sc.Scan(&k.ID, &k.ProductKey, &k.Email, &k.PersonKey, &k.Algorithm, &k.Fingerprint, &k.Path, &k.Recipients, &k.CSR, &entry, &k.State,
		&created, &k.P12Path, &k.P12SHA256, &delivered, &k.EscrowPath, &destroyed); err != nil {
		return nil, err
	}
	k.EntryID = entry.Int64
	var err error
	if k.CreatedAt, err = parseTS(created); err != nil {
		return nil, err
	}
	if k.DeliveredAt, err = parseTS(delivered); err != nil {
		return nil, err
	}
	if k.DestroyedAt, err = parseTS(destroyed); err != nil {
		return nil, err
	}
	return &k, nil
}

// ReserveKey records a key about to be stored, before its file is
// written: a crash after this leaves a record the next run finds (and
// drops when the file never appeared), never a key file nobody knows.
func (j *Journal) ReserveKey(k GeneratedKey) error {
	op := "record generated key " + k.ID
	return j.write(op, func() error {
		now, err := j.stamp()
		if err != nil {
			return j.fail(op, err)
		}
		if _, err := j.exec("INSERT INTO generated_keys (id, product_key, email, person_key, algorithm, fingerprint, path, recipients, csr, state, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			k.ID, k.ProductKey, k.Email, k.PersonKey, k.Algorithm, k.Fingerprint, k.Path, k.Recipients, k.CSR, KeyWaiting, now); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
}

// DropKey forgets a key that was reserved and never sent (its file never
// appeared, or cannot be read): nothing was ordered with it.
func (j *Journal) DropKey(id string) error {
	op := "drop generated key " + id
	return j.write(op, func() error {
		if _, err := j.exec("DELETE FROM generated_keys WHERE id=? AND state='waiting' AND (entry_id IS NULL OR entry_id IN (SELECT id FROM orders WHERE state IN ('failed','rejected')))", id); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
}

// UnsentKey returns the newest key of person p whose CSR no order
// carries: never sent, or sent only by attempts that created nothing
// (failed, rejected). The next attempt for p reuses it, so a crash
// between storing a key and sending its CSR never makes a second key.
// Nil when there is none.
func (j *Journal) UnsentKey(p Person) (*GeneratedKey, error) {
	k, err := scanKey(j.queryRow("SELECT "+keyCols+" FROM generated_keys WHERE product_key=? AND (email=? OR (?<>'' AND person_key=?)) AND state='waiting'"+
		" AND (entry_id IS NULL OR entry_id IN (SELECT id FROM orders WHERE state IN ('failed','rejected'))) ORDER BY created_at DESC, id DESC LIMIT 1",
		p.ProductKey, p.Email, p.Key, p.Key))
	return j.keyResult("look up the unsent key of "+p.Email, k, err)
}

func (j *Journal) keyResult(op string, k *GeneratedKey, err error) (*GeneratedKey, error) {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, j.fail(op, err)
	}
	return k, nil
}

// AddIntentWithKey is AddIntent for an order whose CSR is that of the
// generated key keyID: the intent and the key's tie to it are committed
// together, so the key of every sent order is known.
func (j *Journal) AddIntentWithKey(in Intent, keyID string, emails ...string) (int64, error) {
	if in.Identity == "" {
		return 0, l10n.Errorf("journal: record intent: row %d: empty identity", in.Row)
	}
	var id int64
	op := "record intent with key " + keyID
	err := j.write(op, func() error {
		tx, err := j.db.Begin()
		if err != nil {
			return j.fail(op, err)
		}
		defer tx.Rollback()
		if id, err = j.insertIntent(tx, in, emails); err != nil {
			return err
		}
		res, err := tx.Exec(j.d.rebind("UPDATE generated_keys SET entry_id=? WHERE id=? AND state='waiting'"), id, keyID)
		if err != nil {
			return j.fail(op, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return l10n.Errorf("journal: %s: %w", op, ErrNotFound)
		}
		if err := tx.Commit(); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
	return id, err
}

// KeyOfOrder returns the generated key whose CSR order orderID carries:
// the key tied to the attempt that placed (or, reconciled, found) the
// order. Nil when the order's key was not made by certbatch.
func (j *Journal) KeyOfOrder(orderID int64) (*GeneratedKey, error) {
	k, err := scanKey(j.queryRow("SELECT "+prefixed("k.", keyCols)+" FROM generated_keys k JOIN orders o ON o.id=k.entry_id WHERE o.order_id=? ORDER BY k.created_at DESC LIMIT 1", orderID))
	return j.keyResult(fmt.Sprintf("look up the key of order %d", orderID), k, err)
}

// KeyByFingerprint returns the generated key with that public key
// fingerprint, or nil.
func (j *Journal) KeyByFingerprint(fp string) (*GeneratedKey, error) {
	k, err := scanKey(j.queryRow("SELECT "+keyCols+" FROM generated_keys WHERE fingerprint=? LIMIT 1", fp))
	return j.keyResult("look up key "+fp, k, err)
}

// BeginHandover records that key id's PKCS #12 is about to be written
// to p12Path with content hash p12SHA256: a file found there later with
// that hash is certbatch's own, unfinished, and may be replaced.
func (j *Journal) BeginHandover(id, p12Path, p12SHA256 string) error {
	return j.keyUpdate("begin the hand-over of key "+id,
		"UPDATE generated_keys SET state='handing', p12_path=?, p12_sha256=? WHERE id=? AND state IN ('waiting','handing')", p12Path, p12SHA256, id)
}

// KeyDelivered records that key id's PKCS #12 and its password were
// written (and, escrowPath not empty, where its escrow copy is).
func (j *Journal) KeyDelivered(id, escrowPath string) error {
	return j.keyUpdate("record the hand-over of key "+id,
		"UPDATE generated_keys SET state='delivered', delivered_at=?, escrow_path=? WHERE id=? AND state='handing'", stampArg, escrowPath, id)
}

// KeyDestroyed records that key id's encrypted file was removed.
func (j *Journal) KeyDestroyed(id string) error {
	return j.keyUpdate("record the destruction of key "+id, "UPDATE generated_keys SET destroyed_at=? WHERE id=?", stampArg, id)
}

// stampArg stands for the journal's time in keyUpdate's arguments.
var stampArg = new(struct{})

// keyUpdate runs an update of one generated key; an argument that is
// stampArg becomes the journal's time.
func (j *Journal) keyUpdate(op, q string, args ...any) error {
	return j.write(op, func() error {
		for i, a := range args {
			if a == stampArg {
				now, err := j.stamp()
				if err != nil {
					return j.fail(op, err)
				}
				args[i] = now
			}
		}
		res, err := j.exec(q, args...)
		if err != nil {
			return j.fail(op, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return l10n.Errorf("journal: %s: %w", op, ErrNotFound)
		}
		return nil
	})
}

// GeneratedKeys lists every generated key, oldest first (for tests and
// the README's audit query).
func (j *Journal) GeneratedKeys() ([]GeneratedKey, error) {
	rows, err := j.db.Query("SELECT " + keyCols + " FROM generated_keys ORDER BY created_at, id")
	if err != nil {
		return nil, j.fail("list generated keys", err)
	}
	defer rows.Close()
	var out []GeneratedKey
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, j.fail("list generated keys", err)
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}
