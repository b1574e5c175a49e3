package input

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Kind says what a cell holds, so that a writer can write it back typed.
type Kind uint8

const (
	// KindText is text, an empty cell, or a number shown in a way that
	// does not read back as that number (00124, 1,234.57, 12%).
	KindText Kind = iota
	// KindNumber is a number shown as plain digits (General's text): it
	// parses back as the same number.
	KindNumber
	// KindDate is a date (yyyy-MM-dd), a date and time (yyyy-MM-dd
	// HH:mm:ss) or a time of day (HH:mm:ss).
	KindDate
	// KindBool is true or false.
	KindBool
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindNumber:
		return "number"
	case KindDate:
		return "date"
	case KindBool:
		return "bool"
	}
	return "text"
}

// maxSerial is 9999-12-31, the last date Excel shows.
const maxSerial = 2958465

// render shows a number stored as raw (the text of <v>) in format f
// (nil: General), as Excel shows it, except that dates and times take
// fixed forms.
func render(f *numFormat, raw string, date1904 bool) (string, Kind) {
	gen := func() (string, Kind) {
		s := number(raw)
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s, KindNumber
		}
		return s, KindText
	}
	if f == nil || f.general || f.text {
		return gen()
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return raw, KindText
	}
	sec, signed := f.pick(v)
	if sec == nil || sec.fraction || sec.textOnly {
		return gen()
	}
	if sec.date || sec.time {
		if s, k, ok := sec.dateTime(v, date1904); ok {
			return s, k
		}
		return gen()
	}
	s := sec.number(v, raw, signed)
	if s == number(raw) {
		return s, KindNumber
	}
	return s, KindText
}

// dateTime shows a serial as a date (yyyy-MM-dd) when the section shows
// only a date, a date and time (yyyy-MM-dd HH:mm:ss) when it shows both,
// a time of day (HH:mm:ss, or with the date from serial 1 on) when it
// shows only a time, and as a duration laid out by the section for [h],
// [m] and [s]. ok is false for serials Excel does not show as dates.
func (s *fmtSection) dateTime(v float64, date1904 bool) (string, Kind, bool) {
	if s.elapsed {
		return s.duration(v), KindText, true
	}
	if v < 0 || v > maxSerial+1 {
		return "", 0, false
	}
	t := serialTime(v, date1904)
	switch {
	case s.date && s.time:
		return t.Format("2006-01-02 15:04:05"), KindDate, true
	case s.date:
		return t.Format("2006-01-02"), KindDate, true
	case v < 1:
		return t.Format("15:04:05"), KindDate, true
	}
	return t.Format("2006-01-02 15:04:05"), KindDate, true
}

// duration lays out v days with the section's [h], [m], [s], mm and ss.
func (s *fmtSection) duration(v float64) string {
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
		v = -v
	}
	secs := int64(math.Round(v * 86400))
	pad := func(n int64, w int) {
		d := strconv.FormatInt(n, 10)
		for i := len(d); i < w; i++ {
			b.WriteByte('0')
		}
		b.WriteString(d)
	}
	for _, t := range s.toks {
		switch {
		case t.kind == tLit:
			b.WriteString(t.lit)
		case t.kind != tDate:
		case t.ch == 'H':
			pad(secs/3600, t.n)
		case t.ch == 'M':
			pad(secs/60, t.n)
		case t.ch == 'S':
			pad(secs, t.n)
		case t.ch == 'h':
			pad(secs/3600%24, t.n)
		case t.ch == 'i' || t.ch == 'm':
			pad(secs/60%60, max(2, t.n))
		case t.ch == 's':
			pad(secs%60, max(2, t.n))
		}
	}
	return b.String()
}

// decimal is |v| as significant digits and the position of the point:
// 1234.5 is "12345" and 4, 0.05 is "5" and -1, 0 is "" and 0.
type decimal struct {
	d     []byte
	point int
}

// toDecimal takes the digits of raw when it is an integer (all of an ID's
// digits), else the 15 significant digits Excel keeps.
func toDecimal(v float64, raw string) decimal {
	if isDigits(raw) {
		d := strings.TrimLeft(strings.TrimPrefix(raw, "-"), "0")
		return decimal{[]byte(d), len(d)}
	}
	v = math.Abs(v)
	if v == 0 {
		return decimal{}
	}
	e := strconv.FormatFloat(v, 'e', 14, 64) // d.dddddddddddddde±x
	i := strings.IndexByte(e, 'e')
	x, _ := strconv.Atoi(e[i+1:])
	d := strings.TrimRight(e[:1]+e[2:i], "0")
	return decimal{[]byte(d), x + 1}
}

