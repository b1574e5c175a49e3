package input

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wlynxg/chardet"
	"golang.org/x/text/encoding/htmlindex"
)

// Encoding detection uses github.com/wlynxg/chardet, a Go port of
// Mozilla's universal charset detector as kept by Python's chardet:
// unlike saintfish/chardet (ICU's n-gram detector, unchanged since 2023)
// and gogs/chardet (a 2021 fork of it), it is maintained, and on short
// staff lists it tells windows-1252 from Big5 and EUC-KR where those
// answer ISO-8859-1 for all three. Its guesses are only candidates: one
// is suggested only if the sample decodes in it without errors and
// reads as plausible text.

// suggestNames are the --encoding names suggested for what chardet
// reports (WHATWG names otherwise).
var suggestNames = map[string]string{
	"windows-1252": "windows-1252", "iso-8859-1": "windows-1252",
	"euc-kr": "cp949", "big5": "big5", "shift_jis": "shift_jis",
	"gbk": "gbk", "gb18030": "gbk", "gb2312": "gbk",
}

// fallbackEncodings are tried, in order, after chardet's guesses (which
// miss on some short samples): EUC-KR only when every double-byte
// character is in its proper range (Big5 text often decodes as CP949's
// rarer extension syllables).
var fallbackEncodings = []string{"euc-kr", "big5", "shift_jis", "gbk", "windows-1252"}

// detectEncoding names the likely encoding of sample, "" when unsure.
func detectEncoding(sample []byte) string {
	if len(sample) == 0 {
		return ""
	}
	var labels []string
	for _, r := range chardet.DetectAll(sample) {
		labels = append(labels, r.Encoding)
	}
	for _, l := range fallbackEncodings {
		if l != "euc-kr" || pureEUCKR(sample) {
			labels = append(labels, l)
		}
	}
	for _, l := range labels {
		e, err := htmlindex.Get(l)
		if err != nil {
			continue
		}
		canon, _ := htmlindex.Name(e)
		if canon == "utf-8" || strings.HasPrefix(canon, "utf-16") {
			continue
		}
		text, err := e.NewDecoder().Bytes(sample)
		if err != nil || !utf8.Valid(text) || strings.ContainsRune(string(text), utf8.RuneError) {
			continue
		}
		if mixedScript(string(text)) != "" || symbolInWord(string(text)) {
			continue
		}
		if n, ok := suggestNames[canon]; ok {
			return n
		}
		return canon
	}
	return ""
}

// pureEUCKR reports whether every byte pair of b is in EUC-KR's (KS X
// 1001) range: lead and trail bytes from 0xA1.
func pureEUCKR(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] < 0x80 {
			continue
		}
		if b[i] < 0xA1 || i+1 < len(b) && b[i+1] < 0xA1 {
			return false
		}
		i++
	}
	return true
}

// mixedScript describes an implausible word in s, such as Fran蔞is: a run
// of letters of another script (Han, Hangul, kana, Cyrillic, Greek, ...)
// between Latin letters of one word, or half-width katakana next to a
// Latin letter. Text decoded in the wrong legacy encoding looks like
// this; real text does not. It returns "" for plausible text.
func mixedScript(s string) string {
	prev := rune(0) // previous letter in the word
	latinBefore := false
	other := rune(0) // a non-Latin letter after Latin ones in this word
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			latinBefore, other, prev = false, 0, 0
			continue
		}
		latin := unicode.Is(unicode.Latin, r)
		switch {
		case latin && other != 0:
			return "a word mixes Latin letters with " + scriptName(other)
		case latin:
			latinBefore = true
			if prev >= 0xFF61 && prev <= 0xFF9F {
				return "a word mixes Latin letters with half-width katakana"
			}
		case latinBefore && !unicode.IsMark(r):
			if r >= 0xFF61 && r <= 0xFF9F {
				return "a word mixes Latin letters with half-width katakana"
			}
			other = r
		}
		prev = r
	}
	return ""
}

func scriptName(r rune) string {
	for _, s := range []struct {
		name string
		t    *unicode.RangeTable
	}{{"Han characters", unicode.Han}, {"Hangul", unicode.Hangul}, {"kana", unicode.Hiragana}, {"kana", unicode.Katakana},
		{"Cyrillic letters", unicode.Cyrillic}, {"Greek letters", unicode.Greek}, {"Arabic letters", unicode.Arabic}, {"Hebrew letters", unicode.Hebrew}, {"Thai letters", unicode.Thai}} {
		if unicode.Is(s.t, r) {
			return s.name
		}
	}
	return "letters of another script"
}

// symbolInWord reports a non-ASCII symbol or punctuation mark between
// two letters (Ã©, ¦W): mojibake of a multi-byte encoding read as a
// single-byte one. Used only to rank guesses.
func symbolInWord(s string) bool {
	var p2, p1 rune
	for _, r := range s {
		if p1 >= utf8.RuneSelf && (unicode.IsSymbol(p1) || unicode.IsPunct(p1) || unicode.IsNumber(p1) && !unicode.IsDigit(p1)) && unicode.IsLetter(p2) && unicode.IsLetter(r) {
			return true
		}
		p2, p1 = p1, r
	}
	return false
}
