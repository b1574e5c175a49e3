package results

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/certbatch/certbatch/internal/l10n"
)

// cellTag says how a spilled cell is written to the workbook.
type cellTag uint8

const (
	tagEmpty    cellTag = iota
	tagText             // inline string
	tagInt              // integer: the row number, an ID, an input number
	tagFloat            // other input number
	tagDate             // yyyy-mm-dd
	tagDateTime         // yyyy-mm-dd hh:mm:ss
	tagTime             // hh:mm:ss
	tagBool             // true or false
)

// spillCell is one cell of a spilled row: its tag and its text.
type spillCell struct {
	tag  cellTag
	text string
}

// spill keeps a workbook's rows in a temporary file until Commit, so the
// column widths, which excelize's StreamWriter needs before the first
// row, can fit every row and not only the first few, with memory flat
// however many rows there are. The file lives beside the results file
// (so it is as private as the results, mode 0600) and is removed by
// remove. A row is a tint class byte, a cell count and, per cell, a tag
// byte and the length-prefixed text.
type spill struct {
	f   *os.File
	w   *bufio.Writer
	tmp []byte
}

func newSpill(path string) (*spill, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".rows-*")
	if err != nil {
		return nil, err
	}
	return &spill{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// add appends a row.
func (s *spill) add(class uint8, cells []spillCell) error {
	b := append(s.tmp[:0], class)
	b = binary.AppendUvarint(b, uint64(len(cells)))
	for _, c := range cells {
		b = append(b, byte(c.tag))
		if c.tag != tagEmpty {
			b = binary.AppendUvarint(b, uint64(len(c.text)))
			b = append(b, c.text...)
		}
	}
	s.tmp = b[:0]
	_, err := s.w.Write(b)
	return err
}

// rewind ends writing and returns a reader of the rows from the first.
func (s *spill) rewind() (*spillReader, error) {
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return &spillReader{r: bufio.NewReaderSize(s.f, 256<<10)}, nil
}

// remove closes and deletes the file; it may be called more than once.
func (s *spill) remove() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
}

// spillReader reads spilled rows back.
type spillReader struct {
	r   *bufio.Reader
	buf []byte
}

// errSpill means the temporary file does not hold what was written.
var errSpill = l10n.Errorf("temporary row file is corrupt")

// next reads the next row into cells (reusing its storage), or returns
// io.EOF after the last row.
func (r *spillReader) next(cells []spillCell) (uint8, []spillCell, error) {
	class, err := r.r.ReadByte()
	if err != nil {
		return 0, nil, err // io.EOF at the end
	}
	n, err := binary.ReadUvarint(r.r)
	if err != nil || n > 1<<20 {
		return 0, nil, fmt.Errorf("%w: %v", errSpill, err)
	}
	cells = cells[:0]
	for range n {
		tag, err := r.r.ReadByte()
		if err != nil {
			return 0, nil, fmt.Errorf("%w: %v", errSpill, err)
		}
		c := spillCell{tag: cellTag(tag)}
		if c.tag != tagEmpty {
			l, err := binary.ReadUvarint(r.r)
			if err != nil || l > 1<<20 {
				return 0, nil, fmt.Errorf("%w: %v", errSpill, err)
			}
			if uint64(cap(r.buf)) < l {
				r.buf = make([]byte, l)
			}
			if _, err := io.ReadFull(r.r, r.buf[:l]); err != nil {
				return 0, nil, fmt.Errorf("%w: %v", errSpill, err)
			}
			c.text = string(r.buf[:l])
		}
		cells = append(cells, c)
	}
	return class, cells, nil
}
