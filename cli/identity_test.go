package cli

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/sandbox"
)

// A person is one identity whatever the spelling: the key's formatting,
// adding key: later, and conflicts that only --force passes.
func TestIdentityWhateverTheSpelling(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	noKey := strings.Replace(clientConfigYAML, "key: Employee ID\n", "", 1)
	write := func(rows ...[]string) {
		writeCSV(t, e.input, append([][]string{{"Employee ID", "Full Name", "Email", "Department", "First Name", "Last Name"}}, rows...))
	}
	writeFile(t, e.config, noKey)
	write([]string{"00124", "Ann Lee", "Ann.Lee@example.com", "R&D", "Ann", "Lee"})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("first run: %d %s", r.code, r.stderr)
	}
	posts := func() int { return e.sb.Stats().OrderPOSTs }

	// key: added to the config later: the email still identifies her.
	writeFile(t, e.config, clientConfigYAML)
	if r := e.submit(); r.code != 0 || posts() != 1 || e.results()[2].outcome != "skipped" {
		t.Fatalf("after adding key: exit %d, %d POSTs, %+v\n%s", r.code, posts(), e.results()[2], r.stderr)
	}
	// The key typed without the zeros a spreadsheet showed, email spelled
	// in another case: the same person.
	write([]string{"124", "Ann Lee", " ann.lee@EXAMPLE.com", "R&D", "Ann", "Lee"})
	if r := e.submit(); r.code != 0 || posts() != 1 || e.results()[2].outcome != "skipped" {
		t.Fatalf("other spelling: exit %d, %d POSTs, %+v\n%s", r.code, posts(), e.results()[2], r.stderr)
	}
	// Same key, another email: a conflict naming the earlier order.
	write([]string{"124", "Ann Lee", "ann.married@example.com", "R&D", "Ann", "Lee"})
	r := e.submit()
	x := e.results()[2]
	if r.code != ExitRowsBad || posts() != 1 || x.outcome != "invalid" || !strings.Contains(x.err, "conflicts with order 100001") {
		t.Fatalf("same key, other email: exit %d, %d POSTs, %+v", r.code, posts(), x)
	}
	// --force is the only way past it.
	if r := e.submit("--force"); r.code != 0 || posts() != 2 {
		t.Fatalf("--force: exit %d, %d POSTs\n%s", r.code, posts(), r.stderr)
	}
}

// A person recorded with a key conflicts with a row giving the same email
// and another key.
func TestIdentitySameEmailOtherKey(t *testing.T) {
	e := newEnv(t, 1, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatal(r.stderr)
	}
	rows := staff(1, 1)
	rows[1][0] = "E999"
	writeCSV(t, e.input, rows)
	r := e.submit()
	if x := e.results()[2]; r.code != ExitRowsBad || x.outcome != "invalid" || !strings.Contains(x.err, `under key "e1"`) {
		t.Fatalf("exit %d: %+v", r.code, x)
	}
	if n := e.sb.Stats().OrderPOSTs; n != 1 {
		t.Errorf("%d POSTs", n)
	}
}

