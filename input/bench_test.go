package input

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"testing"
)

// BenchmarkCSVRead reads 100k rows of 6 short columns.
func BenchmarkCSVRead(b *testing.B) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"Employee ID", "Full Name", "Email", "Department", "Validity Years", "Phone"})
	for i := 0; i < 100_000; i++ {
		w.Write([]string{strconv.Itoa(100000 + i), "Zoë Ünal", "user" + strconv.Itoa(i) + "@example.com", "R&D", "1", "+1-555-0100"})
	}
	w.Flush()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := NewCSV(bytes.NewReader(data), "bench.csv", Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100_000 {
			b.Fatal(n)
		}
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
