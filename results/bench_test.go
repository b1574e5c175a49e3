package results

import (
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/order"
)

// benchHeader has 8 input columns: with the 9 fixed ones, 17 per row.
var benchHeader = []string{"Employee ID", "Full Name", "Email", "Department", "Country", "Validity Years", "Phone", "Notes"}

// benchRecord is row i of a generated run: mostly ordered rows with IDs,
// every 20th row invalid (and tinted) with an error text.
func benchRecord(i int) *order.Result {
	id := strconv.Itoa(100000 + i)
	r := &order.Result{Row: i + 2,
		Input:   []string{"E" + id, "Zoë Ünal " + id, "user" + id + "@example.com", "R&D", "KR", "1", "+82-2-555-0100", "-"},
		Product: "client_premium_sha2", Outcome: order.Ordered, Answer: order.Answer{OrderID: int64(9000000 + i), RequestID: int64(5000000 + i),
			RequestStatus: "approved", OrderStatus: "issued", CertificateID: int64(7000000 + i)}}
	if i%20 == 0 {
		r.Outcome, r.Answer = order.Invalid, order.Answer{Error: "Email: not a single email address; Phone: too long"}
	}
	return r
}

// peakHeap samples the live heap (after a collection) every sampleEvery
// rows of a benchmark: flat memory means the same peak for 100k and 1M
// rows.
type peakHeap struct{ max uint64 }

const sampleEvery = 25_000

func (p *peakHeap) sample() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	p.max = max(p.max, m.HeapAlloc)
}

func (p *peakHeap) report(b *testing.B) {
	b.ReportMetric(float64(p.max)/(1<<20), "live-heap-MB")
}

func benchWrite(b *testing.B, ext string, rows int) {
	var peak peakHeap
	for b.Loop() {
		w, err := Create(filepath.Join(b.TempDir(), "r"+ext), benchHeader)
		if err != nil {
			b.Fatal(err)
		}
		for i := range rows {
			if err := w.Write(benchRecord(i)); err != nil {
				b.Fatal(err)
			}
			if i%sampleEvery == 0 {
				peak.sample()
			}
		}
		if err := w.Commit(); err != nil {
			b.Fatal(err)
		}
		peak.sample()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	peak.report(b)
}

// BenchmarkWriteXLSX writes 100k results rows of 17 columns as .xlsx.
func BenchmarkWriteXLSX(b *testing.B) { benchWrite(b, ".xlsx", 100_000) }

// BenchmarkWriteCSV writes 100k results rows of 17 columns as .csv.
func BenchmarkWriteCSV(b *testing.B) { benchWrite(b, ".csv", 100_000) }

// BenchmarkWriteCSV1M writes 1M rows as .csv: its peak heap should match
// BenchmarkWriteCSV's.
func BenchmarkWriteCSV1M(b *testing.B) { benchWrite(b, ".csv", 1_000_000) }

// BenchmarkBareStreamWriter is the floor for BenchmarkWriteXLSX: the same
// cells (text, and numbers for the row and the IDs) through excelize's
// StreamWriter, with no styles, widths, panes, filter or summary sheet.
func BenchmarkBareStreamWriter(b *testing.B) {
	const rows = 100_000
	var peak peakHeap
	for b.Loop() {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		cells := make([]any, len(benchHeader)+nFixed)
		for i, h := range benchHeader {
			cells[i] = h
		}
		for k, c := range Columns {
			cells[len(benchHeader)+k] = c
		}
		if err := sw.SetRow("A1", cells); err != nil {
			b.Fatal(err)
		}
		for i := range rows {
			r := benchRecord(i)
			clear(cells)
			for k, v := range r.Input {
				cells[k] = v
			}
			n := len(benchHeader)
			cells[n], cells[n+1], cells[n+2] = r.Row, r.Product, r.Outcome
			for k, v := range []string{order.ID(r.OrderID), order.ID(r.RequestID), r.RequestStatus, r.OrderStatus, order.ID(r.CertificateID), r.Error} {
				if v == "" {
					continue
				}
				if id, err := strconv.ParseInt(v, 10, 64); err == nil {
					cells[n+3+k] = id
				} else {
					cells[n+3+k] = v
				}
			}
			if err := sw.SetRow("A"+strconv.Itoa(i+2), cells); err != nil {
				b.Fatal(err)
			}
			if i%sampleEvery == 0 {
				peak.sample()
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.SaveAs(filepath.Join(b.TempDir(), "bare.xlsx")); err != nil {
			b.Fatal(err)
		}
		f.Close()
		peak.sample()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	peak.report(b)
}

func benchRead(b *testing.B, ext string) {
	const rows = 100_000
	p := filepath.Join(b.TempDir(), "r"+ext)
	w, err := Create(p, benchHeader)
	if err != nil {
		b.Fatal(err)
	}
	for i := range rows {
		if err := w.Write(benchRecord(i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		f, err := Read(p)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Records) != rows || !reflect.DeepEqual(f.Records[rows-1], *benchRecord(rows - 1)) {
			b.Fatalf("read %d records, last %+v", len(f.Records), f.Records[len(f.Records)-1])
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadXLSX reads back 100k rows of 17 columns from .xlsx.
func BenchmarkReadXLSX(b *testing.B) { benchRead(b, ".xlsx") }

// BenchmarkReadCSV reads back 100k rows of 17 columns from .csv.
func BenchmarkReadCSV(b *testing.B) { benchRead(b, ".csv") }
