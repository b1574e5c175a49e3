package l10n

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// verbRE matches a fmt verb: %%, or flags, an optional explicit
// argument index, width, precision and the verb.
var verbRE = regexp.MustCompile(`%(%|[-+# 0]*(?:\[(\d+)\])?(?:\d+|\*)?(?:\.(?:\d+|\*)?)?(?:\[(\d+)\])?[a-zA-Z])`)

// verbs returns the verbs of a format string by argument (1-based
// index -> verb letters, sorted), as fmt assigns them.
func verbs(format string) (map[int]string, error) {
	out := map[int]string{}
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[1] == "%" {
			continue
		}
		if idx := m[2] + m[3]; idx != "" {
			next, _ = strconv.Atoi(idx)
		}
		v := m[1][len(m[1])-1:]
		if strings.Contains(m[1], "*") {
			return nil, fmt.Errorf("a * width or precision")
		}
		out[next] += v
		next++
	}
	for k, v := range out {
		b := []byte(v)
		slices.Sort(b)
		out[k] = string(b)
	}
	return out, nil
}

func sameVerbs(a, b map[int]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Every message of the catalog speaks Korean and Traditional Chinese,
// each translation takes the same arguments with the same verbs as the
// English, and the catalog gives back exactly the text it was given.
func TestCatalogComplete(t *testing.T) {
	if len(Keys()) < 30 {
		t.Fatalf("the catalog holds %d messages", len(Keys()))
	}
	for _, key := range Keys() {
		want, err := verbs(key)
		if err != nil {
			t.Errorf("%q: %v", key, err)
			continue
		}
		if o, ok := englishOne[key]; ok {
			if got, _ := verbs(o.text); !sameVerbs(got, want) {
				t.Errorf("%q: the English for one, %q, has other verbs", key, o.text)
			}
			if !strings.Contains(want[o.arg], "d") {
				t.Errorf("%q: the count, argument %d, is not printed with %%d", key, o.arg)
			}
		}
		for _, tag := range Languages {
			tr := Translation(tag, key)
			if tr == "" {
				t.Errorf("%q has no %v translation", key, tag)
				continue
			}
			if got, err := verbs(tr); err != nil || !sameVerbs(got, want) {
				t.Errorf("%q in %v: %q takes other arguments (%v, want %v)", key, tag, tr, got, want)
			}
			if tag != English && tr == key && !untranslatable(key) {
				t.Errorf("%q in %v is the English text", key, tag)
			}
			if got, ok := lookup(tag, key, []any{2, 2, 2, 2, 2, 2, 2, 2}); !ok || got != tr {
				t.Errorf("%q in %v: the catalog gives %q, want %q", key, tag, got, tr)
			}
		}
	}
}

// untranslatable reports whether a message is the same in every
// language: no letters of its own but verbs, punctuation and
// identifiers.
func untranslatable(key string) bool {
	s := verbRE.ReplaceAllString(key, "")
	s = regexp.MustCompile(`--[a-z-]+|[a-z_]+:`).ReplaceAllString(s, "") // flags, config keys (order:)
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') }) {
		if len(w) > 1 && !slices.Contains([]string{"true", "false", "JSON", "DigiCert", "CertCentral", "certbatch", "journal", "migrate", "pkcs"}, w) {
			return false
		}
	}
	return true
}

func TestPrinter(t *testing.T) {
	ko, zh := For(Korean), For(Chinese)
	if got := ko.Sprintf("allowed: %s", "1, 2"); got != "허용되는 값: 1, 2" {
		t.Errorf("ko: %q", got)
	}
	if got := zh.Sprintf("default: %s", "sha256"); got != "預設: sha256" {
		t.Errorf("zh-TW: %q", got)
	}
	// A message the catalog lacks prints as fmt prints it, in every
	// language; numbers are never grouped.
	for _, p := range []Printer{{}, ko, zh} {
		if got := p.Sprintf("order %d of %s", 100003, "x"); got != "order 100003 of x" {
			t.Errorf("%v: %q", p.Tag(), got)
		}
	}
}
