package input

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/certbatch/certbatch/internal/l10n"
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
		return nil, l10n.Errorf("unknown encoding %q; use one of %s, or a WHATWG label such as shift_jis, gbk, windows-1252", name, strings.Join(EncodingNames(), ", "))
	}
	return e, nil
}

// check says how decoded text is verified.
type check uint8

const (
	checkUTF8   check = iota // undecoded input: must be valid UTF-8
	checkLegacy              // decoded input: U+FFFD marks bytes the encoding does not have
)

// slabRows is how many rows share one backing array of cells: fewer
// allocations, and callers batch rows anyway.
const slabRows = 256

type csvReader struct {
	file     string
	enc      string // the --encoding given, for messages
	closer   io.Closer
	r        *csv.Reader
	guard    *recordGuard
	header   []string
	check    check
	row      int // row number of the last record returned
	endLine  int // physical line where the last record ended
	slab     []string
	pending  []pendingRecord
	repaired string            // the repairs of the last record read
	head     []byte            // the file's first bytes, undecoded, when not UTF-8: for detection
	legacy   encoding.Encoding // the legacy --encoding; nil for UTF-8 and UTF-16
	canon    string            // its WHATWG name
	fam      family            // its family, for rating decoded text
	compared bool              // the decoding was compared with the other candidates
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// NewCSV reads CSV from r; name is used in error messages.
func NewCSV(r io.Reader, name string, opts Options) (Reader, error) {
	return newCSV(r, name, opts, nil)
}

// newCSV reads CSV from r; closer, when not nil, is closed by Close (and
// not on an error).
func newCSV(r io.Reader, name string, opts Options, closer io.Closer) (Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4) // a shorter file is fine
	// The start of a file that is not UTF-8, for naming its encoding.
	var head16 []byte
	if p, _ := br.Peek(16 << 10); !bytes.HasPrefix(p, bomUTF16LE) && !bytes.HasPrefix(p, bomUTF16BE) && !utf8.Valid(trimCut(p)) {
		head16 = wholeLines(bytes.Clone(p), 16<<10)
	}
	dr := br
	chk := checkUTF8
	decode := func(t transform.Transformer) {
		dr = bufio.NewReaderSize(transform.NewReader(br, t), 64<<10)
		chk = checkLegacy
	}
	var legacy encoding.Encoding // a legacy --encoding (not UTF-8 or UTF-16)
	enc := strings.ToLower(strings.TrimSpace(opts.Encoding))
	utf16BOM := bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE)
	switch {
	case enc == "" && utf16BOM:
		// The BOM decides the byte order.
		decode(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
	case enc == "":
		if bytes.HasPrefix(head, bomUTF8) {
			br.Discard(len(bomUTF8))
		}
	default:
		e, err := lookupEncoding(enc)
		if err != nil {
			return nil, l10n.Errorf("read %s: %w", name, err)
		}
		switch {
		case e == unicode.UTF8 || e == unicode.UTF8BOM:
			// Not through a decoder: x/text would turn invalid bytes
			// into U+FFFD silently.
			if bytes.HasPrefix(head, bomUTF8) {
				br.Discard(len(bomUTF8))
			}
		case isUTF16(e):
			decode(unicode.BOMOverride(e.NewDecoder()))
		default:
			// Text in CP949, Big5 and the like is almost never valid
			// UTF-8; UTF-8 read as one of them is mojibake on a
			// certificate. Refuse rather than guess.
			if prefix, _ := br.Peek(64 << 10); bytes.HasPrefix(prefix, bomUTF8) || LooksUTF8(prefix) && readsAsUTF8(e, prefix) {
				return nil, l10n.Errorf("read %s: --encoding %s was given, but the file is UTF-8 (its non-ASCII text is valid UTF-8): leave out --encoding", name, opts.Encoding)
			}
			decode(unicode.BOMOverride(e.NewDecoder()))
			legacy = e
		}
	}
	if crOnly(dr) {
		dr = bufio.NewReaderSize(crToLF{dr}, 64<<10)
	}
	comma, ok := sepLine(dr)
	if !ok {
		comma = sniffDelimiter(dr)
	}
	guard := newRecordGuard(dr, comma)
	cr := csv.NewReader(guard)
	cr.Comma = comma
	cr.LazyQuotes = true // read stray quotes as Excel does; the guard reports them
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	c := &csvReader{file: name, enc: opts.Encoding, r: cr, guard: guard, check: chk}
	c.head = head16
	if legacy != nil {
		c.legacy = legacy
		c.canon, _ = htmlindex.Name(legacy)
		c.fam = familyOf(c.canon)
	}
	var seen []pendingRecord
	for len(seen) < headerScan {
		rec, err := c.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if trimBlank(rec) {
			continue
		}
		rec[0] = strings.TrimSpace(strings.TrimPrefix(rec[0], "\uFEFF"))
		if opts.Fits == nil || opts.Fits(rec) {
			c.header, c.pending = slices.Clone(rec), nil
			seen = nil
			break
		}
		seen = append(seen, pendingRecord{c.row, slices.Clone(rec), c.repaired})
	}
	if c.header == nil {
		if len(seen) == 0 {
			return nil, l10n.Errorf("read %s: the file is empty: no header row", name)
		}
		c.header, c.pending = seen[0].cells, seen[1:]
	}
	if enc == "" {
		for _, h := range c.header {
			if strings.IndexByte(h, 0) >= 0 {
				return nil, l10n.Errorf("read %s: the header has NUL characters: the file is probably UTF-16 without a byte order mark: pass --encoding utf-16le (or utf-16be)", name)
			}
		}
	}
	c.closer = closer
	return c, nil
}

