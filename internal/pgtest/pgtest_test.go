package pgtest

import (
	"database/sql"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// The server starts, and the test role owns a database of its own, over
// TCP with its password and with TLS verified against the CA.
func TestServer(t *testing.T) {
	s := Require(t)
	name := s.NewDatabase(t)
	for _, u := range []string{s.URL(name), s.URL(name)[:len(s.URL(name))-len("sslmode=disable")] + "sslmode=verify-full&sslrootcert=" + s.CAFile} {
		db, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		var who string
		if err := db.QueryRow("SELECT current_user").Scan(&who); err != nil || who != s.Role {
			t.Errorf("%s: current_user %q, %v", u, who, err)
		}
		if _, err := db.Exec("CREATE TABLE x(a int)"); err != nil {
			t.Errorf("the owner cannot create a table: %v", err)
		}
		db.Exec("DROP TABLE x")
		db.Close()
	}
}
