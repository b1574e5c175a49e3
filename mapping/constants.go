package mapping

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/certbatch/certbatch/templates"
)

// flattenOrder turns the nested order: mapping into field path -> YAML value.
func flattenOrder(order map[string]any, set *templates.Set, deflt *templates.Template) (map[string]any, error) {
	out := map[string]any{}
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			v := m[k]
			if knownPath(set, deflt, p) {
				out[p] = v
				continue
			}
			sub, ok := v.(map[string]any)
			if !ok || !isPrefix(set, deflt, p) {
				return configErrorf("order: unknown order field %q%s", p, fieldHint(set, deflt))
			}
			if err := walk(p, sub); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk("", order); err != nil {
		return nil, err
	}
	return out, nil
}

func isPrefix(set *templates.Set, deflt *templates.Template, p string) bool {
	fams := set.Families()
	if deflt != nil {
		fams = []*templates.Template{deflt}
	}
	for _, t := range fams {
		for _, f := range t.Fields {
			if strings.HasPrefix(f.Path, p+".") {
				return true
			}
		}
	}
	return false
}

// constValue parses a constant from the config with the same rules as a cell.
func constValue(f *templates.Field, raw any, now time.Time) (*value, string) {
	v := &value{}
	switch x := raw.(type) {
	case nil:
		return nil, "has no value"
	case []any:
		switch f.Type {
		case templates.TypeList, templates.TypeIntList:
			parts := make([]string, len(x))
			for i, it := range x {
				parts[i] = fmt.Sprint(it)
				if strings.ContainsAny(parts[i], ";,\n") {
					return nil, "list items may not contain ; , or line breaks"
				}
			}
			if msg := parseValue(f, strings.Join(parts, ";"), now, v); msg != "" {
				return nil, msg
			}
			return v, ""
		case templates.TypeJSON:
		default:
			return nil, "must be a single " + f.Type + ", not a list"
		}
	case map[string]any:
		if f.Type != templates.TypeJSON {
			return nil, "must be a single " + f.Type + ", not a mapping"
		}
	}
	if f.Type == templates.TypeJSON {
		b, err := jsonMarshal(raw)
		if err != nil {
			return nil, err.Error()
		}
		if msg := parseValue(f, string(b), now, v); msg != "" {
			return nil, msg
		}
		return v, ""
	}
	if msg := parseValue(f, fmt.Sprint(raw), now, v); msg != "" {
		return nil, msg
	}
	return v, ""
}
