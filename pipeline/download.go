package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// Download formats of `certbatch download --format`.
const (
	FormatPEM = "pem" // leaf, intermediates and root (pem_all)
	FormatP7B = "p7b" // PKCS #7 bundle
)

// DownloadOptions configure [DownloadCertificates].
type DownloadOptions struct {
	Client *certcentral.Client
	// Journal, when not nil, records every download and supplies the
	// chains kept from orders issued at once.
	Journal     *journal.Journal
	Dir         string // the directory the files go into (created 0700 when missing)
	Format      string // FormatPEM (default) or FormatP7B
	Concurrency int    // requests in flight; 0 means 4
	// Who names a row's person for its file name (email or key); nil or
	// "" leaves the name at the row number.
	Who func(*order.Result) string
	// Handover, when set (with Journal), hands over the keys certbatch
	// generated: a .p12 per person beside the certificate.
	Handover *Handover
	// Lang is the language of messages, notes and the results file
	// (zero: English).
	Lang l10n.Printer
}

// DownloadState is what happened to one row's certificate.
type DownloadState string

// Download states.
const (
	Written   DownloadState = "written"    // the file was written
	AlreadyIn DownloadState = "already"    // the file holds this certificate already
	Conflict  DownloadState = "conflict"   // the file holds another certificate: left alone
	NotIssued DownloadState = "not_issued" // the order is not issued (yet)
	NotGot    DownloadState = "failed"     // the download failed
)

// DownloadItem is one ordered row and its certificate file.
type DownloadItem struct {
	Row     int
	OrderID int64
	Status  string // the order status
	File    string // path of the row's file
	State   DownloadState
	Error   string
	// FromAnswer is true when the certificate came from the order's own
	// answer (issued at once), without a download request.
	FromAnswer bool
	// P12 is the row's .p12 file when certbatch generated its key,
	// P12State what became of it and P12Error why, when it was not
	// written.
	P12      string
	P12State P12State
	P12Error string
	body     []byte // the certificate file's content (PEM only)
}

// Waiting reports whether the item's order may still be issued.
func (d *DownloadItem) Waiting() bool { return d.State == NotIssued && !order.IsFinal(d.Status) }

