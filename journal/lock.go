package journal

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/certbatch/certbatch/internal/l10n"
)

// LockPerson holds the lock of person p until unlock is called: on a
// shared (PostgreSQL) journal, a transaction-scoped advisory lock on the
// product with the email and one on the product with the key (a person
// is the same person when either matches), so that any other host or
// process asking for the same person waits until unlock. The submit
// engine takes it before it looks the person up in the journal and
// holds it until the order's answer is journaled: a second host then
// finds the first one's order (or its unanswered intent) and skips or
// reconciles, never orders.
//
// The locks are held by a connection of their own, in a transaction
// that writes nothing; a host that dies (kill -9, a lost connection)
// loses its locks with its connection, and what it had journaled before
// (its intent) tells the others to reconcile. If the connection is lost
// while a request is in flight, the intent, committed before the
// request was sent, keeps protecting the person.
//
// On SQLite the file's writer lock already makes one process at a time
// the only writer, so LockPerson takes nothing. ctx bounds the wait for
// the lock; unlock is never nil and may be called more than once.
func (j *Journal) LockPerson(ctx context.Context, p Person) (unlock func(), err error) {
	if j.d != postgresDialect || j.readOnly {
		return func() {}, nil
	}
	keys := personLocks(p)
	// The transaction lives until unlock, not until ctx ends: a stopped
	// run still journals the answers of requests in flight under it.
	tx, err := j.db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return func() {}, j.fail("lock person "+p.Email, err)
	}
	done := false
	unlock = func() {
		if !done {
			done = true
			tx.Rollback()
		}
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", k); err != nil {
			unlock()
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return func() {}, j.fail("lock person "+p.Email, err)
		}
	}
	return unlock, nil
}

// personLocks are the advisory lock keys of p, in ascending order (two
// hosts locking the same keys never wait on each other in a circle): a
// hash of the product with each email (a person is the set of their
// emails: two rows sharing any one wait for each other), and of the
// product with the key.
func personLocks(p Person) []int64 {
	h := func(kind, v string) int64 {
		s := sha256.Sum256([]byte("certbatch person\x00" + p.ProductKey + "\x00" + kind + "\x00" + v))
		return int64(binary.BigEndian.Uint64(s[:8]))
	}
	var keys []int64
	for _, e := range p.emails() {
		keys = append(keys, h("email", e))
	}
	if p.Key != "" {
		keys = append(keys, h("key", p.Key))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Entry returns the order attempt with the given ID; an unknown ID is an
// error wrapping ErrNotFound.
func (j *Journal) Entry(id int64) (*Entry, error) {
	e, err := scanEntry(j.queryRow("SELECT "+entryCols+" FROM orders WHERE id=?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, l10n.Errorf("journal: entry %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, j.fail(fmt.Sprintf("read entry %d", id), err)
	}
	return e, nil
}

// LockKeys are the advisory lock keys LockPerson takes for p, as
// pg_locks shows them (classid: the high 32 bits, objid: the low 32
// bits), for an operator who wants to see who waits for whom.
func (p Person) LockKeys() []int64 { return personLocks(p) }