// pendingRecord is a record read while looking for the header.
type pendingRecord struct {
	row      int
	cells    []string
	repaired string
}

// read returns the next record and keeps the spreadsheet row count:
// encoding/csv skips blank lines, a spreadsheet program counts them. The
// record is reused by the next call.
func (c *csvReader) read() ([]string, error) {
	rec, err := c.r.Read()
	if err != nil {
		var pe *csv.ParseError
		var ge *guardError
		if errors.As(err, &ge) {
			return nil, l10n.Errorf("read %s: row %d (line %d): %w", c.file, c.row+1+max(0, ge.startLine-c.endLine-1), ge.startLine, ge.err)
		}
		if errors.As(err, &pe) {
			return nil, l10n.Errorf("read %s: row %d (line %d, column %d): %w", c.file, c.row+1+max(0, pe.StartLine-c.endLine-1), pe.Line, pe.Column, pe.Err)
		}
		if err == io.EOF {
			return nil, err
		}
		return nil, l10n.Errorf("read %s: row %d: %w", c.file, c.row+1, err)
	}
	start, _ := c.r.FieldPos(0)
	c.row += 1 + max(0, start-c.endLine-1)
	last, _ := c.r.FieldPos(len(rec) - 1)
	c.endLine = last + strings.Count(rec[len(rec)-1], "\n")
	c.repaired = c.guard.repaired(start, c.endLine)
	if len(rec) > maxColumns {
		return nil, l10n.Errorf("read %s: row %d: %w", c.file, c.row, limitf("the record has %d fields, more than Excel's %d columns", len(rec), maxColumns))
	}
	for i, s := range rec {
		if len(s) > maxCell {
			return nil, l10n.Errorf("read %s: row %d, column %d: %w", c.file, c.row, i+1, limitf("the field is longer than %s", size(maxCell)))
		}
		switch c.check {
		case checkUTF8:
			if !utf8.ValidString(s) {
				hint := l10n.Msgf("the file was probably saved in another encoding: pass --encoding")
				if e := detectEncoding(c.sample(rec)); e != nil {
					hint = l10n.Msgf("the file looks like %s: pass --encoding %s, or another:", looksLike(e), looksLike(e))
				}
				return nil, l10n.Errorf("read %s: row %d, column %d: the text is not valid UTF-8; %s cp949 (Korean), big5 (Traditional Chinese), gbk (Simplified Chinese), shift_jis (Japanese), windows-874 (Thai), utf-16 (Excel \"Unicode text\"), windows-1252 (Western European)", c.file, c.row, i+1, hint)
			}
		case checkLegacy:
			if strings.ContainsRune(s, utf8.RuneError) {
				return nil, l10n.Errorf("read %s: row %d, column %d: the bytes are not valid %s text: is --encoding right?%s", c.file, c.row, i+1, c.encName(), c.suggest())
			}
			if c.enc != "" {
				if why := implausible(s, c.fam); why != "" {
					return nil, l10n.Errorf("read %s: row %d, column %d: %q does not read as %s text (%s): is --encoding right?%s", c.file, c.row, i+1, clip(s), c.enc, why, c.suggest())
				}
				if err := c.compare(rec, s); err != nil {
					return nil, l10n.Errorf("read %s: row %d, column %d: %w", c.file, c.row, i+1, err)
				}
			}
		}
	}
	return rec, nil
}

