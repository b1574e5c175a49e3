// Package pgtest starts a private PostgreSQL server for tests and
// benchmarks: a new cluster (initdb) in a temporary folder, on a free
// loopback port, started with pg_ctl and stopped (and removed) at the
// end. It uses the PostgreSQL that the system has (Debian's postgresql
// package: /usr/lib/postgresql/*/bin), found by globbing, never a fixed
// version. PostgreSQL refuses to run as root, so when the tests run as
// root the cluster runs as the postgres user (through runuser).
//
// Where no server can be started (no PostgreSQL installed, no user to
// run it as), [Require] skips the test and says why, unless
// CERTBATCH_REQUIRE_POSTGRES=1 (CI sets it), where it fails. A server
// already running can be used instead: CERTBATCH_TEST_POSTGRES holds a
// superuser URL to it.
//
// Each test gets a database of its own ([Server.NewDatabase]), owned by
// a role that is not a superuser and logs in with a password over TCP,
// as a team's journal role would.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for database/sql
)

// Server is a running PostgreSQL server.
type Server struct {
	// Admin is a superuser connection to the server's postgres database.
	Admin *sql.DB
	// Host and Port are where it listens over TCP (127.0.0.1).
	Host string
	Port int
	// Role and Password are the test role's: it owns each NewDatabase.
	Role, Password string
	// CAFile is the certificate (PEM) that signs the server's TLS
	// certificate, for sslmode=verify-full ("" for a server not started
	// here).
	CAFile string

	dir, bin, runAs string // the cluster's folder, binaries and user (private servers)
	external        string // the superuser URL of a server not started here
	n               atomic.Int64
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedErr  error
)

// Require returns the server shared by the tests of this process,
// starting it on first use; it skips t (or fails it, when
// CERTBATCH_REQUIRE_POSTGRES=1) when no server can be started. Call
// [Stop] at the end of TestMain.
func Require(t testing.TB) *Server {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = start() })
	if sharedErr != nil {
		if os.Getenv("CERTBATCH_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required (CERTBATCH_REQUIRE_POSTGRES=1) and could not be started: %v", sharedErr)
		}
		t.Skipf("PostgreSQL tests skipped: %v", sharedErr)
	}
	return shared
}

// Start starts a private server outside of a test; the caller stops it
// with [Server.Close]. Like the tests' server it does not sync to disk.
func Start() (*Server, error) { return start() }

// StartDurable is Start for benchmarks: the server syncs every commit
// to disk, as a real one does.
func StartDurable() (*Server, error) {
	durable = true
	defer func() { durable = false }()
	return start()
}

// durable makes initCluster keep PostgreSQL's durable defaults.
var durable bool

// Stop stops the shared server if one was started.
func Stop() {
	if shared != nil {
		shared.Close()
	}
}

// Main runs the tests of m and stops the shared server after them.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

func start() (*Server, error) {
	if u := os.Getenv("CERTBATCH_TEST_POSTGRES"); u != "" {
		return external(u)
	}
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	runAs := ""
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, errors.New("running as root and there is no postgres user to run the server as (PostgreSQL refuses root)")
		}
		if _, err := exec.LookPath("runuser"); err != nil {
			return nil, errors.New("running as root and runuser is missing: cannot start the server as the postgres user")
		}
		runAs = "postgres"
	}
	dir, err := os.MkdirTemp("", "certbatch-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, bin: bin, runAs: runAs, Host: "127.0.0.1", Role: "certbatch_test", Password: "pw-" + rand.Text()}
	if err := s.initCluster(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	var startErr error
	for range 5 { // a free port can be taken by someone else before the server binds it
		if s.Port, err = freePort(); err != nil {
			return nil, err
		}
		if startErr = s.pgCtl("start", "-w", "-t", "120", "-l", filepath.Join(dir, "server.log"), "-o",
			fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", s.Port, dir)); startErr == nil {
			break
		}
	}
	if startErr != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v\n%s", startErr, log)
	}
	if s.Admin, err = sql.Open("pgx", s.AdminURL("postgres")); err != nil {
		s.Close()
		return nil, err
	}
	if _, err := s.Admin.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", s.Role, s.Password)); err != nil {
		s.Close()
		return nil, fmt.Errorf("create the test role: %w", err)
	}
	return s, nil
}

// external uses a server that runs already (CERTBATCH_TEST_POSTGRES, a
// superuser URL): its host and port, a test role of its own.
func external(u string) (*Server, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("CERTBATCH_TEST_POSTGRES: %v", err)
	}
	db, err := sql.Open("pgx", u)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		return nil, fmt.Errorf("CERTBATCH_TEST_POSTGRES: %v", err)
	}
	port, _ := strconv.Atoi(pu.Port())
	if port == 0 {
		port = 5432
	}
	s := &Server{Admin: db, external: u, Host: pu.Hostname(), Port: port, Role: "certbatch_test_" + strings.ToLower(rand.Text()[:8]), Password: "pw-" + rand.Text()}
	if _, err := db.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", s.Role, s.Password)); err != nil {
		return nil, fmt.Errorf("create the test role: %w", err)
	}
	return s, nil
}

