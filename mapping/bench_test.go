package mapping

import (
	"strconv"
	"testing"
)

func benchRow(i int) []string {
	return []string{"E" + strconv.Itoa(i), "Zoë Ünal " + strconv.Itoa(i), "user" + strconv.Itoa(i) + "@example.com", "R&D; Ops", "1", "", "Zoë", "Ünal"}
}

var benchHeader = []string{"Employee ID", "Full Name", "Email", "Department", "Validity Years", "CSR", "First Name", "Last Name"}

const benchConfig = `product: client_premium_sha2
key: Employee ID
order: {organization: {id: 112233}, skip_approval: true, payment_method: balance}
columns: {certificate.common_name: Full Name, certificate.emails: Email, certificate.organization_units: Department}
`

func benchMapper(b *testing.B) *Mapper {
	cfg, _ := ParseConfig([]byte(benchConfig))
	m, err := Compile(cfg, benchHeader, builtin(b), Options{Now: fixedNow})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkMap is per-row mapping and validation as validate does it.
func BenchmarkMap(b *testing.B) {
	m := benchMapper(b)
	rows := make([][]string, 1024)
	for i := range rows {
		rows[i] = benchRow(i)
	}
	var sc Scratch
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := m.Map(i+2, rows[i%len(rows)], &sc, false)
		if !r.Valid() {
			b.Fatal(r.Problems)
		}
		i++
	}
}

// BenchmarkMapEmit adds building the order body (submit, --payloads).
func BenchmarkMapEmit(b *testing.B) {
	m := benchMapper(b)
	row := benchRow(7)
	var sc Scratch
	b.ReportAllocs()
	for b.Loop() {
		if r := m.Map(2, row, &sc, true); len(r.Payload) == 0 {
			b.Fatal("no payload")
		}
	}
}

// BenchmarkMapCSR validates a row with an RSA 2048 CSR (parse, signature, key).
func BenchmarkMapCSR(b *testing.B) {
	m := benchMapper(b)
	row := benchRow(7)
	row[5] = testCSRs(b)["rsa2048"]
	var sc Scratch
	b.ReportAllocs()
	for b.Loop() {
		if r := m.Map(2, row, &sc, true); !r.Valid() {
			b.Fatal(r.Problems)
		}
	}
}

// BenchmarkDedup is the duplicate check per row.
func BenchmarkDedup(b *testing.B) {
	m := benchMapper(b)
	var sc Scratch
	rs := make([]Result, 4096)
	for i := range rs {
		rs[i] = m.Map(i+2, benchRow(i), &sc, false)
	}
	b.ReportAllocs()
	d := NewDeduper()
	i := 0
	one := []string{""}
	for b.Loop() {
		r := rs[i%len(rs)]
		r.Key = "E" + strconv.Itoa(i)
		one[0] = r.Key + "@example.com"
		r.Email, r.Emails = one[0], one
		r.keyIdent = "p|key:" + r.Key
		d.Check(&r)
		i++
	}
}
