package input

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// readStyles marks which cell styles (cellXfs entries) show dates or
// times.
func (x *xlsxReader) readStyles(a *archive, part string) error {
	if part == "" {
		return nil
	}
	custom := map[int]string{}
	var xfs []int
	var inNumFmts, inCellXfs bool
	_, err := a.scan(part, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmts":
				inNumFmts = true
			case "cellXfs":
				inCellXfs = true
			case "numFmt":
				if inNumFmts {
					if len(custom) >= maxStyles {
						return limitf("styles %s have more than %d number formats", part, maxStyles)
					}
					if id, err := strconv.Atoi(attr(t, "numFmtId")); err == nil {
						custom[id] = attr(t, "formatCode")
					}
				}
			case "xf":
				if inCellXfs {
					if len(xfs) >= maxStyles {
						return limitf("styles %s have more than %d cell formats", part, maxStyles)
					}
					id, _ := strconv.Atoi(attr(t, "numFmtId"))
					xfs = append(xfs, id)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "numFmts":
				inNumFmts = false
			case "cellXfs":
				inCellXfs = false
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	x.dateFmt = make([]bool, len(xfs))
	x.timeFmt = make([]bool, len(xfs))
	for i, id := range xfs {
		if code, ok := custom[id]; ok {
			d, t := classifyFormat(code)
			x.dateFmt[i], x.timeFmt[i] = d || t, t && !d
			continue
		}
		x.dateFmt[i], x.timeFmt[i] = builtinDateFormat(id)
	}
	return nil
}

// builtinDateFormat classifies Excel's built-in number formats: 14-22,
// 27-36, 45-47 and 50-58 show dates or times (27-36 and 50-58 differ by
// locale); 18-21, 32-33 and 45-47 show only a time of day.
func builtinDateFormat(id int) (dateOrTime, timeOnly bool) {
	switch {
	case id >= 18 && id <= 21, id == 32, id == 33, id >= 45 && id <= 47:
		return true, true
	case id >= 14 && id <= 22, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return true, false
	}
	return false, false
}

// classifyFormat reports whether a custom number format shows a date
// (y, d, or m not next to h or s) or a time (h, s), ignoring quoted text,
// escaped characters and [bracketed] parts such as colours and locales
// ([h] and [mm] durations count as time).
func classifyFormat(code string) (date, tm bool) {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i]
	}
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				i = len(code)
			} else {
				i += j + 1
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				break
			}
			switch strings.ToLower(code[i+1 : i+j]) {
			case "h", "hh", "m", "mm", "s", "ss":
				tm = true
			}
			i += j
		default:
			b.WriteByte(c | 0x20)
		}
	}
	s := b.String()
	if s == "general" {
		return false, false
	}
	if strings.ContainsAny(s, "yd") || (strings.Contains(s, "m") && !strings.ContainsAny(s, "hs") && !tm) {
		date = true
	}
	if strings.ContainsAny(s, "hs") {
		tm = true
	}
	return date, tm
}
