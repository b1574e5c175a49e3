package journal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/certbatch/certbatch/internal/l10n"
)

// applicationID marks an SQLite file as a certbatch journal (PRAGMA
// application_id, "CBTC").
const applicationID = 0x43425443

func openSQLite(path string, opts Options) (*Journal, error) {
	j := &Journal{path: path, readOnly: opts.ReadOnly, now: time.Now, d: sqliteDialect}
	if path == Memory {
		return j.openMemory()
	}
	const pragmas = "_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	dsn := "file:" + path + "?" + pragmas
	if strings.ContainsAny(path, "?#") {
		return nil, l10n.Errorf("open journal %s: the path must not contain '?' or '#'", path)
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, l10n.Errorf("open journal %s: %w", path, err)
		}
		tightenReader(path)
		dsn += "&_pragma=query_only(1)"
	} else {
		// The lock creates the file (mode 0600; SQLite's -wal and -shm
		// files copy it) and resolves its real name.
		if err := j.acquire(); err != nil {
			return nil, err
		}
		if strings.ContainsAny(j.real, "?#") {
			j.release()
			return nil, l10n.Errorf("open journal %s: the path must not contain '?' or '#'", path)
		}
		dsn = "file:" + j.real + "?" + pragmas + "&_txlock=immediate"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		j.release()
		return nil, l10n.Errorf("open journal %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	j.db = db
	if err := j.initSQLite(); err != nil {
		db.Close()
		j.release()
		return nil, l10n.Errorf("open journal %s: %w", path, err)
	}
	return j, nil
}

func (j *Journal) openMemory() (*Journal, error) {
	db, err := sql.Open("sqlite", "file:certbatch-"+rand.Text()+"?mode=memory&cache=shared&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		return nil, l10n.Errorf("open journal in memory: %w", err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4) // the database lives as long as a connection does
	j.db = db
	if err := j.initSQLite(); err != nil {
		db.Close()
		return nil, l10n.Errorf("open journal in memory: %w", err)
	}
	return j, nil
}

// initSQLite checks that the file is a journal of a version this package
// reads, creates the schema in an empty file or upgrades an older one
// (writers only). It reads before it writes, so a file that is not a
// journal is never changed.
func (j *Journal) initSQLite() error {
	var version, appID, objects int
	err := j.db.QueryRow("PRAGMA user_version").Scan(&version)
	if err == nil {
		err = j.db.QueryRow("PRAGMA application_id").Scan(&appID)
	}
	if err == nil {
		err = j.db.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&objects)
	}
	if err != nil {
		return j.classify(err)
	}
	switch {
	case version == 0 && appID == 0 && objects == 0:
		if j.readOnly {
			return l10n.Errorf("%w: the file is empty (no certbatch run has written it yet)", ErrCorrupt)
		}
		j.created = true
		if err := j.setWAL(); err != nil {
			return err
		}
		if err := j.migrateSQLite(0); err != nil {
			return err
		}
		return j.prepare()
	case appID != 0 && appID != applicationID:
		return l10n.Errorf("%w: it is an SQLite database of another application (application_id %d)", ErrCorrupt, appID)
	case version > SchemaVersion:
		return l10n.Errorf("%w: schema version %d is newer than this certbatch understands (%d); upgrade certbatch", ErrCorrupt, version, SchemaVersion)
	case version < 1:
		return l10n.Errorf("%w: it is an SQLite database of something else (schema version %d)", ErrCorrupt, version)
	case version < minReadable && j.readOnly:
		return l10n.Errorf("%w: it has schema version %d; run `certbatch reconcile` (or submit) on it once to upgrade it to version %d", ErrCorrupt, version, SchemaVersion)
	}
	cols := entryCols
	if version == 1 {
		cols = v1EntryCols
	}
	if err := j.checkColumns(cols); err != nil {
		return err
	}
	if !j.readOnly {
		if err := j.setWAL(); err != nil {
			return err
		}
		if version < SchemaVersion {
			if err := j.migrateSQLite(version); err != nil {
				return err
			}
		}
	}
	return j.prepare()
}

// migrateSQLite brings the schema from version from to SchemaVersion in
// one transaction; PRAGMA user_version records the version.
func (j *Journal) migrateSQLite(from int) error {
	op := fmt.Sprintf("upgrade schema %d to %d", from, SchemaVersion)
	if from == 0 {
		op = "create schema"
	}
	tx, err := j.db.Begin()
	if err != nil {
		return j.fail(op, err)
	}
	defer tx.Rollback()
	ctx := context.Background()
	if from == 0 {
		if _, err := tx.Exec("PRAGMA application_id = " + strconv.Itoa(applicationID)); err != nil {
			return j.fail(op, err)
		}
	}
	err = applyMigrations(ctx, tx, j.d, from, func(v int, _ string) error {
		_, err := tx.Exec("PRAGMA user_version = " + strconv.Itoa(v))
		return err
	})
	if err != nil {
		return j.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return j.fail(op, err)
	}
	return nil
}

func (j *Journal) setWAL() error {
	if j.path == Memory {
		return nil
	}
	var mode string
	if err := j.db.QueryRow("PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return j.classify(err)
	}
	// SQLite keeps the old mode where WAL is impossible (some network
	// file systems); synchronous=FULL keeps commits durable there too.
	return nil
}

func sqliteCode(err error) int {
	if e, ok := errors.AsType[*sqlite.Error](err); ok {
		return e.Code() & 0xff
	}
	return 0
}

// classifySQLite marks damage as ErrCorrupt.
func classifySQLite(err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}
