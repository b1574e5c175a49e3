package pipeline

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/certbatch/certbatch/input"
	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
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
	// Snap, when set, is the input read once (see [Source.Snapshot]):
	// every pass reads this copy, so what was checked and confirmed is
	// exactly what is sent.
	Snap *input.Snap
	// RowCheck, when set, is run on every mapped row and may add
	// problems (the account pre-flight's [AccountReport.Check]).
	RowCheck func(*mapping.Result)
	// KeyMethod and KeyAlgorithm override the config's keys: block
	// (--key-method, --key-algorithm).
	KeyMethod, KeyAlgorithm string
	// IncludeHidden treats rows hidden or struck through in the input
	// (input.Row.Held) like any other; without it they are held back:
	// outcome held, never ordered, left out of the duplicate check.
	IncludeHidden bool
	// Lang is the language of messages, row problems, notes and the
	// results file's headers and outcome words (zero: English).
	Lang l10n.Printer
}

// MaxInputBytes bounds the input a submission copies into its snapshot.
const MaxInputBytes = 1 << 30

// Snapshot reads the input once into a private copy (an unlinked
// temporary file: nothing is left behind, even after kill -9) that every
// later pass reads. A FIFO or a file that changes meanwhile can no longer
// make the plan differ from what is sent. Close the Snap when done.
func (s *Source) Snapshot() error {
	snap, err := input.Snapshot(s.Input, MaxInputBytes)
	if err != nil {
		return &InputError{Err: err}
	}
	s.Snap = snap
	return nil
}

// checkOutputs refuses output paths that would overwrite the input or
// the journal, under any name: the same path, a symlink, a hard link
// (compared by file identity, not by name). protect lists other files
// that must not be written over (the journal).
func (s *Source) checkOutputs(outputs []string, protect ...string) error {
	in, err := filepath.Abs(s.Input)
	if err != nil {
		return &InputError{Err: err}
	}
	inInfo, _ := os.Stat(s.Input)
	if s.Snap != nil {
		inInfo = s.Snap.Info()
	}
	for _, p := range outputs {
		if p == "" {
			continue
		}
		if abs, err := filepath.Abs(p); err == nil && abs == in {
			return &InputError{Err: l10n.Errorf("the output %s is the input file: choose another -o or --payloads", p)}
		}
		if err := writable(p); err != nil {
			return &InputError{Err: err}
		}
		out, err := os.Stat(p)
		if err != nil {
			continue // nothing there yet: it cannot be another file
		}
		if inInfo != nil && os.SameFile(out, inInfo) {
			return &InputError{Err: l10n.Errorf("the output %s is the input file under another name: choose another -o or --payloads", p)}
		}
		for _, q := range protect {
			if qi, err := os.Stat(q); err == nil && os.SameFile(out, qi) {
				return &InputError{Err: l10n.Errorf("the output %s is the journal %s: choose another -o or --payloads", p, q)}
			}
		}
	}
	return nil
}

