package input

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/certbatch/certbatch/internal/l10n"
)

// archive is an .xlsx zip with its parts by normalized name and the
// inflation budget of one read.
type archive struct {
	zr    *zip.Reader
	files map[string]*zip.File
	spent budget
	work  *work // the read's work budget
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func openArchive(ra io.ReaderAt, size int64, w *work) (*archive, error) {
	zr, err := zip.NewReader(ra, size)
	if errors.Is(err, zip.ErrInsecurePath) && zr != nil {
		err = nil // names are looked up, never extracted
	}
	if err != nil {
		var b [8]byte
		if _, rerr := ra.ReadAt(b[:], 0); rerr == nil && bytes.Equal(b[:], oleMagic) {
			return nil, l10n.Errorf("the workbook is password-protected or in the old .xls format: save it in Excel as .xlsx without a password")
		}
		if errors.Is(err, zip.ErrFormat) {
			return nil, l10n.Errorf("not a readable .xlsx workbook (the file is damaged, truncated or of another type): %w", err)
		}
		return nil, err
	}
	if len(zr.File) > maxZipEntries {
		return nil, limitf("the archive has %d entries, more than %d", len(zr.File), maxZipEntries)
	}
	if err := w.add(len(zr.File) * costToken); err != nil {
		return nil, err
	}
	a := &archive{zr: zr, files: make(map[string]*zip.File, len(zr.File)), spent: budget{limit: maxTotalInflate}, work: w}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") && f.UncompressedSize64 == 0 {
			continue // a directory entry
		}
		k := partKey(f.Name)
		if prev, ok := a.files[k]; ok {
			return nil, l10n.Errorf("the archive has two entries for one part, %q and %q: programs disagree on which one they show, so the workbook is refused; save it again from Excel", prev.Name, f.Name)
		}
		a.files[k] = f
	}
	return a, nil
}

// partKey normalizes a part name as lenient readers match them:
// backslashes as slashes, no leading slash or dot segments, case folded.
func partKey(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	return strings.ToLower(strings.TrimPrefix(path.Clean("/"+name), "/"))
}

// open opens a part for streaming, counting its inflated bytes against
// limit and the read's budget; ok is false when the part does not exist.
func (a *archive) open(name string, limit int64) (rc io.ReadCloser, ok bool, err error) {
	f := a.files[partKey(name)]
	if f == nil {
		return nil, false, nil
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, true, limitf("part %s inflates to %d bytes, more than %s", name, f.UncompressedSize64, size(limit))
	}
	if err := a.work.add(costOpen); err != nil {
		return nil, true, err
	}
	r, err := f.Open()
	if err != nil {
		return nil, true, l10n.Errorf("open part %s: %w", name, err)
	}
	return &partReader{r: r, name: name, limit: limit, total: &a.spent, work: a.work}, true, nil
}

// has reports whether the archive has the part.
func (a *archive) has(name string) bool { return a.files[partKey(name)] != nil }

// scan streams a small part's tokens to fn; ok is false when the part
// does not exist.
func (a *archive) scan(part string, fn func(tok xml.Token) error) (ok bool, err error) {
	rc, ok, err := a.open(part, maxMetaPart)
	if !ok || err != nil {
		return ok, err
	}
	defer rc.Close()
	d := decoder(rc, part, a.work)
	for {
		tok, err := d.next()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, l10n.Errorf("decode %s: %w", part, err)
		}
		if err := fn(tok); err != nil {
			return true, err
		}
	}
}

type relationship struct {
	id, typ, target string
	external        bool
}

