package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Download is a certificate written into a file by `certbatch
// download`: one per certificate and format.
type Download struct {
	CertificateID int64
	Format        string // pem or p7b
	OrderID       int64
	Path          string // the file written
	SHA256        string // of the file's content
	At            time.Time
}

// RecordDownload records that d.CertificateID was written to d.Path in
// d.Format, replacing an earlier record of the same certificate and
// format. A zero d.At means now.
func (j *Journal) RecordDownload(d Download) error {
	op := fmt.Sprintf("record the download of certificate %d", d.CertificateID)
	return j.write(op, func() error {
		if d.At.IsZero() {
			now, err := j.Now(context.Background())
			if err != nil {
				return err
			}
			d.At = now
		}
		_, err := j.exec(`INSERT INTO downloads (certificate_id, format, order_id, path, sha256, downloaded_at) VALUES (?,?,?,?,?,?)
ON CONFLICT (certificate_id, format) DO UPDATE SET order_id=excluded.order_id, path=excluded.path, sha256=excluded.sha256, downloaded_at=excluded.downloaded_at`,
			d.CertificateID, d.Format, d.OrderID, d.Path, d.SHA256, ts(d.At))
		if err != nil {
			return j.fail(op, err)
		}
		return nil
	})
}

// DownloadOf returns the recorded download of a certificate in a format,
// or nil when there is none.
func (j *Journal) DownloadOf(certificateID int64, format string) (*Download, error) {
	op := fmt.Sprintf("look up the download of certificate %d", certificateID)
	var d Download
	var at sql.NullString
	err := j.queryRow("SELECT certificate_id, format, order_id, path, sha256, downloaded_at FROM downloads WHERE certificate_id=? AND format=?",
		certificateID, format).Scan(&d.CertificateID, &d.Format, &d.OrderID, &d.Path, &d.SHA256, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, j.fail(op, err)
	}
	if d.At, err = parseTS(at); err != nil {
		return nil, j.fail(op, err)
	}
	return &d, nil
}

// PutChain keeps the certificate chain (PEM, leaf first) that came back
// in the answer to order orderID, so it can be written later without
// another request. An empty pem or a zero certificate ID is ignored.
func (j *Journal) PutChain(orderID, certificateID int64, pem string) error {
	if certificateID == 0 || strings.TrimSpace(pem) == "" {
		return nil
	}
	op := fmt.Sprintf("keep the certificate chain of order %d", orderID)
	return j.write(op, func() error {
		now, err := j.stamp()
		if err != nil {
			return err
		}
		if _, err := j.exec("INSERT INTO certificate_chains (certificate_id, order_id, pem, received_at) VALUES (?,?,?,?)"+
			" ON CONFLICT (certificate_id) DO UPDATE SET order_id=excluded.order_id, pem=excluded.pem, received_at=excluded.received_at",
			certificateID, orderID, pem, now); err != nil {
			return j.fail(op, err)
		}
		return nil
	})
}

// Chain returns the chain kept for a certificate by PutChain, or "".
func (j *Journal) Chain(certificateID int64) (string, error) {
	var pem string
	err := j.queryRow("SELECT pem FROM certificate_chains WHERE certificate_id=?", certificateID).Scan(&pem)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil && j.d.isUndefined(err):
		return "", nil // a journal from before the table, with no chain kept yet
	case err != nil:
		return "", j.fail(fmt.Sprintf("look up the chain of certificate %d", certificateID), err)
	}
	return pem, nil
}
