package journal

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is what differs between the two backends in the SQL this
// package sends. Queries are written once, for SQLite, with ? or ?N
// placeholders; rebind turns them into PostgreSQL's $N.
type dialect struct {
	// name is "sqlite" or "postgres": the suffix of a migration file
	// that only this backend runs.
	name string
	// instr is the function that finds a substring: instr (SQLite),
	// strpos (PostgreSQL); both take (text, substring).
	instr string
	// emailIs compares the email column with a parameter ignoring the
	// case of ASCII letters, each by its own index.
	emailIs string
	// jsonSet is the query of the strings of a JSON array parameter
	// (%s): SQLite's json_each, PostgreSQL's json_array_elements_text.
	jsonSet func(param string) string
}

var (
	sqliteDialect = &dialect{name: "sqlite", instr: "instr", emailIs: "email=? COLLATE NOCASE",
		jsonSet: func(p string) string { return "SELECT value FROM json_each(" + p + ")" }}
	postgresDialect = &dialect{name: "postgres", instr: "strpos", emailIs: "lower(email)=lower(?)",
		jsonSet: func(p string) string { return "SELECT json_array_elements_text(CAST(" + p + " AS json))" }}
)

// rebind returns q with the placeholders of d: unchanged for SQLite;
// for PostgreSQL "?N" becomes "$N" and each bare "?" the next "$N".
// Text in single quotes is left alone.
func (d *dialect) rebind(q string) string {
	if d != postgresDialect || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			b.WriteByte('$')
			if i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9' {
				continue // ?N: the number follows as it is
			}
			n++
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isUnique reports whether err is a violated primary key or unique
// constraint.
func (d *dialect) isUnique(err error) bool {
	if d == postgresDialect {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505"
	}
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT
}

// isUndefined reports whether err says a table or column does not
// exist: the database is not (all of) a certbatch journal.
func (d *dialect) isUndefined(err error) bool {
	if d == postgresDialect {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && (pe.Code == "42P01" || pe.Code == "42703")
	}
	return sqliteCode(err) == sqlite3.SQLITE_ERROR
}
