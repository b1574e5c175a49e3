package keys

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
)

// Store is the folder where generated keys wait, encrypted, for their
// certificate: one age file per key (ID.age), mode 0600, in a folder of
// mode 0700. A key's clear form never touches the disk: it is encrypted
// in memory and written through a temporary file in the same folder
// (atomicfile), so a crash leaves either nothing or the whole encrypted
// file.
type Store struct {
	dir string
}

// NewStore returns the store in folder dir. The folder is created (mode
// 0700) when the first key is put, so runs that generate no key leave
// nothing behind.
func NewStore(dir string) *Store { return &Store{dir: dir} }

// ensure creates the folder when missing and makes its mode 0700: it
// is certbatch's own.
func (s *Store) ensure() error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return l10n.Errorf("key store: %w", err)
	}
	if err := os.Chmod(s.dir, 0o700); err != nil {
		return l10n.Errorf("key store: %w", err)
	}
	return nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// Path returns the file of key id.
func (s *Store) Path(id string) string { return filepath.Join(s.dir, id+".age") }

// Put encrypts key to recipients and writes it as key id. When Put
// returns nil the file and its name are on stable storage (the file and
// the folder are fsynced): only then may the key's CSR be sent.
func (s *Store) Put(id string, key crypto.Signer, recipients []age.Recipient) (string, error) {
	if len(recipients) == 0 {
		return "", l10n.Errorf("store key: no age recipient to encrypt it to")
	}
	if err := s.ensure(); err != nil {
		return "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", l10n.Errorf("store key %s: %w", id, err)
	}
	defer clear(der) // best effort: Go may have copied it elsewhere
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, recipients...)
	if err != nil {
		return "", l10n.Errorf("store key %s: %w", id, err)
	}
	if _, err := w.Write(der); err != nil {
		return "", l10n.Errorf("store key %s: %w", id, err)
	}
	if err := w.Close(); err != nil {
		return "", l10n.Errorf("store key %s: %w", id, err)
	}
	path := s.Path(id)
	if err := atomicfile.WriteFile(path, buf.Bytes()); err != nil {
		return "", l10n.Errorf("store key %s: %w", id, err)
	}
	if err := syncDir(s.dir); err != nil {
		return "", l10n.Errorf("store key %s: %w", id, err)
	}
	return path, nil
}

// Exists reports whether the file of a stored key is there.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// ErrNoIdentity means a stored key cannot be decrypted with the
// identities given: it was encrypted to another recipient.
var ErrNoIdentity = l10n.Errorf("no identity given can decrypt it")

// Open decrypts the key stored at path with identities.
func Open(path string, identities []age.Identity) (crypto.Signer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, l10n.Errorf("open key %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	r, err := age.Decrypt(f, identities...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, l10n.Errorf("open key %s: %w", filepath.Base(path), ErrNoIdentity)
		}
		return nil, l10n.Errorf("open key %s: %w", filepath.Base(path), err)
	}
	der, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return nil, l10n.Errorf("open key %s: %w", filepath.Base(path), err)
	}
	defer clear(der)
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, l10n.Errorf("open key %s: %w", filepath.Base(path), err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, l10n.Errorf("open key %s: not a signing key", filepath.Base(path))
	}
	return signer, nil
}

// Destroy removes a stored key and makes the removal durable. A key
// already gone is not an error. The file only ever held ciphertext, so
// removing it (rather than overwriting it, which journaling file systems
// and SSDs do not honour anyway) is what destroying it means.
func Destroy(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return l10n.Errorf("destroy key %s: %w", filepath.Base(path), err)
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes the names in dir durable (a rename or a removal).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return l10n.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// ParseRecipients reads age recipients (age1...) from flag values: each
// may hold several, separated by commas or spaces. Nothing else (no SSH
// keys, no plugins) is accepted.
func ParseRecipients(values []string) ([]age.Recipient, error) {
	var lines []string
	for _, v := range values {
		lines = append(lines, strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })...)
	}
	if len(lines) == 0 {
		return nil, nil
	}
	rs, err := age.ParseRecipients(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		return nil, l10n.Errorf("age recipient: %w (want age1...)", err)
	}
	return rs, nil
}

// RecipientText is recipients as the journal records them: public keys,
// comma-separated.
func RecipientText(rs []age.Recipient) string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		if s, ok := r.(fmt.Stringer); ok {
			out = append(out, s.String())
		}
	}
	return strings.Join(out, ",")
}

// LoadIdentities reads an age identity file (AGE-SECRET-KEY-1... lines).
func LoadIdentities(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, l10n.Errorf("age identity: %w", err)
	}
	defer f.Close()
	ids, err := age.ParseIdentities(f)
	if err != nil {
		return nil, l10n.Errorf("age identity %s: %w", path, err)
	}
	return ids, nil
}

// DefaultIdentity returns the identity in path, generating it (mode
// 0600, never over an existing file) when there is none: the at-rest
// key of an admin who named no recipient. created tells whether it was
// made now.
func DefaultIdentity(path string) (id *age.X25519Identity, created bool, err error) {
	if ids, err := LoadIdentities(path); err == nil {
		for _, i := range ids {
			if x, ok := i.(*age.X25519Identity); ok {
				return x, false, nil
			}
		}
		return nil, false, l10n.Errorf("age identity %s: no X25519 identity in it", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	x, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, false, l10n.Errorf("age identity: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, l10n.Errorf("age identity: %w", err)
	}
	text := "# certbatch's key for the generated private keys waiting in " + filepath.Base(path) + "'s journal folder\n" +
		"# public key: " + x.Recipient().String() + "\n" + x.String() + "\n"
	// Written beside, then linked: never over an identity another run
	// made meanwhile (a link fails when the name exists).
	f, err := atomicfile.Create(path + ".new")
	if err != nil {
		return nil, false, l10n.Errorf("age identity: %w", err)
	}
	defer f.Abort()
	if _, err := f.WriteString(text); err != nil {
		return nil, false, l10n.Errorf("age identity: %w", err)
	}
	if err := f.Commit(); err != nil {
		return nil, false, l10n.Errorf("age identity: %w", err)
	}
	defer os.Remove(path + ".new")
	if err := os.Link(path+".new", path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return DefaultIdentity(path)
		}
		return nil, false, l10n.Errorf("age identity: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, false, l10n.Errorf("age identity: %w", err)
	}
	return x, true, nil
}
