package mapping

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/certbatch/certbatch/templates"
)

// Options adjust how a config is compiled.
type Options struct {
	// Product overrides the config's default product (--product).
	Product string
	// Now is the clock used for date rules; nil means time.Now.
	Now func() time.Time
}

// Problem is one thing wrong with a row.
type Problem struct {
	Row     int    // spreadsheet row number
	Column  string // header text of the column, or "config" for constants
	Value   string // the offending value ("" when missing)
	Message string
}

// String formats the problem for a results cell: the row number is in the
// results' own row column, so it is left out here.
func (p Problem) String() string {
	if p.Value == "" {
		return fmt.Sprintf("%s: %s", p.Column, p.Message)
	}
	return fmt.Sprintf("%s %q: %s", p.Column, clip(p.Value, 80), p.Message)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// Result is a mapped and validated row.
type Result struct {
	Row        int
	Product    string
	Identity   string // journal identity: product|key:<value> or product|email:<address>
	Email      string // primary email, lowercased
	CommonName string
	Key        string // value of the key column, if configured
	Payload    []byte // the order body, when requested and the row is valid
	Problems   []Problem

	emailIdent  string
	keyIdent    string
	emailRaw    string // the primary email as written
	emailColumn string
	keyColumn   string
}

// Valid reports whether the row has no problems.
func (r *Result) Valid() bool { return len(r.Problems) == 0 }

// ErrorText joins the row's problems for the results' error column.
func (r *Result) ErrorText() string {
	if len(r.Problems) == 1 {
		return r.Problems[0].String()
	}
	var b strings.Builder
	for i, p := range r.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Mapper maps rows of one input file. It is safe for concurrent use; each
// goroutine needs its own [Scratch].
type Mapper struct {
	header         []string
	productCol     int
	keyCol         int
	keyHeader      string
	defaultProduct string
	set            *templates.Set
	plans          map[*templates.Template]*plan
	now            func() time.Time
}

type plan struct {
	tpl        *templates.Template
	fields     []fieldPlan
	root       *node
	identity   int
	commonName int
	withGroups map[string][]int
}

type fieldPlan struct {
	f            *templates.Field
	col          int
	header       string
	konst        *value
	def          *value
	replacedBy   int
	requiredIf   int
	requiredWith string
}

type node struct {
	key      string
	field    int // -1 for an object
	children []*node
	leaves   []int
}

// Compile checks cfg against the input header and the templates and
// returns a Mapper. Every error is a *ConfigError naming the key or header.
func Compile(cfg *Config, header []string, set *templates.Set, opts Options) (*Mapper, error) {
	m := &Mapper{header: header, productCol: -1, keyCol: -1, set: set, plans: map[*templates.Template]*plan{}, now: opts.Now}
	if m.now == nil {
		m.now = time.Now
	}
	m.defaultProduct = cfg.Product
	if opts.Product != "" {
		m.defaultProduct = opts.Product
	}
	var deflt *templates.Template
	if m.defaultProduct != "" {
		t, ok := set.ForProduct(m.defaultProduct)
		if !ok {
			return nil, configErrorf("unknown product %q (known: %s)", m.defaultProduct, strings.Join(set.ProductIDs(), ", "))
		}
		deflt = t
	}

	index := map[string][]int{}
	for i, h := range header {
		if n := NormalizeHeader(h); n != "" {
			index[n] = append(index[n], i)
		}
	}
	find := func(what, h string) (int, error) {
		cols := index[NormalizeHeader(h)]
		switch len(cols) {
		case 0:
			return -1, configErrorf("%s: header %q is not in the input (its headers: %s)", what, h, quoteList(header))
		case 1:
			return cols[0], nil
		default:
			return -1, configErrorf("%s: header %q matches several columns (%s)", what, h, colList(header, cols))
		}
	}
	explicit := map[int]bool{}
	if cfg.Key != "" {
		c, err := find("key", cfg.Key)
		if err != nil {
			return nil, err
		}
		m.keyCol, m.keyHeader = c, header[c]
	}
	colFor := map[string]int{}
	paths := make([]string, 0, len(cfg.Columns))
	for p := range cfg.Columns {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		h := cfg.Columns[p]
		if p != "product" && !knownPath(set, deflt, p) {
			return nil, configErrorf("columns: unknown order field %q%s", p, fieldHint(set, deflt))
		}
		c, err := find("columns: "+p, h)
		if err != nil {
			return nil, err
		}
		if p == "product" {
			m.productCol = c
		} else {
			colFor[p] = c
		}
		explicit[c] = true
	}
	if m.productCol < 0 {
		if cols := index["product"]; len(cols) == 1 {
			m.productCol = cols[0]
		}
	}
	if m.defaultProduct == "" && m.productCol < 0 {
		return nil, configErrorf("no product: set product: in the config, pass --product, or add a Product column")
	}

	consts, err := flattenOrder(cfg.Order, set, deflt)
	if err != nil {
		return nil, err
	}

	now := m.now()
	for _, t := range set.Families() {
		p, err := compilePlan(t, header, index, explicit, colFor, consts, now)
		if err != nil {
			if t == deflt || deflt == nil {
				return nil, err
			}
			continue // a family this batch cannot use; rows naming it are reported
		}
		m.plans[t] = p
	}
	if deflt != nil && m.plans[deflt] == nil {
		return nil, configErrorf("product %s cannot be mapped", m.defaultProduct)
	}
	return m, nil
}

func quoteList(h []string) string {
	q := make([]string, len(h))
	for i, s := range h {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func colList(h []string, cols []int) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = fmt.Sprintf("column %d %q", c+1, h[c])
	}
	return strings.Join(q, ", ")
}

func knownPath(set *templates.Set, deflt *templates.Template, p string) bool {
	if deflt != nil {
		_, ok := deflt.Field(p)
		return ok
	}
	for _, t := range set.Families() {
		if _, ok := t.Field(p); ok {
			return true
		}
	}
	return false
}

func fieldHint(set *templates.Set, deflt *templates.Template) string {
	if deflt == nil {
		return ""
	}
	return fmt.Sprintf(" for %s (run `certbatch template --product %s` to see the fields)", deflt.Family, deflt.Products[0].ID)
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

func compilePlan(t *templates.Template, header []string, index map[string][]int, explicit map[int]bool,
	colFor map[string]int, consts map[string]any, now time.Time) (*plan, error) {
	p := &plan{tpl: t, identity: -1, commonName: -1, withGroups: map[string][]int{}}
	pos := map[string]int{}
	for i := range t.Fields {
		pos[t.Fields[i].Path] = i
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		fp := fieldPlan{f: f, col: -1, replacedBy: -1, requiredIf: -1, requiredWith: f.RequiredWith}
		if c, ok := colFor[f.Path]; ok {
			fp.col = c
		} else {
			for _, h := range f.Headers {
				if cols := index[NormalizeHeader(h)]; len(cols) == 1 && !explicit[cols[0]] {
					fp.col = cols[0]
					break
				}
			}
		}
		if fp.col >= 0 {
			fp.header = header[fp.col]
		}
		if raw, ok := consts[f.Path]; ok {
			v, msg := constValue(f, raw, now)
			if msg != "" {
				return nil, configErrorf("order: %s: %v: %s", f.Path, raw, msg)
			}
			fp.konst = v
		}
		if f.Default != "" {
			v := &value{}
			if msg := parseValue(f, f.Default, now, v); msg != "" {
				return nil, configErrorf("template %s: %s: default %q: %s", t.Family, f.Path, f.Default, msg)
			}
			fp.def = v
		}
		if f.ReplacedBy != "" {
			fp.replacedBy = pos[f.ReplacedBy]
		}
		if f.RequiredIf != nil {
			fp.requiredIf = pos[f.RequiredIf.Field]
		}
		if f.Path == t.Identity {
			p.identity = i
		}
		if f.Path == t.CommonName {
			p.commonName = i
		}
		p.fields = append(p.fields, fp)
	}
	for i, fp := range p.fields {
		if fp.requiredWith == "" {
			continue
		}
		if _, ok := p.withGroups[fp.requiredWith]; ok {
			continue
		}
		var g []int
		for j := range p.fields {
			if strings.HasPrefix(p.fields[j].f.Path, fp.requiredWith+".") {
				g = append(g, j)
			}
		}
		p.withGroups[fp.requiredWith] = g
		_ = i
	}
	p.root = &node{field: -1}
	for i := range t.Fields {
		parts := strings.Split(t.Fields[i].Path, ".")
		n := p.root
		for j, part := range parts {
			n.leaves = append(n.leaves, i)
			if j == len(parts)-1 {
				n.children = append(n.children, &node{key: part, field: i})
				break
			}
			var next *node
			for _, c := range n.children {
				if c.key == part && c.field < 0 {
					next = c
				}
			}
			if next == nil {
				next = &node{key: part, field: -1}
				n.children = append(n.children, next)
			}
			n = next
		}
	}
	return p, nil
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

// Scratch holds per-goroutine buffers for [Mapper.Map].
type Scratch struct {
	vals   []value
	failed []bool
}

// Map maps and validates one row. cells must have one entry per header.
// The payload is built only when emit is true and the row is valid.
func (m *Mapper) Map(rowNum int, cells []string, sc *Scratch, emit bool) Result {
	r := Result{Row: rowNum, Product: m.defaultProduct}
	if m.productCol >= 0 && cells[m.productCol] != "" {
		r.Product = cells[m.productCol]
	}
	t, ok := m.set.ForProduct(r.Product)
	var p *plan
	if ok {
		p = m.plans[t]
	}
	if p == nil {
		col := "product"
		if m.productCol >= 0 {
			col = m.header[m.productCol]
		}
		msg := "unknown product; known: " + strings.Join(m.set.ProductIDs(), ", ")
		if ok {
			msg = "product " + r.Product + " cannot be used with this config"
		}
		r.Problems = append(r.Problems, Problem{Row: rowNum, Column: col, Value: r.Product, Message: msg})
		return r
	}
	if cap(sc.vals) < len(p.fields) {
		sc.vals = make([]value, len(p.fields))
		sc.failed = make([]bool, len(p.fields))
	}
	vals, failed := sc.vals[:len(p.fields)], sc.failed[:len(p.fields)]
	now := m.now()
	for i := range p.fields {
		fp := &p.fields[i]
		vals[i].reset()
		failed[i] = false
		if fp.col >= 0 && cells[fp.col] != "" {
			raw := cells[fp.col]
			if msg := parseValue(fp.f, raw, now, &vals[i]); msg != "" {
				failed[i] = true
				r.Problems = append(r.Problems, Problem{Row: rowNum, Column: fp.header, Value: raw, Message: msg})
			}
			continue
		}
		if fp.konst != nil {
			vals[i] = *fp.konst
		} else if fp.def != nil {
			vals[i] = *fp.def
		}
	}
	for i := range p.fields {
		fp := &p.fields[i]
		if vals[i].set || failed[i] {
			continue
		}
		req := fp.f.Required
		if fp.requiredIf >= 0 && vals[fp.requiredIf].set && strings.EqualFold(vals[fp.requiredIf].s, fp.f.RequiredIf.Equals) {
			req = true
		}
		if fp.requiredWith != "" {
			for _, j := range p.withGroups[fp.requiredWith] {
				if vals[j].set {
					req = true
					break
				}
			}
		}
		if fp.replacedBy >= 0 && (vals[fp.replacedBy].set || failed[fp.replacedBy]) {
			req = false
		}
		if req {
			r.Problems = append(r.Problems, missing(rowNum, fp, p.fields))
		}
	}
	for i := range p.fields {
		if rb := p.fields[i].replacedBy; rb >= 0 && vals[i].set && vals[rb].set {
			vals[i].set = false // custom_expiration_date replaces validity_years
		}
	}
	if p.identity >= 0 {
		v := &vals[p.identity]
		if len(v.list) > 0 {
			r.emailRaw = v.list[0]
		} else {
			r.emailRaw = v.s
		}
		r.Email = strings.ToLower(r.emailRaw)
		r.emailColumn = p.fields[p.identity].header
	}
	if p.commonName >= 0 {
		r.CommonName = vals[p.commonName].s
	}
	// Identities use the canonical product: client_premium and
	// client_premium_sha2 are one product for "never order twice".
	product := m.set.Canonical(r.Product)
	if r.Email != "" {
		r.emailIdent = product + "|email:" + r.Email
	}
	r.Identity = r.emailIdent
	if m.keyCol >= 0 {
		r.Key = cells[m.keyCol]
		r.keyColumn = m.keyHeader
		if r.Key == "" {
			r.Problems = append(r.Problems, Problem{Row: rowNum, Column: m.keyHeader, Message: "is empty; it identifies the person across runs (key: in the config)"})
		} else {
			r.keyIdent = product + "|key:" + r.Key
			r.Identity = r.keyIdent
		}
	}
	if emit && len(r.Problems) == 0 {
		r.Payload = p.appendObject(make([]byte, 0, 512), p.root, vals)
	}
	return r
}

func missing(row int, fp *fieldPlan, all []fieldPlan) Problem {
	col := fp.header
	hint := ""
	if col == "" {
		col = fp.f.Path
		if len(fp.f.Headers) > 0 {
			hint = fmt.Sprintf(" (add a %q column, map one under columns:, or set it under order: in the config)", fp.f.Headers[0])
		} else {
			hint = " (set it under order: in the config)"
		}
	}
	msg := "is required" + hint
	if fp.f.RequiredIf != nil {
		msg = fmt.Sprintf("is required when %s is %s%s", fp.f.RequiredIf.Field, fp.f.RequiredIf.Equals, hint)
	} else if fp.requiredWith != "" && !fp.f.Required {
		msg = fmt.Sprintf("is required when any %s field is given%s", fp.requiredWith, hint)
	}
	return Problem{Row: row, Column: col, Message: msg}
}