// One journal per endpoint in the user's state directory, whatever the
// current folder; never one that forgets.
func TestJournalLivesInTheStateDirectory(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	home := t.TempDir()
	vars := map[string]string{"DIGICERT_API_KEY": testKey, "HOME": home}
	args := func(extra ...string) []string {
		return append([]string{"submit", e.input, "--config", e.config, "--base-url", e.base, "-o", filepath.Join(e.dir, "r.csv"), "--yes", "--quiet"}, extra...)
	}
	r := run(t, vars, args()...)
	port := strings.Split(strings.TrimPrefix(e.base, "http://127.0.0.1:"), "/")[0]
	want := filepath.Join(home, ".local", "state", "certbatch", "127.0.0.1-"+port+".db")
	if r.code != 0 || !strings.Contains(r.stderr, "new journal "+want) || !strings.Contains(r.stderr, "Journal: "+want) {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	if fi, err := os.Stat(want); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("journal %s: %v %v", want, fi, err)
	}
	// Another folder, same user and endpoint: the same journal.
	t.Chdir(t.TempDir())
	r = run(t, vars, args()...)
	if r.code != 0 || strings.Contains(r.stderr, "new journal") || e.sb.Stats().OrderPOSTs != 2 {
		t.Fatalf("second run elsewhere: exit %d, %d POSTs\n%s", r.code, e.sb.Stats().OrderPOSTs, r.stderr)
	}
	// The sandbox has a journal of its own.
	r = run(t, vars, "submit", e.input, "--config", e.config, "--sandbox", "-o", filepath.Join(e.dir, "s.csv"), "--yes", "--quiet")
	if r.code != 0 || !strings.Contains(r.stderr, filepath.Join(home, ".local", "state", "certbatch", "sandbox.db")) {
		t.Fatalf("sandbox: exit %d\n%s", r.code, r.stderr)
	}
	// Not a file: refused before anything is sent.
	r = run(t, vars, args("--state", ":memory:")...)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "a journal must be a file") {
		t.Errorf(":memory: accepted: exit %d\n%s", r.code, r.stderr)
	}
	// A journal of an earlier version in the current folder is never
	// silently replaced by a new one.
	other := t.TempDir()
	t.Chdir(other)
	writeFile(t, filepath.Join(other, "certbatch.db"), "")
	r = run(t, map[string]string{"DIGICERT_API_KEY": testKey, "HOME": t.TempDir()}, args()...)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "a journal of an earlier certbatch is in this folder") {
		t.Errorf("legacy journal: exit %d\n%s", r.code, r.stderr)
	}
	if n := e.sb.Stats().OrderPOSTs; n != 2 {
		t.Errorf("%d POSTs in all", n)
	}
}

// The results file may be neither the journal nor the input under any
// name.
func TestOutputNeverOverwritesInputOrJournal(t *testing.T) {
	e := newEnv(t, 1, sandbox.Config{})
	link := filepath.Join(e.dir, "link.csv")
	if err := os.Symlink(e.input, link); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(e.input)
	r := run(t, e.vars, "validate", link, "--config", e.config, "-o", e.input, "--quiet")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "is the input file under another name") {
		t.Errorf("results over the input through a symlink: exit %d %s", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(e.input); !bytes.Equal(before, after) {
		t.Error("the input was overwritten")
	}
	if r := e.submit(); r.code != 0 {
		t.Fatal(r.stderr)
	}
	jl := filepath.Join(e.dir, "journal-link.csv")
	os.Symlink(e.state, jl)
	r = run(t, e.vars, "submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base, "-o", jl, "--yes", "--quiet")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "is the journal") {
		t.Errorf("results over the journal: exit %d %s", r.code, r.stderr)
	}
}

// The input is read once: a FIFO that would give other rows on a second
// read orders exactly what the plan showed. The writer gives the other
// rows only once the first reader has closed the FIFO (an event it
// watches for, see serveFIFO), so a second read gets them however slow
// the machine is.
func TestPlanIsWhatIsSent(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	fifo := filepath.Join(e.dir, "staff.csv")
	os.Remove(fifo)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if _, err := fdsOn(fifo); err != nil {
		t.Skip("cannot list this process's open files:", err)
	}
	first, _ := os.ReadFile(writeCSV(t, filepath.Join(e.dir, "one.csv"), staff(1, 1)))
	other, _ := os.ReadFile(writeCSV(t, filepath.Join(e.dir, "three.csv"), staff(3, 50)))
	stop, done := make(chan struct{}), make(chan error, 1)
	go func() { done <- serveFIFO(fifo, first, other, stop) }()
	r := e.submit()
	// A reader of our own: the writer's next open returns at once, it
	// sees stop and ends.
	close(stop)
	if f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		defer f.Close()
	}
	if err := <-done; err != nil {
		t.Error(err)
	}
	if r.code != 0 || !strings.Contains(r.stderr, "up to 1 order:") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	orders := e.sb.Orders()
	if len(orders) != 1 || orders[0].Emails[0] != "person1@example.com" {
		t.Fatalf("sandbox orders %+v, want only person1", orders)
	}
}

