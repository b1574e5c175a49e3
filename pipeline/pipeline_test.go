package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/input"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/templates"
)

// sliceReader is an input.Reader over rows in memory, failing at failAt.
type sliceReader struct {
	header []string
	rows   []input.Row
	i      int
	failAt int
}

func (r *sliceReader) Header() []string { return r.header }
func (r *sliceReader) Close() error     { return nil }
func (r *sliceReader) Sheet() string    { return "" }
func (r *sliceReader) Next() (input.Row, error) {
	if r.failAt > 0 && r.i == r.failAt {
		return input.Row{}, errors.New("disk on fire")
	}
	if r.i == len(r.rows) {
		return input.Row{}, io.EOF
	}
	r.i++
	return r.rows[r.i-1], nil
}

func mapper(t *testing.T, header []string) *mapping.Mapper {
	t.Helper()
	set, _ := templates.Builtin()
	cfg, _ := mapping.ParseConfig([]byte("product: client_premium_sha2\norder: {organization: {id: 1}, validity_years: 1, certificate: {individual: {first_name: T, last_name: P}}}\n"))
	m, err := mapping.Compile(cfg, header, set, mapping.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func people(n int) *sliceReader {
	r := &sliceReader{header: []string{"Full Name", "Email"}}
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("p%d@example.com", i)
		if i%97 == 5 {
			email = "p3@example.com" // a duplicate of row 5 (i=3)
		}
		r.rows = append(r.rows, input.Row{Number: i + 2, Cells: []string{fmt.Sprint("P ", i), email}})
	}
	return r
}

// Rows come out in input order whatever the number of workers, and the
// duplicate check sees them in that order.
func TestMapRowsKeepsInputOrder(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		rd := people(3000)
		m := mapper(t, rd.header)
		next, dups := 2, 0
		err := mapRows(context.Background(), rd, m, workers, true, false, func(it *item) error {
			if it.res.Row != next {
				return fmt.Errorf("row %d after %d", it.res.Row, next-1)
			}
			next++
			if !it.res.Valid() {
				if !strings.Contains(it.res.ErrorText(), "duplicate of row 5") {
					return fmt.Errorf("row %d: %s", it.res.Row, it.res.ErrorText())
				}
				dups++
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		if next != 3002 || dups != 31 {
			t.Fatalf("%d workers: %d rows, %d duplicates", workers, next-2, dups)
		}
	}
}

func TestMapRowsStopsOnErrors(t *testing.T) {
	rd := people(2000)
	rd.failAt = 1500
	err := mapRows(context.Background(), rd, mapper(t, rd.header), 2, false, false, func(*item) error { return nil })
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("read error: %v", err)
	}
	rd = people(2000)
	n := 0
	err = mapRows(context.Background(), rd, mapper(t, rd.header), 2, false, false, func(*item) error {
		n++
		if n == 700 {
			return errors.New("results disk full")
		}
		return nil
	})
	if err == nil || err.Error() != "results disk full" || n != 700 {
		t.Fatalf("callback error: %v after %d rows", err, n)
	}
}

// In a synctest bubble: on its clock, an Add Every after the last line
// writes one, an Add right after it does not.
func TestLogProgressWritesLinesNotBars(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		p := &LogProgress{Log: slog.New(slog.NewTextHandler(&buf, nil)), Every: 10 * time.Second, Label: "validating"}
		p.Start(10)
		for i := 0; i < 3; i++ {
			time.Sleep(10 * time.Second)
			p.Add(1)
			p.Add(1)
		}
		p.Paused(time.Now().Add(time.Minute))
		p.Finish()
		out := buf.String()
		if strings.Contains(out, "\r") || strings.Count(out, "msg=validating") != 3 || !strings.Contains(out, "total=10") || !strings.Contains(out, "paused") {
			t.Fatalf("log progress:\n%s", out)
		}
	})
}
