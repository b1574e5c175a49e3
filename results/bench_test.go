package results

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

const benchRows = 100_000

func benchRecord(i int) Record {
	return Record{Row: i + 2, Input: []string{strconv.Itoa(100000 + i), "Zoë Ünal", "user" + strconv.Itoa(i) + "@example.com", "R&D", "1", "+1-555-0100"},
		Product: "client_premium_sha2", Outcome: Valid}
}

func benchWrite(b *testing.B, ext string) {
	header := []string{"Employee ID", "Full Name", "Email", "Department", "Validity Years", "Phone"}
	for b.Loop() {
		w, err := Create(filepath.Join(b.TempDir(), "r"+ext), header)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < benchRows; i++ {
			if err := w.Write(benchRecord(i)); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWriteXLSX writes 100k results rows (15 columns) as .xlsx.
func BenchmarkWriteXLSX(b *testing.B) { benchWrite(b, ".xlsx") }

// BenchmarkWriteCSV writes 100k results rows (15 columns) as .csv.
func BenchmarkWriteCSV(b *testing.B) { benchWrite(b, ".csv") }

// BenchmarkBareStreamWriter is the floor for BenchmarkWriteXLSX: the
// same cells through excelize's StreamWriter with nothing else.
func BenchmarkBareStreamWriter(b *testing.B) {
	for b.Loop() {
		f := excelize.NewFile()
		sw, _ := f.NewStreamWriter("Sheet1")
		row := make([]any, 15)
		for i := 0; i <= benchRows; i++ {
			r := benchRecord(i)
			for c := range row {
				if c < len(r.Input) {
					row[c] = r.Input[c]
				} else {
					row[c] = r.Outcome
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			sw.SetRow(cell, row)
		}
		sw.Flush()
		f.SaveAs(filepath.Join(b.TempDir(), "bare.xlsx"))
		f.Close()
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
