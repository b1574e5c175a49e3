package templates

import (
	"errors"
	"fmt"
)

// KeyGeneration says whether certbatch may make a row's key pair itself
// (the key method generate: the key in software, handed over in a
// PKCS #12) for a family's products, and why not when it may not. A
// template that does not say is refused: certbatch never guesses that
// a product accepts a software key.
type KeyGeneration struct {
	// Allowed: the products take a CSR (a field of format csr) and
	// DigiCert lets the key live in software.
	Allowed bool `yaml:"allowed"`
	// Why is the reason, for people, with the DigiCert page that says so.
	Why string `yaml:"why"`
}

// GenerateRefusal returns why certbatch may not generate the key of an
// order for product, or "" when it may.
func (t *Template) GenerateRefusal(product string) string {
	if t.KeyGeneration == nil {
		return fmt.Sprintf("the %s template does not say whether DigiCert accepts a key made in software for %s, and certbatch does not guess: use the key method link or csr", t.Family, product)
	}
	if !t.KeyGeneration.Allowed {
		return t.KeyGeneration.Why
	}
	if t.CSRField(product) == nil {
		return fmt.Sprintf("DigiCert's order for %s takes no CSR, so a key made here could not be certified: use the key method link", product)
	}
	return ""
}

// CSRField returns the field that carries an order's CSR for product,
// or nil when the order takes none.
func (t *Template) CSRField(product string) *Field {
	for i := range t.Fields {
		if f := &t.Fields[i]; f.Format == FormatCSR && f.AppliesTo(product) {
			return f
		}
	}
	return nil
}

// checkKeyGeneration checks the key_generation block: allowed needs a
// CSR field, refused needs a reason.
func (t *Template) checkKeyGeneration() error {
	kg := t.KeyGeneration
	switch {
	case kg == nil:
		return nil
	case kg.Allowed && t.CSRField(t.Products[0].ID) == nil:
		return errors.New("key_generation: allowed, but no field has format csr")
	case !kg.Allowed && kg.Why == "":
		return errors.New("key_generation: not allowed, but why: is empty")
	}
	return nil
}
