package cli

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/language"

	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/templates"
)

var zhTW = language.MustParse("zh-TW")

// filledRow holds a person's values by field path ("product", "key" for
// the key column): none is a template's example.
var filledRow = map[string]map[string]string{
	"client_premium": {"product": "client_premium", "key": "K-42", "certificate.common_name": "Mina Park",
		"certificate.emails": "mina.park@corp.example.org", "certificate.signature_hash": "sha256", "organization.id": "998877",
		"validity_years": "1", "certificate.organization_units": "Security", "certificate.individual.first_name": "Mina",
		"certificate.individual.last_name": "Park"},
	"document_signing_org_1": {"product": "document_signing_org_1", "key": "K-43", "subject.name": "陳美玲", "subject.job_title": "Engineer",
		"subject.phone": "02-1234-5678", "subject.email": "mei.chen@corp.example.org", "certificate.signature_hash": "sha256",
		"organization.id": "998877", "order_validity.years": "2"},
	"secure_email_sponsor": {"product": "secure_email_sponsor", "key": "K-44", "certificate.emails": "mina.park@corp.example.org",
		"certificate.signature_hash": "sha256", "certificate.usage_designation.primary_usage": "dual_use", "organization.id": "998877",
		"validity_years": "1", "certificate.individual.first_name": "Mina", "certificate.individual.last_name": "Park", "certificate.profile_type": "strict"},
	"ds_org_individual": {"product": "ds_org_individual", "key": "K-45", "individual.first_name": "美玲", "individual.last_name": "陳",
		"individual.email": "mei.chen@corp.example.org", "certificate.signature_hash": "sha256", "certificate.usage_designation.primary_usage": "signing",
		"cs_provisioning_method": "client_app", "organization.id": "998877", "order_validity.years": "1"},
}

// wantPayload are parts of the order body of filledRow.
var wantPayload = map[string][]string{
	"client_premium": {`"common_name":"Mina Park"`, `"emails":["mina.park@corp.example.org"]`, `"organization_units":["Security"]`,
		`"individual":{"first_name":"Mina","last_name":"Park"}`, `"common_name_indicator":"given_name_surname"`,
		`"organization":{"id":998877}`, `"validity_years":1`},
	"document_signing_org_1": {`"subject":{"name":"陳美玲","job_title":"Engineer","phone":"02-1234-5678","email":"mei.chen@corp.example.org"}`,
		`"organization":{"id":998877}`, `"order_validity":{"years":2}`},
	"secure_email_sponsor": {`"emails":["mina.park@corp.example.org"]`, `"profile_type":"strict","usage_designation":{"primary_usage":"dual_use"}`,
		`"common_name_indicator":"given_name_surname","individual":{"first_name":"Mina","last_name":"Park"}`, `"organization":{"id":998877}`, `"validity_years":1`},
	"ds_org_individual": {`"usage_designation":{"primary_usage":"signing"}`, `"cs_provisioning_method":"client_app"`,
		`"individual":{"first_name":"美玲","last_name":"陳","email":"mei.chen@corp.example.org"}`, `"organization":{"id":998877}`, `"order_validity":{"years":1}`},
}

// columnPath returns the field path (or "product", "key") a workbook
// column of tpl in lang was written for.
func columnPath(t *testing.T, tpl *templates.Template, lang language.Tag, header string) string {
	t.Helper()
	lk := templates.LangKey(lang)
	if header == "Product" {
		return "product"
	}
	if tpl.KeyColumn != nil && tpl.KeyColumn.HeadersFor(lk)[0] == header {
		return "key"
	}
	for _, f := range tpl.Fields {
		if hs := f.HeadersFor(lk); len(hs) > 0 && hs[0] == header {
			return f.Path
		}
	}
	t.Fatalf("column %q is no field's", header)
	return ""
}

// allHeadersSet returns the built-in templates with every field's
// Headers replaced by its AllHeaders: what mapping.Compile matches once
// compile.go loops over f.AllHeaders() instead of f.Headers.
func allHeadersSet(t *testing.T) *templates.Set {
	t.Helper()
	set, err := templates.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range append([]*templates.Template(nil), set.Families()...) { // Add reorders Families
		c := *tpl
		c.Fields = append([]templates.Field(nil), tpl.Fields...)
		for i := range c.Fields {
			c.Fields[i].Headers = c.Fields[i].AllHeaders()
		}
		set.Add(&c)
	}
	return set
}

