package templates

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

var zhTW = language.MustParse("zh-TW")

func TestMatchLanguage(t *testing.T) {
	for _, c := range []struct {
		in   string
		want language.Tag
		ok   bool
	}{
		{"ko", language.Korean, true},
		{"KO", language.Korean, true},
		{"ko_KR.UTF-8", language.Korean, true},
		{"ko-KR", language.Korean, true},
		{"zh-TW", zhTW, true},
		{"zh_TW.Big5", zhTW, true},
		{"zh-Hant", zhTW, true},
		{"zh-HK", zhTW, true},
		{"zh-CN", zhTW, true}, // the closest supported; better than English
		{"en", language.English, true},
		{"en_US.UTF-8", language.English, true},
		{"de_DE.UTF-8@euro", language.English, false},
		{"fr", language.English, false},
		{"C", language.English, false},
		{"C.UTF-8", language.English, false},
		{"POSIX", language.English, false},
		{"", language.English, false},
		{"not a tag!", language.English, false},
	} {
		got, ok := MatchLanguage(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("MatchLanguage(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestLanguageFromEnv(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want language.Tag
	}{
		{nil, language.English},
		{map[string]string{"LANG": "ko_KR.UTF-8"}, language.Korean},
		{map[string]string{"LANG": "ko_KR.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, zhTW},
		{map[string]string{"LANG": "ko_KR.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8", "LC_ALL": "C"}, language.English},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, language.English},
	} {
		if got := LanguageFromEnv(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("env %v: %v, want %v", c.env, got, c.want)
		}
	}
}

func TestLangKey(t *testing.T) {
	got := []string{LangKey(Languages[0]), LangKey(Languages[1]), LangKey(Languages[2])}
	if want := []string{"", "ko", "zh-TW"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %q, want %q", got, want)
	}
}

func TestAllHeaders(t *testing.T) {
	s, _ := Builtin()
	client, _ := s.ForProduct("client_premium")
	f, _ := client.Field("certificate.common_name")
	want := []string{"Common Name", "Full Name", "Name", "CN", "Display Name", "Employee Name", "성명", "이름", "성함", "일반 이름", "표시 이름", "직원명", "직원 이름",
		"姓名", "全名", "一般名稱", "顯示名稱", "員工姓名"}
	if got := f.AllHeaders(); !reflect.DeepEqual(got, want) {
		t.Errorf("AllHeaders %q, want %q", got, want)
	}
	wantKey := []string{"Employee ID", "Employee Number", "사번", "직원번호", "사원번호", "員工編號", "工號", "員工代號"}
	if got := client.KeyHeaders(); !reflect.DeepEqual(got, wantKey) {
		t.Errorf("KeyHeaders %q, want %q", got, wantKey)
	}
	// A user template's other languages come after the built-in ones,
	// sorted by tag; exact duplicates are left out.
	u, err := Parse([]byte(`family: x
products: [{id: p}]
fields:
  - path: a
    type: string
    headers: [Mail]
    i18n:
      ja: {headers: [メール]}
      de: {headers: [E-Post, Mail]}
      ko: {headers: [메일]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Fields[0].AllHeaders(), []string{"Mail", "메일", "E-Post", "メール"}; !reflect.DeepEqual(got, want) {
		t.Errorf("user AllHeaders %q, want %q", got, want)
	}
	if u.KeyHeaders() != nil {
		t.Errorf("KeyHeaders of a template without key_column: %q", u.KeyHeaders())
	}
}

func TestHeadersForFallsBack(t *testing.T) {
	f := Field{Headers: []string{"Email"}, Description: "Address.",
		I18n: map[string]Localized{"ko": {Headers: []string{"이메일"}, Description: "주소."}, "zh-TW": {Headers: []string{"電郵"}}}}
	for _, c := range []struct{ lang, header, desc string }{
		{"", "Email", "Address."},
		{"ko", "이메일", "주소."},
		{"zh-TW", "電郵", "Address."}, // no Chinese description: English
		{"ja", "Email", "Address."},
	} {
		if h := f.HeadersFor(c.lang); h[0] != c.header {
			t.Errorf("%q: header %q, want %q", c.lang, h[0], c.header)
		}
		if d := f.DescriptionFor(c.lang); d != c.desc {
			t.Errorf("%q: description %q, want %q", c.lang, d, c.desc)
		}
	}
}

// Every built-in field and key column speaks every language.
func TestBuiltinI18nComplete(t *testing.T) {
	s, _ := Builtin()
	for _, tpl := range s.Families() {
		for _, tag := range Languages[1:] {
			k := LangKey(tag)
			if l := tpl.KeyColumn.I18n[k]; len(l.Headers) == 0 || l.Description == "" {
				t.Errorf("%s: key column lacks %s", tpl.Family, k)
			}
			for _, f := range tpl.Fields {
				if l := f.I18n[k]; len(f.Headers) > 0 && (len(l.Headers) == 0 || l.Description == "") {
					t.Errorf("%s: field %s lacks %s headers or description", tpl.Family, f.Path, k)
				}
			}
		}
	}
}

// field returns the path of the field (or "key") a header is read from
// in tpl, the way mapping matches default headers.
func fieldOf(tpl *Template, header string) string {
	n := NormalizeHeader(header)
	for _, h := range tpl.KeyHeaders() {
		if NormalizeHeader(h) == n {
			return "key"
		}
	}
	for _, f := range tpl.Fields {
		for _, h := range f.AllHeaders() {
			if NormalizeHeader(h) == n {
				return f.Path
			}
		}
	}
	return ""
}

func TestLocalizedHeadersMatch(t *testing.T) {
	s, _ := Builtin()
	client, _ := s.ForProduct("client_premium")
	doc, _ := s.ForProduct("document_signing_org_1")
	for _, c := range []struct {
		tpl          *Template
		header, path string
	}{
		{client, "성명", "certificate.common_name"},
		{client, "이름", "certificate.common_name"}, // a lone 이름 is the whole name
		{client, "성", "certificate.individual.last_name"},
		{client, "이름(성 제외)", "certificate.individual.first_name"},
		{client, "이메일", "certificate.emails"},
		{client, "E-Mail", "certificate.emails"},
		{client, "부서", "certificate.organization_units"},
		{client, "사번", "key"},
		{client, "직원번호", "key"},
		{client, "조직 ID", "organization.id"},
		{client, "유효 기간(년)", "validity_years"},
		{client, "인증서 서명 요청", "certificate.csr"},
		{client, "姓名", "certificate.common_name"},
		{client, "姓", "certificate.individual.last_name"},
		{client, "名", "certificate.individual.first_name"},
		{client, "電子郵件", "certificate.emails"},
		{client, "部門", "certificate.organization_units"},
		{client, "員工編號", "key"},
		{client, "工號", "key"},
		{doc, "姓名", "subject.name"},
		{doc, "電子郵件", "subject.email"},
		{doc, "職稱", "subject.job_title"},
		{doc, "電話", "subject.phone"},
		{doc, "員工編號", "key"},
		{doc, "組織 ID", "organization.id"},
		{doc, "有效年數", "order_validity.years"},
		{doc, "收件人", "ship_info.name"},
		{doc, "郵遞區號", "ship_info.zip"},
		{doc, "성명", "subject.name"},
		{doc, "직함", "subject.job_title"},
		{doc, "전화번호", "subject.phone"},
		{doc, "받는 사람", "ship_info.name"},
		{doc, "시/도", "ship_info.state"},
		{doc, "Department", ""},
	} {
		if got := fieldOf(c.tpl, c.header); got != c.path {
			t.Errorf("%s: header %q reads %q, want %q", c.tpl.Family, c.header, got, c.path)
		}
	}
}

func TestCheckI18n(t *testing.T) {
	const head = "family: x\nproducts: [{id: p}]\n"
	for _, c := range []struct{ name, yaml, want string }{
		{"header of two fields", head + "fields:\n- {path: a, type: string, headers: [Name]}\n- {path: b, type: string, i18n: {ko: {headers: [name]}}}\n",
			`field b: header "name" is also field a's`},
		{"key column header of a field", head + "key_column: {headers: [ID]}\nfields:\n- {path: a, type: string, headers: [I.D.]}\n",
			`field a: header "I.D." is also key_column's`},
		{"product header", head + "fields:\n- {path: a, type: string, headers: [Product]}\n", "the product column's"},
		{"lower-case tag", head + "fields:\n- {path: a, type: string, i18n: {zh-tw: {headers: [名]}}}\n", `i18n key "zh-tw"`},
		{"en tag", head + "fields:\n- {path: a, type: string, i18n: {en: {headers: [N]}}}\n", `i18n key "en"`},
		{"no letters", head + "fields:\n- {path: a, type: string, headers: [\"--\"]}\n", `header "--" has no letters`},
		{"key column without headers", head + "key_column: {description: d}\nfields: []\n", "key_column: no headers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
	// The same header twice in one field is no clash.
	if _, err := Parse([]byte(head + "fields:\n- {path: a, type: string, headers: [Name], i18n: {ko: {headers: [NAME, 이름]}}}\n")); err != nil {
		t.Errorf("one field's own repeated header: %v", err)
	}
}

func TestNormalizeHeader(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"E-Mail", "email"},
		{" Full  Name ", "fullname"},
		{"Organization_ID", "organizationid"},
		{"이메일", "이메일"},
		{norm.NFD.String("이메일"), "이메일"}, // decomposed Hangul (macOS)
		{"Ｅｍａｉｌ", "email"},              // full-width
		{"유효 기간(년)", "유효기간년"},
		{"員工編號", "員工編號"},
		{"--", ""},
	} {
		if got := NormalizeHeader(c.in); got != c.want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPrinter(t *testing.T) {
	for _, c := range []struct {
		lang language.Tag
		key  string
		arg  []any
		want string
	}{
		{language.English, MsgRequired, nil, "required"},
		{language.Korean, MsgRequired, nil, "필수"},
		{zhTW, MsgOptional, nil, "選填"},
		{language.Korean, MsgAllowed, []any{"1, 2"}, "허용되는 값: 1, 2"},
		{zhTW, MsgDefault, []any{"sha256"}, "預設: sha256"},
		{zhTW, MsgRequiredWhen, []any{"cs_provisioning_method", "email"}, "必填 (cs_provisioning_method 為 email 時)"},
		{language.French, MsgRequired, nil, "required"},
	} {
		if got := Printer(c.lang).Sprintf(c.key, c.arg...); got != c.want {
			t.Errorf("%v %q: %q, want %q", c.lang, c.key, got, c.want)
		}
	}
}
