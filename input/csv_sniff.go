package input

import (
	"bufio"
	"bytes"
	"io"
)

// crOnly reports whether the text has classic Mac line endings: a CR
// and no LF in its first 64 KiB.
func crOnly(r *bufio.Reader) bool {
	b, _ := r.Peek(r.Size())
	return bytes.IndexByte(b, '\r') >= 0 && bytes.IndexByte(b, '\n') < 0
}

// crToLF reads CR line endings as LF.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	for i, ch := range b[:n] {
		if ch == '\r' {
			b[i] = '\n'
		}
	}
	return n, err
}

// sepLine reads Excel's "sep=;" first line, which sets the delimiter
// and is not a row (Excel does not show it).
func sepLine(r *bufio.Reader) (rune, bool) {
	b, _ := r.Peek(16)
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	} else if len(b) == 16 {
		return 0, false
	}
	l := bytes.TrimSpace(bytes.Trim(bytes.TrimSpace(line), `"`))
	if len(l) != 5 || !bytes.EqualFold(l[:4], []byte("sep=")) {
		return 0, false
	}
	switch c := rune(l[4]); c {
	case ',', ';', '\t', '|':
		r.Discard(min(len(line)+1, len(b)))
		return c, true
	}
	return 0, false
}

// sniffDelimiter picks comma, semicolon, tab or pipe: the one whose count
// per line (outside quotes) is the same on the most of the first 20
// lines with content, then the one with the higher count, then the
// earlier in that order. A title or comment line above the header does
// not decide.
func sniffDelimiter(r *bufio.Reader) rune {
	b, _ := r.Peek(r.Size())
	delims := []byte{',', ';', '\t', '|'}
	var lines [][4]int
	var cur [4]int
	content, inQuote := false, false
	for i := 0; i <= len(b) && len(lines) < headerScan; i++ {
		if i == len(b) || (b[i] == '\n' && !inQuote) {
			if content {
				lines = append(lines, cur)
			}
			cur, content = [4]int{}, false
			continue
		}
		c := b[i]
		switch {
		case c == '"':
			inQuote = !inQuote
			content = true
		case inQuote:
		case c == ' ' || c == '\r':
		default:
			if k := bytes.IndexByte(delims, c); k >= 0 {
				cur[k]++
			} else {
				content = true
			}
		}
	}
	best, bestFreq, bestCount := 0, 0, 0
	for k := range delims {
		freq := map[int]int{}
		mode, modeFreq := 0, 0
		for _, l := range lines {
			if n := l[k]; n > 0 {
				freq[n]++
				if freq[n] > modeFreq || freq[n] == modeFreq && n > mode {
					mode, modeFreq = n, freq[n]
				}
			}
		}
		if modeFreq > bestFreq || modeFreq == bestFreq && mode > bestCount {
			best, bestFreq, bestCount = k, modeFreq, mode
		}
	}
	return rune(delims[best])
}
