package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"filippo.io/age"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/testhook"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/keys"
	"github.com/certbatch/certbatch/order"
)

// Handover hands each generated key over once its certificate is
// issued: a PKCS #12 beside the certificate (row-0007_jane@x.p12) with
// the key, the certificate and the chain, protected by a fresh password
// written to Passwords; then the key's encrypted copy is destroyed,
// unless Escrow asks to keep one for the admin.
type Handover struct {
	// Identities decrypt the stored keys (the age identity of the
	// recipients they were encrypted to).
	Identities []age.Identity
	// Encoding is keys.Modern (default) or keys.Legacy.
	Encoding  string
	Passwords *PasswordBook
	// Escrow, when not empty, are age recipients an escrow copy of each
	// key is encrypted to, in EscrowDir, before its working copy is
	// destroyed. Only for encryption keys, with the person's consent
	// (S/MIME BR §6.1.2).
	Escrow    []age.Recipient
	EscrowDir string
}

// P12State is what happened to a row's .p12.
type P12State string

// .p12 states of a download item ("" for rows whose key certbatch did
// not make).
const (
	P12Written  P12State = "written"  // the .p12 and its password were written
	P12Already  P12State = "already"  // handed over in an earlier run; the file is there
	P12Gone     P12State = "gone"     // handed over earlier; the file was moved away and the key destroyed then
	P12Mismatch P12State = "mismatch" // the certificate does not carry certbatch's key
	P12Lost     P12State = "lost"     // the encrypted key file is missing
	P12Locked   P12State = "locked"   // no identity given can decrypt the key
	P12Conflict P12State = "conflict" // another file is where the .p12 goes
	P12Failed   P12State = "failed"   // writing failed
)

// Steps of a hand-over that end-to-end tests stop a run at.
const (
	StepHandover        = "handover"         // the journal knows the .p12's hash; nothing written yet
	StepPasswordWritten = "password-written" // the password is on disk; the .p12 is not
	StepP12Written      = "p12-written"      // the .p12 is on disk; the journal does not say delivered
	StepDelivered       = "delivered"        // delivered; the encrypted key is not destroyed yet
)

