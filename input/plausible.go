package input

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
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
//     Korean read as GBK or EUC-JP lands on common Han characters.
//
// The decoding with the lowest score is the file's likely encoding; a
// multi-byte one wins a tie over a single-byte one (random bytes read as
// single-byte letters look like words more often than they form valid,
// common characters).

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

// better reports whether a is a more plausible reading than b.
func (a rating) better(b rating) bool {
	if a.score() != b.score() {
		return a.score() < b.score()
	}
	return a.multi && !b.multi
}

// rater rates text decoded from one family of encodings.
type rater struct {
	fam family
}

func newRater(fam family) *rater { return &rater{fam: fam} }

// A character set's levels: 1 for the first (the commonest characters),
// 2 for the second. Built on first use by decoding every code of the
// levels, so a character counts by where any of its codes lies (the
// encoders of x/text prefer some HKSCS duplicates: 倩 is FA5F there,
// ADC5 in the Big5 Windows writes).
type levelTable map[rune]uint8

func buildLevels(e encoding.Encoding, ranges ...[3]int) levelTable {
	t := levelTable{}
	d := e.NewDecoder()
	for _, rg := range ranges { // lo, hi, level
		for v := rg[0]; v <= rg[1]; v++ {
			if v&0xff < 0x40 || v&0xff == 0x7f || v&0xff == 0xff {
				continue
			}
			b, err := d.Bytes([]byte{byte(v >> 8), byte(v)})
			if err != nil {
				continue
			}
			r, n := utf8.DecodeRune(b)
			if n != len(b) || r == utf8.RuneError {
				continue
			}
			if l, ok := t[r]; !ok || uint8(rg[2]) < l {
				t[r] = uint8(rg[2])
			}
		}
	}
	return t
}

// dbcs lists the rows lo..hi with the trail bytes of a double-byte
// character set (from 0xA1).
func dbcs(lo, hi, level int) [][3]int {
	var out [][3]int
	for lead := lo >> 8; lead <= hi>>8; lead++ {
		out = append(out, [3]int{max(lead<<8|0xa1, lo), min(lead<<8|0xfe, hi), level})
	}
	return out
}

var (
	// GB 2312 level 1 (B0A1-D7F9), level 2 (D8A1-F7FE).
	gbLevels = sync.OnceValue(func() levelTable {
		return buildLevels(simplifiedchinese.GBK, append(dbcs(0xb0a1, 0xd7fe, 1), dbcs(0xd8a1, 0xf7fe, 2)...)...)
	})
	// Big5's frequent characters (A440-C67E) and less frequent ones
	// (C940-F9D5).
	big5Levels = sync.OnceValue(func() levelTable {
		return buildLevels(traditionalchinese.Big5, [3]int{0xa440, 0xc67e, 1}, [3]int{0xc940, 0xf9d5, 2})
	})
	// JIS X 0208 level 1 (B0A1-CFD3) and level 2 (D0A1-F4A6), as EUC-JP.
	jisLevels = sync.OnceValue(func() levelTable {
		return buildLevels(japanese.EUCJP, append(dbcs(0xb0a1, 0xcfd3, 1), dbcs(0xd0a1, 0xf4a6, 2)...)...)
	})
	// KS X 1001's 2,350 Hangul syllables (B0A1-C8FE).
	ksHangul = sync.OnceValue(func() levelTable { return buildLevels(korean.EUCKR, dbcs(0xb0a1, 0xc8fe, 1)...) })
)

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

// The commonest surnames: mainland China (simplified), Taiwan and Hong
// Kong (traditional), Korea; compound ones too. Space-separated, with a
// space at both ends.
const (
	surnamesSimplified  = " 王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 郑 梁 谢 宋 唐 许 韩 邓 冯 曹 彭 曾 肖 田 董 潘 袁 蔡 蒋 余 于 杜 叶 程 魏 苏 吕 丁 任 卢 姚 沈 钟 姜 崔 谭 陆 范 汪 廖 石 金 韦 贾 夏 付 傅 方 邹 熊 白 孟 秦 邱 侯 江 尹 薛 闫 段 雷 龙 黎 史 陶 贺 毛 郝 顾 龚 邵 万 覃 武 钱 戴 严 莫 孔 向 常 汤 康 易 乔 赖 文 施 洪 辛 柯 庄 樊 殷 葛 牛 骆 舒 岳 关 齐 梅 申 祝 左 纪 鲁 欧阳 司马 上官 诸葛 东方 皇甫 公孙 慕容 令狐 "
	surnamesTraditional = " 陳 林 黃 黄 張 李 王 吳 劉 蔡 楊 許 鄭 謝 郭 洪 曾 邱 廖 賴 周 徐 蘇 葉 莊 呂 江 何 蕭 羅 高 潘 簡 朱 鍾 鐘 彭 游 詹 胡 施 沈 余 趙 盧 梁 顏 柯 孫 魏 翁 戴 范 宋 方 鄧 杜 傅 侯 曹 薛 丁 卓 阮 馬 董 溫 温 唐 藍 石 蔣 古 紀 姚 連 馮 歐 程 湯 田 康 姜 白 汪 鄒 尤 巫 黎 涂 龔 嚴 韓 袁 金 童 陸 夏 柳 邵 錢 伍 倪 于 譚 駱 熊 任 甘 秦 顧 毛 章 史 官 萬 俞 雷 饒 關 麥 譚 岑 歐陽 司馬 諸葛 上官 張簡 范姜 "
	surnamesKorean      = " 김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 가 복 태 목 형 계 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 단 견 당 화 창 남궁 황보 제갈 선우 독고 사공 서문 "
)

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
