package journal

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/certbatch/certbatch/internal/l10n"
)

// migrationLock is the advisory lock (a constant, "CBTCmigr") that
// serialises schema upgrades between hosts opening one database at once.
const migrationLock = 0x434254436d696772

// openPostgres opens a PostgreSQL journal. The URL is the libpq one
// (postgres://user@host:port/db?sslmode=verify-full ...); the password
// is best kept out of it (PGPASSWORD, ~/.pgpass or PGPASSFILE), and
// never appears in an error or in Path.
func openPostgres(location string, opts Options) (*Journal, error) {
	u, err := url.Parse(location)
	if err != nil {
		// url's error quotes the URL: say only what is wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, l10n.Errorf("open journal: the PostgreSQL URL cannot be read: %v", err)
	}
	j := &Journal{d: postgresDialect, readOnly: opts.ReadOnly}
	if p, ok := u.User.Password(); ok && p != "" {
		j.secrets = append(j.secrets, p, url.QueryEscape(p), url.PathEscape(p))
	}
	q := u.Query()
	if p := q.Get("password"); p != "" {
		j.secrets = append(j.secrets, p, url.QueryEscape(p), url.PathEscape(p))
	}
	j.path = displayURL(u)
	cc, err := pgConfig(location)
	if err != nil {
		return nil, l10n.Errorf("open journal %s: %w", j.path, j.redact(err))
	}
	cc.RuntimeParams["application_name"] = "certbatch"
	if opts.ReadOnly {
		cc.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if cc.ConnectTimeout == 0 {
		cc.ConnectTimeout = 15 * time.Second
	}
	// The server notices a host that vanished (power, network) within
	// about two minutes and drops its connection, and with it the person
	// locks it held; kill -9 is noticed at once. The settings are the
	// session's own; a server (or pooler) that refuses them is no reason
	// to refuse the journal.
	after := stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
		c.Exec(ctx, "SET tcp_keepalives_idle = 60; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 6")
		return nil
	})
	j.db = stdlib.OpenDB(*cc, after)
	j.db.SetMaxIdleConns(8)
	j.db.SetConnMaxIdleTime(5 * time.Minute)
	if err := j.initPostgres(); err != nil {
		j.db.Close()
		return nil, l10n.Errorf("open journal %s: %w", j.path, j.redact(pgOpenError(err)))
	}
	return j, nil
}

// pgOpenError marks why a database could not be opened: refused (the
// role, its password, the database, privileges) or unreachable.
func pgOpenError(err error) error {
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	switch {
	case errors.Is(err, ErrCorrupt):
		return err
	case errors.As(err, &pe) && (strings.HasPrefix(pe.Code, "28") || pe.Code == "3D000" || pe.Code == "42501"):
		return fmt.Errorf("%w: %w", ErrRefused, err)
	case errors.As(err, &pe):
		return err
	case errors.As(err, &ce), pgconn.Timeout(err), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// pgConfig parses a journal URL. sslmode is what the URL (or
// PGSSLMODE) says; without either, a server on another machine is
// reached over TLS only: libpq's default "prefer" would fall back to
// plain text without a word.
func pgConfig(location string) (*pgx.ConnConfig, error) {
	u, err := url.Parse(location)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	if q.Get("sslmode") == "" && os.Getenv("PGSSLMODE") == "" && !localHost(u, q) {
		q.Set("sslmode", "require")
		u.RawQuery = q.Encode()
	}
	return pgx.ParseConfig(u.String())
}

// displayURL is the URL as errors and the plan show it: the password
// masked, in the user part and in the query.
func displayURL(u *url.URL) string {
	c := *u
	q := c.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		c.RawQuery = q.Encode()
	}
	return c.Redacted()
}

// localHost reports whether the URL's server is on this machine: a Unix
// socket or a loopback address.
func localHost(u *url.URL, q url.Values) bool {
	hosts := u.Hostname()
	if h := q.Get("host"); h != "" {
		hosts = h
	}
	if hosts == "" {
		return true // the default Unix socket
	}
	for _, h := range strings.Split(hosts, ",") {
		h = strings.Trim(strings.TrimSpace(h), "[]")
		if i := strings.LastIndex(h, ":"); i > 0 && !strings.Contains(h[:i], ":") {
			h = h[:i]
		}
		if strings.HasPrefix(h, "/") || strings.EqualFold(h, "localhost") {
			continue
		}
		if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
			continue
		}
		return false
	}
	return true
}