// A workbook in any language, filled in, maps to the right fields with
// its starter config and no columns: block.
func TestTemplateHeadersMapInEveryLanguage(t *testing.T) {
	builtin, err := templates.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	all := allHeadersSet(t)
	for _, product := range []string{"client_premium", "document_signing_org_1", "secure_email_sponsor", "ds_org_individual"} {
		for _, lang := range templates.Languages {
			t.Run(product+"/"+lang.String(), func(t *testing.T) {
				tpl, _ := builtin.ForProduct(product)
				cols := TemplateColumnsFor(tpl, product, lang)
				header := make([]string, len(cols))
				cells := make([]string, len(cols))
				for i, c := range cols {
					header[i] = c.Header
					cells[i] = filledRow[product][columnPath(t, tpl, lang, c.Header)]
				}
				key := tpl.KeyColumn.HeadersFor(templates.LangKey(lang))[0]
				cfg, err := mapping.ParseConfig(StarterConfig(tpl, product, "t.xlsx", key, lang))
				if err != nil {
					t.Fatal(err)
				}
				set := all
				if lang == language.English {
					set = builtin // English headers map today, with no change to compile.go
				}
				m, err := mapping.Compile(cfg, header, set, mapping.Options{})
				if err != nil {
					t.Fatal(err)
				}
				r := m.Map(2, cells, &mapping.Scratch{}, true)
				if !r.Valid() {
					t.Fatalf("problems: %s", r.ErrorText())
				}
				if r.Key != filledRow[product]["key"] || r.Product != product {
					t.Errorf("key %q product %q", r.Key, r.Product)
				}
				for _, w := range wantPayload[product] {
					if !strings.Contains(string(r.Payload), w) {
						t.Errorf("payload lacks %s:\n%s", w, r.Payload)
					}
				}
			})
		}
	}
}

func TestTemplateColumnsFor(t *testing.T) {
	set, _ := templates.Builtin()
	doc, _ := set.ForProduct("document_signing_org_1")
	for _, c := range []struct {
		lang   language.Tag
		header []string // the first columns
		notes  map[string]string
	}{
		{language.English, []string{"Product", "Employee ID", "Signature Hash", "Validity Years", "Organization ID", "Subject Name"},
			map[string]string{"Organization ID": "required · whole number · Organization ID the order belongs to. (organization.id)",
				"Validity Years": "required unless custom_expiration_date is given · whole number · Years the certificate and order are valid (1-3). Replaced by custom_expiration_date when that is given. (order_validity.years) · allowed: 1, 2, 3"}},
		{language.Korean, []string{"Product", "사번", "서명 해시", "유효 기간(년)", "조직 ID", "성명"},
			map[string]string{"조직 ID": "필수 · 정수 · 주문과 연결할 조직의 ID입니다. (organization.id)",
				"서명 해시": "필수 · 텍스트 · 인증서를 서명하기 위해 사용되는 해시 알고리즘입니다. (certificate.signature_hash) · 허용되는 값: sha256 · 기본값: sha256",
				"사번":    "필수 · 텍스트 · 실행할 때마다 같은 사람을 식별하는 값(설정 파일의 key:)입니다. 예: 사번. DigiCert에는 보내지 않습니다."}},
		{zhTW, []string{"Product", "員工編號", "簽章雜湊", "有效年數", "組織 ID", "姓名", "職稱", "電話", "電子郵件"},
			map[string]string{"電子郵件": "必填 · 電子郵件地址 · 主體電郵地址;用來識別此人。 (subject.email)",
				"建置方法":    "選填 · 文字 · 說明您要接收權杖的方法 (寄送硬體權杖、現有權杖或您自己的 HSM)。 (cs_provisioning_method) · 允許的值: ship_token, client_app, email",
				"收件人":     "必填 (提供任何 ship_info 欄位時) · 文字 · 權杖收件人的姓名。 (ship_info.name)",
				"Product": "必填 · 此列要訂購的 CertCentral 產品 · 允許的值: document_signing_org_1, document_signing_org_2 · 留空的列使用設定檔的 product:"}},
	} {
		t.Run(c.lang.String(), func(t *testing.T) {
			cols := TemplateColumnsFor(doc, "document_signing_org_1", c.lang)
			var got []string
			notes := map[string]string{}
			for _, col := range cols {
				got = append(got, col.Header)
				notes[col.Header] = col.Note
			}
			if !reflect.DeepEqual(got[:len(c.header)], c.header) {
				t.Errorf("headers %q, want them to start %q", got, c.header)
			}
			if len(cols) != 29 {
				t.Errorf("%d columns, want 29", len(cols))
			}
			for h, want := range c.notes {
				if notes[h] != want {
					t.Errorf("note on %q:\n got %q\nwant %q", h, notes[h], want)
				}
			}
		})
	}
	// TemplateColumns stays the English field columns.
	if got := TemplateColumns(doc); len(got) != 27 || got[0].Header != "Signature Hash" {
		t.Errorf("TemplateColumns: %d columns, first %q", len(got), got[0].Header)
	}
}

