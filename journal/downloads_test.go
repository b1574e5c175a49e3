package journal

import (
	"path/filepath"
	"testing"
	"time"
)

func TestDownloadsAndChains(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A journal made before the certificate_chains table existed.
	if _, err := j.db.Exec("DROP TABLE certificate_chains"); err != nil {
		t.Fatal(err)
	}
	if pem, err := j.Chain(7); err != nil || pem != "" {
		t.Fatalf("chain before any: %q %v", pem, err)
	}
	if err := j.PutChain(1, 7, "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n"); err != nil {
		t.Fatal(err)
	}
	if err := j.PutChain(1, 0, "ignored"); err != nil {
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
	j.Close()
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if pem, err := r.Chain(7); err != nil || pem == "" {
		t.Fatalf("chain: %q %v", pem, err)
	}
	d, err := r.DownloadOf(7, "pem")
	if err != nil || d == nil || d.Path != "b.pem" || d.SHA256 != "h-b.pem" || !d.At.Equal(at) || d.OrderID != 1 {
		t.Fatalf("download: %+v %v", d, err)
	}
	if err := r.RecordDownload(Download{CertificateID: 8}); err == nil {
		t.Fatal("read-only journal wrote")
	}
}