// initPostgres checks the database and, for writers, brings its schema
// up to date in one transaction, holding migrationLock so that two
// hosts never upgrade at once. A database holding tables of the
// journal's names but no schema_migrations table is refused untouched.
func (j *Journal) initPostgres() error {
	ctx := context.Background()
	if err := j.db.PingContext(ctx); err != nil {
		return err
	}
	if j.readOnly {
		version, err := pgVersion(ctx, j.db)
		if err != nil {
			return err
		}
		switch {
		case version == 0:
			return l10n.Errorf("%w: the database holds no journal yet (no certbatch run has written it)", ErrCorrupt)
		case version > SchemaVersion:
			return l10n.Errorf("%w: schema version %d is newer than this certbatch understands (%d); upgrade certbatch", ErrCorrupt, version, SchemaVersion)
		}
		if err := j.checkColumns(entryCols); err != nil {
			return err
		}
		return j.prepare()
	}
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
		return err
	}
	version, err := pgVersion(ctx, tx)
	if err != nil {
		return err
	}
	if version > SchemaVersion {
		return l10n.Errorf("%w: schema version %d is newer than this certbatch understands (%d); upgrade certbatch", ErrCorrupt, version, SchemaVersion)
	}
	if version < SchemaVersion {
		j.created = version == 0
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`); err != nil {
			return pgPrivilege(err, version)
		}
		err := applyMigrations(ctx, tx, j.d, version, func(v int, name string) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations(version, name, applied_at) VALUES($1, $2, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"000Z\"'))", v, name)
			return err
		})
		if err != nil {
			return pgPrivilege(err, version)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if err := j.checkColumns(entryCols); err != nil {
		return err
	}
	return j.prepare()
}

// pgVersion returns the journal's schema version in the database (0:
// none). Tables named like the journal's without a schema_migrations
// table are someone else's: ErrCorrupt.
func pgVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var migrations, batches, orders sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT to_regclass('schema_migrations')::text, to_regclass('batches')::text, to_regclass('orders')::text").
		Scan(&migrations, &batches, &orders); err != nil {
		return 0, err
	}
	if !migrations.Valid {
		if batches.Valid || orders.Valid {
			return 0, l10n.Errorf("%w: the database has tables named batches or orders but no schema_migrations table: they are not a certbatch journal's; use another database or schema", ErrCorrupt)
		}
		return 0, nil
	}
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// pgPrivilege explains a refused CREATE: the role may run the journal
// but not create or upgrade its tables.
func pgPrivilege(err error, version int) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" {
		return l10n.Errorf("%w: the journal needs schema version %d (the database has %d) and this role may not create tables (%s): run certbatch once as the role that owns the journal, or grant this one CREATE on the schema (see the README)",
			ErrRefused, SchemaVersion, version, pe.Message)
	}
	return err
}

// redact masks the journal's secrets in err's text, keeping what
// errors.Is and errors.As find.
func (j *Journal) redact(err error) error {
	if err == nil || len(j.secrets) == 0 {
		return err
	}
	return &redacted{err: err, secrets: j.secrets}
}

// redacted is an error whose text never shows the secrets.
type redacted struct {
	err     error
	secrets []string
}

func (r *redacted) Error() string {
	s := r.err.Error()
	for _, x := range r.secrets {
		if len(x) >= 1 {
			s = strings.ReplaceAll(s, x, "xxxxx")
		}
	}
	return s
}

func (r *redacted) Unwrap() error { return r.err }

// Redacted returns location as it may be shown: a PostgreSQL URL with
// its password masked (in the user part and in the query); a file path
// as it is.
func Redacted(location string) string {
	if !IsURL(location) {
		return location
	}
	u, err := url.Parse(location)
	if err != nil {
		return "postgres://(a URL that cannot be read)"
	}
	return displayURL(u)
}

// lostConnection reports whether err is the connection to the server
// failing (refused, reset, closed, ended by the server), rather than the
// server refusing a statement.
func lostConnection(err error) bool {
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce):
		return true // no connection could be made, whatever the server said
	case errors.As(err, &pe):
		// 57P01-57P03: the server shut down or ended the session;
		// class 08: connection exceptions.
		return strings.HasPrefix(pe.Code, "57P0") || strings.HasPrefix(pe.Code, "08")
	case errors.As(err, &ne), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	}
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "connection reset")
}
