package input

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// repeated is a deflate stream of prefix, unit repeated n times, and
// suffix, built without compressing all of it: deflate output for a
// unit reaches a steady state (the window holds only earlier units), so
// after a few units the stream repeats one block. It also returns the
// CRC-32 and the size of the inflated data.
func repeated(t testing.TB, prefix, unit, suffix []byte, n int) ([]byte, uint32, int64) {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(prefix)
	w.Flush()
	crc := crc32.Update(0, crc32.IEEETable, prefix)
	var steady, prev []byte
	done := 0
	// The shortcut needs a unit longer than deflate's 32 KiB window: the
	// writer has seen only the first units, so the suffix's matches must
	// reach back into units alone, never into the prefix.
	shortcut := len(unit) > 32<<10
	for done < n {
		start := buf.Len()
		w.Write(unit)
		w.Flush()
		done++
		crc = crc32.Update(crc, crc32.IEEETable, unit)
		b := buf.Bytes()[start:]
		if shortcut && prev != nil && bytes.Equal(b, prev) {
			steady = bytes.Clone(b)
			break
		}
		prev = bytes.Clone(b)
	}
	if steady != nil {
		for ; done < n; done++ {
			buf.Write(steady)
			crc = crc32.Update(crc, crc32.IEEETable, unit)
		}
	}
	w.Write(suffix)
	w.Close()
	crc = crc32.Update(crc, crc32.IEEETable, suffix)
	return buf.Bytes(), crc, int64(len(prefix)) + int64(n)*int64(len(unit)) + int64(len(suffix))
}

func TestRepeatedIsValidDeflate(t *testing.T) {
	unit := bytes.Repeat([]byte("AB"), 40<<10)
	z, crc, n := repeated(t, []byte("<x>"), unit, []byte("</x>"), 40)
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil {
		t.Fatal(err)
	}
	want := "<x>" + strings.Repeat(string(unit), 40) + "</x>"
	if string(got) != want || int64(len(got)) != n || crc32.ChecksumIEEE(got) != crc {
		t.Fatalf("inflated %d bytes (crc %x), want %d (crc %x)", len(got), crc32.ChecksumIEEE(got), n, crc)
	}
	if len(z) > 4096 {
		t.Errorf("%d compressed bytes: the steady state was not reached", len(z))
	}
}

// part is a zip entry: plain text, or a raw deflate stream with its
// declared sizes.
type part struct {
	name  string
	text  string
	raw   []byte
	crc   uint32
	size  uint64 // declared inflated size for raw
	store bool
}

func writeZip(t testing.TB, parts []part) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		if p.raw != nil {
			w, err := z.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: p.crc, CompressedSize64: uint64(len(p.raw)), UncompressedSize64: p.size})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(p.raw)
			continue
		}
		w, err := z.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p.text))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// book is a minimal workbook around a sheet part and more parts.
func book(sheet part, more ...part) []part {
	sheet.name = "xl/worksheets/sheet1.xml"
	return append([]part{
		{name: "xl/workbook.xml", text: wbXML},
		{name: "xl/_rels/workbook.xml.rels", text: wbRels},
		sheet,
	}, more...)
}

func bomb(t testing.TB, name, prefix string, unit []byte, n int, suffix string) part {
	raw, crc, sz := repeated(t, []byte(prefix), unit, []byte(suffix), n)
	return part{name: name, raw: raw, crc: crc, size: uint64(sz)}
}

// hostile reads the file to its end or first error, checking that this
// takes little memory and counted work, and leaves no temporary file.
// The work is the reader's own count (see work.go): what a read may do
// is bounded by units of work per byte of the file, never by time, so
// the test says the same on a fast machine and a loaded one.
func hostile(t *testing.T, name string, data []byte, opts Options, maxHeap uint64) error {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if opts.work == nil {
		opts.work = newWork(int64(len(data)))
	}
	peak := watchHeap()
	r, err := OpenAt(bytes.NewReader(data), int64(len(data)), name, opts)
	for err == nil {
		_, err = r.Next()
	}
	if r != nil {
		r.Close()
	}
	p := peak()
	if p > maxHeap {
		t.Errorf("heap peaked at %d MiB", p>>20)
	}
	if w := opts.work; w.used > w.limit+maxCharge {
		t.Errorf("work %s: beyond the budget", w)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) > 0 {
		t.Errorf("left %d temporary files", len(ents))
	}
	if err == io.EOF {
		t.Fatalf("%s was read without an error", name)
	}
	t.Logf("work %s, heap +%d MiB, %d KiB compressed: %v", opts.work, p>>20, len(data)>>10, err)
	return err
}

