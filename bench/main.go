// Command bench is certbatch's scale harness (`make bench`). It generates
// its inputs deterministically (a 100k-row CSV, a 100k-row XLSX with a
// shared-strings table as Excel writes it, a 1M-row CSV), measures in the
// same run the floor of the libraries certbatch is built on (a bare
// encoding/csv read, a bare excelize Rows() read, a bare excelize
// StreamWriter write of the same shape), then certbatch itself as a
// subprocess (wall time and peak RSS, VmHWM), and a submission against the
// built-in sandbox at 50 ms latency. It prints one table and writes it to
// BENCHMARKS.md with the machine's CPU count and Go version.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// figure is one row of the table.
type figure struct {
	name      string
	certbatch string
	floor     string
	ratio     string
	target    string
	pass      bool
	info      bool // measured, no target
	note      string
}

func main() {
	out := flag.String("o", "BENCHMARKS.md", "write the table here (\"\" for stdout only)")
	small := flag.Bool("small", false, "tiny inputs: check that the harness works, measure nothing")
	only := flag.String("only", "", "run one scenario and print it, BENCHMARKS.md untouched: shared (the shared journal and four hosts), after-order (requests per person of approve, renew, revoke, expiring, sync)")
	flag.Parse()
	if *only == "shared" {
		must(runShared(*small))
		return
	}
	if *only == "after-order" {
		dir, err := os.MkdirTemp("", "certbatch-bench-")
		if err == nil {
			defer os.RemoveAll(dir)
			var figs []figure
			if figs, err = afterOrderBench(dir, *small); err == nil {
				fmt.Print(render(figs))
				return
			}
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if err := run(*out, *small); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(out string, small bool) error {
	dir, err := os.MkdirTemp("", "certbatch-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	n100k, n1m, nSubmit := 100_000, 1_000_000, 0
	if small {
		n100k, n1m = 2000, 20000
	}
	bin := filepath.Join(dir, "certbatch")
	step("build certbatch")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, b)
	}
	csv100k, xlsx100k, csv1m := filepath.Join(dir, "staff100k.csv"), filepath.Join(dir, "staff100k.xlsx"), filepath.Join(dir, "staff1m.csv")
	step("generate inputs")
	for _, g := range []struct {
		p string
		n int
		f func(string, int) error
	}{{csv100k, n100k, writeCSV}, {xlsx100k, n100k, writeXLSX}, {csv1m, n1m, writeCSV}} {
		if err := g.f(g.p, g.n); err != nil {
			return err
		}
	}
	cfg := filepath.Join(dir, "batch.yaml")
	os.WriteFile(cfg, []byte(benchConfig), 0o600)
	width := len(headers) + 9 // input columns + result columns

	var figs []figure
	// 1. 100k CSV -> .xlsx results vs. a bare CSV read + StreamWriter write.
	step("floor: encoding/csv read, excelize StreamWriter write")
	csvRead := best(3, func() time.Duration { return timeIt(func() { must(bareCSVRead(csv100k)) }) })
	swWrite := best(2, func() time.Duration {
		return timeIt(func() { must(bareStreamWrite(filepath.Join(dir, "floor.xlsx"), n100k, width)) })
	})
	step("certbatch validate 100k CSV -> .xlsx")
	cb, rss, err := validate(bin, csv100k, cfg, filepath.Join(dir, "r1.xlsx"))
	if err != nil {
		return err
	}
	floor := csvRead + swWrite
	figs = append(figs, ratioFig(fmt.Sprintf("validate %s-row CSV -> .xlsx results", thousands(n100k)), cb, floor, 1.5,
		fmt.Sprintf("floor = csv read %s + StreamWriter %s; peak RSS %d MB", secs(csvRead), secs(swWrite), rss>>20)))

	// 2. 100k XLSX -> .xlsx results vs. a bare Rows() read + StreamWriter write.
	step("floor: excelize Rows() read")
	xRead := best(2, func() time.Duration { return timeIt(func() { must(bareXLSXRead(xlsx100k)) }) })
	step("certbatch validate 100k XLSX -> .xlsx")
	cb, rss, err = validate(bin, xlsx100k, cfg, filepath.Join(dir, "r2.xlsx"))
	if err != nil {
		return err
	}
	floor = xRead + swWrite
	figs = append(figs, ratioFig(fmt.Sprintf("validate %s-row XLSX (shared strings) -> .xlsx results", thousands(n100k)), cb, floor, 1.3,
		fmt.Sprintf("floor = Rows() read %s + StreamWriter %s; peak RSS %d MB", secs(xRead), secs(swWrite), rss>>20)))

	// 3. 1M CSV -> .csv results: rows/s and flat memory.
	step("certbatch validate 100k and 1M CSV -> .csv")
	_, rssSmall, err := validate(bin, csv100k, cfg, filepath.Join(dir, "r3.csv"))
	if err != nil {
		return err
	}
	cb, rssBig, err := validate(bin, csv1m, cfg, filepath.Join(dir, "r4.csv"))
	if err != nil {
		return err
	}
	csv1mRead := timeIt(func() { must(bareCSVRead(csv1m)) })
	rate := float64(n1m) / cb.Seconds()
	figs = append(figs, figure{name: fmt.Sprintf("validate %s-row CSV -> .csv results: rows/s", thousands(n1m)),
		certbatch: fmt.Sprintf("%.0f rows/s (%s)", rate, secs(cb)), floor: fmt.Sprintf("%.0f rows/s (csv read)", float64(n1m)/csv1mRead.Seconds()),
		ratio: fmt.Sprintf("%.2fx", cb.Seconds()/csv1mRead.Seconds()), target: ">= 300,000 rows/s", pass: rate >= 300_000})
	figs = append(figs, figure{name: fmt.Sprintf("validate %s-row CSV -> .csv results: peak RSS", thousands(n1m)),
		certbatch: fmt.Sprintf("%d MB", rssBig>>20), floor: fmt.Sprintf("%d MB at %s rows", rssSmall>>20, thousands(n100k)),
		ratio: fmt.Sprintf("%.2fx", float64(rssBig)/float64(rssSmall)), target: "<= 100 MB, flat (1M vs 100k within 1.5x)",
		pass: rssBig <= 100<<20 && float64(rssBig) <= 1.5*float64(rssSmall)})

	// 3b. A 1M-row XLSX, for scale (no target: Excel's own limit is 1,048,576 rows).
	step("certbatch validate 1M XLSX -> .csv")
	xlsx1m := filepath.Join(dir, "staff1m.xlsx")
	if err := writeXLSX(xlsx1m, n1m); err != nil {
		return err
	}
	cb, rssX, err := validate(bin, xlsx1m, cfg, filepath.Join(dir, "r5.csv"))
	if err != nil {
		return err
	}
	figs = append(figs, figure{name: fmt.Sprintf("validate %s-row XLSX (shared strings) -> .csv results", thousands(n1m)),
		certbatch: fmt.Sprintf("%.0f rows/s (%s), peak RSS %d MB", float64(n1m)/cb.Seconds(), secs(cb), rssX>>20), floor: "-", ratio: "-",
		target: "none", info: true})

	// 4. Submission against the sandbox at 50 ms latency.
	step("certbatch submit against the sandbox (about 20 s each, journal on and off)")
	sub, err := submitBench(bin, dir, cfg, small, &nSubmit)
	if err != nil {
		return err
	}
	figs = append(figs, sub...)

	// 4b. The shared journal: its cost per order on both backends, and
	// four hosts sharing one rate budget.
	step("the shared journal (PostgreSQL) and four hosts")
	shared, err := sharedBench(bin, dir, cfg, small)
	if err != nil {
		return err
	}
	figs = append(figs, shared...)

	// 5. Requests per person after ordering: status refresh and the
	// account check.
	step("status refresh and account check against the sandbox")
	life, err := lifecycleBench(dir, small)
	if err != nil {
		return err
	}
	figs = append(figs, life...)

	// 6. The whole job on accounts of 0, 1,000 and 50,000 other orders.
	step("the whole job on busy accounts against the sandbox")
	whole, err := wholeJobBench(bin, dir, cfg, small)
	if err != nil {
		return err
	}
	figs = append(figs, whole...)
	// 7. Requests per person of the commands after ordering.
	step("approve, renew, revoke, expiring and sync against the sandbox")
	after, err := afterOrderBench(dir, small)
	if err != nil {
		return err
	}
	figs = append(figs, after...)

	table := render(figs)
	fmt.Println()
	fmt.Print(table)
	if out == "" {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# certbatch benchmarks\n\nMade by `make bench` (`go run ./bench`) on %s: %d CPUs, %s %s/%s.\n\n", time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if small {
		b.WriteString("**Small run (-small): the harness was checked, nothing was measured.**\n\n")
	}
	b.WriteString("Inputs are generated in the run (deterministic, non-ASCII names mixed in). \"floor\" is the same work done by the bare libraries certbatch builds on, measured in the same run; certbatch runs as a subprocess, and its peak RSS is the child's VmHWM.\n\n")
	b.WriteString(table)
	if notes, err := os.ReadFile("bench/NOTES.md"); err == nil {
		b.WriteString("\n")
		b.Write(notes)
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}

// benchConfig is the batch config of every scenario.
const benchConfig = `product: client_premium_sha2
key: Employee ID
order: {organization: {id: 112233}, skip_approval: true, payment_method: balance}
columns: {certificate.common_name: Full Name, certificate.emails: Email, certificate.organization_units: Department}
`

func step(s string) { fmt.Fprintf(os.Stderr, "bench: %s\n", s) }

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func timeIt(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

// best returns the fastest of n runs: floors are measured at their best.
func best(n int, f func() time.Duration) time.Duration {
	b := f()
	for i := 1; i < n; i++ {
		b = min(b, f())
	}
	return b
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func thousands(n int) string {
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	if n%1000 == 0 {
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

func ratioFig(name string, cb, floor time.Duration, target float64, note string) figure {
	r := cb.Seconds() / floor.Seconds()
	return figure{name: name, certbatch: secs(cb), floor: secs(floor), ratio: fmt.Sprintf("%.2fx", r),
		target: fmt.Sprintf("<= %.1fx floor", target), pass: r <= target, note: note}
}

func bareCSVRead(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	for {
		if _, err := r.Read(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func bareXLSXRead(path string) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if _, err := rows.Columns(); err != nil {
			return err
		}
	}
	return rows.Error()
}

func bareStreamWrite(path string, n, width int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := make([]any, width)
	for i := 0; i <= n; i++ {
		p := person(i)
		for c := range row {
			row[c] = p[c%len(p)]
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// validate runs certbatch validate and returns its wall time and peak RSS.
// It names a journal that does not exist (--state), so a journal in the
// user's state directory never adds its look-ups (who would be skipped)
// to the figure.
func validate(bin, in, cfg, out string) (time.Duration, int64, error) {
	cmd := exec.Command(bin, "validate", in, "--config", cfg, "-o", out, "--quiet", "--state", out+".no-journal.db")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	peak := make(chan int64)
	go func() { peak <- watchHWM(cmd.Process.Pid) }()
	err := cmd.Wait()
	el := time.Since(start)
	hwm := <-peak
	if err != nil {
		return 0, 0, fmt.Errorf("validate %s: %v\n%s", filepath.Base(in), err, stderr.String())
	}
	return el, hwm, nil
}

// watchHWM polls the child's peak RSS (VmHWM) until it exits. The
// child's rusage is no use here: Go starts children with CLONE_VM, so
// the kernel carries the parent's peak into the child's ru_maxrss.
func watchHWM(pid int) int64 {
	var best int64
	for {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return best
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				var kb int64
				fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
				best = max(best, kb*1024)
			}
			if v, ok := strings.CutPrefix(line, "State:"); ok && strings.Contains(v, "zombie") {
				return best
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func render(figs []figure) string {
	var b strings.Builder
	b.WriteString("| figure | certbatch | floor | ratio | target | result |\n|---|---|---|---|---|---|\n")
	for _, f := range figs {
		res := "pass"
		switch {
		case f.info:
			res = "(measured)"
		case !f.pass:
			res = "**FAIL**"
		}
		name := f.name
		if f.note != "" {
			name += " (" + f.note + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", name, f.certbatch, f.floor, f.ratio, f.target, res)
	}
	return b.String()
}