// A results file fed back in yields the same people byte for byte, from
// every writer, even when keys and emails start like formulas.
func TestResultsFedBackInAreTheSamePeople(t *testing.T) {
	for _, ext := range []string{".csv", ".xlsx"} {
		t.Run(ext, func(t *testing.T) {
			e := newEnv(t, 0, sandbox.Config{})
			rows := [][]string{{"Employee ID", "Full Name", "Email", "Department", "First Name", "Last Name"},
				{"=E10", "Ann Lee", "-ops@example.com", "+R&D", "Ann", "Lee"},
				{"@7", "Bo Kim", "=bo@example.com", "-", "Bo", "Kim"},
				{"'=E11", "Cy Ng", "cy@example.com", "a;=1+1", "Cy", "Ng"},
			}
			writeCSV(t, e.input, rows)
			out := filepath.Join(e.dir, "first.results"+ext)
			r := run(t, e.vars, "submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base, "-o", out, "--yes", "--quiet")
			if r.code != 0 {
				t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
			}
			emails := map[string]bool{}
			for _, o := range e.sb.Orders() {
				emails[o.Emails[0]] = true
			}
			for _, want := range []string{"-ops@example.com", "=bo@example.com", "cy@example.com"} {
				if !emails[want] {
					t.Errorf("no order for %q: %v", want, emails)
				}
			}
			again := filepath.Join(e.dir, "again.results"+ext)
			r = run(t, e.vars, "submit", out, "--config", e.config, "--state", e.state, "--base-url", e.base, "-o", again, "--yes", "--quiet")
			if r.code != 0 || e.sb.Stats().OrderPOSTs != 3 {
				t.Fatalf("results fed back: exit %d, %d POSTs\n%s%s", r.code, e.sb.Stats().OrderPOSTs, r.stdout, r.stderr)
			}
			f := readResults(t, again)
			for i, x := range f.Records {
				if x.Outcome != "skipped" || !slices.Equal(x.Input, rows[i+1]) {
					t.Errorf("row %d: %s %q, want skipped %q", x.Row, x.Outcome, x.Input, rows[i+1])
				}
			}
		})
	}
}

// The account is the shared truth: a lost journal, another machine's
// order, another admin's: nobody is ordered twice; --no-account-check
// accepts the risk.
func TestAccountIsTheSharedTruth(t *testing.T) {
	e := newEnv(t, 5, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("first run: %d %s", r.code, r.stderr)
	}
	postOrder(t, e.base, "person6@example.com", "Person 6") // another admin ordered person 6 by hand
	writeCSV(t, e.input, staff(6, 1))

	// The journal is lost (or this is another machine).
	e.state = filepath.Join(e.dir, "other.db")
	before := e.sb.Stats()
	r := e.submit()
	after := e.sb.Stats()
	if r.code != 0 || after.OrderPOSTs != before.OrderPOSTs {
		t.Fatalf("lost journal: exit %d, %d new POSTs\n%s", r.code, after.OrderPOSTs-before.OrderPOSTs, r.stderr)
	}
	for row, x := range e.results() {
		if x.outcome != "skipped" || !strings.Contains(x.note, "found at DigiCert") || x.orderID == "" {
			t.Errorf("row %d: %+v", row, x)
		}
	}
	// One list page and one order info per order the journal does not know.
	if n := after.Requests - before.Requests; n != 1+6 {
		t.Errorf("the account check took %d requests, want 7", n)
	}
	// From now on this journal knows them: a run sends nothing.
	before = e.sb.Stats()
	if r := e.submit(); r.code != 0 || e.sb.Stats().Requests != before.Requests {
		t.Errorf("third run: exit %d, %d requests", r.code, e.sb.Stats().Requests-before.Requests)
	}
	// Without the check, a fresh journal orders everyone again: the risk
	// --no-account-check accepts.
	e.state = filepath.Join(e.dir, "third.db")
	if r := e.submit("--no-account-check"); r.code != 0 || e.sb.Stats().OrderPOSTs != before.OrderPOSTs+6 {
		t.Errorf("--no-account-check: exit %d, %d POSTs", r.code, e.sb.Stats().OrderPOSTs-before.OrderPOSTs)
	}
}

// An output that cannot be written is a usage error before anything is
// sent, naming the folder.
func TestUnwritableOutputIsRefusedFirst(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	r := e.submit("-o", filepath.Join(e.dir, "no-such-folder", "r.xlsx"))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "the folder "+filepath.Join(e.dir, "no-such-folder")) || strings.Contains(r.stderr, ".tmp-") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
	if n := e.sb.Stats().Requests; n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// The results workbook keeps the input's numbers and dates typed (no
// "number stored as text"), shows IDs formatted 00000 as Excel shows
// them, and names the batch, input and endpoint on its Summary sheet.
func TestResultsWorkbookKeepsTypesAndNamesTheBatch(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	in := filepath.Join(e.dir, "staff.xlsx")
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Employee ID", "Full Name", "Email", "First Name", "Last Name", "Validity Years", "Custom Expiration Date", "Department"})
	x.SetSheetRow("Sheet1", "A2", &[]any{124, "Ann Lee", "ann@corp.example.net", "Ann", "Lee", 1, time.Now().AddDate(1, 0, 0), "R&D"})
	zeros, _ := x.NewStyle(&excelize.Style{NumFmt: 1, CustomNumFmt: ptr("00000")})
	date, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	x.SetCellStyle("Sheet1", "A2", "A2", zeros)
	x.SetCellStyle("Sheet1", "G2", "G2", date)
	if err := x.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(e.dir, "r.xlsx")
	r := run(t, e.vars, "submit", in, "--config", e.config, "--state", e.state, "--base-url", e.base, "-o", out, "--yes", "--quiet")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Results")
	col := map[string]string{}
	for i, h := range rows[0] {
		c, _ := excelize.CoordinatesToCellName(i+1, 2)
		col[h] = c
	}
	text := func(typ excelize.CellType) bool {
		return typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString
	}
	if typ, _ := f.GetCellType("Results", col["Validity Years"]); text(typ) {
		t.Errorf("Validity Years is stored as text (%v), want a number", typ)
	}
	if typ, _ := f.GetCellType("Results", col["Employee ID"]); !text(typ) {
		t.Errorf("Employee ID 00124 is not text (%v)", typ)
	}
	if v, _ := f.GetCellValue("Results", col["order_status"]); v != "issued" {
		t.Errorf("order_status %q after submit, want what order info says (issued)", v)
	}
	if v, _ := f.GetCellValue("Results", col["Employee ID"]); v != "00124" {
		t.Errorf("Employee ID reads %q, want 00124 as Excel showed it", v)
	}
	if v, _ := f.GetCellValue("Results", col["Custom Expiration Date"], excelize.Options{RawCellValue: true}); strings.Contains(v, "-") {
		t.Errorf("the date is text %q, not a date serial", v)
	}
	sum, _ := f.GetRows("Summary")
	flat := fmt.Sprint(sum)
	for _, want := range []string{"staff.xlsx", "20", "sandbox"} {
		if !strings.Contains(flat, want) {
			t.Errorf("Summary lacks %q: %s", want, flat)
		}
	}
	// status writes the file again: the Summary and the typed cells stay.
	f.Close()
	if r := run(t, e.vars, "status", out, "--base-url", e.base, "--state", e.state, "--quiet"); r.code != 0 {
		t.Fatalf("status: exit %d\n%s", r.code, r.stderr)
	}
	g, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if typ, _ := g.GetCellType("Results", col["Validity Years"]); text(typ) {
		t.Errorf("after status, Validity Years is text")
	}
	sum, _ = g.GetRows("Summary")
	if again := fmt.Sprint(sum); !strings.Contains(again, "staff.xlsx") || !strings.Contains(again, "sandbox") {
		t.Errorf("after status, the Summary lost the run's description: %s", again)
	}
}

func ptr[T any](v T) *T { return &v }

// A real admin's workbook: an instructions sheet first, the data on
// "Q1 hires"; with a second data sheet, the choice is theirs.
func TestWorkbookWithInstructionsAndSeveralSheets(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{})
	in := filepath.Join(e.dir, "hires.xlsx")
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "Instructions")
	x.SetSheetRow("Instructions", "A1", &[]any{"Fill in one row per new hire. Ask HR for the Employee ID."})
	header := []any{"Employee ID", "Full Name", "Email", "Department", "First Name", "Last Name"}
	for i, sheet := range []string{"Q1 hires", "Q2 hires"} {
		x.NewSheet(sheet)
		x.SetSheetRow(sheet, "A1", &[]any{"New hires, quarter " + itoa(i+1)}) // a title above the header
		x.SetSheetRow(sheet, "A3", &header)
		x.SetSheetRow(sheet, "A4", &[]any{"E" + itoa(i), "P " + itoa(i), "p" + itoa(i) + "@corp.example.net", "R&D", "P", itoa(i)})
	}
	x.SaveAs(in)
	r := run(t, e.vars, "validate", in, "--config", e.config, "-o", filepath.Join(e.dir, "r.csv"))
	if r.code != ExitUsage || !strings.Contains(r.stderr, `"Q1 hires" (fits)`) || !strings.Contains(r.stderr, `"Q2 hires" (fits)`) || !strings.Contains(r.stderr, "--sheet") {
		t.Errorf("two data sheets: exit %d\n%s", r.code, r.stderr)
	}
	r = run(t, e.vars, "validate", in, "--config", e.config, "--sheet", "q2 hires", "-o", filepath.Join(e.dir, "r.csv"))
	if r.code != 0 || !strings.Contains(r.stdout, `1 row read from sheet "Q2 hires"`) {
		t.Errorf("--sheet: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	x.DeleteSheet("Q2 hires")
	x.SaveAs(in)
	r = run(t, e.vars, "validate", in, "--config", e.config, "-o", filepath.Join(e.dir, "r.csv"))
	if r.code != 0 || !strings.Contains(r.stdout, `from sheet "Q1 hires"`) {
		t.Errorf("instructions first: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// DigiCert may list an order under a product name certbatch does not
// know: reconciliation and the account check still find it (an unknown
// name can be the product; only other products certbatch knows are ruled
// out).
func TestOrdersListedUnderAnUnknownProductName(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	sb, _ := sandbox.New(sandbox.Config{APIKey: testKey, Windows: []sandbox.Window{}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/order/certificate") {
			sb.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, r)
		body := strings.ReplaceAll(rec.Body.String(), `"client_premium"`, `"premium_smime_2026"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		io.WriteString(w, body)
	}))
	defer srv.Close()
	e.base = srv.URL + "/services/v2"
	postOrder(t, e.base, "person1@example.com", "Person 1") // placed elsewhere
	r := e.submit()
	x := e.results()[2]
	if r.code != 0 || x.outcome != "skipped" || !strings.Contains(x.note, "found at DigiCert") {
		t.Fatalf("person 1: exit %d, %+v\n%s", r.code, x, r.stderr)
	}
	if n := len(sb.Orders()); n != 2 {
		t.Errorf("%d orders for 2 people", n)
	}
}