func TestStarterConfig(t *testing.T) {
	set, _ := templates.Builtin()
	doc, _ := set.ForProduct("document_signing_org_1")
	got := string(StarterConfig(doc, "document_signing_org_1", "signers.xlsx", "Employee ID", language.English))
	want := `# certbatch batch configuration for document_signing_org_1, written with signers.xlsx. Its headers are the template's, so no columns: block is needed.
product: document_signing_org_1
# The column that identifies a person across runs. Remove this line to identify people by their email.
key: Employee ID
# Constant order fields, used for rows that leave the column empty. Uncomment and fill in:
order:
  # order_validity:
  #   years: 1  # required unless custom_expiration_date is given · allowed: 1, 2, 3
  # organization:
  #   id: 123456  # required · your CertCentral organization ID
  # skip_approval: true  # without it each order waits in needs_approval until an administrator approves it (certbatch approve); true needs a key allowed to skip approval
`
	if got != want {
		t.Errorf("starter config:\n%s\nwant:\n%s", got, want)
	}
	cfg, err := mapping.ParseConfig([]byte(got))
	if err != nil || cfg.Product != "document_signing_org_1" || cfg.Key != "Employee ID" || cfg.Order != nil || cfg.Columns != nil {
		t.Fatalf("parsed %+v, %v", cfg, err)
	}
	// Uncommented, the constants are valid order fields.
	un := strings.ReplaceAll(got, "\n  # ", "\n  ")
	cfg, err = mapping.ParseConfig([]byte(un))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"order_validity": map[string]any{"years": 1}, "organization": map[string]any{"id": 123456}, "skip_approval": true}; !reflect.DeepEqual(cfg.Order, want) {
		t.Errorf("uncommented order %v, want %v", cfg.Order, want)
	}
	if _, err := mapping.Compile(cfg, []string{"Employee ID", "Subject Name", "Email"}, set, mapping.Options{}); err != nil {
		t.Errorf("uncommented starter config: %v", err)
	}

	// A key header YAML would misread is quoted; no key, no key: line.
	client, _ := set.ForProduct("client_premium")
	got = string(StarterConfig(client, "client_premium", "t.csv", "ID: #", language.Korean))
	if !strings.Contains(got, "\nkey: 'ID: #'\n") || !strings.Contains(got, "  #   id: 123456  # 필수 · CertCentral 조직 ID\n") {
		t.Errorf("Korean starter config:\n%s", got)
	}
	if c, err := mapping.ParseConfig([]byte(got)); err != nil || c.Key != "ID: #" {
		t.Errorf("parsed key %q, %v", c.Key, err)
	}
	if got := string(StarterConfig(client, "client_premium", "t.csv", "", language.English)); strings.Contains(got, "key:") {
		t.Errorf("a key: line without a key column:\n%s", got)
	}
}