// CheckOutputs is checkOutputs for a command that chooses its outputs
// before the run: an output that is the input or a protected file (the
// journal), under any name, is refused (an InputError).
func (s *Source) CheckOutputs(outputs []string, protect ...string) error {
	return s.checkOutputs(outputs, protect...)
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
	opts := s.Read
	if opts.Fits == nil {
		// A sheet or header row fits when the config maps onto it and it
		// has the column that says who each row is.
		opts.Fits = func(h []string) bool {
			m, err := mapping.Compile(s.Config, stripResultColumns(h), s.Templates, mapping.Options{Product: s.Product, Now: s.Now, KeyMethod: s.KeyMethod, KeyAlgorithm: s.KeyAlgorithm, Lang: s.Lang})
			return err == nil && m.HasIdentityColumn()
		}
	}
	if opts.SkipSheet == nil {
		// A filled-in template keeps its example on a sheet of its own.
		opts.SkipSheet = func(name string) bool { return name == results.SheetExample }
	}
	var (
		rd  input.Reader
		err error
	)
	if s.Snap != nil {
		rd, err = s.Snap.Open(opts)
	} else {
		rd, err = input.Open(s.Input, opts)
	}
	if err != nil {
		return nil, nil, &InputError{Err: err}
	}
	rd = withoutResultColumns(rd, isCSV(s.Input))
	m, err := mapping.Compile(s.Config, rd.Header(), s.Templates, mapping.Options{Product: s.Product, Now: s.Now, KeyMethod: s.KeyMethod, KeyAlgorithm: s.KeyAlgorithm, Lang: s.Lang})
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
// "<input name>.results.xlsx" beside the input. A results file given as
// input keeps its name: staff.results.csv writes staff.results.xlsx, not
// staff.results.results.xlsx. staff.results.xlsx itself (which must not
// be written over while it is read) writes staff.results-2.xlsx, and
// staff.results-2.xlsx writes staff.results.xlsx again.
func DefaultOutput(in string) string {
	base := strings.TrimSuffix(in, filepath.Ext(in))
	stem := base
	for _, suffix := range []string{".results", ".results-2"} {
		if len(stem) > len(suffix) && strings.EqualFold(stem[len(stem)-len(suffix):], suffix) {
			stem = stem[:len(stem)-len(suffix)]
			break
		}
	}
	out := stem + ".results.xlsx"
	if strings.EqualFold(out, in) {
		out = stem + ".results-2.xlsx"
	}
	return out
}

// OutputError means a results or payloads file could not be written.
type OutputError struct{ Err error }

// Error returns the message of the underlying error.
func (e *OutputError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *OutputError) Unwrap() error { return e.Err }

// stripResultColumns returns a header without a results file's result
// columns.
func stripResultColumns(h []string) []string {
	cols, _, ok := results.AsInput(h, false)
	if !ok {
		return h
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = h[c]
	}
	return out
}

// withoutResultColumns lets a results file serve as an input: its result
// columns are dropped and, for CSV, the writer's formula escaping is
// undone exactly, so a re-run of last run's results (to retry its
// failed rows) sees the original cells (the same people) and writes
// results with the original columns, once.
func withoutResultColumns(rd input.Reader, csv bool) input.Reader {
	cols, unescape, ok := results.AsInput(rd.Header(), csv)
	if !ok {
		return rd
	}
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = unescape(rd.Header()[c])
	}
	t := &trimmedReader{Reader: rd, cols: cols, header: h, unescape: unescape, outcome: -1}
	for i, name := range rd.Header() {
		if !slices.Contains(cols, i) {
			switch results.FixedColumn(name) {
			case "outcome":
				t.outcome = i
			case "error":
				t.errCol = i
			}
		}
	}
	return t
}

type trimmedReader struct {
	input.Reader
	cols     []int
	header   []string
	unescape func(string) string
	outcome  int // the results file's outcome column; -1 if unknown
	errCol   int // its error column
}

func (t *trimmedReader) Header() []string { return t.header }

func (t *trimmedReader) Next() (input.Row, error) {
	r, err := t.Reader.Next()
	if err != nil {
		return r, err
	}
	cells := make([]string, len(t.cols))
	for i, c := range t.cols {
		cells[i] = t.unescape(r.Cells[c])
	}
	// A row held back in the run that wrote the file (its workbook row
	// is not hidden) stays held: a retry of failed rows orders nobody the
	// first run held back.
	if t.outcome >= 0 && r.Held == "" && results.ParseOutcome(r.Cells[t.outcome]) == order.Held {
		r.HeldWhy = l10n.Msgf("held back in the run that wrote this file")
		if why := heldReason(r.Cells[t.errCol]); why != "" {
			r.HeldWhy = l10n.Msgf("%s (in the input of the run that wrote this file)", why)
		}
		r.Held = r.HeldWhy.String()
	}
	r.Cells = cells
	if r.Kinds != nil {
		kinds := make([]input.Kind, len(t.cols))
		for i, c := range t.cols {
			kinds[i] = r.Kinds[c]
		}
		r.Kinds = kinds
	}
	return r, nil
}

// isCSV reports whether path is read as CSV (by its extension).
func isCSV(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt", ".tsv":
		return true
	}
	return false
}

// writable checks, before anything is sent, that a file can be written
// at path: its folder exists and takes new files (a temporary file is
// created and removed). The error names the folder.
func writable(path string) error {
	dir := filepath.Dir(path)
	f, err := atomicfile.Create(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return l10n.Errorf("cannot write %s: the folder %s: %w", filepath.Base(path), dir, err)
	}
	f.Abort()
	return nil
}
