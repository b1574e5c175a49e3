package pgtest

import (
	"database/sql"
	"os"
	"os/exec"
	"strings"
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

// Without PostgreSQL the tests that need it are skipped, saying why
// (make test stays runnable); with CERTBATCH_REQUIRE_POSTGRES=1 (CI)
// they fail instead.
func TestSkippedWithAReasonWithoutPostgres(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") == "1" {
		return
	}
	for _, c := range []struct {
		require string
		want    string
	}{
		{"", "--- SKIP: TestServer"},
		{"1", "--- FAIL: TestServer"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestServer$", "-test.v")
		cmd.Env = append(os.Environ(), "PGTEST_CHILD=1", "CERTBATCH_PGTEST_GLOB=/nonexistent/*/initdb", "PATH=/nonexistent",
			"CERTBATCH_TEST_POSTGRES=", "CERTBATCH_REQUIRE_POSTGRES="+c.require)
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), c.want) || !strings.Contains(string(out), "no PostgreSQL server installed") {
			t.Errorf("CERTBATCH_REQUIRE_POSTGRES=%q without PostgreSQL:\n%s", c.require, out)
		}
	}
}
