package input

import (
	"bytes"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// cellValue turns a cell's stored value into the text a person sees,
// and its kind.
func (x *xlsxReader) cellValue(typ string, style int, v []byte) (string, Kind, bool, error) {
	if typ == "s" {
		v = bytes.TrimSpace(v)
		if len(v) == 0 {
			return "", KindText, false, nil // <c t="s"/> or <v/>: an empty cell
		}
		i, ok := atoi(v)
		if !ok || i >= x.sst.len() {
			return "", KindText, false, l10n.Errorf("shared string %q does not exist", v)
		}
		return x.sst.get(i), KindText, x.sst.isStruck(i), nil
	}
	text, k, err := x.plainValue(typ, style, v)
	return text, k, false, err
}

// plainValue is cellValue for a cell that is not a shared string.
func (x *xlsxReader) plainValue(typ string, style int, v []byte) (string, Kind, error) {
	switch typ {
	case "inlineStr", "str":
		return unescapeXString(v), KindText, nil
	case "e":
		return string(v), KindText, nil
	case "b":
		switch string(bytes.TrimSpace(v)) {
		case "1", "true":
			return "true", KindBool, nil
		case "0", "false":
			return "false", KindBool, nil
		}
		return string(v), KindText, nil
	case "d":
		s := string(bytes.TrimSpace(v))
		t, ok := parseISO(s)
		if !ok {
			return s, KindText, nil
		}
		// As the serial it stands for, so that the format decides
		// between date, time and duration.
		serial := t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, t.Location())).Hours() / 24
		if f := x.format(style); f != nil && !f.general && !f.text {
			if sec, _ := f.pick(serial); sec != nil && (sec.date || sec.time) {
				if text, k, ok := sec.dateTime(serial, false); ok {
					return text, k, nil
				}
			}
		}
		return formatTime(roundSecond(t)), KindDate, nil
	}
	if len(v) == 0 {
		return "", KindText, nil
	}
	f := x.format(style)
	text, k := render(f, string(bytes.TrimSpace(v)), x.date1904)
	n := len(text)
	if f != nil {
		n += f.size // its placeholders and literals are walked
	}
	if err := x.arc.work.add(n); err != nil {
		return "", 0, err
	}
	return text, k, nil
}

// format is the number format of a cell style; nil for General.
func (x *xlsxReader) format(style int) *numFormat {
	if style >= 0 && style < len(x.fmts) {
		return x.fmts[style]
	}
	return nil
}

// parseISO parses the ISO 8601 value of a t="d" cell: a date, a date
// and time (with or without zone), or a time of day (as on 1899-12-30,
// serial 0).
func parseISO(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"15:04:05.999999999", "T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(1899, 12, 30, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), true
		}
	}
	return time.Time{}, false
}

// atoi parses a non-negative decimal index without allocating.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
