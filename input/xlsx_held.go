package input

import (
	"encoding/xml"
	"strconv"

	"github.com/certbatch/certbatch/internal/l10n"
)

// A row a person hid in Excel, or whose filter hides it, or whose text is
// struck through, is one the person did not mean to order, or not as
// written: the reader returns it with Row.Held saying why, and the
// caller holds it back unless told otherwise. What counts (ECMA-376
// Part 1, §18.3.1.73 row, §18.3.1.81 sheetFormatPr, §18.3.1.82 sheetPr,
// §18.8.22 font, §18.4.7 rPr):
//
//   - <row hidden="1">, which is how Excel saves both rows hidden by hand
//     and rows its filter hides; a row of zero height (ht="0"); and, when
//     the sheet's rows are hidden by default (sheetFormatPr
//     zeroHeight="1"), every row not shown explicitly (hidden="0" or a
//     custom height above zero);
//   - a non-empty cell whose style's font is struck through
//     (<font><strike/></font> in styles.xml, through the cellXfs entry's
//     fontId);
//   - a non-empty cell with a struck-through run (<rPr><strike/></rPr>)
//     in its shared or inline string: the struck part (an old address)
//     would be read and ordered with the rest.
//
// sheetPr filterMode="1" (a filter is applied) only changes the words:
// a hidden row of such a sheet is "filtered out".

// on reports whether a boolean element (<strike/>, <strike val="0"/>)
// is set: it is unless its val attribute says false.
func on(t xml.StartElement) bool {
	v := attr(t, "val")
	return v == "" || truthy(v)
}

// truthy reports whether an xsd:boolean attribute is true.
func truthy(v string) bool { return v == "1" || v == "true" }

// rowHidden reports whether a <row> is hidden in Excel.
func (x *xlsxReader) rowHidden(t xml.StartElement) bool {
	hidden, ht, custom := attr(t, "hidden"), attr(t, "ht"), truthy(attr(t, "customHeight"))
	if truthy(hidden) {
		return true
	}
	if ht != "" {
		if h, err := strconv.ParseFloat(ht, 64); err == nil && h <= 0 {
			return true
		}
	}
	if x.zeroHeight {
		shown := hidden == "0" || hidden == "false"
		if h, err := strconv.ParseFloat(ht, 64); err == nil && h > 0 && custom {
			shown = true
		}
		return !shown
	}
	return false
}

// struckStyle reports whether cell style i's font is struck through.
func (x *xlsxReader) struckStyle(i int) bool { return i >= 0 && i < len(x.struck) && x.struck[i] }

// held says why a row is held back, nil when it is not: see Row.Held
// (a message of the catalog, said in the run's language).
func (x *xlsxReader) held(r sheetRow) l10n.Msg {
	switch {
	case r.hidden && x.filtered:
		return l10n.Msgf("filtered out: the sheet's filter hides it in Excel")
	case r.hidden:
		return l10n.Msgf("hidden in Excel")
	case r.struck > 0 && r.partly:
		return l10n.Msgf("part of the text in %s is struck through in Excel", x.columnName(r.struck))
	case r.struck > 0:
		return l10n.Msgf("struck through in Excel (%s)", x.columnName(r.struck))
	}
	return nil
}

// columnName names column col (1-based) by its header.
func (x *xlsxReader) columnName(col int) l10n.Msg {
	if col <= len(x.header) && x.header[col-1] != "" {
		return l10n.Msgf("column %q", x.header[col-1])
	}
	return l10n.Msgf("column %d", col)
}
