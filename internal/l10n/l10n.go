// Package l10n is certbatch's one message catalog: every message a
// person reads (the plan, prompts, summaries, row problems, results
// headers and outcome words, errors and their hints) is an English
// format string, the message's key, translated into Korean (ko) and
// Traditional Chinese as written in Taiwan (zh-TW) through a
// golang.org/x/text/message/catalog Builder.
//
// A [Printer] prints messages in one language: it looks the key up in
// the catalog (the language's text, else English's, else the key
// itself) and formats the text found with package fmt. Formatting is
// fmt's, not x/text's message.Printer's, on purpose: message.Printer
// writes numbers the locale's way (100,003), and order, request and
// certificate IDs, row numbers and years must stay the digits a person
// copies into CertCentral. Plural forms are the catalog's own
// (feature/plural): English says "1 row" and "2 rows"; Korean and
// Chinese have one form.
//
// Messages stay whole format strings, never assembled from translated
// fragments; a translation may reorder the arguments with explicit
// indexes (%[2]s). Machine-readable output (--json keys and values,
// the keys of JSON log lines) is never translated.
//
// Errors made by packages that do not know the run's language are
// made with [Errorf]: English when printed with Error(), and in any
// language through [Printer.Error].
package l10n

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Supported languages: English, the first, is the fallback.
var (
	English = language.English
	Korean  = language.Korean
	Chinese = language.MustParse("zh-TW") // Traditional Chinese as used in Taiwan
)

// Languages are the languages certbatch speaks, English first.
var Languages = []language.Tag{English, Korean, Chinese}

var matcher = language.NewMatcher(Languages)

// Match returns the supported language closest to s: a BCP 47 tag
// ("ko", "zh-Hant-TW") or a POSIX locale ("ko_KR.UTF-8", "zh_TW.Big5").
// ok is false when s names no language or one too far from every
// supported one ("fr"): English is returned then. Simplified Chinese
// ("zh-CN") is answered with Traditional Chinese, the closest one
// supported.
func Match(s string) (tag language.Tag, ok bool) {
	s = posixToBCP47(s)
	if s == "" {
		return English, false
	}
	t, err := language.Parse(s)
	if err != nil {
		return English, false
	}
	return matchTag(t)
}

func matchTag(t language.Tag) (language.Tag, bool) {
	_, i, c := matcher.Match(t)
	if c == language.No {
		return English, false
	}
	return Languages[i], true
}

// FromEnv returns the language of the environment's locale: the first
// of LC_ALL, LC_MESSAGES and LANG that is set, as POSIX does for
// messages. An unset, "C" or "POSIX" locale, or one no supported
// language is close to, gives English.
func FromEnv(getenv func(string) string) language.Tag {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			t, _ := Match(v)
			return t
		}
	}
	return English
}

// posixToBCP47 turns "ko_KR.UTF-8@euro" into "ko-KR"; "C" and "POSIX"
// (with or without a codeset) into "".
func posixToBCP47(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	if s == "C" || s == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(s, "_", "-")
}

// Printer prints messages in one of [Languages]. The zero value prints
// English. A Printer is a small value, safe for concurrent use.
type Printer struct {
	lang int // index into Languages
}

// For returns the printer of the supported language closest to tag.
func For(tag language.Tag) Printer {
	t, _ := matchTag(tag)
	for i, l := range Languages {
		if l == t {
			return Printer{lang: i}
		}
	}
	return Printer{}
}

// Tag returns the printer's language.
func (p Printer) Tag() language.Tag { return Languages[p.lang] }

// English reports whether the printer prints English.
func (p Printer) English() bool { return p.lang == 0 }

// format returns the text of key in p's language, chosen for args
// (English plural forms).
func (p Printer) format(key string, args []any) string {
	if s, ok := lookup(Languages[p.lang], key, args); ok {
		return s
	}
	if p.lang != 0 {
		if s, ok := lookup(English, key, args); ok {
			return s
		}
	}
	return key
}

// Sprintf formats the message key in p's language.
func (p Printer) Sprintf(key string, a ...any) string {
	if !p.has(key) {
		return fmt.Sprintf(key, a...)
	}
	return fmt.Sprintf(p.format(key, a), p.localArgs(a)...)
}

// Fprintf writes the message key in p's language to w.
func (p Printer) Fprintf(w io.Writer, key string, a ...any) (int, error) {
	if !p.has(key) {
		return fmt.Fprintf(w, key, a...)
	}
	return fmt.Fprintf(w, p.format(key, a), p.localArgs(a)...)
}

// Errorf returns an error whose text is the message key in p's
// language; %w wraps as in fmt.Errorf.
func (p Printer) Errorf(key string, a ...any) error {
	if !p.has(key) {
		return fmt.Errorf(key, a...)
	}
	return fmt.Errorf(p.format(key, a), p.localArgs(a)...)
}

