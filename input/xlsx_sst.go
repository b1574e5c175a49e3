package input

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// sharedStrings holds a workbook's shared-strings table as one byte
// buffer and offsets: 4 bytes per string instead of a string header and
// an allocation each (a million-row sheet of unique names and emails has
// millions of entries). Cells are substrings of the sealed table.
type sharedStrings struct {
	buf    []byte   // while loading
	offs   []uint32 // offs[i] is the end of string i; string i starts at offs[i-1]
	sealed string   // the whole table once loaded
}

// end closes the string being appended to buf.
func (s *sharedStrings) end() { s.offs = append(s.offs, uint32(len(s.buf))) }

// seal turns the buffer into one string that cells are sliced from,
// without a copy: buf is never written again.
func (s *sharedStrings) seal() {
	if len(s.buf) > 0 {
		s.sealed = unsafe.String(unsafe.SliceData(s.buf), len(s.buf))
	}
	s.buf = nil
}

func (s *sharedStrings) len() int { return len(s.offs) }

// mem is the table's memory for the maxSST limit.
func (s *sharedStrings) mem() int { return len(s.buf) + 4*len(s.offs) }

func (s *sharedStrings) get(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.offs[i-1]
	}
	return s.sealed[start:s.offs[i]]
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
	// One allocation, never grown: the text is shorter than the part.
	// Pages not written to are not resident.
	x.sst.buf = make([]byte, 0, min(a.files[partKey(part)].UncompressedSize64, maxSST))
	dec := decoder(rc, part)
	var inT, inRPh, inSI bool
	start := 0
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("decode shared strings %s: %w", part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sst":
				// Excel writes the number of entries: one allocation.
				if n, err := strconv.Atoi(attr(t, "uniqueCount")); err == nil && n > 0 && x.sst.offs == nil {
					x.sst.offs = make([]uint32, 0, min(n, maxSSTCount))
				}
			case "si":
				if x.sst.len() >= maxSSTCount {
					return limitf("the shared-strings table %s has more than %d entries", part, maxSSTCount)
				}
				inSI, start = true, len(x.sst.buf)
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if inSI {
					x.sst.buf = append(x.sst.buf[:start], unescapeX(x.sst.buf[start:])...)
					if x.sst.mem()+4 > maxSST {
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
				if len(x.sst.buf)-start+len(t) > maxCell {
					return limitf("shared string %d in %s is longer than %s", x.sst.len(), part, size(maxCell))
				}
				if x.sst.mem()+len(t) > maxSST {
					return limitf("the shared-strings table %s needs more than %s", part, size(maxSST))
				}
				x.sst.buf = append(x.sst.buf, t...)
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
