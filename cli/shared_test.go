package cli

import (
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/internal/pgtest"
	"github.com/certbatch/certbatch/sandbox"
)

// The commands of an admin's week on a shared journal, each as on a
// file: submit, a re-run that skips everyone, status, download, history,
// results, reconcile, prune, cancel and an order again.
func TestEveryCommandOnASharedJournal(t *testing.T) {
	s := pgtest.Require(t)
	e := newEnv(t, 4, sandbox.Config{})
	e.state = s.URL(s.NewDatabase(t))
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "4 ordered") {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "4 skipped") {
		t.Fatalf("submit again: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	dir := filepath.Join(e.dir, "certs")
	if r := e.cmd("status", e.resultsPath(), "--download", dir); r.code != 0 || !strings.Contains(r.stdout, "4 written") {
		t.Fatalf("status --download: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, e.vars, "history", "--journal", e.state, "--email", "PERSON2@example.com"); r.code != 0 || !strings.Contains(r.stdout, "person2@example.com") {
		t.Fatalf("history: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(e.dir, "rebuilt.csv")
	if r := run(t, e.vars, "results", "--journal", e.state, "-o", out); r.code != 0 || len(readResults(t, out).Records) != 4 {
		t.Fatalf("results: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := e.cmd("reconcile"); r.code != 0 || !strings.Contains(r.stdout, "nothing to do") {
		t.Fatalf("reconcile: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, e.vars, "prune", "--journal", e.state, "--before", "2999-01-01"); r.code != 0 || !strings.Contains(r.stdout, "deleted 8 input rows") {
		t.Fatalf("prune: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := e.cmd("cancel", "--batch", e.batchID(), "--yes"); r.code != ExitRowsBad && r.code != 0 {
		t.Fatalf("cancel: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Orders()); n != 4 {
		t.Fatalf("%d orders", n)
	}
	// The journal is bound to its endpoint: the sandbox's orders never
	// answer for another endpoint's people.
	r := run(t, e.vars, "submit", e.input, "--config", e.config, "--journal", e.state, "--base-url", "https://127.0.0.2:1/services/v2", "--yes", "-o", filepath.Join(e.dir, "x.csv"))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "belongs to another CertCentral endpoint") {
		t.Fatalf("another endpoint: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// The URL's password appears nowhere: not in the plan's Journal line,
// the logs with --verbose, errors (a wrong password, a server that is
// down), history, or journal migrate's report.
func TestSharedJournalPasswordIsNeverShown(t *testing.T) {
	s := pgtest.Require(t)
	e := newEnv(t, 2, sandbox.Config{})
	e.state = s.URL(s.NewDatabase(t))
	u, _ := url.Parse(e.state)
	pw, _ := u.User.Password()
	var all strings.Builder
	check := func(what string, r result, want int) {
		t.Helper()
		all.WriteString(r.stdout + r.stderr)
		if r.code != want {
			t.Errorf("%s: exit %d, want %d\n%s%s", what, r.code, want, r.stdout, r.stderr)
		}
	}
	r := run(t, e.vars, "submit", e.input, "--config", e.config, "--journal", e.state, "--base-url", e.base, "--yes", "-v",
		"--log-format", "json", "-o", filepath.Join(e.dir, "r.csv"))
	check("submit", r, 0)
	if !strings.Contains(r.stderr, "Journal: postgres://"+s.Role+":xxxxx@") {
		t.Errorf("the plan's Journal line does not show the masked URL:\n%s", r.stderr)
	}
	check("history", run(t, e.vars, "history", "--journal", e.state), 0)
	check("status", run(t, e.vars, "status", filepath.Join(e.dir, "r.csv"), "--journal", e.state, "--base-url", e.base, "-v"), 0)
	wrong := strings.Replace(e.state, pw, pw+"-wrong", 1)
	check("wrong password", run(t, e.vars, "history", "--journal", wrong), ExitUsage)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	down := strings.Replace(e.state, u.Host, l.Addr().String(), 1)
	l.Close()
	check("server down", run(t, e.vars, "submit", e.input, "--config", e.config, "--journal", down, "--base-url", e.base, "--yes"), ExitRowsRetry)
	inQuery := fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable&password=%s", s.Role, u.Host, strings.TrimPrefix(u.Path, "/"), pw+"-wrong")
	check("password in the query", run(t, e.vars, "history", "--journal", inQuery), ExitUsage)
	sqlite := filepath.Join(e.dir, "local.db")
	if r := e.submit(); r.code != 0 {
		t.Fatalf("a submit on a file: %d %s", r.code, r.stderr)
	}
	check("migrate", run(t, e.vars, "journal", "migrate", "--from", sqlite, "--to", e.state, "--base-url", e.base), ExitUsage) // no such file
	t.Setenv("unused", "")
	text := all.String()
	for _, secret := range []string{pw, url.QueryEscape(pw), pw + "-wrong"} {
		if strings.Contains(text, secret) {
			t.Fatalf("the password %q was shown:\n%s", secret, text)
		}
	}
	if !strings.Contains(text, "xxxxx") {
		t.Errorf("no masked URL in any output:\n%s", text)
	}
}

// journal migrate copies a file journal into the shared one, again
// without copying anything twice; the people of the file are then
// skipped by a submit on the shared journal.
func TestJournalMigrateCommand(t *testing.T) {
	s := pgtest.Require(t)
	e := newEnv(t, 5, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit on the file: %d %s", r.code, r.stderr)
	}
	shared := s.URL(s.NewDatabase(t))
	r := run(t, e.vars, "journal", "migrate", "--from", e.state, "--to", shared, "--base-url", e.base)
	if r.code != 0 || !strings.Contains(r.stdout, "orders 5 (5 new)") || !strings.Contains(r.stdout, "verified: every record") {
		t.Fatalf("migrate: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, e.vars, "journal", "migrate", "--from", e.state, "--to", shared, "--base-url", e.base)
	if r.code != 0 || !strings.Contains(r.stdout, "orders 5 (0 new)") || !strings.Contains(r.stdout, "batches 1 (0 new)") {
		t.Fatalf("migrate again: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	e.state = shared
	if r := e.submit("--no-account-check"); r.code != 0 || !strings.Contains(r.stdout, "5 skipped") {
		t.Fatalf("submit on the shared journal: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Orders()); n != 5 {
		t.Errorf("%d orders at DigiCert, want 5", n)
	}
	if r := run(t, e.vars, "journal", "migrate", "--from", e.dir, "--to", "/tmp/x.db"); r.code != ExitUsage {
		t.Errorf("migrate to a file: exit %d", r.code)
	}
}

// A role with exactly the privileges the README lists works: the owner
// (CONNECT, and USAGE and CREATE on the schema) creates the tables; a
// role that only runs certbatch (USAGE on the schema, SELECT, INSERT,
// UPDATE, DELETE on the tables, USAGE on the sequences) orders, reads
// and prunes; a role without CREATE on a database with no journal yet
// gets an error that says what it lacks.
func TestSharedJournalPrivileges(t *testing.T) {
	s := pgtest.Require(t)
	name, err := s.CreateDatabase()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.DropDatabase(name) })
	owner, runner := "cb_owner_"+strings.ToLower(name), "cb_runner_"+strings.ToLower(name)
	for _, q := range []string{
		"REVOKE ALL ON DATABASE " + name + " FROM PUBLIC",
		"CREATE ROLE " + owner + " LOGIN PASSWORD 'owner-pw'",
		"CREATE ROLE " + runner + " LOGIN PASSWORD 'runner-pw'",
		"GRANT CONNECT ON DATABASE " + name + " TO " + owner + ", " + runner,
	} {
		if _, err := s.Admin.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	e := newEnv(t, 3, sandbox.Config{})
	// A runner on a database without the tables: told what it lacks.
	e.state = s.RoleURL(name, runner, "runner-pw")
	if r := e.submit(); r.code == 0 || !strings.Contains(r.stderr, "may not create tables") {
		t.Fatalf("runner without tables: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	grant := func(qs ...string) {
		t.Helper()
		db, err := sql.Open("pgx", adminURL(s, name))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, q := range qs {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	grant("REVOKE ALL ON SCHEMA public FROM PUBLIC", "GRANT USAGE, CREATE ON SCHEMA public TO "+owner, "GRANT USAGE ON SCHEMA public TO "+runner)
	e.state = s.RoleURL(name, owner, "owner-pw")
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "3 ordered") {
		t.Fatalf("owner: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The owner grants the runner what the README lists.
	ownerDB, err := sql.Open("pgx", s.RoleURL(name, owner, "owner-pw"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + runner,
		"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + runner,
	} {
		if _, err := ownerDB.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ownerDB.Close()
	e.state = s.RoleURL(name, runner, "runner-pw")
	more := writeCSV(t, filepath.Join(e.dir, "more.csv"), staff(6, 1))
	e.input = more
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "3 ordered") || !strings.Contains(r.stdout, "3 skipped") {
		t.Fatalf("runner: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"history", "--journal", e.state}, {"prune", "--journal", e.state, "--before", "2999-01-01"},
		{"status", e.resultsPath(), "--journal", e.state, "--base-url", e.base}} {
		if r := run(t, e.vars, args...); r.code != 0 {
			t.Errorf("runner: %s: %d\n%s%s", args[0], r.code, r.stdout, r.stderr)
		}
	}
}

// adminURL is a superuser URL to database db of s (over the Unix socket).
func adminURL(s *pgtest.Server, db string) string {
	return s.AdminURL(db)
}

// A connection to the shared journal lost in the middle of a run (the
// server ends every session of certbatch while an order is in flight,
// and takes no new ones until the run is over) is a lost answer: the
// run stops (exit 4, run again later), nothing is assumed, and the next
// run finds the order at DigiCert instead of ordering again.
func TestLostJournalConnectionIsALostAnswer(t *testing.T) {
	bin := binary(t)
	s := pgtest.Require(t)
	db := s.NewDatabase(t)
	e, gate := newGatedEnv(t, 6, sandbox.Config{})
	e.state = s.URL(db)
	held := gate.arm(3, pass) // the order is placed and answered; the journal is gone
	cmd := e.command(bin, "--concurrency", "1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	exited := startHeld(t, cmd, held, "submit")
	for _, q := range []string{"ALTER DATABASE " + db + " ALLOW_CONNECTIONS false",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='" + db + "' AND application_name='certbatch'"} {
		if _, err := s.Admin.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	gate.open()
	if code := <-exited; code != ExitRowsRetry {
		t.Errorf("a run that lost its journal's connection: exit %d, want %d\n%s", code, ExitRowsRetry, stderr.String())
	}
	gate.quiesce(t)
	if n := len(e.sb.Orders()); n != 3 {
		t.Fatalf("%d orders placed before the journal was lost, want 3", n)
	}
	if _, err := s.Admin.Exec("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true"); err != nil {
		t.Fatal(err)
	}
	for run := 0; ; run++ {
		if run == 5 {
			t.Fatal("not done after 5 runs")
		}
		if code := procExit(e.command(bin).Run()); code == 0 {
			break
		}
	}
	byEmail := e.ordersByEmail()
	if len(byEmail) != 6 {
		t.Errorf("%d people have orders, want 6", len(byEmail))
	}
	for email, ids := range byEmail {
		if len(ids) != 1 {
			t.Errorf("%s has %d orders: %v", email, len(ids), ids)
		}
	}
}