// CertFileName is a row's certificate file name: "row-0007_" and the
// person's email or key made safe (ASCII letters, digits and @._+-; any
// other character becomes _), at most 80 characters of it, then the
// format's extension; never a path separator or a leading dot.
func CertFileName(row int, who, ext string) string {
	var b strings.Builder
	for _, r := range who {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("@._+-", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := b.String()
	if len(s) > 80 {
		s = s[:80]
	}
	s = strings.Trim(s, "._-")
	name := fmt.Sprintf("row-%04d", max(row, 0))
	if s != "" {
		name += "_" + s
	}
	return name + "." + ext
}

// DownloadCertificates writes the certificate of every row of recs whose
// order is issued into its own file in o.Dir (see [CertFileName]),
// atomically and mode 0600. A file already holding the same certificate
// is left as it is (AlreadyIn); one holding anything else is never
// overwritten (Conflict). Rows issued at once whose chain the journal
// kept are written without a request (PEM only). Each row written or
// found is noted in its error text ("downloaded: FILE") and the journal.
// Rows without an order are left out; rows whose order is not issued are
// items in state NotIssued. recs' statuses should be fresh (see
// [RefreshStatus]). Errors that concern the run (the directory, a
// refused key, the journal) are returned.
func DownloadCertificates(ctx context.Context, o DownloadOptions, recs []order.Result) ([]DownloadItem, error) {
	if o.Format == "" {
		o.Format = FormatPEM
	}
	apiFormat := map[string]string{FormatPEM: certcentral.FormatPEMAll, FormatP7B: certcentral.FormatP7B}[o.Format]
	if apiFormat == "" {
		return nil, l10n.Errorf("download: format %q: want pem or p7b", o.Format)
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, &OutputError{Err: l10n.Errorf("download: %w", err)}
	}
	workers := o.Concurrency
	if workers <= 0 {
		workers = 4
	}
	var items []DownloadItem
	var idx []int // items[k] is recs[idx[k]]
	for i := range recs {
		r := &recs[i]
		if r.OrderID == 0 || (r.Outcome != order.Ordered && r.Outcome != order.Skipped) {
			continue
		}
		who := ""
		if o.Who != nil {
			who = o.Who(r)
		}
		it := DownloadItem{Row: r.Row, OrderID: r.OrderID, Status: r.OrderStatus,
			File: filepath.Join(o.Dir, CertFileName(r.Row, who, o.Format))}
		if r.OrderStatus != "issued" || r.CertificateID == 0 {
			it.State = NotIssued
		}
		items = append(items, it)
		idx = append(idx, i)
	}
	var (
		mu       sync.Mutex
		firstErr error
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for k := range items {
		it, r := &items[k], &recs[idx[k]]
		if it.State == NotIssued {
			continue
		}
		g.Go(func() error {
			err := fetchOne(gctx, o, apiFormat, r, it)
			if errors.Is(err, certcentral.ErrAuth) {
				return err
			}
			if err != nil {
				mu.Lock()
				firstErr = cmpErr(firstErr, err)
				mu.Unlock()
			}
			if it.State == Written || it.State == AlreadyIn {
				r.Note = noteDownloaded(o.Lang, r.Note, filepath.Base(it.File))
				if err := handOver(gctx, o, r, it, it.body); err != nil {
					return err
				}
				if it.P12State == P12Written || it.P12State == P12Already {
					r.Note = noteP12(r.Note, filepath.Base(it.P12))
				}
			}
			it.body = nil
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		if errors.Is(err, certcentral.ErrAuth) {
			return items, l10n.Errorf("download: %w", err)
		}
		return items, err
	}
	return items, firstErr
}

// fetchOne gets one row's certificate into its file; it returns only
// errors that concern the run (the journal, a refused key).
func fetchOne(ctx context.Context, o DownloadOptions, apiFormat string, r *order.Result, it *DownloadItem) error {
	var body []byte
	if o.Format == FormatPEM && o.Journal != nil {
		pem, err := o.Journal.Chain(r.CertificateID)
		if err != nil {
			return &JournalError{Err: err}
		}
		body, it.FromAnswer = []byte(pem), pem != ""
	}
	if len(body) == 0 {
		b, err := o.Client.Download(ctx, r.CertificateID, apiFormat)
		if err != nil {
			it.State, it.Error = NotGot, o.Lang.Error(err)
			if errors.Is(err, certcentral.ErrAuth) {
				return err
			}
			return nil
		}
		body = b
	}
	if o.Format == FormatPEM {
		it.body = body
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	old, err := os.ReadFile(it.File)
	switch {
	case err == nil && bytes.Equal(old, body):
		it.State = AlreadyIn
	case err == nil:
		it.State = Conflict
		it.Error = o.Lang.Sprintf("%s already holds another certificate: left as it is (move it away to download this one)", it.File)
		return nil
	case errors.Is(err, fs.ErrNotExist):
		if err := atomicfile.WriteFile(it.File, body); err != nil {
			it.State, it.Error = NotGot, o.Lang.Sprintf("write: %s", o.Lang.Error(err))
			return nil
		}
		it.State = Written
	default:
		it.State, it.Error = NotGot, o.Lang.Sprintf("read: %s", o.Lang.Error(err))
		return nil
	}
	if o.Journal != nil {
		if err := o.Journal.RecordDownload(journal.Download{CertificateID: r.CertificateID, Format: o.Format, OrderID: r.OrderID,
			Path: it.File, SHA256: hash}); err != nil {
			return &JournalError{Err: err}
		}
	}
	return nil
}

// noteDownloaded puts "downloaded: FILE" into a row's note, replacing an
// earlier such note and keeping any other.
// The note is in p's language; one written in any language is replaced.
func noteDownloaded(p l10n.Printer, text, file string) string {
	return replaceNote(text, "downloaded: %s", p.Sprintf("downloaded: %s", file))
}

// replaceNote returns text (notes joined by "; ") without the notes that
// key (a message of the catalog of one %s) wrote in any language, and
// with note after the others.
func replaceNote(text, key, note string) string {
	var prefixes []string
	for _, t := range l10n.Texts(key) {
		if pre, _, ok := strings.Cut(t, "%s"); ok && pre != "" {
			prefixes = append(prefixes, pre)
		}
	}
	var keep []string
	for _, n := range strings.Split(text, "; ") {
		if n != "" && !slices.ContainsFunc(prefixes, func(pre string) bool { return strings.HasPrefix(n, pre) }) {
			keep = append(keep, n)
		}
	}
	return strings.Join(append(keep, note), "; ")
}

// noteP12 puts "p12: FILE" after the download note (never the password).
func noteP12(text, file string) string {
	return replaceNote(text, "p12: %s", fmt.Sprintf("p12: %s", file))
}
