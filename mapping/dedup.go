package mapping

import (
	"hash/maphash"
	"math/bits"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Deduper finds rows that would order the same person twice: the same
// product and any one email in common (normalized: every spelling of a
// mailbox is one), or the same product and key value. It keeps a 64-bit
// hash and a row number per identity (12 bytes in an open-addressing
// table), not the identities themselves, so memory stays small for
// millions of rows; a false match needs a 64-bit hash collision.
type Deduper struct {
	// Lang is the language of the problems it adds (zero: English).
	Lang l10n.Printer
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
	reported := false
	for _, e := range r.Emails {
		// Every email is recorded, also after a match: this row says its
		// emails are one person, so a later row with any of them is a
		// duplicate too.
		prev, dup := d.see(r.ProductKey+"|email:"+e, r.Row)
		if !dup || reported {
			continue
		}
		reported = true
		msg := d.Lang.Sprintf("duplicate of row %d (same product and email)", prev)
		if e != r.Email {
			msg = d.Lang.Sprintf("duplicate of row %d (same product and email %s)", prev, e)
		}
		r.Problems = append(r.Problems, Problem{Row: r.Row, Column: orDefault(r.emailColumn, "email"), Value: r.emailRaw, Message: msg})
	}
	if r.keyIdent != "" {
		if prev, dup := d.see(r.keyIdent, r.Row); dup {
			r.Problems = append(r.Problems, Problem{Row: r.Row, Column: r.keyColumn, Value: r.Key,
				Message: d.Lang.Sprintf("duplicate of row %d (same product and key)", prev)})
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

// idTable is a hash table from a 64-bit hash (never 0) to a row
// number: 256 open-addressing parts chosen by the hash's top byte, each
// with linear probing, growing by half when 80% full. Growing one part
// at a time keeps the memory briefly held by a grow to 1/256 of the table.
type idTable struct {
	parts [256]idPart
	n     int
}

type idPart struct {
	keys []uint64
	rows []uint32
	n    int
}

func (t *idTable) init(size int) {
	per := max(size/len(t.parts), 8)
	for i := range t.parts {
		t.parts[i].init(per)
	}
	t.n = 0
}

// insert records h with row unless it is there already; then it returns
// the row recorded first.
func (t *idTable) insert(h uint64, row uint32) (uint32, bool) {
	if h == 0 {
		h = 1
	}
	prev, dup := t.parts[h>>56].insert(h, row)
	if !dup {
		t.n++
	}
	return prev, dup
}

// slots returns the table's size in slots.
func (t *idTable) slots() int {
	n := 0
	for i := range t.parts {
		n += len(t.parts[i].keys)
	}
	return n
}

func (p *idPart) init(size int) {
	p.keys, p.rows, p.n = make([]uint64, size), make([]uint32, size), 0
}

// slot maps a hash onto the part, without a power-of-two size, from the
// bits below the top byte (which chose the part).
func (p *idPart) slot(h uint64) int {
	hi, _ := bits.Mul64(h<<8, uint64(len(p.keys)))
	return int(hi)
}

func (p *idPart) insert(h uint64, row uint32) (uint32, bool) {
	for i := p.slot(h); ; i++ {
		if i == len(p.keys) {
			i = 0
		}
		switch p.keys[i] {
		case h:
			return p.rows[i], true
		case 0:
			p.keys[i], p.rows[i] = h, row
			p.n++
			if p.n*5 > len(p.keys)*4 {
				p.grow()
			}
			return 0, false
		}
	}
}

func (p *idPart) grow() {
	keys, rows := p.keys, p.rows
	p.init(len(keys) + len(keys)/2)
	for i, k := range keys {
		if k != 0 {
			p.insert(k, rows[i])
		}
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
