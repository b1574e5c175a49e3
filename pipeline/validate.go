package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/input"
	"github.com/certbatch/certbatch/internal/atomicfile"
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

// ValidateOptions configure a dry run.
type ValidateOptions struct {
	Source
	Output   string // results file (.xlsx or .csv); "" means DefaultOutput
	Payloads string // optional JSON Lines file of the bodies that would be sent
	Progress Progress
	Log      *slog.Logger
	// MaxShown bounds how many problem rows are listed in the summary.
	MaxShown int
}

// Summary describes a finished run.
type Summary struct {
	Output    string
	Rows      int
	ByOutcome map[string]int
	ByProduct map[string]map[string]int // product -> outcome -> rows
	Shown     []string                  // the first problem rows, for the terminal
	Batch     string                    // journal batch ID (submit)
}

func newSummary() *Summary {
	return &Summary{ByOutcome: map[string]int{}, ByProduct: map[string]map[string]int{}}
}

func (s *Summary) count(product, outcome string) {
	s.Rows++
	s.ByOutcome[outcome]++
	if product == "" {
		product = "(none)"
	}
	if s.ByProduct[product] == nil {
		s.ByProduct[product] = map[string]int{}
	}
	s.ByProduct[product][outcome]++
}

// Validate runs the dry run: it reads, maps and validates every row and
// writes the results file (and the payloads file if asked). It sends
// nothing. Invalid rows are data in the summary, not an error.
func Validate(ctx context.Context, o ValidateOptions) (*Summary, error) {
	if o.Output == "" {
		o.Output = DefaultOutput(o.Input)
	}
	if err := o.checkOutputs(o.Output, o.Payloads); err != nil {
		return nil, err
	}
	rd, m, err := o.Source.open()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if o.Progress == nil {
		o.Progress = NopProgress{}
	}
	if o.MaxShown == 0 {
		o.MaxShown = 20
	}
	w, err := results.Create(o.Output, rd.Header())
	if err != nil {
		return nil, &OutputError{Err: err}
	}
	defer w.Abort()
	var pw *payloadWriter
	if o.Payloads != "" {
		if pw, err = newPayloadWriter(o.Payloads); err != nil {
			return nil, &OutputError{Err: err}
		}
		defer pw.abort()
	}
	sum := newSummary()
	sum.Output = o.Output
	o.Progress.Start(-1)
	err = mapRows(ctx, rd, m, o.Workers, pw != nil, func(it *item) error {
		rec := results.Record{Row: it.res.Row, Input: it.cells, Product: it.res.Product, Outcome: results.Valid}
		if !it.res.Valid() {
			rec.Outcome = results.Invalid
			rec.Error = it.res.ErrorText()
			if len(sum.Shown) < o.MaxShown {
				sum.Shown = append(sum.Shown, fmt.Sprintf("row %d: %s", it.res.Row, rec.Error))
			}
		} else if pw != nil {
			if err := pw.write(it.res.Row, it.res.Product, it.res.Payload); err != nil {
				return &OutputError{Err: err}
			}
		}
		sum.count(rec.Product, rec.Outcome)
		if err := w.Write(rec); err != nil {
			return &OutputError{Err: err}
		}
		o.Progress.Add(1)
		return nil
	})
	o.Progress.Finish()
	if err != nil {
		return nil, err
	}
	if pw != nil {
		if err := pw.commit(); err != nil {
			return nil, &OutputError{Err: err}
		}
	}
	if err := w.Commit(); err != nil {
		return nil, &OutputError{Err: err}
	}
	return sum, nil
}

// OutputError means a results or payloads file could not be written.
type OutputError struct{ Err error }

// Error returns the message of the underlying error.
func (e *OutputError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *OutputError) Unwrap() error { return e.Err }

// payloadWriter writes {"row":N,"product":"...","payload":{...}} lines.
type payloadWriter struct {
	f   *atomicfile.File
	buf *bufio.Writer
	tmp []byte
}

func newPayloadWriter(path string) (*payloadWriter, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	return &payloadWriter{f: f, buf: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (p *payloadWriter) write(row int, product string, payload []byte) error {
	b := p.tmp[:0]
	b = append(b, `{"row":`...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, `,"product":`...)
	b = strconv.AppendQuote(b, product) // product IDs are plain ASCII
	b = append(b, `,"payload":`...)
	b = append(b, payload...)
	b = append(b, "}\n"...)
	p.tmp = b
	if _, err := p.buf.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", p.f.Dest(), err)
	}
	return nil
}

func (p *payloadWriter) commit() error {
	if err := p.buf.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", p.f.Dest(), err)
	}
	return p.f.Commit()
}

func (p *payloadWriter) abort() { p.f.Abort() }

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
