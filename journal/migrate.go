package journal

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// The schema is built by versioned migrations, applied in order on both
// backends: migrations/NNNN_name.sql runs on both, NNNN_name.sqlite.sql
// and NNNN_name.postgres.sql only on theirs (after the common file of the
// same version, if any). Adding a table or a column is one new file; a
// version may also need Go (hooks below) to fill in new columns.
//
// The version a database has reached is PRAGMA user_version on SQLite
// (as before migrations were files) and the highest version in the
// schema_migrations table on PostgreSQL.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one version of the schema.
type migration struct {
	version int
	name    string
	files   []string // common first, then per backend
}

// hooks fill in what SQL alone cannot, after a version's SQL ran in the
// same transaction.
var hooks = map[int]func(ctx context.Context, tx *sql.Tx, d *dialect) error{
	2: keysFromIdentity,
	7: emailsFromOrders,
}

// SchemaVersion is the newest version of the schema this package
// writes: the highest migration's number.
var SchemaVersion = latestVersion()

// minReadable is the oldest version a read-only journal may have: every
// column readers use exists from it on (later versions only add tables,
// which readers do without).
const minReadable = 2

func migrationsFor(d *dialect) []migration {
	ents, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		panic(err) // embedded: cannot fail
	}
	byVersion := map[int]*migration{}
	for _, e := range ents {
		name := e.Name()
		base := strings.TrimSuffix(name, ".sql")
		only := ""
		if b, backend, ok := strings.Cut(base, "."); ok {
			base, only = b, backend
		}
		num, label, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v < 1 {
			panic("journal: migration file " + name + " must start with its version number")
		}
		m := byVersion[v]
		if m == nil {
			m = &migration{version: v, name: label}
			byVersion[v] = m
		}
		switch only {
		case "":
			m.files = slices.Insert(m.files, 0, path.Join("migrations", name))
		case d.name:
			m.files = append(m.files, path.Join("migrations", name))
		case sqliteDialect.name, postgresDialect.name:
		default:
			panic("journal: migration file " + name + ": unknown backend " + only)
		}
	}
	var out []migration
	for _, m := range byVersion {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	return out
}

func latestVersion() int {
	ms := migrationsFor(sqliteDialect)
	v := ms[len(ms)-1].version
	for i, m := range ms {
		if m.version != i+1 {
			panic(fmt.Sprintf("journal: migration versions must be 1, 2, 3, ...: version %d is missing", i+1))
		}
	}
	return v
}

// applyMigrations runs every migration after version from, in one
// transaction tx, and records the new version with setVersion.
func applyMigrations(ctx context.Context, tx *sql.Tx, d *dialect, from int, setVersion func(v int, name string) error) error {
	for _, m := range migrationsFor(d) {
		if m.version <= from {
			continue
		}
		for _, f := range m.files {
			b, err := migrationFiles.ReadFile(f)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(b)); err != nil {
				return l10n.Errorf("schema version %d (%s): %w", m.version, path.Base(f), err)
			}
		}
		if h := hooks[m.version]; h != nil {
			if err := h(ctx, tx, d); err != nil {
				return l10n.Errorf("schema version %d (%s): %w", m.version, m.name, err)
			}
		}
		if err := setVersion(m.version, m.name); err != nil {
			return l10n.Errorf("schema version %d: record it: %w", m.version, err)
		}
	}
	return nil
}

// keysFromIdentity gives the orders of a version 1 journal their product
// and person keys, from the identity column where version 1 kept them.
func keysFromIdentity(ctx context.Context, tx *sql.Tx, d *dialect) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, identity FROM orders")
	if err != nil {
		return err
	}
	type upd struct {
		id            int64
		product, pkey string
	}
	var ups []upd
	for rows.Next() {
		var u upd
		var ident string
		if err := rows.Scan(&u.id, &ident); err != nil {
			rows.Close()
			return err
		}
		product, rest, _ := strings.Cut(ident, "|")
		u.product = product
		if k, ok := strings.CutPrefix(rest, "key:"); ok {
			u.pkey = order.NormalizeKey(k)
		}
		ups = append(ups, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range ups {
		if _, err := tx.ExecContext(ctx, d.rebind("UPDATE orders SET product_key=?, person_key=? WHERE id=?"), u.product, u.pkey, u.id); err != nil {
			return err
		}
	}
	return nil
}

// emailsFromOrders fills person_emails (migration 7) from the orders:
// every attempt's primary email, normalized again (Unicode NFC, the
// domain in A-labels: order.NormalizeEmail), the only email older
// journals kept, so an earlier order is found by its primary email.
func emailsFromOrders(ctx context.Context, tx *sql.Tx, d *dialect) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, product_key, email FROM orders WHERE email<>''")
	if err != nil {
		return err
	}
	type upd struct {
		id                 int64
		product, old, norm string
	}
	var ups []upd
	for rows.Next() {
		var u upd
		if err := rows.Scan(&u.id, &u.product, &u.old); err != nil {
			rows.Close()
			return err
		}
		u.norm = order.NormalizeEmail(u.old)
		ups = append(ups, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range ups {
		if u.norm != u.old {
			if _, err := tx.ExecContext(ctx, d.rebind("UPDATE orders SET email=? WHERE id=?"), u.norm, u.id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, d.rebind("INSERT INTO person_emails(entry_id, product_key, email) VALUES(?,?,?) ON CONFLICT DO NOTHING"), u.id, u.product, u.norm); err != nil {
			return err
		}
	}
	return nil
}
