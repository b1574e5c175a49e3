// Package mapping turns spreadsheet rows into CertCentral order payloads.
//
// A batch [Config] (YAML) names the default product, the column that
// identifies a person across runs, constant order fields and the column
// each order field is read from. [Compile] checks the config against the
// input's header and the product templates and returns a [Mapper], which
// maps and validates one row at a time: every problem of a row is
// reported at once, each naming the spreadsheet row, column and value.
// [Deduper] finds rows that would order the same person twice.
package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Config is a batch configuration, usually read from YAML with [LoadConfig].
type Config struct {
	// Product is the default product ID; a mapped "product" column
	// overrides it per row, and --product overrides it for the run.
	Product string `yaml:"product"`
	// Key is the header of the column that identifies a person across
	// runs (an employee ID). Empty means the primary email does.
	Key string `yaml:"key"`
	// Order holds constant order fields merged into every payload, as a
	// nested mapping (organization: {id: 112233}).
	Order map[string]any `yaml:"order"`
	// Columns maps an order field's JSON path to the spreadsheet header
	// it is read from. The special path "product" names a product column.
	Columns map[string]string `yaml:"columns"`
	// Keys says how each row's key pair comes to be: the key method
	// (link, csr, generate), the algorithm of generated keys and an
	// optional per-row method column.
	Keys *KeysConfig `yaml:"keys"`
	// Compose replaces a template's compose pattern for a field: how the
	// field is filled in from others when the row leaves it empty, e.g.
	// certificate.common_name: "{certificate.individual.last_name}
	// {certificate.individual.first_name}".
	Compose map[string]string `yaml:"compose"`
	// RenewWithin is the renewal window of `certbatch renew` and `sync`
	// ("30d"); --within overrides it. Empty means 30 days.
	RenewWithin string `yaml:"renew_within"`
}

// ConfigError is a problem with the configuration or with how it fits the
// input file. The command exits with code 2 for it.
type ConfigError struct {
	Err error
}

// Error returns the message of the underlying error.
func (e *ConfigError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

func configErrorf(format string, args ...any) error {
	return &ConfigError{Err: l10n.Errorf(format, args...)}
}

// LoadConfig reads a YAML batch configuration. Unknown keys are errors.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{Err: l10n.Errorf("read config: %w", err)}
	}
	c, err := ParseConfig(b)
	if err != nil {
		return nil, &ConfigError{Err: l10n.Errorf("config %s: %w", path, errors.Unwrap(err))}
	}
	return c, nil
}

// ParseConfig decodes a YAML batch configuration. Unknown keys are errors.
func ParseConfig(b []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, &ConfigError{Err: l10n.Errorf("parse config: %w", withKeyHints(err))}
	}
	return &c, nil
}

var (
	unknownKey     = regexp.MustCompile(`field (\S+) not found in type mapping\.Config`)
	unknownKeysKey = regexp.MustCompile(`field (\S+) not found in type mapping\.KeysConfig`)
)

// withKeyHints rewrites the YAML decoder's unknown-key errors for people:
// no Go type names, and a did-you-mean for a near miss (colums ->
// columns).
func withKeyHints(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	for i, msg := range te.Errors {
		if m := unknownKey.FindStringSubmatch(msg); m != nil {
			te.Errors[i] = strings.Replace(msg, m[0], fmt.Sprintf("unknown key %q%s; the keys are product, key, order, columns, compose and keys", m[1],
				DidYouMean(m[1], []string{"product", "key", "order", "columns", "compose", "keys"})), 1)
		}
		if m := unknownKeysKey.FindStringSubmatch(msg); m != nil {
			te.Errors[i] = strings.Replace(msg, m[0], fmt.Sprintf("unknown key %q under keys:%s; the keys there are method, algorithm and column", m[1],
				DidYouMean(m[1], []string{"method", "algorithm", "column"})), 1)
		}
	}
	return err
}
