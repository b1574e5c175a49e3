package input

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/l10n"
)

// The .xlsx reader streams the worksheet XML straight from the zip
// archive. excelize is not used to open the file: excelize.OpenFile
// inflates every part of every sheet into memory (or temp files) before
// the first row, its row iterator drops each cell's style, so it cannot
// tell a date from a number, and it ends silently on corrupt XML. Reading
// the parts directly keeps types, reports every decode error, enforces
// the package's limits and holds one row at a time; excelize still
// converts date serials and cell names.

type xlsxReader struct {
	file     string
	arc      *archive
	closer   io.Closer // the file opened by Open
	sheet    string
	part     io.ReadCloser
	dec      *tokens
	sst      sharedStrings
	fmts     []*numFormat // per cell style (cellXfs index); nil: General
	date1904 bool
	header   []string
	allText  []Kind     // the kinds of a row of text, shared
	pending  []sheetRow // rows read while looking for the header
	lastRow  int
	rows     int // row elements read
	done     bool
	ended    bool   // saw </sheetData>
	val      []byte // the current cell's text
	// struck marks the cell styles (cellXfs entries) whose font is
	// struck through; filtered and zeroHeight are the worksheet's
	// sheetPr filterMode and sheetFormatPr zeroHeight.
	struck               []bool
	filtered, zeroHeight bool
}

func openXLSX(ra io.ReaderAt, size int64, name string, opts Options, closer io.Closer) (Reader, error) {
	fail := func(err error) (Reader, error) {
		return nil, l10n.Errorf("open %s: %w", name, err)
	}
	w := opts.work
	if w == nil {
		w = newWork(size)
	}
	arc, err := openArchive(ra, size, w)
	if err != nil {
		return fail(err)
	}
	x := &xlsxReader{file: name, arc: arc}
	wb, err := arc.readWorkbook()
	if err != nil {
		return fail(err)
	}
	x.date1904 = wb.date1904
	if err := x.readStyles(arc, wb.styles); err != nil {
		return fail(err)
	}
	if err := x.readSharedStrings(arc, wb.strs); err != nil {
		return fail(err)
	}
	var sh sheetInfo
	if opts.Sheet == "" && opts.Fits != nil {
		sh, err = x.fittingSheet(wb, opts.Fits, opts.SkipSheet)
	} else {
		sh, err = pickSheet(wb, opts.Sheet)
	}
	if err != nil {
		return fail(err)
	}
	if err := x.openSheet(sh); err != nil {
		return fail(err)
	}
	if _, err := x.findHeader(opts.Fits); err != nil {
		x.Close()
		return nil, err
	}
	x.closer = closer
	return x, nil
}

// openSheet starts streaming a worksheet part.
func (x *xlsxReader) openSheet(s sheetInfo) error {
	if x.part != nil {
		x.part.Close()
	}
	rc, _, err := x.arc.open(s.part, maxSheetPart)
	if err != nil {
		return l10n.Errorf("open worksheet %q: %w", s.name, err)
	}
	x.sheet, x.part, x.dec = s.name, rc, decoder(rc, s.part, x.arc.work)
	x.lastRow, x.rows, x.done, x.ended = 0, 0, false, false
	x.filtered, x.zeroHeight = false, false
	return nil
}