// findBin finds PostgreSQL's server binaries: Debian's (newest version
// first), else initdb on PATH.
func findBin() (string, error) {
	glob := "/usr/lib/postgresql/*/bin/initdb"
	if g := os.Getenv("CERTBATCH_PGTEST_GLOB"); g != "" {
		glob = g // tests of this package: where to look instead
	}
	found, _ := filepath.Glob(glob)
	sort.Slice(found, func(i, k int) bool { return version(found[i]) > version(found[k]) })
	if len(found) > 0 {
		return filepath.Dir(found[0]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no PostgreSQL server installed (no /usr/lib/postgresql/*/bin/initdb, no initdb on PATH): apt-get install postgresql")
}

func version(initdb string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return v
}

func (s *Server) superuser() string {
	if s.runAs != "" {
		return s.runAs
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "postgres"
}

// run runs a server binary as the cluster's user.
func (s *Server) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	if s.runAs != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.runAs, "--", filepath.Join(s.bin, name)}, args...)...)
	}
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (s *Server) pgCtl(args ...string) error {
	return s.run("pg_ctl", append(args, "-D", filepath.Join(s.dir, "data"))...)
}

// initCluster creates the cluster: trust over the Unix socket (the
// superuser, for the tests' own setup), passwords over TCP, TLS on with
// a certificate made here, and settings for a throwaway server.
func (s *Server) initCluster() error {
	if s.runAs != "" {
		u, err := user.Lookup(s.runAs)
		if err != nil {
			return err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(s.dir, uid, gid); err != nil {
			return err
		}
	}
	data := filepath.Join(s.dir, "data")
	if err := s.run("initdb", "-D", data, "-A", "trust", "-U", s.superuser(), "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		return err
	}
	ca, err := writeTLS(s.dir, data)
	if err != nil {
		return err
	}
	s.CAFile = ca
	if err := s.chownAll(data); err != nil {
		return err
	}
	conf := `
max_connections = 300
shared_buffers = 32MB
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
password_encryption = 'scram-sha-256'
`
	if !durable {
		conf += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
	}
	hba := "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n"
	if err := appendFile(filepath.Join(data, "postgresql.conf"), conf); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600)
}

func (s *Server) chownAll(dir string) error {
	if s.runAs == "" {
		return nil
	}
	u, err := user.Lookup(s.runAs)
	if err != nil {
		return err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

func appendFile(p, s string) error {
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Close stops the server and removes its cluster (private servers), or
// closes the connection to an external one.
func (s *Server) Close() {
	if s.Admin != nil {
		s.Admin.Close()
	}
	if s.dir == "" {
		return
	}
	s.pgCtl("stop", "-m", "immediate", "-w")
	os.RemoveAll(s.dir)
}

// AdminURL returns a superuser URL to database db (over the Unix socket
// of a private server; the external server's URL otherwise).
func (s *Server) AdminURL(db string) string {
	if s.dir == "" {
		u, _ := url.Parse(s.external)
		u.Path = "/" + db
		return u.String()
	}
	u := url.URL{Scheme: "postgres", User: url.User(s.superuser()), Path: "/" + db,
		RawQuery: url.Values{"host": {s.dir}, "port": {strconv.Itoa(s.Port)}, "sslmode": {"disable"}}.Encode()}
	return u.String()
}

// URL returns a URL for the test role (password in the URL, TCP, no
// TLS) to database db.
func (s *Server) URL(db string) string {
	return s.RoleURL(db, s.Role, s.Password)
}

// RoleURL is URL for another role.
func (s *Server) RoleURL(db, role, password string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(role, password), Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port)),
		Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// NewDatabase creates an empty database owned by the test role, dropped
// when t ends, and returns its name.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name, err := s.CreateDatabase()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.DropDatabase(name) })
	return name
}

// CreateDatabase creates an empty database owned by the test role.
func (s *Server) CreateDatabase() (string, error) {
	name := fmt.Sprintf("t%d_%s", s.n.Add(1), strings.ToLower(rand.Text()[:6]))
	if _, err := s.Admin.Exec(fmt.Sprintf("CREATE DATABASE %s OWNER %s", name, s.Role)); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return name, nil
}

// DropDatabase drops a database, ending the sessions still on it.
func (s *Server) DropDatabase(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s.Admin.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
}
