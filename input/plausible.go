package input

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text decoded in the wrong legacy encoding is still text: Korean read as
// GBK is a row of common Han characters, read as windows-874 a row of Thai
// letters. Whether a decoding is right is judged here by how plausible
// the text is as what people type into a staff list, by rules any reader
// of the script would apply, not by a language model (a detector's
// statistics mean nothing on a one-line file):
//
//   - a word that no one writes is implausible on its own: it mixes
//     scripts (Fran蔞is, Hangul with Han, Thai with anything), has a
//     symbol between its letters (Ã©), a Thai vowel or tone mark that no
//     consonant carries, a character for private use or a control;
//   - otherwise each character costs by how common it is in the text of
//     the encoding's language: the character sets' own first levels (GB
//     2312 level 1, Big5's frequent characters, JIS level 1, KS X 1001's
//     2,350 Hangul syllables) cost nothing, their second levels little,
//     the rest more; kana in a Chinese or Korean decoding, Thai outside
//     windows-874 and half-width katakana cost more again;
//   - text that is nothing but KS X 1001 Hangul scores one better: CJK
//     bytes of another encoding land only on Hangul by chance, while
//     Korean read as GBK or EUC-JP lands on common Han characters;
//   - a cell that reads as a Chinese or Korean name (two to four Han
//     characters or Hangul syllables) whose surname is one of the
//     commonest of the encoding's language scores two better: a row of
//     common characters is rarely a name by chance.
//
// The decoding with the lowest score is the file's likely encoding; a
// multi-byte one wins a tie over a single-byte one (random bytes read as
// single-byte letters look like words more often than they form valid,
// common characters). Two multi-byte decodings that tie cannot be told
// apart: the hint names both, and an --encoding given for either is
// refused (encoding.go).

// family groups the encodings whose text is judged alike.
type family uint8

const (
	famOther  family = iota // single-byte encodings (Latin, Cyrillic, ...)
	famKorean               // EUC-KR / CP949
	famGBK                  // GBK, GB 18030
	famBig5                 // Big5
	famJIS                  // Shift_JIS, EUC-JP, ISO-2022-JP
	famThai                 // windows-874 (TIS-620)
)

// familyOf returns the family of a WHATWG canonical encoding name.
func familyOf(canon string) family {
	switch canon {
	case "euc-kr":
		return famKorean
	case "gbk", "gb18030":
		return famGBK
	case "big5":
		return famBig5
	case "shift_jis", "euc-jp", "iso-2022-jp":
		return famJIS
	case "windows-874":
		return famThai
	}
	return famOther
}

func (f family) multiByte() bool { return f != famOther && f != famThai }

// rating is how plausible decoded text is.
type rating struct {
	cost     int    // unusual characters; 0 for plausible text
	hangul   bool   // every non-ASCII letter is a KS X 1001 Hangul syllable, and there is one
	surnames int    // cells that read as a name with a common surname of the encoding's language
	bad      string // the first implausible thing, for messages; "" for none
	multi    bool   // decoded from a multi-byte encoding
}

// badCost is what an implausible word adds to a score.
const badCost = 1000

// score is lower for more plausible text: each unit of cost counts two,
// text of Hangul alone takes one off, each cell that reads as a name
// with a common surname two.
func (r rating) score() int {
	s := 2*r.cost - 2*r.surnames
	if r.hangul {
		s--
	}
	if r.bad != "" {
		s += badCost
	}
	return s
}

// better reports whether r is a more plausible reading than o.
func (r rating) better(o rating) bool {
	if r.score() != o.score() {
		return r.score() < o.score()
	}
	return r.multi && !o.multi
}

// rater rates text decoded from one family of encodings.
type rater struct {
	fam family
}

func newRater(fam family) *rater { return &rater{fam: fam} }

// rate rates s.
func (rt *rater) rate(s string) rating {
	out := rating{multi: rt.fam.multiByte()}
	rs := []rune(s)
	hangulOnly, sawHangul := true, false
	start := -1 // start of the current word (letters and marks)
	for i, r := range rs {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			rt.word(rs[start:i], &out)
			start = -1
		}
		if r < utf8.RuneSelf {
			continue
		}
		c, hangul, why := rt.char(rs, i)
		out.cost += c
		if why != "" && out.bad == "" {
			out.bad = why
		}
		switch {
		case hangul:
			sawHangul = true
		case unicode.IsLetter(r):
			hangulOnly = false
		}
	}
	if start >= 0 {
		rt.word(rs[start:], &out)
	}
	out.hangul = sawHangul && hangulOnly
	out.surnames = rt.names(s)
	return out
}

