package input

import (
	"encoding/xml"
	"strconv"
)

// readStyles reads the number format of each cell style (cellXfs
// entry), and whether its font is struck through.
func (x *xlsxReader) readStyles(a *archive, part string) error {
	if part == "" {
		return nil
	}
	custom := map[int]string{}
	var xfs, xfFonts []int
	var fonts []bool // struck through
	var inNumFmts, inCellXfs, inFonts, inFont bool
	_, err := a.scan(part, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmts":
				inNumFmts = true
			case "cellXfs":
				inCellXfs = true
			case "fonts":
				inFonts = true
			case "font":
				if inFonts {
					if len(fonts) >= maxStyles {
						return limitf("styles %s have more than %d fonts", part, maxStyles)
					}
					inFont = true
					fonts = append(fonts, false)
				}
			case "strike":
				if inFont && on(t) {
					fonts[len(fonts)-1] = true
				}
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
					font, err := strconv.Atoi(attr(t, "fontId"))
					if err != nil {
						font = 0 // fontId is optional: the first font
					}
					xfFonts = append(xfFonts, font)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "numFmts":
				inNumFmts = false
			case "cellXfs":
				inCellXfs = false
			case "fonts":
				inFonts = false
			case "font":
				inFont = false
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	x.struck = make([]bool, len(xfFonts))
	for i, f := range xfFonts {
		x.struck[i] = f >= 0 && f < len(fonts) && fonts[f]
	}
	// Compiled once per format ID: a million cell formats may share one
	// format code of 64 KiB, which must not be hashed a million times.
	compiled := map[int]*numFormat{}
	x.fmts = make([]*numFormat, len(xfs))
	for i, id := range xfs {
		f, seen := compiled[id]
		if !seen {
			code, ok := custom[id]
			if !ok {
				code = builtinFormats[id]
			}
			if code != "" && code != "General" {
				f = compileFormat(code)
			}
			compiled[id] = f
		}
		x.fmts[i] = f
	}
	return nil
}

// builtinFormats are Excel's built-in number formats in the en-US
// locale (other locales differ in currency and date layout, which the
// reader does not show anyway); 27-36 and 50-58 are East Asian dates and
// times.
var builtinFormats = map[int]string{
	1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	5: `"$"#,##0_);("$"#,##0)`, 6: `"$"#,##0_);[Red]("$"#,##0)`,
	7: `"$"#,##0.00_);("$"#,##0.00)`, 8: `"$"#,##0.00_);[Red]("$"#,##0.00)`,
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
	14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy-mm-dd h:mm",
	27: "yyyy-mm-dd", 28: "yyyy-mm-dd", 29: "yyyy-mm-dd", 30: "yyyy-mm-dd", 31: "yyyy-mm-dd",
	32: "h:mm", 33: "h:mm:ss", 34: "yyyy-mm-dd", 35: "yyyy-mm-dd", 36: "yyyy-mm-dd",
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
	41: `_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`, 42: `_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)`,
	43: `_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)`, 44: `_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)`,
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
	50: "yyyy-mm-dd", 51: "yyyy-mm-dd", 52: "yyyy-mm-dd", 53: "yyyy-mm-dd", 54: "yyyy-mm-dd",
	55: "yyyy-mm-dd", 56: "yyyy-mm-dd", 57: "yyyy-mm-dd", 58: "yyyy-mm-dd",
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

// classifyFormat reports whether a format's first section shows a date
// (y, d, or m not next to h or s) or a time (h, s, [h], [mm]).
func classifyFormat(code string) (date, tm bool) {
	f := compileFormat(code)
	if f.general || f.text || len(f.sections) == 0 {
		return false, false
	}
	return f.sections[0].date, f.sections[0].time
}