// round keeps n digits after the point, half away from zero as Excel.
func (x *decimal) round(n int) {
	keep := x.point + n
	if keep >= len(x.d) {
		return
	}
	if keep < 0 {
		x.d, x.point = nil, 0
		return
	}
	up := x.d[keep] >= '5'
	x.d = x.d[:keep]
	for up {
		i := len(x.d) - 1
		for ; i >= 0 && x.d[i] == '9'; i-- {
		}
		if i < 0 {
			x.d = append([]byte{'1'}, x.d[:0]...)
			x.point++
			break
		}
		x.d[i]++
		x.d = x.d[:i+1]
		up = false
	}
	x.d = []byte(strings.TrimRight(string(x.d), "0"))
	if len(x.d) == 0 {
		x.point = 0
	}
}

func (x decimal) digit(i int) byte {
	if i >= 0 && i < len(x.d) {
		return x.d[i]
	}
	return '0'
}

// number lays v out with the section's placeholders.
func (s *fmtSection) number(v float64, raw string, signed bool) string {
	x := toDecimal(v, raw)
	if len(x.d) > 0 {
		x.point += 2*s.percent - 3*s.scale
	}
	exp := 0
	if s.exp && len(x.d) > 0 {
		k := max(1, s.nInt)
		if s.nInt > 1 && s.nIntZero < s.nInt {
			exp = floorDiv(x.point-1, k) * k // engineering: ##0.0E+0
		} else {
			exp = x.point - k
		}
		x.point -= exp
	}
	x.round(s.nFrac)
	if s.exp && len(x.d) > 0 && x.point > max(1, s.nInt) && s.nIntZero == s.nInt {
		x.point-- // 9.99E+00 rounded up to 10.0
		exp++
	}
	intDigits := ""
	if x.point > 0 {
		var b strings.Builder
		for i := 0; i < x.point; i++ {
			b.WriteByte(x.digit(i))
		}
		intDigits = b.String()
	}
	var b strings.Builder
	if signed && v < 0 {
		b.WriteByte('-')
	}
	intSeen, fracSeen, inExp := 0, 0, false
	expDigits := 0
	for _, t := range s.toks {
		switch {
		case t.kind == tExp:
			inExp = true
		case t.kind == tDigit && inExp:
			expDigits++
		}
	}
	inExp = false
	lastSig := -1
	for i := 0; i < s.nFrac; i++ {
		if x.digit(x.point+i) != '0' {
			lastSig = i
		}
	}
	for _, t := range s.toks {
		switch t.kind {
		case tLit:
			b.WriteString(t.lit)
		case tGeneral:
			b.WriteString(number(strings.TrimPrefix(raw, "-")))
		case tPoint:
			b.WriteByte('.')
		case tExp:
			inExp = true
			b.WriteByte('E')
			if exp < 0 {
				b.WriteByte('-')
			} else if t.ch == '+' {
				b.WriteByte('+')
			}
			e := strconv.Itoa(abs(exp))
			for i := len(e); i < expDigits; i++ {
				b.WriteByte('0')
			}
			b.WriteString(e)
		case tDigit:
			switch {
			case inExp:
			case intSeen < s.nInt:
				j := intSeen
				intSeen++
				if s.group {
					if j == 0 {
						b.WriteString(group(pad0(intDigits, s.nIntZero)))
					}
					continue
				}
				// Right-aligned; extra leading digits go to the first.
				idx := len(intDigits) - s.nInt + j
				switch {
				case j == 0 && idx > 0:
					b.WriteString(intDigits[:idx+1])
				case idx >= 0:
					b.WriteByte(intDigits[idx])
				case t.ch == '0':
					b.WriteByte('0')
				case t.ch == '?':
					b.WriteByte(' ')
				}
			default:
				j := fracSeen
				fracSeen++
				switch {
				case j <= lastSig || t.ch == '0':
					b.WriteByte(x.digit(x.point + j))
				case t.ch == '?':
					b.WriteByte(' ')
				}
			}
		}
	}
	return b.String()
}

func pad0(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// group puts a comma between thousands.
func group(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func serialTime(f float64, date1904 bool) time.Time {
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return time.Time{}
	}
	return roundSecond(t)
}

// roundSecond rounds to the second: serials carry float noise.
func roundSecond(t time.Time) time.Time {
	return t.Add(500 * time.Millisecond).Truncate(time.Second)
}

// formatTime writes yyyy-MM-dd, with " HH:mm:ss" only when the time of
// day is not midnight.
func formatTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04:05")
}

// number writes a numeric cell as a person typed it: integral values as
// plain digits (never 1.234567e+06 or 1234567.0, and all the digits of a
// long ID stored as digits), others as the shortest decimal of the 15
// significant digits Excel shows (0.30000000000000004 is 0.3).
func number(v string) string {
	if isDigits(v) {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if f == 0 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func isDigits(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
