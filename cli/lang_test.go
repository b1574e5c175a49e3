package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/language"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/templates"
)

// notEnglish are the words a localized run may still print: names
// (certbatch, DigiCert, CertCentral), acronyms, what the person types
// (yes, the commands), log syntax, and the identifiers of the config
// and of DigiCert's API (key:, order:, product, balance) that are the
// same in every language.
var notEnglish = []string{"certbatch", "DigiCert", "CertCentral", "API", "ID", "CSR", "PEM", "JSON", "CSV", "UTF", "SMTP",
	"yes", "validate", "submit", "status", "download", "approve", "cancel", "renew", "revoke", "sync", "results", "show",
	"time", "level", "msg", "INFO", "WARN", "ERROR",
	"key", "order", "columns", "product", "balance", "Product", "issued", "approved", "pending", "needs_approval"}

// englishWords returns the English words left in s: runs of two or
// more ASCII letters, but in tokens that are identifiers (emails, file
// names, paths, URLs, field paths, flags, IDs, log keys: anything with
// @ / . _ = - or a digit) and the words of allow and notEnglish.
func englishWords(s string, allow ...string) []string {
	for _, a := range allow {
		s = strings.ReplaceAll(s, a, " ")
	}
	var out []string
	run := regexp.MustCompile(`[A-Za-z]{2,}`)
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(`"'()[]{}<>,;×`, r) }) {
		if strings.ContainsAny(tok, "@/._=-0123456789") {
			continue
		}
		for _, w := range run.FindAllString(tok, -1) {
			if !slices.Contains(notEnglish, w) && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// localizedSheet writes a CSV in the template's headers of lang (the
// workbook `certbatch template --lang` writes) with a person, a row with
// a broken email and a row without a first name, and a config.
func localizedSheet(t *testing.T, dir string, lang string, withFirstName bool) (input, config string) {
	t.Helper()
	set, _ := templates.Builtin()
	tpl, _ := set.ForProduct("client_premium")
	head := func(path string) string {
		f, ok := tpl.Field(path)
		if !ok {
			t.Fatalf("no field %s", path)
		}
		return f.HeadersFor(lang)[0]
	}
	key := tpl.KeyColumn.HeadersFor(lang)[0]
	header := []string{key, head("certificate.common_name"), head("certificate.emails"), head("certificate.individual.last_name")}
	rows := [][]string{
		{"E1", "홍길동", "hong@corp.example.net", "홍"},
		{"E2", "김철수", "kim-at-corp", "김"},
		{"E3", "이영희", "lee@corp.example.net", "이"},
	}
	if withFirstName {
		header = append(header, head("certificate.individual.first_name"))
		rows[0], rows[1], rows[2] = append(rows[0], "길동"), append(rows[1], "철수"), append(rows[2], "")
	}
	input = writeCSV(t, filepath.Join(dir, "staff-"+lang+".csv"), append([][]string{header}, rows...))
	config = writeFile(t, filepath.Join(dir, "staff-"+lang+".yaml"), "product: client_premium\nkey: "+key+
		"\norder:\n  organization: {id: 112233}\n  validity_years: 1\n  skip_approval: true\n")
	return input, config
}

// xlsxTexts returns every cell of every sheet of a workbook, and its
// sheet names.
func xlsxTexts(t *testing.T, path string) (sheets []string, cells [][]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		sheets = append(sheets, name)
		cells = append(cells, rows...)
	}
	return sheets, cells
}

// validate and submit (on the sandbox) with --lang ko and --lang zh-TW on
// a sheet with the template's Korean or Chinese headers: no English word
// is left on stderr, stdout or in the results workbook's headers, outcome
// words and Summary sheet; the localized results file works as an input
// to status and results.Read.
func TestLocalizedValidateAndSubmit(t *testing.T) {
	for _, lang := range []string{"ko", "zh-TW"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state")}
			in, cfg := localizedSheet(t, dir, lang, true)
			// The server's own data is no English of certbatch's.
			data := []string{"Sandbox Admin", "Administrator", "Example Corp", "secure_email_sponsor"}
			check := func(what, text string) {
				t.Helper()
				if w := englishWords(text, data...); len(w) > 0 {
					t.Errorf("%s: English words %q in\n%s", what, w, text)
				}
			}
			out := filepath.Join(dir, "check.xlsx")
			r := run(t, env, "validate", in, "--config", cfg, "--lang", lang, "-o", out)
			if r.code != ExitRowsBad {
				t.Fatalf("validate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			check("validate stderr", r.stderr)
			check("validate stdout", r.stdout)
			sub := filepath.Join(dir, "sub.xlsx")
			r = run(t, env, "submit", in, "--config", cfg, "--lang", lang, "--sandbox", "--yes", "-o", sub)
			if r.code != ExitRowsBad {
				t.Fatalf("submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			check("submit stderr", r.stderr)
			check("submit stdout", r.stdout)
			for _, file := range []string{out, sub} {
				sheets, cells := xlsxTexts(t, file)
				check(file+": sheet names", strings.Join(sheets, "\n"))
				var heads []string
				for _, row := range cells {
					// Input cells (names, emails) are the file's; the
					// headers, outcome words and labels are certbatch's.
					for _, c := range row {
						if !strings.Contains(c, "@") && !strings.ContainsAny(c, "0123456789") {
							heads = append(heads, c)
						}
					}
				}
				check(file+": cells", strings.Join(heads, "\n"))
				if !slices.Contains(cells[0], results.Headers(l10n.For(mustLang(t, lang)))[1]) {
					t.Errorf("%s: header %q lacks the localized outcome column", file, cells[0])
				}
			}
			// The localized file reads back, outcomes and all, and status
			// follows its order.
			f := readResults(t, sub)
			if got := outcomes(f); got[string(order.Ordered)] != 1 || got[string(order.Invalid)] != 2 {
				t.Errorf("outcomes read back %v", got)
			}
			r = run(t, env, "status", sub, "--sandbox", "--lang", lang)
			if r.code != 0 {
				t.Fatalf("status: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			check("status stderr", r.stderr)
			check("status stdout", r.stdout)
			r = run(t, env, "download", sub, "--sandbox", "--lang", lang, "--dir", filepath.Join(dir, "certs"))
			if r.code != 0 {
				t.Fatalf("download: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			check("download stderr", r.stderr)
			check("download stdout", r.stdout)
		})
	}
}

func mustLang(t *testing.T, s string) language.Tag {
	t.Helper()
	tag, ok := l10n.Match(s)
	if !ok {
		t.Fatalf("no language %q", s)
	}
	return tag
}

// A Korean sheet that lacks a column names it by its Korean header, as
// the person's template spells it: 이름(성 제외), not First Name.
func TestMissingColumnNamedInSheetLanguage(t *testing.T) {
	for _, c := range []struct{ lang, header string }{{"ko", "이름(성 제외)"}, {"zh-TW", "名字"}} {
		dir := t.TempDir()
		in, cfg := localizedSheet(t, dir, c.lang, false)
		for _, lang := range []string{"en", c.lang} {
			r := run(t, map[string]string{"HOME": dir}, "validate", in, "--config", cfg, "--lang", lang, "-o", filepath.Join(dir, "v.csv"))
			if r.code != ExitRowsBad {
				t.Fatalf("%s --lang %s: exit %d\n%s", c.lang, lang, r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "row 2: "+c.header+":") && !strings.Contains(r.stdout, c.header+":") {
				t.Errorf("%s --lang %s: the missing column is not named %q:\n%s", c.lang, lang, c.header, r.stdout)
			}
			if strings.Contains(r.stdout, "First Name") || strings.Contains(r.stdout, "certificate.individual.first_name:") {
				t.Errorf("%s --lang %s: the missing column is named in English:\n%s", c.lang, lang, r.stdout)
			}
		}
	}
	// An English sheet keeps naming it by its path and English header.
	dir := t.TempDir()
	in, cfg := localizedSheet(t, dir, "", false)
	r := run(t, map[string]string{"HOME": dir}, "validate", in, "--config", cfg, "-o", filepath.Join(dir, "v.csv"))
	if !strings.Contains(r.stdout, `certificate.individual.first_name: is required when certificate.common_name_indicator is given_name_surname (add a "First Name" column`) {
		t.Errorf("English sheet:\n%s", r.stdout)
	}
}

// The language comes from --lang, else LC_ALL, LC_MESSAGES and LANG in
// that order.
func TestLanguageFromLocale(t *testing.T) {
	dir := t.TempDir()
	in, cfg := localizedSheet(t, dir, "ko", true)
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"LANG": "ko_KR.UTF-8"}, nil, "행 읽음"},
		{map[string]string{"LANG": "ko_KR.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, nil, "讀取 3 列"},
		{map[string]string{"LANG": "ko_KR.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8", "LC_ALL": "C"}, nil, "3 rows read"},
		{map[string]string{"LC_ALL": "zh_TW.UTF-8"}, []string{"--lang", "ko"}, "행 읽음"},
		{map[string]string{"LANG": "ko_KR.UTF-8"}, []string{"--lang=en"}, "3 rows read"},
	} {
		c.env["HOME"] = dir
		args := append([]string{"validate", in, "--config", cfg, "-o", filepath.Join(dir, "v.xlsx")}, c.args...)
		r := run(t, c.env, args...)
		if !strings.Contains(r.stdout, c.want) {
			t.Errorf("%v %v: want %q in\n%s", c.env, c.args, c.want, r.stdout)
		}
	}
	// A command line that does not parse is answered in the language too.
	r := run(t, map[string]string{"LANG": "ko_KR.UTF-8"}, "validate", "--no-such-flag")
	if !strings.Contains(r.stderr, "certbatch: 오류: 알 수 없는 플래그: --no-such-flag") || !strings.Contains(r.stderr, "certbatch: 도움말:") {
		t.Errorf("usage error in Korean:\n%s", r.stderr)
	}
	r = run(t, nil, "validate", "a", "b", "--lang", "zh-TW")
	if !strings.Contains(r.stderr, "certbatch: 錯誤: 只接受 1 個引數,卻收到 2 個") {
		t.Errorf("usage error in Chinese:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "v.xlsx")); err != nil {
		t.Error(err)
	}
}

// Every hint, signal name and exit code meaning, which are printed in
// the run's language through the catalog, is a message of it.
func TestCLITermsInCatalog(t *testing.T) {
	var terms []string
	for _, h := range hints {
		terms = append(terms, h.text)
	}
	for _, c := range ExitCodes {
		terms = append(terms, c.Meaning)
	}
	terms = append(terms, "interrupted", "terminated (SIGTERM)", "hangup (SIGHUP: the terminal or SSH session closed)", "output closed (broken pipe)",
		"validating", "ordering", "rows", "orders", "PRODUCTION", "SANDBOX", "production", "sandbox", "the flags", "the environment variables")
	for _, o := range order.Outcomes {
		terms = append(terms, string(o))
	}
	for _, g := range pipeline.RenewGroups {
		terms = append(terms, g.Title)
	}
	for _, g := range revokeGroups {
		terms = append(terms, g.title)
	}
	for _, c := range cobraErrors {
		terms = append(terms, c.key)
	}
	for _, s := range terms {
		if !l10n.IsKnown(s) {
			t.Errorf("%q is not in the catalog", s)
		}
	}
}

// The README's Korean and Traditional Chinese sections say how to choose
// the language: --lang, or the locale's variables in POSIX's order.
func TestReadmeSaysHowToChooseTheLanguage(t *testing.T) {
	b, err := os.ReadFile(repoFile("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, c := range []struct{ heading, next, flag string }{
		{"## 한국어 안내", "## 繁體中文說明", "--lang ko"},
		{"## 繁體中文說明", "## Layout", "--lang zh-TW"},
	} {
		i, j := strings.Index(s, c.heading), strings.Index(s, c.next)
		if i < 0 || j < i {
			t.Fatalf("README has no section %q", c.heading)
		}
		sec := s[i:j]
		for _, want := range []string{c.flag, "`LC_ALL`", "`LC_MESSAGES`", "`LANG`"} {
			if !strings.Contains(sec, want) {
				t.Errorf("%s does not say %q", c.heading, want)
			}
		}
	}
}

// Document signing in Traditional Chinese (the seed page's language): a
// sheet with the ds template's Chinese headers, validated and ordered
// with --lang zh-TW, leaves no English word on the terminal.
func TestLocalizedDocumentSigning(t *testing.T) {
	set, _ := templates.Builtin()
	tpl, _ := set.ForProduct("ds_org_individual")
	// The sample's English headers, each as the template's Chinese one.
	sample := [][]string{
		{"Employee ID", "First Name", "Last Name", "Email", "Phone", "Job Title", "Provisioning Method"},
		{"E4001", "大文", "陳", "chen.dawen@example.com", "02-2345-6789", "法務專員", "client_app"},
		{"E4002", "小美", "林", "lin.xiaomei@example", "02-2345-6790", "人資經理", "client_app"},
	}
	for i, h := range sample[0] {
		zh := ""
		if slices.Contains(tpl.KeyHeaders(), h) {
			zh = tpl.KeyColumn.HeadersFor("zh-TW")[0]
		}
		for j := range tpl.Fields {
			if f := &tpl.Fields[j]; slices.Contains(f.Headers, h) {
				zh = f.HeadersFor("zh-TW")[0]
			}
		}
		if zh == "" || zh == h {
			t.Fatalf("no Chinese header for %q", h)
		}
		sample[0][i] = zh
	}
	dir := t.TempDir()
	in := writeCSV(t, filepath.Join(dir, "簽署人.csv"), sample)
	cfg := writeFile(t, filepath.Join(dir, "簽署人.yaml"), "product: ds_org_individual\nkey: "+tpl.KeyColumn.HeadersFor("zh-TW")[0]+`
order:
  organization: {id: 334455}
  order_validity: {years: 1}
  skip_approval: true
  certificate:
    usage_designation: {primary_usage: signing}
`)
	env := map[string]string{"HOME": dir, "LANG": "zh_TW.UTF-8"}
	for _, args := range [][]string{
		{"validate", in, "--config", cfg, "-o", filepath.Join(dir, "v.xlsx")},
		{"submit", in, "--config", cfg, "--sandbox", "--yes", "-o", filepath.Join(dir, "s.xlsx")},
	} {
		r := run(t, env, args...)
		if r.code != ExitRowsBad {
			t.Fatalf("%s: exit %d\n%s%s", args[0], r.code, r.stdout, r.stderr)
		}
		if w := englishWords(r.stdout+r.stderr, "Sandbox Admin", "Administrator", "Example Signing Ltd"); len(w) > 0 {
			t.Errorf("%s: English words %q in\n%s%s", args[0], w, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "無效 1") {
			t.Errorf("%s: the summary is not in Chinese:\n%s", args[0], r.stdout)
		}
	}
}