// An .xlsx template in Korean: nothing to order on the Orders sheet, the
// example on its own sheet, notes and dropdown help in Korean; filled in
// (not with the example), it validates with its starter config.
func TestTemplateWorkbookKorean(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "직원.xlsx")
	if r := run(t, nil, "template", "--product", "client_premium", "--lang", "ko", "-o", p); r.code != 0 {
		t.Fatalf("template: %d %s", r.code, r.stderr)
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	orders, _ := f.GetRows(results.SheetOrders)
	if len(orders) != 1 || orders[0][1] != "사번" || orders[0][2] != "성명" {
		t.Fatalf("Orders sheet %q, want the Korean header only", orders)
	}
	ex, _ := f.GetRows(results.SheetExample)
	if len(ex) != 4 || ex[1][0] != "client_premium" || ex[1][1] != "E-1001" || ex[1][2] != "Jane Example" ||
		ex[3][0] != "예시일 뿐입니다. 이 행을 Orders 시트에 복사하지 마십시오. certbatch는 예시와 같은 행을 주문하지 않습니다." {
		t.Fatalf("Example sheet %q", ex)
	}
	cs, _ := f.GetComments(results.SheetOrders)
	note := ""
	for _, c := range cs {
		if c.Cell == "G1" { // 조직 ID
			note = c.Text
			for _, r := range c.Paragraph {
				note += r.Text
			}
		}
	}
	if !strings.Contains(note, "필수 · 정수 · 주문과 연결할 조직의 ID입니다. (organization.id)") {
		t.Errorf("note on G1 %q", note)
	}
	dvs, _ := f.GetDataValidations(results.SheetOrders)
	prompts := map[string]string{}
	for _, dv := range dvs {
		if *dv.ErrorTitle != "허용되지 않는 값" || *dv.Error != "목록에서 값을 선택하십시오." {
			t.Errorf("%s: error box %q %q", dv.Sqref, *dv.ErrorTitle, *dv.Error)
		}
		if dv.PromptTitle != nil {
			prompts[*dv.PromptTitle] = *dv.Prompt
		}
	}
	if prompts["Product"] != "이 행에서 주문할 CertCentral 제품" || prompts["결제 방법"] != "사용할 결제 방법입니다." {
		t.Errorf("prompts %q", prompts)
	}

	// Filled in with English headers the same way, it validates end to end today.
	en := filepath.Join(dir, "staff.xlsx")
	if r := run(t, nil, "template", "--product", "client_premium", "--lang", "en", "-o", en); r.code != 0 {
		t.Fatalf("template: %d %s", r.code, r.stderr)
	}
	set, _ := templates.Builtin()
	tpl, _ := set.ForProduct("client_premium")
	g, err := excelize.OpenFile(en)
	if err != nil {
		t.Fatal(err)
	}
	header, _ := g.GetRows(results.SheetOrders)
	for i, h := range header[0] {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		g.SetCellStr(results.SheetOrders, cell, filledRow["client_premium"][columnPath(t, tpl, language.English, h)])
	}
	if err := g.Save(); err != nil {
		t.Fatal(err)
	}
	g.Close()
	out := filepath.Join(dir, "r.csv")
	r := run(t, nil, "validate", en, "--config", filepath.Join(dir, "staff.yaml"), "-o", out, "--quiet")
	if r.code != 0 {
		t.Fatalf("the filled template is not valid: %s%s", r.stdout, r.stderr)
	}
	if res := readResults(t, out); len(res.Records) != 1 || res.Records[0].Product != "client_premium" || res.Records[0].Outcome != "valid" {
		t.Fatalf("results %+v", res.Records)
	}
}

func TestTemplateFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown language", []string{"--lang", "xx-unknown"}, nil, `--lang "xx-unknown": not a language`},
		{"both config flags", []string{"--config-out", filepath.Join(dir, "a.yaml"), "--no-config"}, nil, "exclude each other"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"template", "--product", "client_premium", "-o", filepath.Join(dir, "t.csv")}, c.args...)
			if r := run(t, c.env, args...); r.code != ExitUsage || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, ExitUsage, c.want)
			}
		})
	}
	if r := run(t, nil, "template"); r.code != ExitUsage || !strings.Contains(r.stderr, "--product is required") {
		t.Errorf("template without product: %d %s", r.code, r.stderr)
	}
	// $LC_ALL wins over $LANG.
	p := filepath.Join(dir, "zh.csv")
	if r := run(t, map[string]string{"LANG": "ko_KR.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "template", "--product", "client_premium", "-o", p, "--no-config"); r.code != 0 ||
		!strings.Contains(r.stdout, "client_premium 的 21 欄,zh-TW") {
		t.Errorf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
}

// A Secure Email workbook follows the product: the organization is
// required for secure_email_sponsor, not for secure_email_mailbox; a
// list of usages gets no dropdown (a cell holds several), its note lists
// them; the common name indicator offers the product's values.
func TestTemplateColumnsSecureEmail(t *testing.T) {
	set, _ := templates.Builtin()
	tpl, _ := set.ForProduct("secure_email_sponsor")
	cols := func(product string) map[string]results.TemplateColumn {
		m := map[string]results.TemplateColumn{}
		for _, c := range TemplateColumnsFor(tpl, product, language.English) {
			m[c.Header] = c
		}
		return m
	}
	sp, mb := cols("secure_email_sponsor"), cols("secure_email_mailbox")
	if !sp["Organization ID"].Required || mb["Organization ID"].Required {
		t.Errorf("Organization ID required: sponsor %v, mailbox %v", sp["Organization ID"].Required, mb["Organization ID"].Required)
	}
	if u := sp["Additional Usages"]; u.Allowed != nil || !strings.Contains(u.Note, "allowed: non_repudiation, data_encipherment, client_auth") {
		t.Errorf("Additional Usages: dropdown %v, note %q", u.Allowed, u.Note)
	}
	if u := sp["Primary Usage"]; !u.Required || !reflect.DeepEqual(u.Allowed, []string{"signing", "key_management", "dual_use"}) {
		t.Errorf("Primary Usage: %+v", u)
	}
	if c := sp["Common Name Indicator"]; !reflect.DeepEqual(c.Allowed, []string{"given_name_surname", "pseudonym", "email_address"}) {
		t.Errorf("Common Name Indicator for sponsor: %v", c.Allowed)
	}
}
