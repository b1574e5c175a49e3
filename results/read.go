package results

import (
	"errors"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/input"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// File is a results file read back.
type File struct {
	// InputHeader is the input columns' header text, in file order.
	InputHeader []string
	// Records are the data rows in file order; blank rows are skipped.
	Records []order.Result
	// Kinds holds, per record, what each input cell is in a workbook
	// (numbers, dates and booleans stay typed when the file is written
	// again); nil for a CSV file.
	Kinds [][]CellKind
	// Meta is what the workbook's Summary sheet says of its run (zero
	// for CSV), so writing the file again keeps it.
	Meta Meta
}

// Rewrite writes f to path (atomically, mode 0600) as a Writer would,
// keeping its Summary metadata and typed cells: `certbatch status`,
// `download` and `cancel` use it to write back a refreshed file.
func (f *File) Rewrite(path string) error {
	w, err := CreateWith(path, f.InputHeader, f.Meta)
	if err != nil {
		return err
	}
	defer w.Abort()
	for i := range f.Records {
		var kinds []CellKind
		if i < len(f.Kinds) {
			kinds = f.Kinds[i]
		}
		if err := w.WriteKinds(&f.Records[i], kinds); err != nil {
			return err
		}
	}
	return w.Commit()
}

// Read reads a results file written by a [Writer], or the same file after
// someone edited it in a spreadsheet program, in the current layout or
// the legacy one (fixed columns after the inputs).
//
// An .xlsx (or .xlsm) file is read from its "Results" sheet, or its first
// sheet when it has none, the way certbatch reads every workbook (see
// package input): numbers come back as typed (IDs as plain digits, never
// 1.2E+07), dates as yyyy-mm-dd, and cells are trimmed of surrounding
// white space, which is the one way an .xlsx round trip can change a
// value (besides the characters XML cannot hold; see the package doc).
// Text escaped as _xHHHH_ (as Excel and excelize store "_x0041_" and
// control characters) is decoded. A .csv file must be UTF-8 (a byte
// order mark is optional), separated by commas (or semicolons or tabs,
// as some Excel locales save it); every cell is unescaped with
// [Unescape] (or, for a file in the legacy layout, with the rule
// certbatch used then), so values come back exactly as written, except
// that a line break written CR LF comes back as LF.
//
// The first row is the header. The fixed [Columns] are found by name in
// any order, and every other column is an input column; when an input
// column shares a fixed column's name (such as "product"), the one
// among the other fixed columns is the fixed one. A file lacking any of
// them is not a certbatch results file, and the error names the missing
// columns.
func Read(path string) (*File, error) {
	var (
		t   table
		err error
	)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		t, err = openXLSXTable(path)
	case ".csv":
		t, err = openCSVTable(path)
	default:
		return nil, l10n.Errorf("read results %s: unknown file type %q; want .xlsx or .csv", path, filepath.Ext(path))
	}
	if err != nil {
		return nil, l10n.Errorf("read results %s: %w", path, err)
	}
	defer t.close()
	f, err := readTable(t)
	if err != nil {
		return nil, l10n.Errorf("read results %s: %w", path, err)
	}
	if _, ok := t.(*xlsxTable); ok {
		lang := f.Meta.Lang
		f.Meta = readMeta(path)
		f.Meta.Lang = lang
	}
	return f, nil
}

// readMeta reads the run's description from a workbook's Summary sheet
// (label, value rows before the counts, and the mapping section after
// them); anything unreadable is left out: it is a description, not data.
func readMeta(path string) Meta {
	var m Meta
	rd, err := openSummary(path, nil)
	if err != nil {
		return m
	}
	defer rd.Close()
	set := func(cells []string) bool {
		if len(cells) < 2 {
			return false
		}
		switch v := cells[1]; {
		case isLabel(cells[0], "batch"):
			m.Batch = v
		case isLabel(cells[0], "started"):
			m.Started, _ = time.Parse("2006-01-02 15:04:05 -07:00", v)
		case isLabel(cells[0], "input"):
			m.Input = v
		case isLabel(cells[0], "endpoint"):
			rest, isSandbox := cutLabel(v, "sandbox (nothing is bought)")
			if !isSandbox {
				rest, _ = cutLabel(v, "production")
			}
			m.Sandbox = isSandbox
			m.Endpoint = strings.TrimPrefix(rest, ": ")
		default:
			return false
		}
		return true
	}
	if set(rd.Header()) {
		for {
			row, err := rd.Next()
			if err != nil || !set(row.Cells) {
				break
			}
		}
	}
	m.Mapping = readMapping(path)
	return m
}