// handOver makes row r's .p12 when its order carries a key certbatch
// generated. chainPEM is the certificate and its chain (pem_all), or nil
// to fetch it. It returns only errors that concern the run.
func handOver(ctx context.Context, o DownloadOptions, r *order.Result, it *DownloadItem, chainPEM []byte) error {
	h, j := o.Handover, o.Journal
	if h == nil || j == nil {
		return nil
	}
	k, err := j.KeyOfOrder(r.OrderID)
	if err != nil {
		return &JournalError{Err: err}
	}
	if chainPEM == nil && k != nil && k.State != journal.KeyDelivered {
		b, err := o.Client.Download(ctx, r.CertificateID, certcentral.FormatPEMAll)
		if err != nil {
			it.P12State, it.P12Error = P12Failed, o.Lang.Error(err)
			if errors.Is(err, certcentral.ErrAuth) {
				return err
			}
			return nil
		}
		chainPEM = b
	}
	certs := parseCerts(chainPEM)
	if k == nil && len(certs) > 0 {
		// The order was adopted from DigiCert without its intent's key
		// record (or placed by an earlier run): its public key says.
		fp, err := keys.Fingerprint(certs[0].PublicKey)
		if err == nil {
			if k, err = j.KeyByFingerprint(fp); err != nil {
				return &JournalError{Err: err}
			}
		}
	}
	if k == nil {
		return nil // not a key certbatch made: the person holds it
	}
	who := ""
	if o.Who != nil {
		who = o.Who(r)
	}
	it.P12 = filepath.Join(o.Dir, CertFileName(r.Row, who, "p12"))
	if k.State == journal.KeyDelivered {
		return finishDelivered(o.Lang, j, k, it)
	}
	if len(certs) == 0 {
		it.P12State, it.P12Error = P12Failed, o.Lang.Sprintf("the download holds no certificate")
		return nil
	}
	if fp, _ := keys.Fingerprint(certs[0].PublicKey); fp != k.Fingerprint {
		it.P12State = P12Mismatch
		it.P12Error = o.Lang.Sprintf("the certificate of order %d does not carry the key certbatch generated for this person (was the order placed elsewhere?): no .p12; the key stays in %s", r.OrderID, k.Path)
		return nil
	}
	if !keys.Exists(k.Path) {
		it.P12State = P12Lost
		it.P12Error = o.Lang.Sprintf("the encrypted key %s is missing: no .p12 can be made; revoke the certificate of order %d and order again", k.Path, r.OrderID)
		return nil
	}
	signer, err := keys.Open(k.Path, h.Identities)
	if err != nil {
		it.P12State = P12Locked
		it.P12Error = o.Lang.Sprintf("%v (it is encrypted to %s): pass the matching --key-identity FILE", err, k.Recipients)
		return nil
	}
	password, err := keys.Password()
	if err != nil {
		return err
	}
	pfx, err := keys.EncodeP12(signer, certs[0], certs[1:], password, h.Encoding)
	if err != nil {
		it.P12State, it.P12Error = P12Failed, o.Lang.Error(err)
		return nil
	}
	sum := sha256.Sum256(pfx)
	hash := hex.EncodeToString(sum[:])
	if old, err := os.ReadFile(it.P12); err == nil {
		// Only certbatch's own unfinished .p12 of this key is replaced.
		oldSum := sha256.Sum256(old)
		if k.State != journal.KeyHanding || k.P12Path != it.P12 || hex.EncodeToString(oldSum[:]) != k.P12SHA256 {
			it.P12State = P12Conflict
			it.P12Error = o.Lang.Sprintf("%s already holds another file: left as it is (move it away to hand this key over)", it.P12)
			return nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		it.P12State, it.P12Error = P12Failed, o.Lang.Sprintf("read: %s", o.Lang.Error(err))
		return nil
	}
	if err := j.BeginHandover(k.ID, it.P12, hash); err != nil {
		return &JournalError{Err: err}
	}
	testhook.Reach(StepHandover)
	if err := h.Passwords.Add(r.Row, who, filepath.Base(it.P12), password); err != nil {
		return err
	}
	testhook.Reach(StepPasswordWritten)
	if err := atomicfile.WriteFile(it.P12, pfx); err != nil {
		it.P12State, it.P12Error = P12Failed, o.Lang.Sprintf("write: %s", o.Lang.Error(err))
		return nil
	}
	testhook.Reach(StepP12Written)
	escrow := ""
	if len(h.Escrow) > 0 {
		var err error
		if escrow, err = keys.NewStore(h.EscrowDir).Put(k.ID, signer, h.Escrow); err != nil {
			return err
		}
	}
	if err := j.KeyDelivered(k.ID, escrow); err != nil {
		return &JournalError{Err: err}
	}
	testhook.Reach(StepDelivered)
	it.P12State = P12Written
	return finishDelivered(o.Lang, j, k, it)
}

// finishDelivered destroys the working copy of a key already handed
// over (a run stopped between the two), and says where its .p12 is.
func finishDelivered(p l10n.Printer, j *journal.Journal, k *journal.GeneratedKey, it *DownloadItem) error {
	if k.DestroyedAt.IsZero() {
		if err := keys.Destroy(k.Path); err != nil {
			return err
		}
		if err := j.KeyDestroyed(k.ID); err != nil {
			return &JournalError{Err: err}
		}
	}
	if it.P12State == "" {
		it.P12 = k.P12Path
		if _, err := os.Stat(k.P12Path); err == nil {
			it.P12State = P12Already
		} else {
			it.P12State = P12Gone
			it.P12Error = p.Sprintf("handed over on %s as %s; the key was destroyed then (no second .p12 can be made)", k.DeliveredAt.Format("2006-01-02"), k.P12Path)
		}
	}
	return nil
}

// parseCerts reads the PEM certificates of a pem_all download: leaf
// first, then the chain.
func parseCerts(b []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(bytes.TrimSpace(b))
		if blk == nil {
			return out
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return out
		}
		out = append(out, c)
	}
}
