package input

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wlynxg/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
)

// A file that is not UTF-8, or one read with --encoding, is decoded in
// every candidate below and each decoding is rated (plausible.go): the
// most plausible names the file's likely encoding, and an --encoding
// whose decoding another candidate beats is refused, naming that one.
//
// github.com/wlynxg/chardet (a Go port of Mozilla's universal charset
// detector as kept by Python's chardet) adds its first guess when no
// candidate reads plausibly: it knows more encodings, but its statistics
// need more text than a staff list's first lines (on a one-line Korean
// file it answers windows-874 or MacRoman), so it never outranks a
// candidate.

// candidates are the legacy encodings tried, by WHATWG name: the code
// pages Excel's "CSV (Comma delimited)" writes on Korean, Chinese
// (Traditional and Simplified), Japanese, Thai and Western European
// Windows, and EUC-JP.
var candidates = []string{"euc-kr", "big5", "gbk", "shift_jis", "euc-jp", "windows-874", "windows-1252"}

// suggestNames are the --encoding names suggested for WHATWG names
// (those not listed are suggested as they are).
var suggestNames = map[string]string{
	"windows-1252": "windows-1252", "iso-8859-1": "windows-1252",
	"euc-kr": "cp949", "gb18030": "gbk", "gb2312": "gbk",
}

func suggestName(canon string) string {
	if n, ok := suggestNames[canon]; ok {
		return n
	}
	return canon
}

// reading is a sample decoded in one encoding, and its rating.
type reading struct {
	label string // WHATWG canonical name
	enc   encoding.Encoding
	rating
}

// decodeAs decodes sample in the encoding named label; ok is false when
// the label is unknown, is UTF-8 or UTF-16, or the bytes are not valid
// in it.
func decodeAs(label string, sample []byte) (reading, string, bool) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return reading{}, "", false
	}
	canon, _ := htmlindex.Name(e)
	if canon == "utf-8" || strings.HasPrefix(canon, "utf-16") {
		return reading{}, "", false
	}
	text, err := e.NewDecoder().Bytes(sample)
	if err != nil || !utf8.Valid(text) || bytes.ContainsRune(text, utf8.RuneError) {
		return reading{}, "", false
	}
	fam := familyOf(canon)
	return reading{label: canon, enc: e, rating: newRater(fam).rate(string(text))}, string(text), true
}

// readings decodes sample in every candidate and in the extra labels,
// and returns the decodings, most plausible first (ties in candidate
// order).
func readings(sample []byte, extra ...string) []reading {
	var out []reading
	for _, l := range append(slices.Clone(candidates), extra...) {
		r, _, ok := decodeAs(l, sample)
		if ok && !slices.ContainsFunc(out, func(o reading) bool { return o.label == r.label }) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b reading) int {
		switch {
		case a.better(b.rating):
			return -1
		case b.better(a.rating):
			return 1
		}
		return 0
	})
	return out
}

// detectEncoding names the likely encodings of sample, as --encoding
// names: the most plausible first, then any as plausible (Big5 and GBK
// can tie on a few common characters). Nil when none reads plausibly.
func detectEncoding(sample []byte) []string {
	if len(sample) == 0 {
		return nil
	}
	rs := readings(sample)
	if len(rs) == 0 || rs[0].bad != "" {
		// No candidate reads plausibly: chardet's first guess, if it does.
		if g := chardet.DetectAll(sample); len(g) > 0 {
			if r, _, ok := decodeAs(g[0].Encoding, sample); ok && r.bad == "" {
				return []string{suggestName(r.label)}
			}
		}
		return nil
	}
	names := []string{suggestName(rs[0].label)}
	for _, r := range rs[1:] {
		if r.better(rs[0].rating) || rs[0].better(r.rating) {
			break
		}
		names = append(names, suggestName(r.label))
	}
	return names
}

// looksLike formats detected encodings for a message: "cp949", or "big5
// (or gbk)".
func looksLike(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return names[0] + " (or " + strings.Join(names[1:], ", or ") + ")"
}

// outranked returns a reading of sample that is at least as plausible
// as its decoding in enc (a WHATWG-known label), whether it is strictly
// more plausible, and the text of raw (part of the sample) in it; ok is
// false when none is, or when enc does not decode the sample (its rows
// then fail on their own bytes). A tie is no better for enc: from text
// that reads as well in two encodings nobody can tell which was meant.
func outranked(sample []byte, enc string, raw []byte) (best reading, strictly bool, text string, ok bool) {
	mine, _, decoded := decodeAs(enc, sample)
	if !decoded {
		return reading{}, false, "", false
	}
	for _, r := range readings(sample, enc) {
		if r.label == mine.label {
			continue
		}
		if mine.better(r.rating) {
			return reading{}, false, "", false
		}
		t, err := r.enc.NewDecoder().Bytes(raw)
		if err != nil {
			t = nil
		}
		return r, r.better(mine.rating), string(t), true
	}
	return reading{}, false, "", false
}

// readsAsUTF8 reports whether prefix, valid UTF-8 with text beyond
// ASCII, reads at least as plausibly as UTF-8 as in the legacy encoding
// e: a few GBK or Big5 characters can form valid UTF-8 by chance (郑爽 is
// U+05A3 U+02EC), real UTF-8 text read as GBK or Big5 is rare characters.
func readsAsUTF8(e encoding.Encoding, prefix []byte) bool {
	canon, err := htmlindex.Name(e)
	if err != nil {
		return true
	}
	prefix = trimCut(prefix)
	mine, _, ok := decodeAs(canon, wholeLines(prefix, len(prefix)+1))
	if !ok {
		return true
	}
	u := newRater(famOther).rate(string(prefix))
	u.multi = true
	return !mine.better(u)
}