// nextRow decodes the next <row> element: its number and its cell values,
// placed at their columns, and whether it is hidden or has struck-through
// text. width is the expected number of cells.
func (x *xlsxReader) nextRow(width int) (sheetRow, error) {
	if x.done {
		return sheetRow{}, io.EOF
	}
	var (
		row    sheetRow
		inRow  bool
		col    int
		style  int
		typ    string
		inV    bool
		inIS   bool
		inT    bool
		inRPh  bool
		inRPr  bool
		strike bool // a run of the cell's inline string is struck through
		isCell bool
		ref    string
	)
	fail := func(err error) (sheetRow, error) {
		x.done = true
		return sheetRow{}, err
	}
	for {
		tok, err := x.dec.next()
		if err == io.EOF {
			x.done = true
			if inRow {
				return sheetRow{}, l10n.Errorf("read %s: row %d: the worksheet ends inside a row: the file is truncated or corrupt", x.file, row.num)
			}
			if !x.ended {
				return sheetRow{}, l10n.Errorf("read %s: after row %d: the worksheet ends early: the file is truncated or corrupt", x.file, x.lastRow)
			}
			return sheetRow{}, io.EOF
		}
		if err != nil {
			where := fmt.Sprintf("after row %d", x.lastRow)
			if inRow {
				where = fmt.Sprintf("row %d", row.num)
			}
			if isLimit(err) {
				return fail(l10n.Errorf("read %s: %s: %w", x.file, where, err))
			}
			return fail(l10n.Errorf("read %s: %s: the worksheet is corrupt: %w", x.file, where, err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow = true
				x.rows++
				row = sheetRow{num: x.lastRow + 1, hidden: x.rowHidden(t)}
				if r := attr(t, "r"); r != "" {
					n, err := strconv.Atoi(r)
					if err != nil || n < 1 {
						return fail(l10n.Errorf("read %s: after row %d: row number %q is not a number from 1 to %d", x.file, x.lastRow, clip(r), maxRows))
					}
					row.num = n
				}
				if row.num > maxRows || x.rows > maxRows {
					return fail(l10n.Errorf("read %s: row %d: %w", x.file, row.num, limitf("the sheet has more than %d rows", maxRows)))
				}
				if row.num <= x.lastRow {
					return fail(l10n.Errorf("read %s: row %d comes after row %d: rows out of order or twice: the file is corrupt", x.file, row.num, x.lastRow))
				}
				col = 0
			case "c":
				isCell, strike = true, false
				col++
				style, typ, ref = 0, "", ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						ref = a.Value
						if c, _, err := excelize.CellNameToCoordinates(a.Value); err == nil {
							col = c
						} else if isColumnOverflow(a.Value) {
							col = maxColumns + 1
						}
					case "s":
						style, _ = strconv.Atoi(a.Value)
					case "t":
						typ = a.Value
					}
				}
				if col > maxColumns {
					if ref == "" {
						ref = fmt.Sprint("number ", col)
					}
					return fail(l10n.Errorf("read %s: row %d: %w", x.file, row.num, limitf("cell %s is beyond column XFD (%d), Excel's last", clip(ref), maxColumns)))
				}
				x.val = x.val[:0]
			case "v":
				inV = true
			case "is":
				inIS = true
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			case "rPr":
				inRPr = true
			case "strike":
				if inIS && inRPr && !inRPh && on(t) {
					strike = true
				}
			case "sheetPr":
				x.filtered = truthy(attr(t, "filterMode"))
			case "sheetFormatPr":
				x.zeroHeight = truthy(attr(t, "zeroHeight"))
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			case "rPr":
				inRPr = false
			case "c":
				if isCell {
					v, k, struck, err := x.cellValue(typ, style, x.val)
					if err != nil {
						return fail(l10n.Errorf("read %s: row %d, column %d: %w", x.file, row.num, col, err))
					}
					if v != "" && (struck || strike || x.struckStyle(style)) && row.struck == 0 {
						row.struck, row.partly = col, struck || strike
					}
					switch {
					case v == "":
					case width > 0 && col > width:
						// Beyond the header: the row is unusable; only the
						// first such cell is kept, for the message, so a
						// cell at XFD does not make the row 16,384 wide.
						if row.extraCol == 0 {
							row.extraCol, row.extra = col, v
						}
						v = ""
					case col-1 < len(row.cells): // out of order: invalid, but place it
						row.cells[col-1] = v
					default:
						if err := x.arc.work.add(costCell * (col - len(row.cells))); err != nil {
							return fail(l10n.Errorf("read %s: row %d: %w", x.file, row.num, err))
						}
						if row.cells == nil {
							row.cells = make([]string, 0, max(width, col))
						}
						for len(row.cells) < col-1 {
							row.cells = append(row.cells, "")
						}
						row.cells = append(row.cells, v)
					}
					if k != KindText && v != "" {
						if row.kinds == nil {
							row.kinds = make([]Kind, max(width, col))
						}
						for len(row.kinds) < col {
							row.kinds = append(row.kinds, KindText)
						}
						row.kinds[col-1] = k
					}
				}
				isCell = false
			case "row":
				x.lastRow = row.num
				return row, nil
			case "sheetData":
				x.ended = true
			}
		case xml.CharData:
			if isCell && (inV || (inIS && inT && !inRPh)) {
				if len(x.val)+len(t) > maxCell {
					return fail(l10n.Errorf("read %s: row %d, column %d: %w", x.file, row.num, col, limitf("the cell is longer than %s", size(maxCell))))
				}
				x.val = append(x.val, t...)
			}
		}
	}
}

// isColumnOverflow reports whether ref is a cell name whose column
// letters are beyond XFD (excelize refuses those).
func isColumnOverflow(ref string) bool {
	n := 0
	for _, c := range ref {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
			n++
		default:
			return n > 3 || n == 3 && strings.ToUpper(ref[:3]) > "XFD"
		}
	}
	return false
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// Sheet returns the name of the worksheet read.
func (x *xlsxReader) Sheet() string { return x.sheet }

// Header returns the header texts.
func (x *xlsxReader) Header() []string { return x.header }

// Next returns the next non-blank row.
func (x *xlsxReader) Next() (Row, error) {
	for {
		var row sheetRow
		if len(x.pending) > 0 {
			row = x.pending[0]
			x.pending = x.pending[1:]
		} else {
			var err error
			if row, err = x.nextRow(len(x.header)); err != nil {
				return Row{}, err
			}
		}
		// The row's cells, its padding to the header's width and the
		// text it hands on are work for whatever reads it; a blank row
		// is skipped having cost its cells.
		n := costCell * len(row.cells)
		for _, c := range row.cells {
			n += len(c)
		}
		blank := trimBlank(row.cells) && row.extraCol == 0
		if !blank {
			n += costCell * len(x.header)
		}
		if err := x.arc.work.add(n); err != nil {
			x.done = true
			return Row{}, l10n.Errorf("read %s: row %d: %w", x.file, row.num, err)
		}
		if blank {
			continue
		}
		cells, rerr := shape(row.cells, len(x.header))
		if row.extraCol > 0 && rerr == nil {
			rerr = l10n.Errorf("column %d has %q, but the header has only %d columns", row.extraCol, clip(row.extra), len(x.header))
		}
		r := Row{Number: row.num, Cells: cells, Kinds: x.kinds(row.kinds), Err: rerr}
		if m := x.held(row); m != nil {
			r.Held, r.HeldWhy = m.String(), m
		}
		return r, nil
	}
}

// kinds fits a row's kinds to the header width; a row of text shares
// one slice of KindText.
func (x *xlsxReader) kinds(k []Kind) []Kind {
	w := len(x.header)
	if k == nil {
		if len(x.allText) != w {
			x.allText = make([]Kind, w)
		}
		return x.allText[:w:w]
	}
	if len(k) < w {
		k = append(k, make([]Kind, w-len(k))...)
	}
	return k[:w:w]
}

// Close closes the worksheet and the file opened by Open.
func (x *xlsxReader) Close() error {
	if x.part != nil {
		x.part.Close()
		x.part = nil
	}
	if x.closer != nil {
		err := x.closer.Close()
		x.closer = nil
		return err
	}
	return nil
}
