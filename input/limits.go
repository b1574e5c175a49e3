package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Limits on what one file may make the reader hold or inflate. Real
// files stay far below each; a hostile or broken file ends in a
// [LimitError] while it streams. See the package documentation.
const (
	// maxSheetPart is the decompressed size of one worksheet part.
	maxSheetPart = 2 << 30
	// maxSSTPart is the decompressed size of the shared-strings part.
	maxSSTPart = 1 << 30
	// maxMetaPart is the decompressed size of any other part read
	// (workbook, relationships, styles).
	maxMetaPart = 64 << 20
	// maxTotalInflate is what all parts read by one Reader may inflate
	// to together.
	maxTotalInflate = 4 << 30
	// maxZipEntries is the number of entries an .xlsx archive may have.
	maxZipEntries = 100_000
	// maxText is the text an XML part may have between two markup
	// characters ('<' ... '>'): no single token grows beyond it.
	maxText = 1 << 20
	// maxTag is the length of one XML tag with its attributes.
	maxTag = 64 << 10
	// maxCell is the UTF-8 bytes of one cell. Excel allows 32,767
	// characters (at most 96 KiB of UTF-8, or 224 KiB written as _xHHHH_
	// escapes).
	maxCell = 256 << 10
	// maxColumns is Excel's column count (A to XFD).
	maxColumns = 16_384
	// maxRows is Excel's row count.
	maxRows = 1_048_576
	// maxSST is the memory of the shared-strings table: its text plus 4
	// bytes per string (a million-row sheet of unique names and emails
	// needs about 60 MiB).
	maxSST = 160 << 20
	// maxSSTCount is the number of shared strings: a million rows of 4
	// columns of unique text.
	maxSSTCount = 1 << 22
	// maxSheets, maxRels and maxStyles bound the entries of the
	// workbook, relationships and styles parts.
	maxSheets = 10_000
	maxRels   = 100_000
	maxStyles = 1 << 20
	// maxRecord is the bytes of one CSV record, quoted line breaks
	// included.
	maxRecord = 2 << 20
)

// LimitError reports a file that exceeds one of the package's limits:
// a zip bomb, a runaway cell or record, or not a table at all.
type LimitError struct {
	// What was too large, for the message ("worksheet part
	// xl/worksheets/sheet1.xml inflates to more than 2 GiB").
	What string
}

func (e *LimitError) Error() string {
	return e.What + ": the file is damaged or was not made by a spreadsheet program"
}

func limitf(format string, args ...any) error {
	return &LimitError{What: fmt.Sprintf(format, args...)}
}

// isLimit reports whether err is (or wraps) a LimitError.
func isLimit(err error) bool {
	var le *LimitError
	return errors.As(err, &le)
}

// size writes a byte count for a message: "2 GiB", "64 KiB", "1500 bytes".
func size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// budget counts bytes inflated across the parts of one read.
type budget struct{ used, limit int64 }

// partReader counts the bytes inflated from one zip part against the
// part's limit and the read's budget.
type partReader struct {
	r     io.ReadCloser
	name  string
	n     int64
	limit int64
	total *budget
	work  *work // nil: not counted
}

func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	p.total.used += int64(n)
	if p.work != nil {
		if werr := p.work.add(n); werr != nil {
			return n, werr
		}
	}
	if p.n > p.limit {
		return n, limitf("part %s inflates to more than %s", p.name, size(p.limit))
	}
	if p.total.used > p.total.limit {
		return n, limitf("the parts read inflate to more than %s", size(p.total.limit))
	}
	return n, err
}

func (p *partReader) Close() error { return p.r.Close() }

// markupGuard fails a stream of XML that has more than maxText bytes
// between markup characters or a tag longer than maxTag, before
// encoding/xml buffers such a token whole. It looks only for '<' in
// text and '>' in tags, so it works on any ASCII-compatible encoding.
type markupGuard struct {
	r     io.Reader
	name  string
	inTag bool
	run   int // bytes since the last markup character
}

func (g *markupGuard) Read(b []byte) (int, error) {
	n, err := g.r.Read(b)
	p := b[:n]
	for len(p) > 0 {
		c := byte('<')
		if g.inTag {
			c = '>'
		}
		i := bytes.IndexByte(p, c)
		if i < 0 {
			g.run += len(p)
			break
		}
		g.run += i
		if err := g.check(); err != nil {
			return n, err
		}
		g.run, g.inTag = 0, !g.inTag
		p = p[i+1:]
	}
	if cerr := g.check(); cerr != nil {
		return n, cerr
	}
	return n, err
}

func (g *markupGuard) check() error {
	switch {
	case g.inTag && g.run > maxTag:
		return limitf("part %s has a tag longer than %s", g.name, size(maxTag))
	case !g.inTag && g.run > maxText:
		return limitf("part %s has more than %s of text in one place (a cell holds at most 32,767 characters)", g.name, size(maxText))
	}
	return nil
}
