package input

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

const benchRows = 100_000

// benchRow is one row of 8 short columns, as in a staff list.
func benchRow(i int) []string {
	n := strconv.Itoa(i)
	return []string{strconv.Itoa(100000 + i), "Zoë Ünal " + n, "user" + n + "@example.com", "R&D", "Seoul", "1", "+82-10-5555-0100", "KR"}
}

func countRows(b *testing.B, r Reader) int {
	n := 0
	for {
		if _, err := r.Next(); err == io.EOF {
			return n
		} else if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkCSVRead reads 100k rows of 8 short columns from memory.
func BenchmarkCSVRead(b *testing.B) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"Employee ID", "Full Name", "Email", "Department", "City", "Validity Years", "Phone", "Country"})
	for i := range benchRows {
		w.Write(benchRow(i))
	}
	w.Flush()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewCSV(bytes.NewReader(data), "bench.csv", Options{})
		if err != nil {
			b.Fatal(err)
		}
		if n := countRows(b, r); n != benchRows {
			b.Fatal(n)
		}
	}
	b.ReportMetric(benchRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkXLSXRead reads a 100k x 8 workbook with this package's reader
// and with a bare excelize Rows()+Columns() loop, for a sheet with inline
// strings (excelize's StreamWriter) and one with a shared-strings table
// (how Excel and LibreOffice save).
func BenchmarkXLSXRead(b *testing.B) {
	dir := b.TempDir()
	header := []any{"Employee ID", "Full Name", "Email", "Department", "City", "Validity Years", "Phone", "Country"}
	row := func(i int) []any {
		s := benchRow(i)
		return []any{100000 + i, s[1], s[2], s[3], s[4], 1, s[6], s[7]}
	}
	inline := filepath.Join(dir, "inline.xlsx")
	{
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		sw.SetRow("A1", header)
		for i := range benchRows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, row(i)); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.SaveAs(inline); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	shared := filepath.Join(dir, "shared.xlsx")
	{
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &header)
		for i := range benchRows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			r := row(i)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				b.Fatal(err)
			}
		}
		if err := f.SaveAs(shared); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	for _, file := range []struct{ name, path string }{{"inline", inline}, {"shared", shared}} {
		b.Run(file.name+"/input", func(b *testing.B) {
			b.ReportAllocs()
			var w *work
			for b.Loop() {
				w = nil
				if st, err := os.Stat(file.path); err == nil {
					w = newWork(st.Size())
				}
				r, err := Open(file.path, Options{work: w})
				if err != nil {
					b.Fatal(err)
				}
				if n := countRows(b, r); n != benchRows {
					b.Fatal(n)
				}
				r.Close()
			}
			b.ReportMetric(benchRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			// The work budget's units per byte of the file: what the
			// budget (workPerByte) must leave room for.
			b.ReportMetric(float64(w.used)/float64(w.size), "work/byte")
		})
		b.Run(file.name+"/excelize", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f, err := excelize.OpenFile(file.path, excelize.Options{RawCellValue: true})
				if err != nil {
					b.Fatal(err)
				}
				rows, err := f.Rows("Sheet1")
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					if _, err := rows.Columns(); err != nil {
						b.Fatal(err)
					}
					n++
				}
				rows.Close()
				f.Close()
				if n != benchRows+1 {
					b.Fatal(n)
				}
			}
			b.ReportMetric(benchRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
