package input

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/certbatch/certbatch/internal/l10n"
)

// sharedStrings holds a workbook's shared-strings table as one byte
// buffer and offsets: 4 bytes per string instead of a string header and
// an allocation each (a million-row sheet of unique names and emails has
// millions of entries). Cells are substrings of the sealed table.
type sharedStrings struct {
	chunks []string // sealed chunks of text
	cur    []byte   // the chunk being filled (capacity sstChunk)
	start  int      // where in cur the string being read starts
	ents   []uint64 // per string: chunk index (16 bits), start (24), length (24)
	bytes  int      // text capacity allocated so far
	struck []uint64 // a bit per string: a run of it is struck through
}

// markStruck notes that string i has a struck-through run.
func (s *sharedStrings) markStruck(i int) {
	for len(s.struck) <= i/64 {
		s.struck = append(s.struck, 0)
	}
	s.struck[i/64] |= 1 << (i % 64)
}

// isStruck reports whether string i has a struck-through run.
func (s *sharedStrings) isStruck(i int) bool {
	return i/64 < len(s.struck) && s.struck[i/64]&(1<<(i%64)) != 0
}

// sstChunk is the size of the chunks the table's text is kept in: a
// string (at most maxCell, 256 KiB) never straddles two, and the table
// grows a chunk at a time, so a table at its limit is never copied and
// never held twice while growing.
const sstChunk = 1 << 20

// begin starts a string.
func (s *sharedStrings) begin() { s.start = len(s.cur) }

// text is the string being read so far.
func (s *sharedStrings) text() []byte { return s.cur[s.start:] }

// add appends t to the string being read, moving it into a new chunk
// when the current one is full.
func (s *sharedStrings) add(t []byte) {
	if len(s.cur)+len(t) > cap(s.cur) {
		part := s.cur[s.start:]
		next := make([]byte, 0, max(sstChunk, len(part)+len(t)))
		next = append(next, part...)
		if s.cur != nil {
			s.cur = s.cur[:s.start]
			s.chunks = append(s.chunks, unsafe.String(unsafe.SliceData(s.cur), len(s.cur)))
		}
		s.cur, s.start = next, 0
		s.bytes += cap(next)
	}
	s.cur = append(s.cur, t...)
}

// replace sets the string being read to b (no longer than it was).
func (s *sharedStrings) replace(b []byte) { s.cur = append(s.cur[:s.start], b...) }

// end closes the string being read.
func (s *sharedStrings) end() {
	s.ents = append(s.ents, uint64(len(s.chunks))<<48|uint64(s.start)<<24|uint64(len(s.cur)-s.start))
}

// seal makes the last chunk readable, without a copy: chunks are never
// written again.
func (s *sharedStrings) seal() {
	if s.cur != nil {
		s.chunks = append(s.chunks, unsafe.String(unsafe.SliceData(s.cur), len(s.cur)))
		s.cur = nil
	}
}

func (s *sharedStrings) len() int { return len(s.ents) }

// mem is the table's memory for the maxSST limit.
func (s *sharedStrings) mem() int { return s.bytes + 8*len(s.ents) }

func (s *sharedStrings) get(i int) string {
	e := s.ents[i]
	st, n := int(e>>24&0xFFFFFF), int(e&0xFFFFFF)
	if n == 0 {
		return ""
	}
	return s.chunks[e>>48][st : st+n]
}

// readSharedStrings loads the shared-strings table, which is how Excel
// and LibreOffice store every text cell. Phonetic guides (rPh) are not
// part of the text; _xHHHH_ escapes are decoded.
func (x *xlsxReader) readSharedStrings(a *archive, part string) error {
	if part == "" {
		return nil
	}
	rc, ok, err := a.open(part, maxSSTPart)
	if !ok || err != nil {
		return err
	}
	defer rc.Close()
	dec := decoder(rc, part, a.work)
	var inT, inRPh, inSI, inRPr bool
	for {
		tok, err := dec.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return l10n.Errorf("decode shared strings %s: %w", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sst":
				// Excel writes the number of entries: one allocation.
				if n, err := strconv.Atoi(attr(t, "uniqueCount")); err == nil && n > 0 && x.sst.ents == nil {
					x.sst.ents = make([]uint64, 0, min(n, maxSSTCount))
				}
			case "si":
				if x.sst.len() >= maxSSTCount {
					return limitf("the shared-strings table %s has more than %d entries", part, maxSSTCount)
				}
				inSI = true
				x.sst.begin()
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			case "rPr":
				inRPr = true
			case "strike":
				if inSI && inRPr && !inRPh && on(t) {
					x.sst.markStruck(x.sst.len())
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "rPr":
				inRPr = false
			case "si":
				if inSI {
					x.sst.replace(unescapeX(x.sst.text()))
					if x.sst.mem()+8 > maxSST {
						return limitf("the shared-strings table %s needs more than %s", part, size(maxSST))
					}
					x.sst.end()
				}
				inSI = false
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			}
		case xml.CharData:
			if inT && !inRPh && inSI {
				if len(x.sst.text())+len(t) > maxCell {
					return limitf("shared string %d in %s is longer than %s", x.sst.len(), part, size(maxCell))
				}
				if x.sst.mem()+len(t) > maxSST {
					return limitf("the shared-strings table %s needs more than %s", part, size(maxSST))
				}
				x.sst.add(t)
			}
		}
	}
	x.sst.seal()
	return nil
}

// unescapeX decodes the _xHHHH_ escapes of ECMA-376's ST_Xstring in
// place (each is 7 bytes and decodes to at most 4): _x000D_ is a
// carriage return, _x005F_ an underscore, so _x005F_x0041_ is the text
// "_x0041_". Surrogate pairs are joined; an unpaired one is U+FFFD.
func unescapeX(b []byte) []byte {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b
	}
	w := i
	for r := i; r < len(b); {
		c, ok := xEscape(b[r:])
		if !ok {
			b[w] = b[r]
			w++
			r++
			continue
		}
		r += 7
		if utf16.IsSurrogate(c) {
			if c2, ok := xEscape(b[r:]); ok && c < 0xDC00 && c2 >= 0xDC00 && c2 <= 0xDFFF {
				c = utf16.DecodeRune(c, c2)
				r += 7
			} else {
				c = utf8.RuneError
			}
		}
		w += utf8.EncodeRune(b[w:], c)
	}
	return b[:w]
}

// unescapeXString is unescapeX for a cell's value.
func unescapeXString(b []byte) string {
	if bytes.Contains(b, []byte("_x")) {
		return string(unescapeX(bytes.Clone(b)))
	}
	return string(b)
}

// xEscape decodes one _xHHHH_ at the start of b.
func xEscape(b []byte) (rune, bool) {
	if len(b) < 7 || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	var c rune
	for _, h := range b[2:6] {
		switch {
		case h >= '0' && h <= '9':
			c = c<<4 | rune(h-'0')
		case h >= 'a' && h <= 'f':
			c = c<<4 | rune(h-'a'+10)
		case h >= 'A' && h <= 'F':
			c = c<<4 | rune(h-'A'+10)
		default:
			return 0, false
		}
	}
	return c, true
}
