package mapping

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/templates"
)

// What a config names: order field paths (and their aliases), constants
// under order:, and the hints for unknown ones.

func knownPath(set *templates.Set, deflt *templates.Template, p string) bool {
	fams := set.Families()
	if deflt != nil {
		fams = []*templates.Template{deflt}
	}
	for _, t := range fams {
		if _, ok := fieldOrAlias(t, p); ok {
			return true
		}
	}
	return false
}

// fieldOrAlias returns t's field at path p, or the field that names p
// among its config_aliases (an older path a config may still use).
func fieldOrAlias(t *templates.Template, p string) (*templates.Field, bool) {
	if f, ok := t.Field(p); ok {
		return f, true
	}
	for i := range t.Fields {
		if slices.Contains(t.Fields[i].ConfigAliases, p) {
			return &t.Fields[i], true
		}
	}
	return nil, false
}

// configured returns what the config gives for f: under its path, else
// under one of its config aliases.
func configured[V any](m map[string]V, f *templates.Field) (V, bool) {
	if v, ok := m[f.Path]; ok {
		return v, true
	}
	for _, a := range f.ConfigAliases {
		if v, ok := m[a]; ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// fieldPaths lists the order fields a config may name: the default
// product's family's, or every family's.
func fieldPaths(set *templates.Set, deflt *templates.Template) []string {
	fams := set.Families()
	if deflt != nil {
		fams = []*templates.Template{deflt}
	}
	var out []string
	for _, t := range fams {
		for _, f := range t.Fields {
			out = append(out, f.Path)
		}
	}
	return out
}

func fieldHint(set *templates.Set, deflt *templates.Template) l10n.Msg {
	if deflt == nil {
		return l10n.Term("")
	}
	return l10n.Msgf(" for %s (run `certbatch template --product %s` to see the fields)", deflt.Family, deflt.Products[0].ID)
}

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
func constValue(lp l10n.Printer, f *templates.Field, raw any, now time.Time) (*value, string) {
	v := &value{}
	switch x := raw.(type) {
	case nil:
		return nil, lp.Sprintf("has no value")
	case []any:
		switch f.Type {
		case templates.TypeList, templates.TypeIntList:
			parts := make([]string, len(x))
			for i, it := range x {
				parts[i] = fmt.Sprint(it)
				if strings.ContainsAny(parts[i], ";,\n") {
					return nil, lp.Sprintf("list items may not contain ; , or line breaks")
				}
			}
			if msg := parseValue(lp, f, strings.Join(parts, ";"), now, v); msg != "" {
				return nil, msg
			}
			return v, ""
		case templates.TypeJSON:
		default:
			return nil, lp.Sprintf("must be a single %s, not a list", f.Type)
		}
	case map[string]any:
		if f.Type != templates.TypeJSON {
			return nil, lp.Sprintf("must be a single %s, not a mapping", f.Type)
		}
	}
	if f.Type == templates.TypeJSON {
		b, err := jsonMarshal(raw)
		if err != nil {
			return nil, err.Error()
		}
		if msg := parseValue(lp, f, string(b), now, v); msg != "" {
			return nil, msg
		}
		return v, ""
	}
	if msg := parseValue(lp, f, fmt.Sprint(raw), now, v); msg != "" {
		return nil, msg
	}
	return v, ""
}