// sample is the start of the file for detection, or else the record.
func (c *csvReader) sample(rec []string) []byte {
	if len(c.head) > 0 {
		return c.head
	}
	return []byte(strings.Join(rec, ","))
}

// suggest names the detected encoding of the file's start.
func (c *csvReader) suggest() l10n.Msg {
	if e := detectEncoding(c.head); e != nil && !strings.EqualFold(e[0], c.enc) {
		return l10n.Msgf(" the file looks like %s: try --encoding %s", looksLike(e), looksLike(e))
	}
	return l10n.Term("")
}

// compare checks, at the first cell s of text beyond ASCII, that no other
// candidate encoding reads the file's start more plausibly than the
// --encoding given: Korean read as GBK or EUC-JP is common Han
// characters, read as windows-874 Thai letters, each plausible alone.
func (c *csvReader) compare(rec []string, s string) error {
	if c.compared || c.legacy == nil || !hasNonASCII(s) {
		return nil
	}
	c.compared = true
	enc := c.legacy.NewEncoder()
	raw, err := enc.String(s)
	if err != nil {
		return nil // not from this encoding: the bytes check says so
	}
	sample := c.head
	if len(sample) == 0 {
		joined, err := enc.String(strings.Join(rec, ","))
		if err != nil {
			return nil
		}
		sample = []byte(joined)
	}
	best, strictly, text, ok := outranked(sample, c.canon, []byte(raw))
	if !ok {
		return nil
	}
	as := ""
	if text != "" {
		as = fmt.Sprintf(" (%q)", clip(text))
	}
	name := suggestName(best.label)
	if !strictly {
		return l10n.Errorf("%q reads as plausibly in %s%s as in %s: which one the file is cannot be told from its text; save it as \"CSV UTF-8\" and leave out --encoding", clip(s), name, as, c.enc)
	}
	return l10n.Errorf("%q does not read as %s text: the file reads more plausibly as %s%s: try --encoding %s; if the file is %s after all, save it as \"CSV UTF-8\" and leave out --encoding", clip(s), c.enc, name, as, name, c.enc)
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// wholeLines cuts a prefix of a longer file (as long as full) after its
// last line break, so that no character is cut in two; a prefix without
// one is kept whole.
func wholeLines(p []byte, full int) []byte {
	if len(p) < full {
		return p
	}
	if i := bytes.LastIndexAny(p, "\r\n"); i > 0 {
		return p[:i+1]
	}
	return p
}

func (c *csvReader) encName() string {
	if c.enc == "" {
		return "UTF-16"
	}
	return c.enc
}

// Sheet returns "": a CSV file has no sheets.
func (c *csvReader) Sheet() string { return "" }

// Header returns the header texts.
func (c *csvReader) Header() []string { return c.header }

// Next returns the next non-blank row.
func (c *csvReader) Next() (Row, error) {
	if len(c.pending) > 0 {
		p := c.pending[0]
		c.pending = c.pending[1:]
		cells, rerr := shape(p.cells, len(c.header))
		return Row{Number: p.row, Cells: cells, Err: rerr, Repaired: p.repaired}, nil
	}
	for {
		rec, err := c.read()
		if err != nil {
			return Row{}, err
		}
		if trimBlank(rec) {
			continue
		}
		// rec is reused by encoding/csv: copy the cells (string headers)
		// into a slab shared by the next rows; a row wider than the
		// header gets its own array.
		var cells []string
		if w := len(c.header); len(rec) <= w {
			if len(c.slab) < w {
				c.slab = make([]string, w*slabRows)
			}
			cells = c.slab[:len(rec):w]
			c.slab = c.slab[w:]
		} else {
			cells = make([]string, len(rec))
		}
		copy(cells, rec)
		cells, rerr := shape(cells, len(c.header))
		return Row{Number: c.row, Cells: cells, Err: rerr, Repaired: c.repaired}, nil
	}
}

// Close closes the file opened by Open.
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

// trimCut drops a rune cut off at the end of a prefix.
func trimCut(p []byte) []byte {
	for cut := 0; cut < 3 && len(p) > 0 && !utf8.Valid(p); cut++ {
		p = p[:len(p)-1]
	}
	return p
}

func isUTF16(e encoding.Encoding) bool {
	for _, n := range []string{"utf-16", "utf-16le", "utf-16be"} {
		if e == encodings[n]() {
			return true
		}
	}
	return false
}
