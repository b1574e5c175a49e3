package input

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Word rules of plausible.go: which scripts mix in a word, and where
// Thai puts its vowels and tone marks.

// script is a writing system, as far as mixing them in a word goes.
type script uint8

const (
	scNone script = iota // marks and letters of no one script (ー, ...)
	scLatin
	scHangul
	scCJK // Han and kana: Japanese mixes them
	scHWKana
	scThai
	scCyrillic
	scGreek
	scOther
)

func scriptOf(r rune) script {
	switch {
	case r < utf8.RuneSelf || unicode.Is(unicode.Latin, r):
		return scLatin
	case r >= 0xff61 && r <= 0xff9f:
		return scHWKana
	case unicode.Is(unicode.Hangul, r):
		return scHangul
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo):
		return scCJK
	case unicode.Is(unicode.Thai, r):
		return scThai
	case unicode.Is(unicode.Cyrillic, r):
		return scCyrillic
	case unicode.Is(unicode.Greek, r):
		return scGreek
	case unicode.IsMark(r), unicode.Is(unicode.Common, r), unicode.Is(unicode.Inherited, r):
		return scNone
	}
	return scOther
}

// scriptName names the script of r for messages.
func scriptName(r rune) string {
	for _, s := range []struct {
		name string
		t    *unicode.RangeTable
	}{{"Han characters", unicode.Han}, {"Hangul", unicode.Hangul}, {"kana", unicode.Hiragana}, {"kana", unicode.Katakana},
		{"Cyrillic letters", unicode.Cyrillic}, {"Greek letters", unicode.Greek}, {"Arabic letters", unicode.Arabic}, {"Hebrew letters", unicode.Hebrew},
		{"Thai letters", unicode.Thai}, {"Latin letters", unicode.Latin}} {
		if r >= 0xff61 && r <= 0xff9f {
			return "half-width katakana"
		}
		if r < utf8.RuneSelf || unicode.Is(s.t, r) {
			if r < utf8.RuneSelf {
				return "Latin letters"
			}
			return s.name
		}
	}
	return "letters of another script"
}

// word rates one word (a run of letters and marks).
func (rt *rater) word(w []rune, out *rating) {
	ascii := true
	for _, r := range w {
		if r >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return
	}
	if why := mixed(w); why != "" && out.bad == "" {
		out.bad = why
	}
	if why := thaiOrder(w); why != "" && out.bad == "" {
		out.bad = why
	}
	// Mojibake of a multi-byte encoding read as a single-byte one:
	// accented Latin letters three in a row (ÃÂ¤), or a word of nothing
	// else.
	run, only := 0, true
	for _, r := range w {
		if r >= utf8.RuneSelf && unicode.Is(unicode.Latin, r) {
			run++
			if run == 3 {
				out.cost += 5
			}
		} else {
			run = 0
			only = only && unicode.IsMark(r)
		}
	}
	if only && len(w) >= 2 {
		out.cost += 3
	}
}

// mixed describes a word that mixes scripts no one mixes: another
// script between Latin letters (Fran蔞is; a Latin prefix or suffix is
// fine: iPhone用, Tシャツ), half-width katakana next to anything else, or
// two scripts other than Latin (Hangul with Han, Thai with anything).
func mixed(w []rune) string {
	first := rune(0) // the first letter of a script other than Latin
	latinBefore, otherAfterLatin := false, rune(0)
	prev, prevSc := rune(0), scNone
	for _, r := range w {
		sc := scriptOf(r)
		if sc == scNone {
			continue
		}
		switch {
		case sc == scLatin && otherAfterLatin != 0:
			return "a word mixes Latin letters with " + scriptName(otherAfterLatin)
		case sc == scLatin:
			latinBefore = true
		case latinBefore && otherAfterLatin == 0:
			otherAfterLatin = r
		}
		if prevSc != scNone && (sc == scHWKana) != (prevSc == scHWKana) {
			other := r
			if sc == scHWKana {
				other = prev
			}
			return "a word mixes half-width katakana with " + scriptName(other)
		}
		if sc != scLatin {
			if first == 0 {
				first = r
			} else if scriptOf(first) != sc {
				return fmt.Sprintf("a word mixes %s with %s", scriptName(first), scriptName(r))
			}
		}
		prev, prevSc = r, sc
	}
	return ""
}

// thaiOrder describes a Thai word whose vowels and tone marks stand
// where Thai spelling never puts them: a vowel or tone mark above or
// below no consonant, a leading vowel before no consonant, a following
// vowel after none. "" when the word has none of these or no Thai.
func thaiOrder(w []rune) string {
	consonant := func(r rune) bool { return r >= 0x0e01 && r <= 0x0e2e }
	combining := func(r rune) bool { return r == 0x0e31 || r >= 0x0e34 && r <= 0x0e3a || r >= 0x0e47 && r <= 0x0e4e }
	leading := func(r rune) bool { return r >= 0x0e40 && r <= 0x0e44 }
	following := func(r rune) bool { return r == 0x0e30 || r == 0x0e32 || r == 0x0e33 || r == 0x0e45 }
	marks := 0    // combining marks on the last consonant
	base := false // the last letter was a consonant, or marks on one
	lead := false // the last letter was a leading vowel
	for _, r := range w {
		switch {
		case consonant(r):
			base, lead, marks = true, false, 0
		case combining(r):
			marks++
			if !base || marks > 2 {
				return "a Thai vowel or tone mark that no consonant carries"
			}
		case lead:
			return "a Thai leading vowel before no consonant"
		case leading(r):
			lead, base = true, false
		case following(r):
			if !base {
				return "a Thai vowel that follows no consonant"
			}
			marks = 2 // nothing stacks on a following vowel but ำ's own
		default:
			base, marks = false, 0
		}
	}
	if lead {
		return "a Thai leading vowel before no consonant"
	}
	return ""
}
