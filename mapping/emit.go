package mapping

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/certbatch/certbatch/templates"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// appendObject writes the JSON object for n, skipping fields without a
// value and objects without any, in template order.
//
// The value of a CSR certbatch will generate is written as "" and its
// offset stored in *mark, for Result.PayloadWithCSR.
func (p *plan) appendObject(buf []byte, n *node, vals []value, mark *int) []byte {
	buf = append(buf, '{')
	first := true
	for _, c := range n.children {
		if c.field >= 0 {
			if !vals[c.field].set {
				continue
			}
		} else if !anySet(c.leaves, vals) {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = appendString(buf, c.key)
		buf = append(buf, ':')
		switch {
		case c.field >= 0 && vals[c.field].gen:
			*mark = len(buf)
			buf = append(buf, '"', '"')
		case c.field >= 0:
			buf = appendValue(buf, p.tpl.Fields[c.field].Type, &vals[c.field])
		default:
			buf = p.appendObject(buf, c, vals, mark)
		}
	}
	return append(buf, '}')
}

func anySet(idx []int, vals []value) bool {
	for _, i := range idx {
		if vals[i].set {
			return true
		}
	}
	return false
}

func appendValue(buf []byte, typ string, v *value) []byte {
	switch typ {
	case templates.TypeInt:
		return strconv.AppendInt(buf, v.i, 10)
	case templates.TypeBool:
		return strconv.AppendBool(buf, v.b)
	case templates.TypeList:
		buf = append(buf, '[')
		for i, s := range v.list {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, s)
		}
		return append(buf, ']')
	case templates.TypeIntList:
		buf = append(buf, '[')
		for i, n := range v.ints {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, n, 10)
		}
		return append(buf, ']')
	case templates.TypeJSON:
		return append(buf, v.raw...)
	default:
		return appendString(buf, v.s)
	}
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
