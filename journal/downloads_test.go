package journal

import (
	"path/filepath"
	"testing"
	"time"
)

func TestDownloadsAndChains(t *testing.T) {
	both(t, func(t *testing.T, newJournal func(testing.TB) *Journal) {
		j := newJournal(t)
		if pem, err := j.Chain(7); err != nil || pem != "" {
			t.Fatalf("chain before any: %q %v", pem, err)
		}
		if err := j.PutChain(1, 7, "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n"); err != nil {
			t.Fatal(err)
		}
		if err := j.PutChain(1, 0, "ignored"); err != nil {
			t.Fatal(err)
		}
		if err := j.PutChain(2, 7, "-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----\n"); err != nil {
			t.Fatal(err)
		}
		if d, err := j.DownloadOf(7, "pem"); err != nil || d != nil {
			t.Fatalf("download before any: %+v %v", d, err)
		}
		at := time.Date(2026, 11, 23, 7, 33, 10, 0, time.UTC)
		for _, p := range []string{"a.pem", "b.pem"} {
			if err := j.RecordDownload(Download{CertificateID: 7, Format: "pem", OrderID: 1, Path: p, SHA256: "h-" + p, At: at}); err != nil {
				t.Fatal(err)
			}
		}
		if pem, err := j.Chain(7); err != nil || pem != "-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----\n" {
			t.Fatalf("chain: %q %v", pem, err)
		}
		d, err := j.DownloadOf(7, "pem")
		if err != nil || d == nil || d.Path != "b.pem" || d.SHA256 != "h-b.pem" || !d.At.Equal(at) || d.OrderID != 1 {
			t.Fatalf("download: %+v %v", d, err)
		}
		if err := j.RecordDownload(Download{CertificateID: 9, Format: "p7b", OrderID: 3, Path: "c.p7b", SHA256: "h"}); err != nil {
			t.Fatal(err)
		}
		if d, err := j.DownloadOf(9, "p7b"); err != nil || d == nil || d.At.IsZero() {
			t.Fatalf("download without a time: %+v %v", d, err)
		}
	})
}

// A version 2 journal made before the certificate_chains table existed
// reads without it, and gets it when a writer upgrades it.
func TestChainsTableAddedByUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TABLE certificate_chains", "DROP TABLE account_orders", "DROP TABLE journal_meta", "DROP TABLE generated_keys",
		"ALTER TABLE rows DROP COLUMN name", "ALTER TABLE rows DROP COLUMN email", "ALTER TABLE rows DROP COLUMN note", "PRAGMA user_version=2"} {
		if _, err := j.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if pem, err := r.Chain(7); err != nil || pem != "" {
		t.Fatalf("chain in a version 2 journal: %q %v", pem, err)
	}
	if a, err := r.AccountOrder(7); err != nil || a != nil {
		t.Fatalf("account order in a version 2 journal: %+v %v", a, err)
	}
	if err := r.RecordDownload(Download{CertificateID: 8}); err == nil {
		t.Fatal("read-only journal wrote")
	}
	r.Close()
	j = open(t, path)
	if err := j.PutChain(1, 7, "pem"); err != nil {
		t.Fatal(err)
	}
	if err := j.PutAccountOrder(AccountOrder{OrderID: 5, ProductKey: "p", Emails: []string{"a@x", "b@x"}}); err != nil {
		t.Fatal(err)
	}
	if a, err := j.AccountOrder(5); err != nil || a == nil || len(a.Emails) != 2 {
		t.Fatalf("account order: %+v %v", a, err)
	}
	var v int
	j.db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion {
		t.Errorf("user_version %d after the upgrade, want %d", v, SchemaVersion)
	}
}
