package results

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/order"
)

// errClosed is returned by Write and Commit after Commit or Abort.
var errClosed = errors.New("results file already committed or aborted")

// csvWriter writes a .csv results file: a UTF-8 byte order mark, then
// records quoted by encoding/csv and ended by CRLF, which is how Excel
// writes and recognises "CSV UTF-8". Line breaks inside cells are written
// as given (csv.Writer's UseCRLF would turn LF into CRLF and drop lone
// CRs), so the only change a round trip makes is the one encoding/csv's
// reader always makes: a CR LF pair inside a cell reads back as LF.
type csvWriter struct {
	f    *atomicfile.File
	buf  *bufio.Writer
	line bytes.Buffer // one record from w, before its LF becomes CRLF
	w    *csv.Writer
	rec  []string
	nIn  int
	err  error
	done bool
}

func newCSVWriter(path string, header []string) (*csvWriter, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create results: %w", err)
	}
	c := &csvWriter{f: f, buf: bufio.NewWriterSize(f, 256<<10), nIn: len(header)}
	c.buf.WriteString("\uFEFF")
	c.w = csv.NewWriter(&c.line)
	c.rec = make([]string, 0, len(header)+nFixed)
	for _, h := range header {
		c.rec = append(c.rec, escapeCSV(h))
	}
	c.rec = append(c.rec, Columns...)
	if err := c.writeRecord(); err != nil {
		f.Abort()
		return nil, fmt.Errorf("create results %s: %w", path, err)
	}
	return c, nil
}

// escapeCSV prefixes a cell a spreadsheet would run as a formula with a
// single quote, as OWASP advises against CSV injection. A cell that
// already looks like an escaped one (a quote followed by such a cell or by
// another quote) gets one more quote, so [unescapeCSV] can always strip
// exactly one and a round trip is exact.
func escapeCSV(s string) string {
	if needsQuote(s) || looksEscaped(s) {
		return "'" + s
	}
	return s
}

// unescapeCSV undoes [escapeCSV].
func unescapeCSV(s string) string {
	if looksEscaped(s) {
		return s[1:]
	}
	return s
}

// looksEscaped reports whether s has the shape escapeCSV produces: a
// quote followed by a formula-like cell or by another quote.
func looksEscaped(s string) bool {
	return len(s) > 1 && s[0] == '\'' && (needsQuote(s[1:]) || s[1] == '\'')
}

func (c *csvWriter) Write(r *order.Result) error {
	if c.done {
		return fmt.Errorf("write %s: %w", c.f.Dest(), errClosed)
	}
	if c.err != nil {
		return c.err
	}
	if err := inputCells(c.f.Dest(), r, c.nIn); err != nil {
		return err
	}
	c.rec = c.rec[:0]
	for _, v := range r.Input {
		c.rec = append(c.rec, escapeCSV(v))
	}
	for len(c.rec) < c.nIn {
		c.rec = append(c.rec, "")
	}
	for _, v := range fixed(r) {
		c.rec = append(c.rec, escapeCSV(v))
	}
	if err := c.writeRecord(); err != nil {
		c.err = fmt.Errorf("write %s: row %d: %w", c.f.Dest(), r.Row, err)
	}
	return c.err
}

// writeRecord writes c.rec with a CRLF line ending.
func (c *csvWriter) writeRecord() error {
	c.line.Reset()
	if err := c.w.Write(c.rec); err != nil {
		return err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	b := c.line.Bytes()
	c.buf.Write(b[:len(b)-1]) // without the LF csv.Writer ends records with
	_, err := c.buf.WriteString("\r\n")
	return err
}

func (c *csvWriter) Commit() error {
	if c.done {
		return fmt.Errorf("write %s: %w", c.f.Dest(), errClosed)
	}
	c.done = true
	if c.err != nil {
		c.f.Abort()
		return c.err
	}
	if err := c.buf.Flush(); err != nil {
		c.f.Abort()
		return fmt.Errorf("write %s: %w", c.f.Dest(), err)
	}
	return c.f.Commit()
}

func (c *csvWriter) Abort() {
	c.done = true
	c.f.Abort() // a no-op after Commit
}
