package input

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// encodings are the names accepted besides WHATWG labels.
var encodings = map[string]func() encoding.Encoding{
	"utf-8":    func() encoding.Encoding { return unicode.UTF8 },
	"utf8":     func() encoding.Encoding { return unicode.UTF8 },
	"utf-16":   func() encoding.Encoding { return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM) },
	"utf-16le": func() encoding.Encoding { return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM) },
	"utf-16be": func() encoding.Encoding { return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM) },
	"cp949":    func() encoding.Encoding { return korean.EUCKR },
	"euc-kr":   func() encoding.Encoding { return korean.EUCKR },
	"big5":     func() encoding.Encoding { return traditionalchinese.Big5 },
	"cp950":    func() encoding.Encoding { return traditionalchinese.Big5 },
}

// EncodingNames lists the encoding names accepted besides WHATWG labels.
func EncodingNames() []string {
	n := make([]string, 0, len(encodings))
	for k := range encodings {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

func lookupEncoding(name string) (encoding.Encoding, error) {
	if f, ok := encodings[strings.ToLower(name)]; ok {
		return f(), nil
	}
	e, err := htmlindex.Get(name)
	if err != nil {
		return nil, fmt.Errorf("unknown encoding %q; use one of %s, or a WHATWG label such as shift_jis, gbk, windows-1252", name, strings.Join(EncodingNames(), ", "))
	}
	return e, nil
}

type csvReader struct {
	file     string
	closer   io.Closer
	r        *csv.Reader
	header   []string
	checkUTF bool
	row      int // row number of the last record returned
	endLine  int // physical line where the last record ended
}

func openCSV(path string, opts Options) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	r, err := NewCSV(f, filepath.Base(path), opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.(*csvReader).closer = f
	return r, nil
}

// NewCSV reads CSV from r; name is used in error messages.
func NewCSV(r io.Reader, name string, opts Options) (Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	var src io.Reader = br
	checkUTF := false
	switch {
	case opts.Encoding != "":
		e, err := lookupEncoding(opts.Encoding)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		switch {
		case e == unicode.UTF8:
			checkUTF = true
			src = transform.NewReader(br, unicode.UTF8BOM.NewDecoder())
		case isUTF16(e):
			src = transform.NewReader(br, unicode.BOMOverride(e.NewDecoder()))
		default:
			// Text in CP949, Big5 and the like is almost never valid
			// UTF-8; UTF-8 read as one of them is mojibake on a
			// certificate. Refuse rather than guess.
			if prefix, _ := br.Peek(64 << 10); bytes.HasPrefix(prefix, []byte{0xEF, 0xBB, 0xBF}) || LooksUTF8(prefix) {
				return nil, fmt.Errorf("read %s: --encoding %s was given, but the file is UTF-8 (its non-ASCII text is valid UTF-8): leave out --encoding", name, opts.Encoding)
			}
			src = transform.NewReader(br, unicode.BOMOverride(e.NewDecoder()))
		}
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		src = transform.NewReader(br, unicode.BOMOverride(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()))
	default:
		if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
		checkUTF = true
	}
	dr := bufio.NewReaderSize(src, 64<<10)
	comma, err := sniffDelimiter(dr)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	cr := csv.NewReader(dr)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	c := &csvReader{file: name, r: cr, checkUTF: checkUTF}
	for {
		rec, err := c.read()
		if err == io.EOF {
			return nil, fmt.Errorf("read %s: the file is empty: no header row", name)
		}
		if err != nil {
			return nil, err
		}
		if blank(rec) {
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		c.header = rec
		return c, nil
	}
}

// sniffDelimiter picks comma, semicolon or tab by counting them, outside
// quotes, on the first non-blank line.
func sniffDelimiter(r *bufio.Reader) (rune, error) {
	var line []byte
	for n := 4096; ; n *= 2 {
		b, err := r.Peek(n)
		if i := firstLine(b); i >= 0 || err != nil {
			line = b
			if i >= 0 {
				line = b[:i]
			}
			break
		}
		if n > 1<<20 {
			line = b
			break
		}
	}
	counts := map[rune]int{}
	inQuote := false
	for _, ch := range string(line) {
		switch {
		case ch == '"':
			inQuote = !inQuote
		case !inQuote && (ch == ',' || ch == ';' || ch == '\t'):
			counts[ch]++
		}
	}
	best, bestN := ',', counts[',']
	for _, ch := range []rune{';', '\t'} {
		if counts[ch] > bestN {
			best, bestN = ch, counts[ch]
		}
	}
	return best, nil
}

// firstLine returns the end of the first line with any non-space
// character, or -1 when b holds none complete.
func firstLine(b []byte) int {
	start := 0
	for i, c := range b {
		if c == '\n' {
			if len(bytes.TrimSpace(b[start:i])) > 0 {
				return i
			}
			start = i + 1
		}
	}
	return -1
}

// read returns the next record and keeps the spreadsheet row count:
// encoding/csv skips blank lines, a spreadsheet program counts them.
func (c *csvReader) read() ([]string, error) {
	rec, err := c.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("read %s: row %d (line %d, column %d): %w", c.file, c.row+1+max(0, pe.StartLine-c.endLine-1), pe.Line, pe.Column, pe.Err)
		}
		if err == io.EOF {
			return nil, err
		}
		return nil, fmt.Errorf("read %s: row %d: %w", c.file, c.row+1, err)
	}
	start, _ := c.r.FieldPos(0)
	c.row += 1 + max(0, start-c.endLine-1)
	last, _ := c.r.FieldPos(len(rec) - 1)
	c.endLine = last + strings.Count(rec[len(rec)-1], "\n")
	if c.checkUTF {
		for i, s := range rec {
			if !utf8.ValidString(s) {
				return nil, fmt.Errorf("read %s: row %d, column %d: the text is not valid UTF-8; the file was probably saved in another encoding: pass --encoding cp949 (Korean), big5 (Traditional Chinese), utf-16 (Excel \"Unicode text\") or another", c.file, c.row, i+1)
			}
		}
	}
	return rec, nil
}

func (c *csvReader) Header() []string { return c.header }

func (c *csvReader) Next() (Row, error) {
	for {
		rec, err := c.read()
		if err != nil {
			return Row{}, err
		}
		if blank(rec) {
			continue
		}
		cells, rerr := shape(rec, len(c.header), c.file, c.row)
		return Row{Number: c.row, Cells: cells, Err: rerr}, nil
	}
}

func (c *csvReader) Close() error {
	if c.closer != nil {
		return c.closer.Close()
	}
	return nil
}

// LooksUTF8 reports whether prefix is valid UTF-8 that uses non-ASCII
// characters (a rune cut off at the end is allowed): a hint that a legacy
// --encoding may be the wrong choice.
func LooksUTF8(prefix []byte) bool {
	for cut := 0; cut < 4 && len(prefix) > 0 && !utf8.Valid(prefix); cut++ {
		prefix = prefix[:len(prefix)-1]
	}
	if !utf8.Valid(prefix) {
		return false
	}
	for _, b := range prefix {
		if b >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func isUTF16(e encoding.Encoding) bool {
	for _, n := range []string{"utf-16", "utf-16le", "utf-16be"} {
		if e == encodings[n]() {
			return true
		}
	}
	return false
}
