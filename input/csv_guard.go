package input

import (
	"fmt"
	"io"

	"github.com/certbatch/certbatch/internal/l10n"
)

// recordGuard sits between the decoded text and encoding/csv, which
// buffers a whole record before returning it: it follows the quoting as
// encoding/csv does with LazyQuotes, fails a record longer than
// maxRecord before it is buffered, fails a quote left open at the end of
// the file, and notes each stray quote it lets through so the row can be
// reported as repaired.
type recordGuard struct {
	r       io.Reader
	comma   byte
	state   uint8
	line    int // line of the next byte, from 1
	recLine int // line where the current record started
	field   int // field of the current record, from 0
	n       int // bytes of the current record
	repairs []repair
	err     error
	afterCR bool // the last byte was a CR read as a line end
}

// A repair is a stray quote read as text in the record starting on
// recLine.
type repair struct {
	recLine int
	col     int // 1-based field
	what    string
}

// guardError is a record the guard refused; startLine is where the
// record started.
type guardError struct {
	startLine int
	err       error
}

func (e *guardError) Error() string { return e.err.Error() }
func (e *guardError) Unwrap() error { return e.err }

const (
	stField = iota // at the start of a field
	stUnq          // in an unquoted field
	stQ            // in a quoted field
	stQQ           // a quote inside a quoted field: an escape, the end, or stray
)

func newRecordGuard(r io.Reader, comma rune) *recordGuard {
	return &recordGuard{r: r, comma: byte(comma), line: 1, recLine: 1}
}

func (g *recordGuard) Read(b []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	for {
		w, err := g.filter(b)
		// A read that was only the LF of a CRLF split across reads
		// yields nothing: read on rather than return (0, nil).
		if w > 0 || err != nil || len(b) == 0 {
			return w, err
		}
	}
}

// filter reads into b and follows the quoting of what it read (see
// Read), returning the bytes kept.
func (g *recordGuard) filter(b []byte) (int, error) {
	n, err := g.r.Read(b)
	if n == 0 && err == nil {
		return 0, io.ErrNoProgress
	}
	// Outside quotes a carriage return ends the line whether or not a
	// line feed follows, as Excel and Python's csv read it: a lone CR in
	// a file that otherwise uses LF would make encoding/csv merge two
	// records into one. It is passed on as LF and the LF of a CRLF
	// dropped, so bytes are only ever removed (w <= i). A CR inside
	// quotes is the cell's text.
	w := 0
	for _, c := range b[:n] {
		if g.afterCR {
			g.afterCR = false
			if c == '\n' {
				continue
			}
		}
		if c == '\r' && g.state != stQ {
			c, g.afterCR = '\n', true
		}
		b[w] = c
		w++
		if c == '\n' && g.state != stQ {
			g.line++
			g.state, g.recLine, g.field, g.n = stField, g.line, 0, 0
			continue
		}
		if c == '\n' {
			g.line++
		}
		g.n++
		if g.n > maxRecord {
			g.err = &guardError{g.recLine, limitf("a record is longer than %s (is a quote never closed, or is this not a CSV table?)", size(maxRecord))}
			return w, g.err
		}
		switch g.state {
		case stField:
			switch c {
			case '"':
				g.state = stQ
			case g.comma:
				g.field++
			default:
				g.state = stUnq
			}
		case stUnq:
			switch c {
			case g.comma:
				g.field++
				g.state = stField
			case '"':
				g.note("a quote inside a field that does not start with one was read as text")
			}
		case stQ:
			if c == '"' {
				g.state = stQQ
			}
		case stQQ:
			switch c {
			case '"':
				g.state = stQ
			case g.comma:
				g.field++
				g.state = stField
			case '\r':
			default:
				g.note("a quote inside a quoted field that is not doubled was read as text")
				g.state = stQ
			}
		}
	}
	if err == io.EOF && g.state == stQ {
		g.err = &guardError{g.recLine, l10n.Errorf("column %d: a quoted field is never closed (a quote is missing)", g.field+1)}
		return w, g.err
	}
	return w, err
}

func (g *recordGuard) note(what string) {
	if len(g.repairs) > 0 {
		last := g.repairs[len(g.repairs)-1]
		if last.recLine == g.recLine && last.col == g.field+1 {
			return
		}
	}
	g.repairs = append(g.repairs, repair{g.recLine, g.field + 1, what})
}

// repaired pops the repairs of the record that starts on line start and
// describes them; "" when there are none.
func (g *recordGuard) repaired(start, end int) string {
	s := ""
	for len(g.repairs) > 0 && g.repairs[0].recLine <= end {
		r := g.repairs[0]
		g.repairs = g.repairs[1:]
		if r.recLine < start {
			continue
		}
		if s != "" {
			s += "; "
		}
		s += fmt.Sprintf("column %d: %s", r.col, r.what)
	}
	return s
}