// maxCharge is the most one step of a read counts at once: a read can
// overrun its budget by that much before it ends.
const maxCharge = costFits + 2*maxCell + maxColumns

// maxHeap is the heap a hostile file may make the reader use. The
// cases above it are shared-strings tables at their limit: 160 MiB are
// live, and the garbage of parsing them waits for the next collection.
const maxHeap = 200 << 20

// watchHeap samples the heap in use until the returned function is
// called, which returns the peak beyond the heap in use at the start.
func watchHeap() func() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var peak uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				done <- peak - min(peak, base)
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}

func wantErr(t *testing.T, err error, limit bool, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q lacks %q", err, p)
		}
	}
	if limit && !isLimit(err) {
		t.Errorf("error %q is not a LimitError", err)
	}
}

func TestHostileWorkbooks(t *testing.T) {
	a := []byte("A")
	mib := bytes.Repeat(a, 1<<20)
	head := sheetNS + `<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>`
	sst := func(s string) part { return part{name: "xl/sharedStrings.xml", text: s} }
	sstRels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	withSST := func(sheet, strs part) []part {
		p := book(sheet, strs)
		p[1].text = sstRels
		return p
	}
	big := strings.Repeat("A", 300<<10)
	for _, c := range []struct {
		name  string
		parts func() []part
		limit bool
		want  []string
		heap  uint64 // maxHeap if 0
	}{
		{"2047 MiB cell in 2 MB", func() []part {
			return book(bomb(t, "", head+`<row r="2"><c r="A2" t="inlineStr"><is><t>`, mib, 2047, `</t></is></c></row></sheetData></worksheet>`))
		}, true, []string{"hostile.xlsx", "row 2, column 1", "longer than 256 KiB"}, 0},
		{"2047 MiB of text between cells", func() []part {
			return book(bomb(t, "", head+`<row r="2">`, mib, 2047, `</row></sheetData></worksheet>`))
		}, true, []string{"hostile.xlsx", "row 2", "more than 1 MiB of text"}, 0},
		{"2 GiB tag", func() []part {
			return book(bomb(t, "", head+`<row r="2"><c r="A2" x="`, mib, 2047, `"/></row></sheetData></worksheet>`))
		}, true, []string{"hostile.xlsx", "row 2", "tag longer than 64 KiB"}, 0},
		{"2 GiB shared strings part", func() []part {
			return withSST(part{text: head + `</sheetData></worksheet>`}, bomb(t, "xl/sharedStrings.xml", `<sst><si><t>`, mib, 2047, `</t></si></sst>`))
		}, true, []string{"hostile.xlsx", "part xl/sharedStrings.xml inflates to 2146435099 bytes, more than 1 GiB"}, 0},
		{"1023 MiB shared string", func() []part {
			return withSST(part{text: head + `</sheetData></worksheet>`}, bomb(t, "xl/sharedStrings.xml", `<sst><si><t>`, mib, 1023, `</t></si></sst>`))
		}, true, []string{"hostile.xlsx", "shared string 0", "longer than 256 KiB"}, 0},
		{"1023 MiB between shared strings", func() []part {
			return withSST(part{text: head + `</sheetData></worksheet>`}, bomb(t, "xl/sharedStrings.xml", `<sst><si>`, mib, 1023, `</si></sst>`))
		}, true, []string{"hostile.xlsx", "xl/sharedStrings.xml", "more than 1 MiB of text"}, 0},
		{"declared 3 GiB sheet", func() []part {
			p := bomb(t, "", head, []byte("<row/>"), 10, "</sheetData></worksheet>")
			p.size = 3 << 30
			return book(p)
		}, true, []string{"hostile.xlsx", "inflates to 3221225472 bytes, more than 2 GiB"}, 0},
		{"sheet longer than declared", func() []part {
			p := bomb(t, "", head, []byte("<row/>"), 1000, "</sheetData></worksheet>")
			p.size = 100
			return book(p)
		}, false, []string{"hostile.xlsx", "corrupt", "zip: not a valid zip file"}, 0},
		{"cell over 256 KiB", func() []part {
			return book(part{text: head + `<row r="2"><c r="A2" t="inlineStr"><is><t>` + big + `</t></is></c></row></sheetData></worksheet>`})
		}, true, []string{"hostile.xlsx", "row 2, column 1", "longer than 256 KiB"}, 0},
		{"shared string over 256 KiB", func() []part {
			return withSST(part{text: head + `</sheetData></worksheet>`}, sst(`<sst><si><t>`+big+`</t></si></sst>`))
		}, true, []string{"hostile.xlsx", "shared string 0", "longer than 256 KiB"}, 0},
		{"shared strings over 160 MiB", func() []part {
			unit := []byte(`<si><t>` + strings.Repeat("A", 200<<10) + `</t></si>`)
			return withSST(part{text: head + `</sheetData></worksheet>`}, bomb(t, "xl/sharedStrings.xml", `<sst>`, unit, 1000, `</sst>`))
		}, true, []string{"hostile.xlsx", "shared-strings table", "more than 160 MiB"}, 0},
		{"8M empty shared strings", func() []part {
			unit := bytes.Repeat([]byte(`<si/>`), 1<<20)
			return withSST(part{text: head + `</sheetData></worksheet>`}, bomb(t, "xl/sharedStrings.xml", `<sst>`, unit, 48, `</sst>`))
		}, true, []string{"hostile.xlsx", "more than 4194304 entries"}, 0},
		{"row beyond 1048576", func() []part {
			return book(part{text: head + `<row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData></worksheet>`})
		}, true, []string{"hostile.xlsx", "row 1048577", "more than 1048576 rows"}, 0},
		{"1048577 rows", func() []part {
			return book(bomb(t, "", head, bytes.Repeat([]byte(`<row><c><v>1</v></c></row>`), 1<<11), 1<<9, `<row/></sheetData></worksheet>`))
		}, true, []string{"hostile.xlsx", "row 1048577", "more than 1048576 rows"}, 0},
		{"column beyond XFD", func() []part {
			return book(part{text: head + `<row r="2"><c r="XFE2"><v>1</v></c></row></sheetData></worksheet>`})
		}, true, []string{"hostile.xlsx", "row 2", "cell XFE2 is beyond column XFD"}, 0},
		{"16385 cells without r", func() []part {
			return book(part{text: head + `<row r="2">` + strings.Repeat(`<c><v>1</v></c>`, 16385) + `</row></sheetData></worksheet>`})
		}, true, []string{"hostile.xlsx", "row 2", "beyond column XFD"}, 0},
		{"rows twice", func() []part {
			return book(part{text: head + `<row r="2"><c r="A2"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>`})
		}, false, []string{"hostile.xlsx", "row 2 comes after row 2"}, 0},
		{"duplicate sheet entry", func() []part {
			return append(book(part{text: head + `</sheetData></worksheet>`}), part{name: "xl/worksheets/sheet1.xml", text: head + `</sheetData></worksheet>`})
		}, false, []string{"hostile.xlsx", `two entries for one part, "xl/worksheets/sheet1.xml" and "xl/worksheets/sheet1.xml"`}, 0},
		{"duplicate in other case", func() []part {
			return append(book(part{text: head + `</sheetData></worksheet>`}), part{name: "XL/Worksheets/Sheet1.xml", text: head + `</sheetData></worksheet>`})
		}, false, []string{"hostile.xlsx", `"XL/Worksheets/Sheet1.xml"`}, 0},
		{"duplicate with backslashes", func() []part {
			return append(book(part{text: head + `</sheetData></worksheet>`}), part{name: `xl\worksheets\sheet1.xml`, text: head + `</sheetData></worksheet>`})
		}, false, []string{"hostile.xlsx", `"xl\\worksheets\\sheet1.xml"`}, 0},
		{"duplicate workbook via ./", func() []part {
			return append(book(part{text: head + `</sheetData></worksheet>`}), part{name: "/xl/./workbook.xml", text: wbXML})
		}, false, []string{"hostile.xlsx", `"/xl/./workbook.xml"`}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := writeZip(t, c.parts())
			err := hostile(t, "hostile.xlsx", data, Options{}, cmp.Or(c.heap, maxHeap))
			wantErr(t, err, c.limit, c.want...)
		})
	}
}

func TestHostileZipEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,001 zip entries")
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for i := range maxZipEntries + 1 {
		z.CreateHeader(&zip.FileHeader{Name: "x/" + strconv.Itoa(i), Method: zip.Store})
	}
	z.Close()
	err := hostile(t, "many.xlsx", buf.Bytes(), Options{}, maxHeap)
	wantErr(t, err, true, "many.xlsx", "100001 entries, more than 100000")
}

func TestInflateBudget(t *testing.T) {
	total := &budget{limit: 10}
	p1 := &partReader{r: io.NopCloser(strings.NewReader("123456")), name: "a", limit: 100, total: total}
	p2 := &partReader{r: io.NopCloser(strings.NewReader("123456")), name: "b", limit: 100, total: total}
	if _, err := io.ReadAll(p1); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(p2); err == nil || err.Error() != "the parts read inflate to more than 10 bytes: the file is damaged or was not made by a spreadsheet program" {
		t.Fatalf("over the read's budget: %v", err)
	}
	p3 := &partReader{r: io.NopCloser(strings.NewReader("123456")), name: "c", limit: 5, total: &budget{limit: 100}}
	if _, err := io.ReadAll(p3); err == nil || !strings.Contains(err.Error(), "part c inflates to more than 5 bytes") {
		t.Fatalf("over the part's limit: %v", err)
	}
}

