package pipeline

import (
	"crypto/rand"

	"filippo.io/age"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/testhook"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/keys"
	"github.com/certbatch/certbatch/mapping"
)

// KeyVault is where the keys of rows with the key method generate go:
// the folder of encrypted keys and the age recipients they are
// encrypted to.
type KeyVault struct {
	Store *keys.Store
	// Recipients returns the recipients keys are encrypted to. It is
	// called when the first key is made (it may create the default
	// identity), and must be safe for concurrent use.
	Recipients func() ([]age.Recipient, error)
}

// KeyError means a generated key could not be stored or recorded: the
// run stops, because an order must never be sent without its key safely
// on disk.
type KeyError struct{ Err error }

// Error returns the message of the underlying error.
func (e *KeyError) Error() string { return "generated key: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *KeyError) Unwrap() error { return e.Err }

// Steps of a generated key that end-to-end tests stop a run at
// (internal/testhook).
const (
	StepKeyReserved = "key-reserved" // the journal knows the key; its file is not written yet
	StepKeyStored   = "key-stored"   // the encrypted key is on disk; no intent yet
	StepIntent      = "intent"       // the intent is journaled; the request is not sent yet
)

// orderBody returns the body to send for row r and, for a row whose key
// certbatch generates, the key's ID: the person's key that no order
// carries yet when there is one (a crash or a failed attempt came
// between storing it and an order), else a new key, stored encrypted and
// durable before this returns. The key's CSR goes into the body.
func (s *submitter) orderBody(r *mapping.Result) ([]byte, string, error) {
	if r.KeyMethod != mapping.KeyGenerate {
		return r.Payload, "", nil
	}
	if s.o.Keys == nil || s.o.Keys.Store == nil {
		return nil, "", &KeyError{Err: l10n.Errorf("no key folder: the key method generate needs one")}
	}
	j := s.o.Journal
	person := journal.Person{ProductKey: r.ProductKey, Email: r.Email, Key: r.PersonKey}
	for {
		k, err := j.UnsentKey(person)
		if err != nil {
			return nil, "", &JournalError{Err: err}
		}
		if k == nil {
			break
		}
		if keys.Exists(k.Path) && k.CSR != "" {
			body, err := r.PayloadWithCSR(k.CSR)
			if err != nil {
				return nil, "", &KeyError{Err: err}
			}
			return body, k.ID, nil
		}
		// Reserved, then the run stopped before the file was written:
		// nothing was sent with it.
		if err := j.DropKey(k.ID); err != nil {
			return nil, "", &JournalError{Err: err}
		}
	}
	return s.newKey(r)
}

// newKey makes, records and stores a key for r. Order matters: the
// journal learns of the key (and its file's name) first, then the
// encrypted file is written and synced; only then may its CSR be sent.
func (s *submitter) newKey(r *mapping.Result) ([]byte, string, error) {
	rs, err := s.o.Keys.Recipients()
	if err != nil {
		return nil, "", &KeyError{Err: err}
	}
	signer, err := keys.Generate(r.KeyAlgorithm)
	if err != nil {
		return nil, "", &KeyError{Err: err}
	}
	csr, err := keys.CSR(signer, r.CSRSubject)
	if err != nil {
		return nil, "", &KeyError{Err: err}
	}
	body, err := r.PayloadWithCSR(csr)
	if err != nil {
		return nil, "", &KeyError{Err: err}
	}
	fp, err := keys.Fingerprint(signer.Public())
	if err != nil {
		return nil, "", &KeyError{Err: err}
	}
	id := "k" + rand.Text()
	rec := journal.GeneratedKey{ID: id, ProductKey: r.ProductKey, Email: r.Email, PersonKey: r.PersonKey, Algorithm: string(r.KeyAlgorithm),
		Fingerprint: fp, Path: s.o.Keys.Store.Path(id), Recipients: keys.RecipientText(rs), CSR: csr}
	if err := s.o.Journal.ReserveKey(rec); err != nil {
		return nil, "", &JournalError{Err: err}
	}
	testhook.Reach(StepKeyReserved)
	if _, err := s.o.Keys.Store.Put(id, signer, rs); err != nil {
		return nil, "", &KeyError{Err: l10n.Errorf("row %d: %w", r.Row, err)}
	}
	testhook.Reach(StepKeyStored)
	return body, id, nil
}