// rels reads the relationships of part (e.g. "xl/workbook.xml") and
// resolves their targets to part names.
func (a *archive) rels(part string) (map[string]relationship, error) {
	dir, base := path.Split(part)
	rels := map[string]relationship{}
	_, err := a.scan(dir+"_rels/"+base+".rels", func(tok xml.Token) error {
		t, ok := tok.(xml.StartElement)
		if !ok || t.Name.Local != "Relationship" {
			return nil
		}
		if len(rels) >= maxRels {
			return limitf("the relationships of %s have more than %d entries", part, maxRels)
		}
		var r relationship
		for _, at := range t.Attr {
			switch at.Name.Local {
			case "Id":
				r.id = at.Value
			case "Type":
				r.typ = at.Value
			case "Target":
				r.target = at.Value
			case "TargetMode":
				r.external = strings.EqualFold(at.Value, "External")
			}
		}
		t2 := strings.ReplaceAll(r.target, `\`, "/")
		if strings.HasPrefix(t2, "/") {
			r.target = strings.TrimPrefix(path.Clean(t2), "/")
		} else {
			r.target = path.Join(dir, t2)
		}
		if _, dup := rels[r.id]; !dup {
			rels[r.id] = r
		}
		return nil
	})
	return rels, err
}

// Relationship type suffixes (transitional and Strict types share them).
const (
	relOfficeDocument = "/officeDocument"
	relStyles         = "/styles"
	relSharedStrings  = "/sharedStrings"
	relWorksheet      = "/worksheet"
)

// sheetInfo is one sheet of the workbook.
type sheetInfo struct {
	name   string
	rid    string
	part   string // the resolved part; "" when the relationship is missing
	typ    string // the relationship type, e.g. ".../worksheet"
	hidden bool
	err    error // why the sheet cannot be read
}

func (s sheetInfo) worksheet() bool { return strings.HasSuffix(s.typ, relWorksheet) }

// workbook is what workbook.xml and its relationships say.
type workbook struct {
	part         string
	sheets       []sheetInfo
	date1904     bool
	styles, strs string // parts; "" when absent
}

// readWorkbook finds the workbook part and its sheets.
func (a *archive) readWorkbook() (*workbook, error) {
	wb := &workbook{part: "xl/workbook.xml"}
	root, err := a.rels("")
	if err != nil {
		return nil, err
	}
	for _, r := range root {
		if strings.HasSuffix(r.typ, relOfficeDocument) && !r.external {
			wb.part = r.target
			break
		}
	}
	depth := 0 // of the element: the workbook element is 1
	ok, err := a.scan(wb.part, func(tok xml.Token) error {
		if _, end := tok.(xml.EndElement); end {
			depth--
			return nil
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			return nil
		}
		depth++
		switch t.Name.Local {
		case "workbookPr":
			// Only the workbook's own workbookPr says which date system
			// the serials use. Excel 2013 and later also write an
			// x15:workbookPr (chartTrackingRefBase) inside extLst, which
			// has no date1904: read as a second workbookPr it would set
			// every date back 4 years and a day.
			if depth == 2 {
				v := attr(t, "date1904")
				wb.date1904 = v == "1" || v == "true"
			}
		case "sheet":
			if len(wb.sheets) >= maxSheets {
				return limitf("the workbook has more than %d sheets", maxSheets)
			}
			var s sheetInfo
			for _, at := range t.Attr {
				switch {
				case at.Name.Local == "name":
					s.name = at.Value
				case at.Name.Local == "state":
					s.hidden = at.Value == "hidden" || at.Value == "veryHidden"
				case at.Name.Local == "id" && at.Name.Space != "":
					s.rid = at.Value // r:id, whatever the prefix
				}
			}
			wb.sheets = append(wb.sheets, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !ok || len(wb.sheets) == 0 {
		return nil, l10n.Errorf("not a workbook: %s has no sheets", wb.part)
	}
	rels, err := a.rels(wb.part)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		switch {
		case r.external:
		case strings.HasSuffix(r.typ, relStyles):
			wb.styles = r.target
		case strings.HasSuffix(r.typ, relSharedStrings):
			wb.strs = r.target
		}
	}
	for i := range wb.sheets {
		s := &wb.sheets[i]
		r, found := rels[s.rid]
		switch {
		case s.rid == "":
			s.err = l10n.Errorf("sheet %q has no relationship id (r:id), so its part is unknown", s.name)
		case !found:
			s.err = l10n.Errorf("sheet %q refers to relationship %q, which %s does not have", s.name, s.rid, wb.part)
		case r.external:
			s.err = l10n.Errorf("sheet %q is an external link, not a sheet in the file", s.name)
		default:
			s.part, s.typ = r.target, r.typ
			if !a.has(s.part) {
				s.err = l10n.Errorf("part %s of sheet %q is missing", s.part, s.name)
			}
		}
	}
	// Without relationships, the parts at their usual names.
	dir := path.Dir(wb.part)
	if wb.styles == "" && a.has(path.Join(dir, "styles.xml")) {
		wb.styles = path.Join(dir, "styles.xml")
	}
	if wb.strs == "" && a.has(path.Join(dir, "sharedStrings.xml")) {
		wb.strs = path.Join(dir, "sharedStrings.xml")
	}
	return wb, nil
}

// kindName says what a non-worksheet sheet is, for messages.
func (s sheetInfo) kindName() string {
	t := strings.ToLower(s.typ)
	switch {
	case strings.HasSuffix(t, "/chartsheet"):
		return "a chart sheet"
	case strings.HasSuffix(t, "/dialogsheet"):
		return "a dialog sheet"
	case strings.HasSuffix(t, "macrosheet"):
		return "a macro sheet"
	}
	return "not a worksheet"
}

// unicodeXML decodes a part written in UTF-16 (a byte order mark, or
// "<" as two bytes) to UTF-8, and drops a UTF-8 byte order mark.
func unicodeXML(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 4096)
	b, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		br.Discard(len(bomUTF8))
	case bytes.HasPrefix(b, bomUTF16LE), bytes.HasPrefix(b, []byte{'<', 0}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
	case bytes.HasPrefix(b, bomUTF16BE), bytes.HasPrefix(b, []byte{0, '<'}):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder())
	}
	return br
}

// charsetReader serves encoding/xml for a declaration other than UTF-8:
// UTF-16 was decoded already by unicodeXML; other labels are WHATWG's.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf-16le", "utf-16be", "ucs-2", "unicode":
		return r, nil
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, l10n.Errorf("unknown XML encoding %q", label)
	}
	if e == unicode.UTF8 {
		return r, nil
	}
	return e.NewDecoder().Reader(r), nil
}
