package journal

import (
	"encoding/json"
	"slices"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// Person is who a row orders for: a product (any of its IDs), the
// normalized emails and key (see order.NormalizeEmail,
// order.NormalizeKey). Email is the primary email; Emails all of them
// (Email is looked up whether or not it is among them).
type Person struct {
	ProductKey, Email, Key string
	Emails                 []string
}

// emails returns p's emails, the primary first, once each.
func (p Person) emails() []string {
	out := make([]string, 0, len(p.Emails)+1)
	for _, e := range append([]string{p.Email}, p.Emails...) {
		if e = order.NormalizeEmail(e); e != "" && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// Match is what the journal knows of a person.
type Match struct {
	// Entry is the attempt that decides: the newest order that still
	// stands (not canceled or rejected by DigiCert), else the newest
	// attempt still waiting for its answer, else nil.
	Entry *Entry
	// Conflict is an order that shares the key but no email, or an email
	// but not the key, with the row: possibly the same person under
	// another address, or two people mixed up. Nil when none.
	Conflict *Entry
	// ConflictByEmail says the conflict shares an email with the row
	// (and has another key); false: it shares the key.
	ConflictByEmail bool
}

// releasedStatuses are order statuses after which a person may be
// ordered again: the order will never be issued, or its certificate was
// revoked (a leaver who comes back is ordered again without --force).
const releasedStatuses = "'canceled','rejected','revoked'"

// findPersonQuery is FindPerson's statement, prepared once: it runs for
// every row. The attempts sharing an email (?2, a JSON array) are found
// through person_emails' primary key, those sharing the key (?3) through
// orders_person_key; one WHERE with an OR of both would scan every order
// of the product. The literal test that person_key is not empty lets
// SQLite use the partial key index. The last column says whether the
// attempt shares an email. jsonSet is the dialect's set of a JSON
// array's strings.
func findPersonQuery(d *dialect) string {
	emails := "SELECT entry_id FROM person_emails WHERE product_key=?1 AND email IN (" + d.jsonSet("?2") + ")"
	return "SELECT " + entryCols + ", shares FROM (" +
		"SELECT o.*, 1 AS shares FROM orders o WHERE o.id IN (" + emails + ")" +
		" UNION ALL SELECT o.*, 0 FROM orders o WHERE ?3<>'' AND o.product_key=?1 AND o.person_key=?3 AND o.person_key<>''" +
		" AND o.id NOT IN (" + emails + ")) AS p" +
		findPersonTail
}

// findPersonLegacyQuery is findPersonQuery for a reader of a journal
// made before person_emails (migration 7): an attempt is found by its
// primary email (?2) or its key (?3).
const findPersonLegacyQuery = "SELECT " + entryCols + ", shares FROM (" +
	"SELECT *, 1 AS shares FROM orders WHERE product_key=?1 AND email=?2" +
	" UNION ALL SELECT *, 0 FROM orders WHERE ?3<>'' AND product_key=?1 AND person_key=?3 AND person_key<>'' AND email<>?2) AS p" +
	findPersonTail

// findPersonTail keeps the attempts that decide: those waiting for an
// answer and orders that stand.
const findPersonTail = " WHERE state IN ('intent','uncertain') OR (state='ordered' AND COALESCE(order_status,'') NOT IN (" + releasedStatuses + "))" +
	" ORDER BY state='ordered' DESC, id DESC"

// FindPerson returns what the journal knows of p: every attempt of the
// same product that shares an email or the key decides; keys add
// protection and never remove it (an order placed before key: was
// configured still counts by its emails).
func (j *Journal) FindPerson(p Person) (Match, error) {
	second := order.NormalizeEmail(p.Email) // the legacy query's ?2
	if j.personEmails {
		emails, err := json.Marshal(p.emails())
		if err != nil {
			return Match{}, l10n.Errorf("journal: look up %s: %w", p.Email, err)
		}
		second = string(emails)
	}
	rows, err := j.findPerson.Query(p.ProductKey, second, p.Key)
	if err != nil {
		return Match{}, j.fail("look up "+p.Email, err)
	}
	defer rows.Close()
	var m Match
	for rows.Next() {
		var shares int
		e, err := scanEntry(withExtra{rows, []any{&shares}})
		if err != nil {
			return Match{}, j.fail("look up "+p.Email, err)
		}
		sameEmail := shares == 1
		sameKey := p.Key != "" && e.PersonKey == p.Key
		otherKey := p.Key != "" && e.PersonKey != "" && e.PersonKey != p.Key
		if (sameKey && !sameEmail) || (sameEmail && otherKey) {
			if m.Conflict == nil {
				m.Conflict, m.ConflictByEmail = e, sameEmail
			}
			continue
		}
		if m.Entry == nil {
			m.Entry = e
		}
	}
	if err := rows.Err(); err != nil {
		return Match{}, j.fail("look up "+p.Email, err)
	}
	return m, nil
}

// withExtra scans a row of entryCols followed by extra columns.
type withExtra struct {
	sc    interface{ Scan(...any) error }
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.sc.Scan(append(dest, w.extra...)...) }
