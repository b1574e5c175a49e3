package mapping

import (
	"fmt"
	"hash/maphash"
	"math/bits"
)

// Deduper finds rows that would order the same person twice: the same
// product and primary email (case-insensitive), or the same product and
// key value. It keeps a 64-bit hash and a row number per identity (12
// bytes in an open-addressing table), not the identities themselves, so
// memory stays small for millions of rows; a false match needs a 64-bit
// hash collision.
type Deduper struct {
	seed maphash.Seed
	seen idTable
}

// NewDeduper returns an empty Deduper.
func NewDeduper() *Deduper {
	d := &Deduper{seed: maphash.MakeSeed()}
	d.seen.init(1 << 14)
	return d
}

// Check records r's identities and, when an earlier row had one of them,
// adds a problem naming that row. Rows must be checked in input order.
func (d *Deduper) Check(r *Result) {
	if r.emailIdent != "" {
		if prev, dup := d.see(r.emailIdent, r.Row); dup {
			r.Problems = append(r.Problems, Problem{Row: r.Row, Column: orDefault(r.emailColumn, "email"), Value: r.emailRaw,
				Message: fmt.Sprintf("duplicate of row %d (same product and email)", prev)})
		}
	}
	if r.keyIdent != "" {
		if prev, dup := d.see(r.keyIdent, r.Row); dup {
			r.Problems = append(r.Problems, Problem{Row: r.Row, Column: r.keyColumn, Value: r.Key,
				Message: fmt.Sprintf("duplicate of row %d (same product and key)", prev)})
		}
	}
	if len(r.Problems) > 0 {
		r.Payload = nil
	}
}

func (d *Deduper) see(id string, row int) (int, bool) {
	prev, dup := d.seen.insert(maphash.String(d.seed, id), uint32(row))
	return int(prev), dup
}

// idTable is an open-addressing hash table from a 64-bit hash (never 0)
// to a row number, with linear probing. It grows by half when 80% full.
type idTable struct {
	keys []uint64
	rows []uint32
	n    int
}

func (t *idTable) init(size int) {
	t.keys, t.rows, t.n = make([]uint64, size), make([]uint32, size), 0
}

// slot maps a hash onto the table without a power-of-two size.
func (t *idTable) slot(h uint64) int {
	hi, _ := bits.Mul64(h, uint64(len(t.keys)))
	return int(hi)
}

// insert records h with row unless it is there already; then it returns
// the row recorded first.
func (t *idTable) insert(h uint64, row uint32) (uint32, bool) {
	if h == 0 {
		h = 1
	}
	for i := t.slot(h); ; i++ {
		if i == len(t.keys) {
			i = 0
		}
		switch t.keys[i] {
		case h:
			return t.rows[i], true
		case 0:
			t.keys[i], t.rows[i] = h, row
			t.n++
			if t.n*5 > len(t.keys)*4 {
				t.grow()
			}
			return 0, false
		}
	}
}

func (t *idTable) grow() {
	keys, rows := t.keys, t.rows
	t.init(len(keys) + len(keys)/2)
	for i, k := range keys {
		if k != 0 {
			t.insert(k, rows[i])
		}
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
