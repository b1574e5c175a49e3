package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"sync"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/keys"
	"github.com/certbatch/certbatch/pipeline"
)

// keyPaths returns where a journal's generated keys live: the folder of
// encrypted keys (JOURNAL.keys, beside the journal, mode 0700) and the
// default age identity (JOURNAL.age-identity, mode 0600) used when the
// admin names no recipient. A shared (PostgreSQL) journal's keys stay on
// the host that made them, in its state directory.
func keyPaths(sio IO, jp journalLoc) (dir, identity string, err error) {
	base := strings.TrimSuffix(string(jp), ".db")
	if jp.shared() {
		// A shared journal has no folder: keys stay on the host that made
		// them, in its state directory, under a name of the database's
		// (its redacted URL's hash: never the password).
		sd, err := stateDir(sio)
		if err != nil {
			return "", "", err
		}
		sum := sha256.Sum256([]byte(jp.String()))
		base = filepath.Join(sd, "shared-"+hex.EncodeToString(sum[:6]))
	}
	return base + ".keys", base + ".age-identity", nil
}

// recipientFlags are submit's flags for where generated keys are
// encrypted to.
type recipientFlags struct {
	recipients []string
}

func (k *recipientFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&k.recipients, "key-recipient", nil,
		"age `RECIPIENT` (age1...) the generated private keys are encrypted to while they wait for their certificate (repeatable; default $CERTBATCH_KEY_RECIPIENT, else an identity made once beside the journal)")
}

// vault returns the key folder of the journal at jp and the recipients
// its keys are encrypted to: --key-recipient, $CERTBATCH_KEY_RECIPIENT,
// else the default identity's (made on first need, mode 0600).
func (k *recipientFlags) vault(sio IO, jp journalLoc, log func(string)) (*pipeline.KeyVault, error) {
	p := sio.P()
	vals := k.recipients
	if len(vals) == 0 && sio.Getenv("CERTBATCH_KEY_RECIPIENT") != "" {
		vals = []string{sio.Getenv("CERTBATCH_KEY_RECIPIENT")}
	}
	explicit, err := keys.ParseRecipients(vals)
	if err != nil {
		return nil, usageErrorf("--key-recipient: %v", err)
	}
	dir, idPath, pathErr := keyPaths(sio, jp)
	var (
		once sync.Once
		rs   []age.Recipient
		rerr error
	)
	recipients := func() ([]age.Recipient, error) {
		once.Do(func() {
			if pathErr != nil { // only a run that generates keys needs the folder
				rerr = l10n.Errorf("no folder for generated keys: %w", pathErr)
				return
			}
			if len(explicit) > 0 {
				rs = explicit
				return
			}
			id, created, err := keys.DefaultIdentity(idPath)
			if err != nil {
				rerr = err
				return
			}
			if created && log != nil {
				log(p.Sprintf("certbatch: made the age identity %s (mode 0600): the generated keys are encrypted to it until handed over; keep it, or pass --key-recipient", idPath))
			}
			rs = []age.Recipient{id.Recipient()}
		})
		return rs, rerr
	}
	return &pipeline.KeyVault{Store: keys.NewStore(dir), Recipients: recipients}, nil
}

// handoverFlags are the flags of download and status --download for the
// .p12 hand-over of generated keys.
type handoverFlags struct {
	identities []string
	passwords  string
	legacy     bool
	escrow     []string
}

func (h *handoverFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&h.identities, "key-identity", nil, "age identity `FILE` that decrypts the generated keys (repeatable; default $CERTBATCH_KEY_IDENTITY, else the identity beside the journal)")
	f.StringVar(&h.passwords, "passwords", "", "write the .p12 passwords to `FILE`, for another channel than the .p12 files (default: DIR.passwords.csv beside DIR; never inside DIR)")
	f.BoolVar(&h.legacy, "p12-legacy", false, "encrypt .p12 files with 3DES/SHA-1 for old importers (Windows Server 2016, macOS 10.15) instead of AES-256/PBKDF2; weaker: only when needed")
	f.StringArrayVar(&h.escrow, "escrow", nil, "keep an escrow copy of each handed-over key encrypted to age `RECIPIENT` (only for encryption keys, with the person's consent: see the README)")
}

// handover returns the hand-over of generated keys for a download into
// dir with the journal at jp, and the passwords book to close after it.
func (h *handoverFlags) handover(sio IO, jp journalLoc, dir string) (*pipeline.Handover, error) {
	files := h.identities
	if len(files) == 0 {
		if v := sio.Getenv("CERTBATCH_KEY_IDENTITY"); v != "" {
			files = []string{v}
		}
	}
	keyDir, idPath, err := keyPaths(sio, jp)
	if err != nil && h.escrow != nil {
		return nil, err // the escrow copies go in the key folder
	}
	if len(files) == 0 && idPath != "" && fileExists(idPath) {
		files = []string{idPath}
	}
	var ids []age.Identity
	for _, f := range files {
		got, err := keys.LoadIdentities(f)
		if err != nil {
			return nil, usageErrorf("--key-identity: %v", err)
		}
		ids = append(ids, got...)
	}
	escrow, err := keys.ParseRecipients(h.escrow)
	if err != nil {
		return nil, usageErrorf("--escrow: %v", err)
	}
	pw := h.passwords
	if pw == "" {
		pw = filepath.Clean(dir) + ".passwords.csv"
	}
	if inside(pw, dir) {
		return nil, usageErrorf("--passwords %s is inside %s: the passwords must travel apart from the .p12 files; choose a file elsewhere", pw, dir)
	}
	enc := keys.Modern
	if h.legacy {
		enc = keys.Legacy
	}
	return &pipeline.Handover{Identities: ids, Encoding: enc, Passwords: pipeline.NewPasswordBook(pw),
		Escrow: escrow, EscrowDir: filepath.Join(keyDir, "escrow")}, nil
}

// inside reports whether path is in folder dir (at any depth).
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
