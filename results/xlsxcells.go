package results

import (
	"strconv"
	"time"
)

// inputCell decides how an input cell is written: as the number, date or
// boolean its kind says when its text is one that reads back as the same
// text, otherwise as text.
func inputCell(v string, kind CellKind) spillCell {
	if v == "" {
		return spillCell{}
	}
	switch kind {
	case Number:
		if tag, ok := numberTag(v); ok {
			return spillCell{tag, v}
		}
	case Date:
		if tag, ok := dateTag(v); ok {
			return spillCell{tag, v}
		}
	case Bool:
		if v == "true" || v == "false" {
			return spillCell{tagBool, v}
		}
	}
	return spillCell{tagText, clipCell(v)}
}

// numberTag classifies a number's text: tagInt for an integer of at most
// 15 digits without leading zeros, tagFloat for a plain decimal of at
// most 15 significant digits written as Go writes its value (no
// exponent, no trailing zeros), which is how certbatch reads numbers
// back; anything else is not a number to write as one.
func numberTag(s string) (cellTag, bool) {
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if isPlainID(digits) {
		return tagInt, digits != "0" || s == "0"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strconv.FormatFloat(f, 'f', -1, 64) != s {
		return 0, false
	}
	n := 0
	for i := 0; i < len(digits); i++ {
		if c := digits[i]; c >= '0' && c <= '9' && (n > 0 || c != '0') {
			n++
		}
	}
	return tagFloat, n <= 15
}

// firstDate is the first day a spreadsheet date means the same in every
// program (Excel counts a 29 February 1900 that never was).
var firstDate = time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)

// dateTag classifies a date's text as the input package shows dates:
// yyyy-mm-dd, yyyy-mm-dd hh:mm:ss (never at midnight, which it shows as
// a date) or hh:mm:ss.
func dateTag(s string) (cellTag, bool) {
	for _, f := range []struct {
		layout string
		tag    cellTag
	}{{time.DateOnly, tagDate}, {time.DateTime, tagDateTime}, {time.TimeOnly, tagTime}} {
		t, err := time.Parse(f.layout, s)
		if err != nil || t.Format(f.layout) != s {
			continue
		}
		switch f.tag {
		case tagTime:
			return tagTime, true
		case tagDateTime:
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				return 0, false
			}
		}
		return f.tag, !t.Before(firstDate)
	}
	return 0, false
}
