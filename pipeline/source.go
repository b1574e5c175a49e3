package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/certbatch/certbatch/input"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/templates"
)

// Source says what to read and how to map it; validate and submit share it.
type Source struct {
	Input     string        // input file path
	Read      input.Options // sheet and encoding
	Config    *mapping.Config
	Templates *templates.Set
	Product   string           // --product override
	Workers   int              // mapping goroutines; 0 means GOMAXPROCS
	Now       func() time.Time // clock for date rules; nil means time.Now
	// RowCheck, when set, is run on every mapped row and may add
	// problems (the account pre-flight's [AccountReport.Check]).
	RowCheck func(*mapping.Result)
}

// checkOutputs refuses output paths that would overwrite the input.
func (s *Source) checkOutputs(paths ...string) error {
	in, err := filepath.Abs(s.Input)
	if err != nil {
		return &InputError{Err: err}
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if abs, err := filepath.Abs(p); err == nil && abs == in {
			return &InputError{Err: fmt.Errorf("the output %s is the input file: choose another -o or --payloads", p)}
		}
	}
	return nil
}

// Check opens the input and compiles the mapping against its header,
// reading no rows: configuration mistakes surface before anything else
// (a journal, a connection) is touched.
func (s *Source) Check() error {
	rd, _, err := s.open()
	if err != nil {
		return err
	}
	return rd.Close()
}

// open opens the input and compiles the mapping against its header.
func (s *Source) open() (input.Reader, *mapping.Mapper, error) {
	rd, err := input.Open(s.Input, s.Read)
	if err != nil {
		return nil, nil, &InputError{Err: err}
	}
	rd = withoutResultColumns(rd)
	m, err := mapping.Compile(s.Config, rd.Header(), s.Templates, mapping.Options{Product: s.Product, Now: s.Now})
	if err != nil {
		rd.Close()
		return nil, nil, err
	}
	if s.RowCheck != nil {
		m.SetCheck(s.RowCheck)
	}
	return rd, m, nil
}

// InputError means the input file could not be opened or read. The
// command exits with code 2 for it.
type InputError struct{ Err error }

// Error returns the message of the underlying error.
func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// DefaultOutput returns the results path used when -o is not given:
// "<input name>.results.xlsx" beside the input.
func DefaultOutput(in string) string {
	ext := filepath.Ext(in)
	return strings.TrimSuffix(in, ext) + ".results.xlsx"
}

// OutputError means a results or payloads file could not be written.
type OutputError struct{ Err error }

// Error returns the message of the underlying error.
func (e *OutputError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *OutputError) Unwrap() error { return e.Err }

// withoutResultColumns lets a results file serve as an input: its result
// columns are dropped, so a re-run of last run's results (to retry its
// failed rows) writes results with the original columns, once.
func withoutResultColumns(rd input.Reader) input.Reader {
	h := rd.Header()
	n := len(h) - len(results.Columns)
	if n < 1 || !slices.Equal(h[n:], results.Columns) {
		return rd
	}
	return &trimmedReader{Reader: rd, n: n}
}

type trimmedReader struct {
	input.Reader
	n int
}

func (t *trimmedReader) Header() []string { return t.Reader.Header()[:t.n] }

func (t *trimmedReader) Next() (input.Row, error) {
	r, err := t.Reader.Next()
	if err == nil {
		r.Cells = r.Cells[:t.n]
	}
	return r, err
}