// has reports whether the catalog knows key (in any language).
func (p Printer) has(key string) bool {
	_, ok := known[key]
	return ok
}

// localArgs replaces the arguments that are messages of their own
// (errors made by [Errorf], [Term]s) by their text in p's language.
func (p Printer) localArgs(a []any) []any {
	var out []any
	for i, v := range a {
		var s any
		switch v := v.(type) {
		case Localizer:
			if err, ok := v.(error); ok {
				s = localized{err: err, text: v.Localize(p)}
			} else {
				s = v.Localize(p)
			}
		case error:
			if p.lang != 0 && hasLocal(v) {
				s = localized{err: v, text: p.Error(v)}
			}
		}
		if s == nil {
			continue
		}
		if out == nil {
			out = append([]any(nil), a...)
		}
		out[i] = s
	}
	if out == nil {
		return a
	}
	return out
}

// localized is an error shown in another language, still wrapping the
// original (errors.Is and As see through it).
type localized struct {
	err  error
	text string
}

func (l localized) Error() string { return l.text }
func (l localized) Unwrap() error { return l.err }

// Term is a word or phrase of the catalog passed as an argument (an
// outcome word, a reason): it is printed in the language of the message
// it is an argument of.
type Term string

// Localize returns the term in p's language.
func (t Term) Localize(p Printer) string { return p.Term(string(t)) }

// String returns the term in English.
func (t Term) String() string { return Printer{}.Term(string(t)) }

// Msg is a message passed as an argument of another: printed in the
// language of the message it goes into ([Msgf], [Term]).
type Msg interface {
	Localizer
	fmt.Stringer
}

// Msgf returns the message key with args as an argument for another
// message: printed in English by String() and in the language of the
// message it goes into.
func Msgf(key string, a ...any) Msg {
	return &Error{key: key, args: a, en: Printer{}.Errorf(key, a...)}
}

// String returns the message in English.
func (e *Error) String() string { return e.Error() }

// N returns a count as a phrase of the catalog, key taking the count as
// its one argument ("%d orders", whose English for one is "%d order"):
// for the few messages that hold two counts.
func N(n int, key string) Msg { return Msgf(key, n) }

// Term returns the catalog's text of the word or phrase key in p's
// language: for text chosen at run time (an outcome word, a results
// column), whose every possible value is a key of the catalog.
func (p Printer) Term(key string) string { return p.format(key, nil) }

// Texts returns key's text in every language, English first (each once):
// for readers that take what any language wrote (a results file's
// headers and outcome words).
func Texts(key string) []string {
	var out []string
	for i := range Languages {
		s := Printer{lang: i}.Term(key)
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// IsKnown reports whether key is a message of the catalog.
func IsKnown(key string) bool { _, ok := known[key]; return ok }

// Error is an error made by [Errorf]: a message of the catalog and its
// arguments, printed in English by Error() and in any language by
// [Printer.Error].
type Error struct {
	key  string
	args []any
	en   error // the English error, as fmt.Errorf makes it (it wraps %w)
}

// Errorf returns an error whose text is the message key with args: in
// English from Error(), in a person's language from [Printer.Error]. %w
// wraps as in fmt.Errorf. Packages that make errors without knowing the
// run's language use it.
func Errorf(key string, a ...any) error {
	return &Error{key: key, args: a, en: Printer{}.Errorf(key, a...)}
}

func (e *Error) Error() string { return e.en.Error() }

// Unwrap returns what the message wraps with %w.
func (e *Error) Unwrap() []error {
	switch u := e.en.(type) {
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	case interface{ Unwrap() error }:
		return []error{u.Unwrap()}
	}
	return nil
}

// Localizer is an error that can say itself in a person's language.
type Localizer interface {
	Localize(p Printer) string
}

// Localize returns the error's text in p's language.
func (e *Error) Localize(p Printer) string { return p.Errorf(e.key, e.args...).Error() }

// Error returns err's text in p's language: an error made by [Errorf]
// (or any [Localizer]) is translated, and so is one found inside a
// wrapper that adds nothing to its text or only a prefix (the
// "operation: %w" of fmt.Errorf); other text stays as it is.
func (p Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	if l, ok := err.(Localizer); ok {
		return l.Localize(p)
	}
	text := err.Error()
	var inner []error
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if w := u.Unwrap(); w != nil {
			inner = []error{w}
		}
	case interface{ Unwrap() []error }:
		inner = u.Unwrap()
	}
	if len(inner) == 1 && hasLocal(inner[0]) {
		in := inner[0].Error()
		if prefix, ok := strings.CutSuffix(text, in); ok {
			return prefix + p.Error(inner[0])
		}
	}
	return text
}

// hasLocal reports whether err is, or transparently wraps, a
// [Localizer].
func hasLocal(err error) bool {
	var l Localizer
	return errors.As(err, &l)
}
