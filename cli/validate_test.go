package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestValidateSamples(t *testing.T) {
	for _, c := range []struct{ input, config string }{
		{"client.csv", "client.yaml"}, {"client.xlsx", "client.yaml"},
		{"document_signing.csv", "document_signing.yaml"}, {"document_signing.xlsx", "document_signing.yaml"},
		{"secure_email.csv", "secure_email.yaml"}, {"ds.csv", "ds.yaml"},
	} {
		t.Run(c.input, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.xlsx")
			r := run(t, nil, "validate", repoFile("samples", c.input), "--config", repoFile("samples", c.config), "-o", out, "--quiet")
			if r.code != 0 {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			f := readResults(t, out)
			if len(f.Records) < 3 || outcomes(f)["valid"] != len(f.Records) {
				t.Fatalf("outcomes %v", outcomes(f))
			}
			st, _ := os.Stat(out)
			if st.Mode().Perm() != 0o600 {
				t.Errorf("results mode %v", st.Mode().Perm())
			}
			if !strings.Contains(r.stdout, "rows read") {
				t.Errorf("no summary: %q", r.stdout)
			}
		})
	}
}

// The seed pages' example bodies come out of validate --payloads field
// for field (the client example's "<csr>" placeholder is the sample CSR).
// seedAdditions are the fields the sample bodies carry beyond the seed
// pages' examples, and why (certcentral-today.md §1: since 2025-07-10
// client_premium, client_digital_signature_plus and
// client_email_security_plus orders need the S/MIME profile fields).
var seedAdditions = map[string]map[string]struct {
	value any
	why   string
}{
	"seed-client-example.json": {
		"certificate.common_name_indicator": {"given_name_surname", "filled in because the row gives First Name and Last Name"},
		"certificate.individual.first_name": {"Lock", "S/MIME subject's given name, required with given_name_surname"},
		"certificate.individual.last_name":  {"Cole", "S/MIME subject's surname, required with given_name_surname"},
	},
	"seed-document-signing-example.json": {
		"order_validity.years": {float64(2), "the page marks order_validity.years required and validity_years deprecated (dev.digicert.com/zh-tw/services-api/orders/order-document-signing-certificate/)"},
	},
}

// seedRemovals are the fields of the seed pages' examples the sample
// bodies leave out, and why.
var seedRemovals = map[string]map[string]string{
	"seed-document-signing-example.json": {"validity_years": "deprecated: certbatch sends order_validity.years only"},
}

