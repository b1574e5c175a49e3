package templates

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Languages are the languages the built-in templates and the template
// workbook's notes are written in (package l10n's). English, the first,
// is the fallback: a field's headers: and description: are English, and
// its i18n: map holds the others under their BCP 47 tags ("ko",
// "zh-TW").
var Languages = l10n.Languages

// MatchLanguage returns the supported language closest to s: a BCP 47
// tag ("ko", "zh-Hant-TW") or a POSIX locale ("ko_KR.UTF-8",
// "zh_TW.Big5"). ok is false when s names no language or one too far
// from every supported one ("fr"). Simplified Chinese ("zh-CN") is
// answered with Traditional Chinese, the closest one supported.
func MatchLanguage(s string) (tag language.Tag, ok bool) { return l10n.Match(s) }

// LanguageFromEnv returns the language of the environment's locale: the
// first of LC_ALL, LC_MESSAGES and LANG that is set, as POSIX does for
// messages. An unset, "C" or "POSIX" locale, or one no supported
// language is close to, gives English.
func LanguageFromEnv(getenv func(string) string) language.Tag { return l10n.FromEnv(getenv) }

// LangKey is the key a language has in a template's i18n: maps, "" for
// English (whose text is the field's own headers: and description:).
func LangKey(t language.Tag) string {
	if t == language.English {
		return ""
	}
	return t.String()
}

// Localized is a field's (or the key column's) text in one language.
type Localized struct {
	Headers     []string `yaml:"headers,omitempty"`     // read from in this language; the first is the workbook's
	Description string   `yaml:"description,omitempty"` // the workbook note's text
}

// KeyColumn describes the column that identifies a person across runs
// (an employee ID): what a config's key: names. It is not an order
// field: nothing of it is sent to DigiCert.
type KeyColumn struct {
	Headers     []string             `yaml:"headers"`
	Description string               `yaml:"description"`
	Example     string               `yaml:"example,omitempty"`
	I18n        map[string]Localized `yaml:"i18n,omitempty"`
}

// AllHeaders returns every header the field is read from: the English
// headers, then each language's in the order of [Languages], then those
// of any other language a user template adds, sorted by tag. Exact
// duplicates are left out. Matching an input header should consider
// all of them.
func (f *Field) AllHeaders() []string { return allHeaders(f.Headers, f.I18n) }

// HeadersFor returns the headers of the field in lang (a key of i18n:,
// "" for English); a language the field has no headers in gets the
// English ones.
func (f *Field) HeadersFor(lang string) []string { return headersFor(f.Headers, f.I18n, lang) }

// DescriptionFor returns the field's description in lang, or the
// English one.
func (f *Field) DescriptionFor(lang string) string {
	if l, ok := f.I18n[lang]; ok && l.Description != "" {
		return l.Description
	}
	return f.Description
}

// KeyHeaders returns every default header of the template's key column
// (as [Field.AllHeaders] orders them), or nil when it names none.
func (t *Template) KeyHeaders() []string {
	if t.KeyColumn == nil {
		return nil
	}
	return allHeaders(t.KeyColumn.Headers, t.KeyColumn.I18n)
}

// HeadersFor returns the key column's headers in lang, or the English ones.
func (k *KeyColumn) HeadersFor(lang string) []string { return headersFor(k.Headers, k.I18n, lang) }

// DescriptionFor returns the key column's description in lang, or the
// English one.
func (k *KeyColumn) DescriptionFor(lang string) string {
	if l, ok := k.I18n[lang]; ok && l.Description != "" {
		return l.Description
	}
	return k.Description
}

func headersFor(en []string, i18n map[string]Localized, lang string) []string {
	if l, ok := i18n[lang]; ok && len(l.Headers) > 0 {
		return l.Headers
	}
	return en
}

func allHeaders(en []string, i18n map[string]Localized) []string {
	if len(i18n) == 0 {
		return en
	}
	out := slices.Clone(en)
	add := func(hs []string) {
		for _, h := range hs {
			if !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	known := map[string]bool{}
	for _, t := range Languages[1:] {
		known[t.String()] = true
		add(i18n[t.String()].Headers)
	}
	var other []string
	for k := range i18n {
		if !known[k] {
			other = append(other, k)
		}
	}
	sort.Strings(other)
	for _, k := range other {
		add(i18n[k].Headers)
	}
	return out
}

// NormalizeHeader folds a header for matching: compatibility forms are
// unified (NFKC: full-width "Ｅｍａｉｌ" is "Email", decomposed Hangul
// is composed), case, spaces and punctuation are ignored, so "E-Mail "
// matches "email". Letters of any script and digits are kept.
func NormalizeHeader(h string) string {
	ascii := true
	for i := 0; i < len(h); i++ {
		if h[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		h = norm.NFKC.String(h)
	}
	var b strings.Builder
	b.Grow(len(h))
	for _, r := range h {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			b.WriteRune(r)
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// checkI18n checks the languages and the headers: i18n: keys are
// canonical BCP 47 tags, and no header (as [NormalizeHeader] folds it,
// in any language) belongs to two fields, or to a field and the key
// column, or is "Product", the product column's.
func (t *Template) checkI18n() []error {
	var errs []error
	owner := map[string]string{"product": "the product column"}
	claim := func(who string, hs []string) {
		for _, h := range hs {
			n := NormalizeHeader(h)
			if n == "" {
				errs = append(errs, fmt.Errorf("%s: header %q has no letters or digits", who, h))
				continue
			}
			if o, ok := owner[n]; ok && o != who {
				errs = append(errs, fmt.Errorf("%s: header %q is also %s's", who, h, o))
				continue
			}
			owner[n] = who
		}
	}
	tags := func(who string, m map[string]Localized) {
		for k := range m {
			tag, err := language.Parse(k)
			if err != nil || tag.String() != k || tag == language.English {
				errs = append(errs, fmt.Errorf("%s: i18n key %q is not a BCP 47 language tag other than en in canonical form", who, k))
			}
		}
	}
	if k := t.KeyColumn; k != nil {
		if len(k.Headers) == 0 {
			errs = append(errs, errors.New("key_column: no headers"))
		}
		tags("key_column", k.I18n)
		claim("key_column", t.KeyHeaders())
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		tags("field "+f.Path, f.I18n)
		claim("field "+f.Path, f.AllHeaders())
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errs
}
