package input

import (
	"encoding/xml"
	"fmt"
	"io"
)

// A workbook of a few megabytes can ask for far more work than its size
// suggests without breaking any size limit: a cell at column XFD in each
// of a million rows makes every row 16,384 cells wide, one 256 KiB
// shared string referenced by a million cells is 256 GiB of text, a
// number format of 60,000 zeros renders 60 KB per cell. So a read of an
// .xlsx counts its work, in units of roughly a nanosecond:
//
//   - every byte inflated from the archive (inflating, guarding and
//     decoding it): 1;
//   - every XML token decoded: costToken;
//   - every cell a row is made of, padding to the header's width
//     included: costCell (a string header allocated, zeroed and
//     scanned by the collector); every byte of text it hands on: 1;
//   - every byte a number format renders, and each of its placeholders: 1;
//   - every header candidate tested against the mapping: costFits, plus
//     a unit per cell and per byte of its text;
//   - every part opened (a decompressor set up): costOpen.
//
// and refuses to go on beyond workBase plus workPerByte units per byte of
// the file. A spreadsheet program's file needs well under a tenth of that
// (BenchmarkXLSX and TestWorkOfRealWorkbooks measure it), so the budget
// is never near for real files, while a hostile one ends within a few
// seconds of work (a unit is about 2 ns of a reader's time on a 2 GHz
// core: a 5 MB file is allowed about 2.8 billion units), with a
// [LimitError], however it was made. Tests assert the budget on the units
// counted, never on time.
const (
	workBase    = 256 << 20
	workPerByte = 512
	costToken   = 32
	costFits    = 64 << 10
	costOpen    = 64 << 10
	costCell    = 2
)

// work is the work budget of one read.
type work struct {
	used, limit int64
	size        int64 // of the file, for the message
}

// newWork returns the budget of a read of a file of size bytes.
func newWork(size int64) *work {
	return &work{limit: workBase + workPerByte*max(size, 0), size: size}
}

// add counts n units and fails once the budget is spent.
func (w *work) add(n int) error {
	w.used += int64(n)
	if w.used > w.limit {
		return limitf("reading the workbook takes more than %d units of work (%d per byte of its %s, and %d more; a spreadsheet program's file needs a small part of that)",
			w.limit, workPerByte, size(w.size), workBase)
	}
	return nil
}

// tokens streams a part's XML tokens, counting them.
type tokens struct {
	d *xml.Decoder
	w *work
}

// decoder reads XML from a part's stream, guarded against huge tokens,
// in UTF-8, UTF-16 (by byte order mark or declaration) or a declared
// legacy encoding, counting each token against w.
func decoder(r io.Reader, name string, w *work) *tokens {
	d := xml.NewDecoder(&markupGuard{r: unicodeXML(r), name: name})
	d.CharsetReader = charsetReader
	return &tokens{d: d, w: w}
}

// next returns the next token (as xml.Decoder.RawToken).
func (t *tokens) next() (xml.Token, error) {
	tok, err := t.d.RawToken()
	if err == nil {
		if werr := t.w.add(costToken); werr != nil {
			return nil, werr
		}
	}
	return tok, err
}

// fitsCost is what testing a header candidate of n cells counts.
func fitsCost(cells []string) int {
	n := costFits + len(cells)
	for _, c := range cells {
		n += len(c)
	}
	return n
}

// describe is w for a test's log.
func (w *work) String() string {
	return fmt.Sprintf("%d of %d units", w.used, w.limit)
}