// readMapping reads the Summary sheet's mapping section: the rows after
// its heading (which comes within the sheet's first rows, right after
// the run's description) up to the counts' heading.
func readMapping(path string) []MappingRow {
	isHead := func(h []string) bool {
		return len(h) == 3 && isLabel(h[0], mappingHead[0]) && isLabel(h[1], mappingHead[1]) && isLabel(h[2], mappingHead[2])
	}
	rd, err := openSummary(path, isHead)
	if err != nil {
		return nil
	}
	defer rd.Close()
	if !isHead(rd.Header()) {
		return nil // no mapping section: the header is another row
	}
	var rows []MappingRow
	for {
		row, err := rd.Next()
		if err != nil {
			return rows
		}
		c := row.Cells
		if isLabel(c[0], "outcome") && isLabel(c[1], "rows") {
			return rows
		}
		rows = append(rows, MappingRow{Column: c[0], Field: c[1], How: c[2]})
	}
}

// table is a source of rows; the first row is the header.
type table interface {
	// next returns the next row and the row number a user sees, or
	// io.EOF.
	next() (line int, cells []string, err error)
	// unescaper returns how to undo the writer's escaping of a cell:
	// [Unescape] for a CSV file, or for a file in the legacy layout the
	// scheme certbatch used then.
	unescaper(legacy bool) func(string) string
	// kinds returns what the cells of the row last returned are (nil:
	// all text, as in CSV).
	kinds() []input.Kind
	close()
}

// cellKindOf is the writer's kind for a reader's kind.
func cellKindOf(k input.Kind) CellKind {
	switch k {
	case input.KindNumber:
		return Number
	case input.KindDate:
		return Date
	case input.KindBool:
		return Bool
	}
	return Text
}

// layout says where the fixed and input columns are.
type layout struct {
	fixed [nFixed]int // index into [Columns] -> column
	input []int
	// legacy is set when the fixed columns come after the input columns,
	// as files written before the current layout have them.
	legacy bool
	// notes is set when the file has the name, email and note columns;
	// without them (an earlier version's file) its error column holds
	// notes too ([legacyNote]).
	notes bool
}

// findColumns finds the fixed [Columns] in a header by name, in any
// order. A name that more than one column has (an input column may share
// one, such as "product") goes to the column nearest the fixed columns
// whose names are unique, since certbatch writes the fixed columns side
// by side; on a tie, to the first column when the file starts with "row"
// (the current layout) and to the last one otherwise. The name, email
// and note columns count only when all three are there: an earlier
// version's file has none of them, and an input column called "email"
// there stays an input column.
func findColumns(h []string) (layout, error) {
	var l layout
	at := make([][]int, nFixed)
	var unique []int
	for k, c := range Columns {
		for i, v := range h {
			if columnName(v) == c {
				at[k] = append(at[k], i)
			}
		}
	}
	l.notes = len(at[colName]) > 0 && len(at[colEmail]) > 0 && len(at[colNote]) > 0
	for k := range Columns {
		if optional(k) && !l.notes {
			at[k] = nil
		}
		if len(at[k]) == 1 {
			unique = append(unique, at[k][0])
		}
	}
	front := len(h) > 0 && columnName(h[0]) == "row"
	centre := -1.0
	if len(unique) > 0 {
		slices.Sort(unique)
		centre = float64(unique[len(unique)/2])
	}
	used := make([]bool, len(h))
	var missing []string
	for k, c := range Columns {
		l.fixed[k] = -1
		best := -1.0
		for _, i := range at[k] {
			if used[i] {
				continue
			}
			d := 0.0
			if centre >= 0 {
				d = math.Abs(float64(i) - centre)
			}
			if l.fixed[k] < 0 || d < best || d == best && !front {
				l.fixed[k], best = i, d
			}
		}
		if l.fixed[k] < 0 {
			if !optional(k) {
				missing = append(missing, strconv.Quote(c))
			}
			continue
		}
		used[l.fixed[k]] = true
	}
	if len(missing) > 0 {
		if len(missing) > 1 {
			return l, l10n.Errorf("not a certbatch results file: no %s columns", strings.Join(missing, ", "))
		}
		return l, l10n.Errorf("not a certbatch results file: no %s column", missing[0])
	}
	for i := range h {
		if !used[i] {
			l.input = append(l.input, i)
		}
	}
	first := len(h)
	for _, i := range l.fixed {
		if i >= 0 {
			first = min(first, i)
		}
	}
	l.legacy = len(l.input) > 0 && l.input[0] < first
	return l, nil
}

