package input

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A numFormat is a compiled Excel number format: up to four sections
// (positive; negative; zero; text), each optionally with a [condition].
// It renders numbers as Excel shows them (en-US separators); dates and
// times are written in the package's fixed forms instead of the format's
// own layout, durations ([h]:mm:ss) as the format lays them out.
type numFormat struct {
	sections []*fmtSection
	general  bool // General: plain digits, 15 significant digits
	text     bool // @: numbers as stored
	size     int  // the code's length: the work of rendering with it, beyond its output
}

type fmtSection struct {
	cond     string // "", "<", ">", "=", "<=", ">=", "<>"
	condVal  float64
	toks     []fmtTok
	textOnly bool // has @ (a text section)
	date     bool // shows a year, month or day
	time     bool // shows hours, minutes or seconds
	elapsed  bool // [h], [m] or [s]
	general  bool // a General token
	fraction bool // a fraction (# ?/?), not rendered: shown as General
	percent  int
	scale    int // trailing commas: thousands dropped
	group    bool
	nInt     int // integer placeholders
	nIntZero int // of them '0'
	nFrac    int // decimal placeholders
	exp      bool
}

// Token kinds.
const (
	tLit     = iota // text shown as is
	tDigit          // 0, # or ? (ch)
	tPoint          // the decimal point
	tExp            // E+ / E- (ch is the sign)
	tGeneral        // General
	tText           // @
	tDate           // a date or time code (ch: y m d h M s a, or H M S for [h] [m] [s]); n is its length
)

type fmtTok struct {
	kind uint8
	ch   byte
	n    int
	lit  string
}

// compileFormat parses a format code. It never fails: what it does not
// know is shown as text.
func compileFormat(code string) *numFormat {
	f := &numFormat{size: len(code)}
	if c := strings.TrimSpace(code); c == "" || strings.EqualFold(c, "general") {
		f.general = true
		return f
	}
	if code == "@" {
		f.text = true
		return f
	}
	for _, part := range splitSections(code) {
		f.sections = append(f.sections, compileSection(part))
	}
	return f
}

// splitSections splits on ';' outside quotes, brackets and escapes.
func splitSections(code string) []string {
	var out []string
	start, inQ, inB := 0, false, false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case inQ:
			inQ = c != '"'
		case inB:
			inB = c != ']'
		case c == '"':
			inQ = true
		case c == '[':
			inB = true
		case c == '\\' || c == '_' || c == '*':
			i++
		case c == ';':
			out = append(out, code[start:i])
			start = i + 1
		}
	}
	return append(out, code[start:])
}

func compileSection(code string) *fmtSection {
	s := &fmtSection{}
	lit := func(t string) { s.toks = append(s.toks, fmtTok{kind: tLit, lit: t}) }
	afterPoint, inExp := false, false
	for i := 0; i < len(code); {
		c := code[i]
		lc := c | 0x20
		switch {
		case c == '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				j = len(code) - i - 1
			}
			lit(code[i+1 : i+1+j])
			i += j + 2
			continue
		case c == '\\' && i+1 < len(code):
			_, n := utf8.DecodeRuneInString(code[i+1:])
			lit(code[i+1 : i+1+n])
			i += 1 + n
			continue
		case c == '_' && i+1 < len(code):
			_, n := utf8.DecodeRuneInString(code[i+1:])
			lit(" ")
			i += 1 + n
			continue
		case c == '*' && i+1 < len(code):
			_, n := utf8.DecodeRuneInString(code[i+1:])
			i += 1 + n
			continue
		case c == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				j = len(code) - i
			}
			s.bracket(code[i+1 : i+j])
			i += j + 1
			continue
		case len(code)-i >= 7 && strings.EqualFold(code[i:i+7], "general"):
			s.general = true
			s.toks = append(s.toks, fmtTok{kind: tGeneral})
			i += 7
			continue
		case len(code)-i >= 5 && strings.EqualFold(code[i:i+5], "am/pm"):
			s.toks = append(s.toks, fmtTok{kind: tDate, ch: 'a', n: 5})
			s.time = true
			i += 5
			continue
		case len(code)-i >= 3 && strings.EqualFold(code[i:i+3], "a/p"):
			s.toks = append(s.toks, fmtTok{kind: tDate, ch: 'a', n: 3})
			s.time = true
			i += 3
			continue
		case c == '0' || c == '#' || c == '?':
			s.toks = append(s.toks, fmtTok{kind: tDigit, ch: c})
			switch {
			case inExp:
			case afterPoint:
				s.nFrac++
			default:
				s.nInt++
				if c == '0' {
					s.nIntZero++
				}
			}
		case c == '.':
			if !afterPoint && !inExp && !s.date && !s.time {
				afterPoint = true
				s.toks = append(s.toks, fmtTok{kind: tPoint})
			} else if s.time && i+1 < len(code) && code[i+1] == '0' {
				// fractions of a second: seconds are rounded instead
				for i+1 < len(code) && code[i+1] == '0' {
					i++
				}
			} else {
				lit(".")
			}
		case c == ',':
			s.toks = append(s.toks, fmtTok{kind: tLit, ch: ','})
		case c == '%':
			s.percent++
			lit("%")
		case lc == 'e' && i+1 < len(code) && (code[i+1] == '+' || code[i+1] == '-') && s.nInt+s.nFrac > 0:
			s.exp, inExp = true, true
			s.toks = append(s.toks, fmtTok{kind: tExp, ch: code[i+1]})
			i += 2
			continue
		case c == '/' && s.nInt+s.nFrac > 0 && !s.date && !s.time:
			s.fraction = true
			lit("/")
		case c == '@':
			s.textOnly = true
			s.toks = append(s.toks, fmtTok{kind: tText})
		case lc == 'y' || lc == 'm' || lc == 'd' || lc == 'h' || lc == 's' || lc == 'e' || lc == 'b' || lc == 'g':
			n := 1
			for i+n < len(code) && code[i+n]|0x20 == lc {
				n++
			}
			ch := lc
			switch lc {
			case 'e', 'b':
				ch = 'y'
			case 'g':
				i += n
				continue
			}
			if ch == 'h' || ch == 's' {
				s.time = true
			} else if ch != 'm' {
				s.date = true
			}
			s.toks = append(s.toks, fmtTok{kind: tDate, ch: ch, n: n})
			i += n
			continue
		default:
			_, n := utf8.DecodeRuneInString(code[i:])
			lit(code[i : i+n])
			i += n
			continue
		}
		i++
	}
	s.finish()
	return s
}

