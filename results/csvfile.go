package results

import (
	"bufio"
	"encoding/csv"
	"fmt"

	"github.com/certbatch/certbatch/internal/atomicfile"
)

type csvWriter struct {
	f    *atomicfile.File
	buf  *bufio.Writer
	w    *csv.Writer
	rec  []string
	nIn  int
	err  error
	done bool
}

func newCSVWriter(path string, header []string) (*csvWriter, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	c := &csvWriter{f: f, buf: bufio.NewWriterSize(f, 256<<10), nIn: len(header)}
	c.buf.WriteString("\uFEFF") // Excel reads UTF-8 only with a BOM
	c.w = csv.NewWriter(c.buf)
	c.w.UseCRLF = true
	c.rec = make([]string, 0, len(header)+len(Columns))
	c.rec = append(c.rec, header...)
	c.rec = append(c.rec, Columns...)
	for i := range c.rec {
		c.rec[i] = escapeCSV(c.rec[i])
	}
	if err := c.w.Write(c.rec); err != nil {
		f.Abort()
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return c, nil
}

// escapeCSV prefixes a cell a spreadsheet would run as a formula with a
// single quote (OWASP's advice). A cell that already begins with a quote
// gets one more, so reading strips exactly one and round trips are exact.
func escapeCSV(s string) string {
	if needsQuote(s) || (len(s) > 1 && s[0] == '\'' && (needsQuote(s[1:]) || s[1] == '\'')) {
		return "'" + s
	}
	return s
}

// unescapeCSV undoes escapeCSV.
func unescapeCSV(s string) string {
	if len(s) > 1 && s[0] == '\'' && (needsQuote(s[1:]) || s[1] == '\'') {
		return s[1:]
	}
	return s
}

func (c *csvWriter) Write(r Record) error {
	if c.err != nil {
		return c.err
	}
	c.rec = c.rec[:0]
	for i := 0; i < c.nIn; i++ {
		v := ""
		if i < len(r.Input) {
			v = r.Input[i]
		}
		c.rec = append(c.rec, escapeCSV(v))
	}
	for _, v := range r.fixed() {
		c.rec = append(c.rec, escapeCSV(v))
	}
	if err := c.w.Write(c.rec); err != nil {
		c.err = fmt.Errorf("write %s: %w", c.f.Dest(), err)
	}
	return c.err
}

func (c *csvWriter) Commit() error {
	if c.err != nil {
		c.f.Abort()
		return c.err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		c.f.Abort()
		return fmt.Errorf("write %s: %w", c.f.Dest(), err)
	}
	if err := c.buf.Flush(); err != nil {
		c.f.Abort()
		return fmt.Errorf("write %s: %w", c.f.Dest(), err)
	}
	c.done = true
	return c.f.Commit()
}

func (c *csvWriter) Abort() {
	if !c.done {
		c.f.Abort()
	}
}