// names counts the cells of s that read as a Chinese or Korean name (two
// to four Han characters, or Hangul syllables, alone in their cell) whose
// surname is one of the common surnames of the encoding's language.
// Korean bytes read as GBK or Big5 are common characters too, but rarely
// a name.
func (rt *rater) names(s string) int {
	var set string
	switch rt.fam {
	case famGBK:
		set = surnamesSimplified
	case famBig5:
		set = surnamesTraditional
	case famKorean:
		set = surnamesKorean
	default:
		return 0
	}
	n := 0
	for _, cell := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",;\t|\"\r\n", r) }) {
		cell = strings.TrimSpace(cell)
		k := utf8.RuneCountInString(cell)
		if k < 2 || k > 4 {
			continue
		}
		all := true
		for _, r := range cell {
			all = all && (rt.fam == famKorean && r >= 0xac00 && r <= 0xd7a3 || rt.fam != famKorean && unicode.Is(unicode.Han, r))
		}
		if !all {
			continue
		}
		one, size := utf8.DecodeRuneInString(cell)
		two, size2 := utf8.DecodeRuneInString(cell[size:])
		if strings.Contains(set, " "+string(one)+" ") || k > 2 && strings.Contains(set, " "+string(one)+string(two)+" ") && size2 > 0 {
			n++
		}
	}
	return n
}

// implausible describes the first implausible thing in s, "" when none.
func implausible(s string, fam family) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return newRater(fam).rate(s).bad
		}
	}
	return ""
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }

// char rates the non-ASCII character rs[i]: its cost, whether it is a
// common Hangul syllable, and why it is implausible ("" if it is not).
func (rt *rater) char(rs []rune, i int) (cost int, hangul bool, why string) {
	r := rs[i]
	switch {
	case r >= 0xac00 && r <= 0xd7a3:
		if ksHangul()[r] == 0 {
			return 3, false, "" // a syllable outside KS X 1001: rare in names
		}
		// Names use few of KS X 1001's syllables: a tense or ㅋ initial,
		// or a final other than ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ, is rare in them (쟀, 컹).
		initial, final := (r-0xac00)/588, (r-0xac00)%28
		switch {
		case initial == 1 || initial == 4 || initial == 8 || initial == 10 || initial == 13 || initial == 15:
			return 1, true, ""
		case final != 0 && final != 1 && final != 4 && final != 8 && final != 16 && final != 17 && final != 21:
			return 1, true, ""
		}
		return 0, true, ""
	case r >= 0x1100 && r <= 0x11ff, r >= 0x3130 && r <= 0x318f, r >= 0xa960 && r <= 0xa97f, r >= 0xd7b0 && r <= 0xd7ff:
		return 3, false, "" // loose jamo
	case unicode.Is(unicode.Han, r):
		return rt.han(r), false, ""
	case r >= 0xff61 && r <= 0xff9f:
		if rt.fam == famJIS {
			return 1, false, ""
		}
		return 5, false, ""
	case unicode.In(r, unicode.Hiragana, unicode.Katakana) && r != 0x30fb && r != 0x30fc:
		if rt.fam == famJIS {
			return 0, false, ""
		}
		return 5, false, "" // kana in Chinese or Korean text
	case r >= 0x0e00 && r <= 0x0e7f && !unicode.IsPunct(r) && !unicode.IsSymbol(r):
		if rt.fam == famThai {
			return 0, false, ""
		}
		return 5, false, ""
	case unicode.IsLetter(r), unicode.IsMark(r), unicode.IsDigit(r), unicode.IsSpace(r):
		return 0, false, ""
	case unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r), !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C):
		return 0, false, fmt.Sprintf("U+%04X is not a character people type (private use or unassigned)", r)
	case unicode.IsControl(r):
		return 0, false, fmt.Sprintf("a control character U+%04X", r)
	case unicode.Is(unicode.Cf, r):
		return 3, false, ""
	}
	// Punctuation, a symbol, a number that is not a digit.
	between := i > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i-1]) && unicode.IsLetter(rs[i+1])
	switch {
	case between && joiner(r):
		return 0, false, ""
	case between && (unicode.IsSymbol(r) || unicode.Is(unicode.No, r) || r >= 0xa1 && r <= 0xbf):
		return 0, false, fmt.Sprintf("a symbol (%c) between the letters of a word", r)
	case between:
		return 2, false, ""
	case r >= 0x3000 && r <= 0x303f, r >= 0xff01 && r <= 0xff65:
		return 0, false, "" // CJK and full-width punctuation
	}
	return 1, false, ""
}

// joiner reports whether r joins the parts of a name: a middle dot, an
// apostrophe, a hyphen.
func joiner(r rune) bool {
	switch r {
	case 0xb7, 0x2019, 0x02bc, 0x30fb, 0xff65, 0x2010, 0x2011, 0xff0d:
		return true
	}
	return false
}

// han costs a Han character by its level in the family's character set.
func (rt *rater) han(r rune) int {
	var t levelTable
	switch rt.fam {
	case famGBK:
		t = gbLevels()
	case famBig5:
		t = big5Levels()
	case famJIS:
		t = jisLevels()
	case famKorean:
		return 1 // Hanja: a Korean staff list is written in Hangul
	default:
		return 3
	}
	switch t[r] {
	case 1:
		return 0
	case 2:
		return 1
	}
	return 3
}