// endless yields n bytes of b, then EOF, without holding them.
type endless struct {
	b byte
	n int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), e.n)
	for i := range p[:k] {
		p[i] = e.b
	}
	e.n -= k
	return int(k), nil
}

func TestHostileCSV(t *testing.T) {
	for _, c := range []struct {
		name string
		r    func() io.Reader
		want []string
	}{
		{"60 MB line", func() io.Reader {
			return io.MultiReader(strings.NewReader("Name,Email\nKim,k@x.com\n"), &endless{'A', 60 << 20})
		}, []string{"hostile.csv", "row 3 (line 3)", "longer than 2 MiB"}},
		{"60 MB header", func() io.Reader { return &endless{'A', 60 << 20} }, []string{"hostile.csv", "row 1", "longer than 2 MiB"}},
		{"60 MB of lines in an open quote", func() io.Reader {
			return io.MultiReader(strings.NewReader("Name,Email\n\nKim,\"k@x.com\n"), &endless{'\n', 60 << 20})
		}, []string{"hostile.csv", "row 3 (line 3)", "longer than 2 MiB", "quote never closed"}},
		{"16385 fields", func() io.Reader {
			return strings.NewReader("Name\n" + strings.Repeat("a,", 16384) + "a\n")
		}, []string{"hostile.csv", "row 2", "16385 fields, more than Excel's 16384"}},
		{"field over 256 KiB", func() io.Reader {
			return strings.NewReader("Name,Note\nKim," + strings.Repeat("x", 300<<10) + "\n")
		}, []string{"hostile.csv", "row 2, column 2", "longer than 256 KiB"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			peak := watchHeap()
			// Reading CSV is linear in its bytes: no budget beyond the
			// record and cell limits is needed.
			r, err := NewCSV(c.r(), "hostile.csv", Options{})
			for err == nil {
				_, err = r.Next()
			}
			if p := peak(); p > 32<<20 {
				t.Errorf("heap peaked at %d MiB", p>>20)
			}
			if err == io.EOF {
				t.Fatal("no error")
			}
			wantErr(t, err, true, c.want...)
		})
	}
}

func TestLimitError(t *testing.T) {
	err := limitf("x %d", 1)
	var le *LimitError
	if !errors.As(err, &le) || le.What != "x 1" {
		t.Fatalf("%v", err)
	}
	if got := size(maxSST); got != "160 MiB" {
		t.Errorf("size = %q", got)
	}
}