// bracket handles [..]: a condition, a duration, a currency; colours and
// locale codes show nothing.
func (s *fmtSection) bracket(b string) {
	switch {
	case b == "":
	case b[0] == '<' || b[0] == '>' || b[0] == '=':
		op := b[:1]
		if len(b) > 1 && (b[1] == '=' || b[1] == '>') {
			op = b[:2]
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(b[len(op):]), 64); err == nil {
			s.cond, s.condVal = op, v
		}
	case b[0] == '$':
		sym := b[1:]
		if i := strings.IndexByte(sym, '-'); i >= 0 {
			sym = sym[:i]
		}
		s.toks = append(s.toks, fmtTok{kind: tLit, lit: sym})
	default:
		l := strings.ToLower(b)
		if strings.Trim(l, "h") == "" || strings.Trim(l, "m") == "" || strings.Trim(l, "s") == "" {
			s.elapsed, s.time = true, true
			s.toks = append(s.toks, fmtTok{kind: tDate, ch: l[0] - 0x20, n: len(l)}) // H, M or S
		}
	}
}

// finish resolves m (month or minute) and commas (grouping or scaling).
func (s *fmtSection) finish() {
	for i, t := range s.toks {
		if t.kind != tDate || t.ch != 'm' {
			continue
		}
		prev, next := byte(0), byte(0)
		for j := i - 1; j >= 0; j-- {
			if s.toks[j].kind == tDate {
				prev = s.toks[j].ch
				break
			}
		}
		for j := i + 1; j < len(s.toks); j++ {
			if s.toks[j].kind == tDate {
				next = s.toks[j].ch
				break
			}
		}
		if prev == 'h' || prev == 'H' || next == 's' || next == 'S' {
			s.toks[i].ch = 'i' // minutes
			s.time = true
		} else if t.n <= 5 {
			s.date = true
		}
	}
	// A comma between digit placeholders groups thousands; commas right
	// after the last placeholder before the point (or the end) scale.
	lastDigit := -1
	for i, t := range s.toks {
		if t.kind == tDigit || t.kind == tPoint {
			if t.kind == tPoint {
				break
			}
			lastDigit = i
		}
	}
	for i, t := range s.toks {
		if t.kind != tLit || t.ch != ',' {
			continue
		}
		switch {
		case s.date || s.time || s.nInt+s.nFrac == 0:
			s.toks[i] = fmtTok{kind: tLit, lit: ","}
		case i > lastDigit && precededByDigits(s.toks, i):
			s.scale++
			s.toks[i] = fmtTok{kind: tLit}
		case i < lastDigit:
			s.group = true
			s.toks[i] = fmtTok{kind: tLit}
		default:
			s.toks[i] = fmtTok{kind: tLit, lit: ","}
		}
	}
}

// precededByDigits reports whether only commas stand between toks[i]
// and a digit placeholder before it.
func precededByDigits(toks []fmtTok, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch {
		case toks[j].kind == tDigit:
			return true
		case toks[j].kind == tLit && toks[j].lit == "" && toks[j].ch == 0:
		case toks[j].kind == tLit && toks[j].ch == ',':
		default:
			return false
		}
	}
	return false
}

// pick chooses the section for v and whether it shows v's minus sign.
func (f *numFormat) pick(v float64) (*fmtSection, bool) {
	num := f.sections
	if len(num) > 3 {
		num = num[:3]
	}
	if len(num) > 1 && num[len(num)-1].textOnly {
		num = num[:len(num)-1]
	}
	conditional := false
	for _, s := range num {
		conditional = conditional || s.cond != ""
	}
	if conditional {
		for _, s := range num {
			if s.cond == "" {
				return s, true
			}
			if s.matches(v) {
				return s, !(strings.HasPrefix(s.cond, "<") && s.condVal <= 0)
			}
		}
		return nil, true
	}
	switch {
	case len(num) == 1 || v > 0 || (v == 0 && len(num) == 2):
		return num[0], true
	case v < 0:
		return num[1], false
	default:
		return num[2], true
	}
}

func (s *fmtSection) matches(v float64) bool {
	switch s.cond {
	case "<":
		return v < s.condVal
	case ">":
		return v > s.condVal
	case "=":
		return v == s.condVal
	case "<=":
		return v <= s.condVal
	case ">=":
		return v >= s.condVal
	case "<>":
		return v != s.condVal
	}
	return false
}
