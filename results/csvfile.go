package results

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// errClosed is returned by Write and Commit after Commit or Abort.
var errClosed = l10n.Errorf("results file already committed or aborted")

// csvWriter writes a .csv results file: a UTF-8 byte order mark, then
// records of escaped cells (see [csvCell]).
type csvWriter struct {
	f     *atomicfile.File
	out   *csvRecords
	rec   []string
	nIn   int
	fresh refreshes
	err   error
	done  bool
	lang  l10n.Printer // the language of the outcome words
}

// Refresh implements Writer.
func (c *csvWriter) Refresh(as []order.Answer) { c.fresh.add(as) }

func newCSVWriter(path string, header []string, lang l10n.Printer) (*csvWriter, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, l10n.Errorf("create results: %w", err)
	}
	c := &csvWriter{f: f, out: newCSVRecords(f), nIn: len(header), lang: lang}
	c.rec = make([]string, 0, len(header)+nFixed)
	c.rec = append(c.rec, Headers(lang)...)
	for _, h := range header {
		c.rec = append(c.rec, csvCell(h))
	}
	if err := c.out.write(c.rec); err != nil {
		f.Abort()
		return nil, l10n.Errorf("create results %s: %w", path, err)
	}
	return c, nil
}

// csvRecords writes CSV records: a UTF-8 byte order mark first, then
// records ended by CRLF, which is how Excel writes and recognises "CSV
// UTF-8". Records are quoted as encoding/csv's Writer does (comma,
// fields quoted when they hold a comma, a quote, a CR or an LF, or
// start with a space; quotes doubled), with CR LF line endings and
// every byte inside a cell kept as given (csv.Writer's UseCRLF would
// turn LF into CRLF and drop lone CRs); cells come escaped by
// [csvCell], which has already stored a CR LF line break as LF. It
// writes straight into its buffer: a csv.Writer flushed per record was
// a third of a large dry run's writer (BENCHMARKS.md); a test holds the
// bytes to csv.Writer's.
type csvRecords struct {
	buf *bufio.Writer
}

func newCSVRecords(w io.Writer) *csvRecords {
	c := &csvRecords{buf: bufio.NewWriterSize(w, 256<<10)}
	c.buf.WriteString("\uFEFF")
	return c
}

// write writes one record with a CRLF line ending.
func (c *csvRecords) write(rec []string) error {
	for i, f := range rec {
		if i > 0 {
			c.buf.WriteByte(',')
		}
		if !csvNeedsQuotes(f) {
			c.buf.WriteString(f)
			continue
		}
		c.buf.WriteByte('"')
		for {
			q := strings.IndexByte(f, '"')
			if q < 0 {
				break
			}
			c.buf.WriteString(f[:q+1])
			c.buf.WriteByte('"')
			f = f[q+1:]
		}
		c.buf.WriteString(f)
		c.buf.WriteByte('"')
	}
	_, err := c.buf.WriteString("\r\n")
	return err
}

// csvNeedsQuotes is encoding/csv's rule for a comma-separated field.
func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

// flush writes out buffered records.
func (c *csvRecords) flush() error { return c.buf.Flush() }

// csvCell is a value as certbatch writes it into a CSV cell: escaped
// with [Escape], after dropping any CR that ends a line (before an LF),
// because a CSV reader turns a CR LF pair inside a cell into LF anyway
// and the escape must be undone on what the reader sees.
func csvCell(s string) string {
	if strings.Contains(s, "\r\n") {
		var b strings.Builder
		b.Grow(len(s))
		for i := 0; i < len(s); i++ {
			if s[i] == '\r' {
				j := i
				for j < len(s) && s[j] == '\r' {
					j++
				}
				if j < len(s) && s[j] == '\n' {
					i = j - 1
					continue
				}
			}
			b.WriteByte(s[i])
		}
		s = b.String()
	}
	return Escape(s)
}

func (c *csvWriter) Write(r *order.Result) error { return c.WriteKinds(r, nil) }

// WriteKinds writes r; a CSV file has no cell types, so kinds are unused.
func (c *csvWriter) WriteKinds(r *order.Result, _ []CellKind) error {
	if c.done {
		return l10n.Errorf("write %s: %w", c.f.Dest(), errClosed)
	}
	if c.err != nil {
		return c.err
	}
	if err := inputCells(c.f.Dest(), r, c.nIn); err != nil {
		return err
	}
	c.rec = c.rec[:0]
	for _, v := range fixed(c.lang, r) {
		c.rec = append(c.rec, csvCell(v))
	}
	for _, v := range r.Input {
		c.rec = append(c.rec, csvCell(v))
	}
	for len(c.rec) < nFixed+c.nIn {
		c.rec = append(c.rec, "")
	}
	if err := c.out.write(c.rec); err != nil {
		c.err = l10n.Errorf("write %s: row %d: %w", c.f.Dest(), r.Row, err)
	}
	return c.err
}

func (c *csvWriter) Commit() error {
	if c.done {
		return l10n.Errorf("write %s: %w", c.f.Dest(), errClosed)
	}
	c.done = true
	if c.err != nil {
		c.f.Abort()
		return c.err
	}
	if err := c.out.flush(); err != nil {
		c.f.Abort()
		return l10n.Errorf("write %s: %w", c.f.Dest(), err)
	}
	if len(c.fresh) == 0 {
		return c.f.Commit()
	}
	// Refreshed answers: the records written are copied into a second
	// temporary file with those cells changed, and that one is committed.
	defer c.f.Abort()
	src, err := reopen(c.f.Name())
	if err != nil {
		return l10n.Errorf("write %s: %w", c.f.Dest(), err)
	}
	defer src.Close()
	f, err := atomicfile.Create(c.f.Dest())
	if err != nil {
		return l10n.Errorf("write %s: %w", c.f.Dest(), err)
	}
	defer f.Abort()
	out := newCSVRecords(f)
	if err := patchCSV(src, out, c.fresh); err != nil {
		return l10n.Errorf("write %s: %w", c.f.Dest(), err)
	}
	if err := out.flush(); err != nil {
		return l10n.Errorf("write %s: %w", c.f.Dest(), err)
	}
	return f.Commit()
}

func (c *csvWriter) Abort() {
	c.done = true
	c.f.Abort() // a no-op after Commit
}