func readTable(t table) (*File, error) {
	_, h, err := t.next()
	if errors.Is(err, io.EOF) {
		return nil, l10n.Errorf("not a certbatch results file: it is empty")
	}
	if err != nil {
		return nil, err
	}
	l, err := findColumns(h)
	if err != nil {
		return nil, err
	}
	unescape := t.unescaper(l.legacy)
	f := &File{InputHeader: make([]string, len(l.input))}
	if i := l.fixed[colOutcome]; i >= 0 {
		f.Meta.Lang = headerLang(h[i])
	}
	for i, c := range l.input {
		f.InputHeader[i] = unescape(h[c])
	}
	for {
		line, c, err := t.next()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, err
		}
		if blankRow(c) {
			continue
		}
		for i := len(h); i < len(c); i++ {
			if c[i] != "" {
				return nil, l10n.Errorf("row %d: cell %d (%q) is beyond the last header column", line, i+1, clip(unescape(c[i])))
			}
		}
		cell := func(i int) string {
			if i >= 0 && i < len(c) {
				return unescape(c[i])
			}
			return ""
		}
		rec := order.Result{Input: make([]string, len(l.input))}
		for i, k := range l.input {
			rec.Input[i] = cell(k)
		}
		var fx [nFixed]string
		for k, i := range l.fixed {
			fx[k] = cell(i)
		}
		if s := strings.TrimSpace(fx[colRow]); s != "" {
			if rec.Row, err = strconv.Atoi(s); err != nil {
				return nil, l10n.Errorf("row %d: column row: %q is not a row number", line, clip(s))
			}
		}
		rec.Product, rec.Outcome = fx[colProduct], ParseOutcome(fx[colOutcome])
		for _, id := range []struct {
			k   int
			dst *int64
		}{{colOrderID, &rec.OrderID}, {colRequestID, &rec.RequestID}, {colCertificateID, &rec.CertificateID}} {
			if *id.dst, err = parseID(fx[id.k]); err != nil {
				return nil, l10n.Errorf("row %d: column %s: %q is not an ID", line, Columns[id.k], clip(fx[id.k]))
			}
		}
		rec.RequestStatus, rec.OrderStatus, rec.Error = fx[colRequestStatus], fx[colOrderStatus], fx[colError]
		rec.Name, rec.Email, rec.Note = fx[colName], fx[colEmail], fx[colNote]
		if !l.notes {
			rec.Note, rec.Error = legacyNote(rec.Outcome, rec.Error)
		}
		f.Records = append(f.Records, rec)
		if k := t.kinds(); k != nil {
			kinds := make([]CellKind, len(l.input))
			for i, c := range l.input {
				if c < len(k) {
					kinds[i] = cellKindOf(k[c])
				}
			}
			f.Kinds = append(f.Kinds, kinds)
		}
	}
}

// notePrefixes start the texts that earlier versions wrote into the
// error column to say what happened, not what went wrong.
var notePrefixes = []string{RecoveredPrefix, "found at DigiCert", "already ordered", "downloaded: "}

// legacyNote splits the error text of an earlier version's file: a
// row that was ordered, skipped or valid and whose text says what
// happened (recovered, found at DigiCert, already ordered, downloaded)
// gets it as its note; any other text stays an error.
func legacyNote(o order.Outcome, text string) (note, errText string) {
	if o != order.Ordered && o != order.Skipped && o != order.Valid {
		return "", text
	}
	for _, p := range notePrefixes {
		if strings.HasPrefix(text, p) {
			return text, ""
		}
	}
	return "", text
}

// parseID reads an ID cell: empty is 0, otherwise decimal digits.
func parseID(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

func blankRow(c []string) bool {
	for _, s := range c {
		if s != "" {
			return false
		}
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