func TestSeedExamplesReproduced(t *testing.T) {
	csr, err := os.ReadFile(repoFile("samples", "lock-cole.csr"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ input, config, seed, email string }{
		{"client.csv", "client.yaml", "seed-client-example.json", "locke.cole@example.com"},
		{"client.xlsx", "client.yaml", "seed-client-example.json", "locke.cole@example.com"},
		{"document_signing.csv", "document_signing.yaml", "seed-document-signing-example.json", "rene.pierce@yahoo.com"},
		{"document_signing.xlsx", "document_signing.yaml", "seed-document-signing-example.json", "rene.pierce@yahoo.com"},
	} {
		t.Run(c.input, func(t *testing.T) {
			dir := t.TempDir()
			payloads := filepath.Join(dir, "p.jsonl")
			r := run(t, nil, "validate", repoFile("samples", c.input), "--config", repoFile("samples", c.config),
				"-o", filepath.Join(dir, "r.csv"), "--payloads", payloads, "--quiet")
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var want map[string]any
			b, _ := os.ReadFile(filepath.Join("testdata", c.seed))
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if cert, ok := want["certificate"].(map[string]any); ok && cert["csr"] == "<csr>" {
				cert["csr"] = string(csr)
			}
			// Fields today's CertCentral needs that the seed page's example
			// lacks, each with its reason.
			for path, add := range seedAdditions[c.seed] {
				m := want
				parts := strings.Split(path, ".")
				for _, k := range parts[:len(parts)-1] {
					if m[k] == nil {
						m[k] = map[string]any{}
					}
					m = m[k].(map[string]any)
				}
				m[parts[len(parts)-1]] = add.value
			}
			for path := range seedRemovals[c.seed] {
				delete(want, path)
			}
			data, _ := os.ReadFile(payloads)
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				var p struct {
					Row     int            `json:"row"`
					Product string         `json:"product"`
					Payload map[string]any `json:"payload"`
				}
				if err := json.Unmarshal([]byte(line), &p); err != nil {
					t.Fatalf("bad payload line %q: %v", line, err)
				}
				if !strings.Contains(line, c.email) {
					continue
				}
				if p.Row != 2 {
					t.Errorf("row %d, want 2", p.Row)
				}
				if !reflect.DeepEqual(p.Payload, want) {
					g, _ := json.MarshalIndent(p.Payload, "", " ")
					w, _ := json.MarshalIndent(want, "", " ")
					t.Fatalf("payload differs from the seed example\n got %s\nwant %s", g, w)
				}
				return
			}
			t.Fatalf("no payload for %s in %s", c.email, data)
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.csv")
	r := run(t, nil, "validate", repoFile("samples", "client-with-errors.csv"), "--config", repoFile("samples", "client.yaml"), "-o", out)
	if r.code != ExitRowsBad {
		t.Fatalf("exit %d, want %d", r.code, ExitRowsBad)
	}
	f := readResults(t, out)
	want := map[int][]string{
		3: {"Full Name: is required"},
		4: {`Email "Alan Turing <alan@example.com>"`, `Validity Years "3": must be one of 1, 2`},
		5: {"duplicate of row 2"},
		6: {`Validity Years "two": must be a whole number`},
	}
	for _, rec := range f.Records {
		for _, w := range want[rec.Row] {
			if rec.Outcome != "invalid" || !strings.Contains(rec.Error, w) {
				t.Errorf("row %d: %s %q lacks %q", rec.Row, rec.Outcome, rec.Error, w)
			}
		}
		if want[rec.Row] == nil && rec.Outcome != "valid" {
			t.Errorf("row %d: %s %s", rec.Row, rec.Outcome, rec.Error)
		}
	}
	for _, w := range []string{"row 3: Full Name: is required", "1 valid, 4 invalid"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
		}
	}
}

func TestUsageAndConfigErrors(t *testing.T) {
	dir := t.TempDir()
	in := writeCSV(t, filepath.Join(dir, "in.csv"), staff(2, 1))
	badKey := writeFile(t, filepath.Join(dir, "bad.yaml"), "product: client_premium_sha2\ncolour: red\n")
	missingHeader := writeFile(t, filepath.Join(dir, "mh.yaml"), "product: client_premium_sha2\ncolumns: {certificate.emails: Mail}\n")
	latin1 := filepath.Join(dir, "latin1.csv")
	os.WriteFile(latin1, []byte("Full Name,Email\nJos\xe9,j@example.com\n"), 0o600)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, ExitUsage, "unknown command"},
		{"no input", []string{"validate"}, ExitUsage, "accepts 1 arg"},
		{"missing input", []string{"validate", filepath.Join(dir, "nope.csv"), "--product", "client_premium_sha2"}, ExitUsage, "nope.csv"},
		{"unknown config key", []string{"validate", in, "--config", badKey}, ExitUsage, "colour"},
		{"missing header", []string{"validate", in, "--config", missingHeader}, ExitUsage, `header "Mail" is not in the input`},
		{"unknown product", []string{"validate", in, "--product", "client_gold"}, ExitUsage, "client_gold"},
		{"bad log format", []string{"validate", in, "--product", "client_premium_sha2", "--log-format", "xml"}, ExitUsage, "--log-format"},
		{"bad output type", []string{"validate", in, "--product", "client_premium_sha2", "-o", filepath.Join(dir, "r.pdf")}, ExitError, ".pdf"},
		{"not utf-8", []string{"validate", latin1, "--product", "client_premium_sha2"}, ExitUsage, "--encoding"},
		{"output is the input", []string{"validate", in, "--product", "client_premium_sha2", "-o", in}, ExitUsage, "is the input file"},
		{"missing rules exit 3", []string{"validate", in, "--product", "client_premium_sha2", "-o", filepath.Join(dir, "r.csv")}, ExitRowsBad, "organization.id: is required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, nil, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr+r.stdout, c.want) {
				t.Fatalf("exit %d (want %d), output lacks %q:\n%s%s", r.code, c.code, c.want, r.stdout, r.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "r.pdf")); err == nil {
		t.Error("a results file with an unknown type was written")
	}
}

// A template's example row can never be ordered by mistake: the data
// sheet starts empty, and a row copied from the example is refused.
func TestTemplateExampleIsNeverOrdered(t *testing.T) {
	for _, p := range []string{"client_premium", "document_signing_org_2"} {
		t.Run(p, func(t *testing.T) {
			dir := t.TempDir()
			tpl := filepath.Join(dir, "t.csv")
			if r := run(t, nil, "template", "--product", p, "-o", tpl, "--no-config"); r.code != 0 {
				t.Fatalf("template: %d %s", r.code, r.stderr)
			}
			xlsx := filepath.Join(dir, "t.xlsx")
			if r := run(t, nil, "template", "--product", p, "-o", xlsx, "--no-config"); r.code != 0 {
				t.Fatalf("template: %d %s", r.code, r.stderr)
			}
			// Copy the Example sheet's row under the CSV template's header.
			f := readSheet(t, xlsx, "Example")
			b, _ := os.ReadFile(tpl)
			var line []string
			for _, c := range f[1] {
				line = append(line, `"`+strings.ReplaceAll(c, `"`, `""`)+`"`)
			}
			os.WriteFile(tpl, append(b, []byte(strings.Join(line, ",")+"\r\n")...), 0o600)
			out := filepath.Join(dir, "r.csv")
			r := run(t, nil, "validate", tpl, "-o", out, "--quiet")
			res := readResults(t, out)
			if r.code != ExitRowsBad || len(res.Records) != 1 || !strings.Contains(res.Records[0].Error, "delete the example row") {
				t.Fatalf("example row: exit %d, %+v\n%s", r.code, res.Records, r.stderr)
			}
		})
	}
	if r := run(t, nil, "template"); r.code != ExitUsage || !strings.Contains(r.stderr, "--product is required") {
		t.Errorf("template without product: %d %s", r.code, r.stderr)
	}
}

func TestHelpShowsExitCodes(t *testing.T) {
	r := run(t, nil, "--help")
	for _, w := range []string{"Exit status:", "130", "validate", "submit", "reconcile", "history"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("help lacks %q", w)
		}
	}
}

// readSheet returns a workbook sheet's rows.
func readSheet(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
