package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// listFixture places eight orders: five client_premium_sha2 orders a day
// apart from 2026-11-23 10:00 for a@ (the 1st, 3rd and 5th with
// skip_approval), one client_premium for B@Example.com, a document
// signing order, then one with the clock set back two weeks (a higher ID,
// the oldest date); the clock ends on 2026-11-28 10:00.
func listFixture(t *testing.T, cfg Config) string {
	t.Helper()
	_, base, clk := start(t, cfg)
	for i := range 5 {
		place(t, base, "client_premium_sha2", simpleClient("a@example.com", fmt.Sprintf("A %d", i+1), i%2 == 0))
		clk.add(24 * time.Hour)
	}
	place(t, base, "client_premium", simpleClient("B@Example.com", "B", true)) // 100006, 11-28
	place(t, base, "document_signing_org_1", docSeed(t))
	clk.add(-14 * 24 * time.Hour)
	place(t, base, "client_premium_sha2", simpleClient("old@example.com", "Old", false)) // 100008, 11-14
	clk.add(14 * 24 * time.Hour)                                                         // back to 11-28
	return base
}

func listIDs(t *testing.T, base, q string) (ids []int64, a answer) {
	t.Helper()
	a = call(t, "GET", base+"/order/certificate?"+q, key, "")
	if a.status != 200 {
		t.Fatalf("%s: %d %s", q, a.status, a.raw)
	}
	list, _ := a.body["orders"].([]any)
	for _, o := range list {
		ids = append(ids, num(t, obj(t, o)["id"]))
	}
	return ids, a
}

type listCase struct {
	name, query string
	want        []int64
	total       int64
}

func runListCases(t *testing.T, base string, cases []listCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := call(t, "GET", base+"/order/certificate?"+c.query, key, "")
			if a.status != 200 {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			var ids []int64
			if list, present := a.body["orders"]; present {
				for _, o := range list.([]any) {
					ids = append(ids, num(t, obj(t, o)["id"]))
				}
				if len(ids) == 0 {
					t.Errorf("an empty orders array: %s", a.raw)
				}
			}
			if !slices.Equal(ids, c.want) || num(t, obj(t, a.body["page"])["total"]) != c.total {
				t.Errorf("ids %v total %v, want %v total %d", ids, obj(t, a.body["page"])["total"], c.want, c.total)
			}
		})
	}
}

// The documented filters (today.md §3, digest §5.4), with the sandbox's
// choices where the documentation is silent.
func TestListFilters(t *testing.T) {
	base := listFixture(t, Config{})
	runListCases(t, base, []listCase{
		{"all, by ID", "", []int64{100001, 100002, 100003, 100004, 100005, 100006, 100007, 100008}, 8},
		{"email, exact", "filters[email]=a@example.com", []int64{100001, 100002, 100003, 100004, 100005}, 5},
		{"email is case-sensitive", "filters[email]=A@EXAMPLE.com", nil, 0},
		{"email as stored", "filters[email]=B@Example.com", []int64{100006}, 1},
		{"email stored in another case", "filters[email]=b@example.com", nil, 0},
		{"document signing subject email is not matched", "filters[email]=rene.pierce@yahoo.com", nil, 0},
		{"email and status", "filters[email]=a@example.com&filters[status]=issued", []int64{100001, 100003, 100005}, 3},
		{"status needs_approval", "filters[status]=needs_approval", []int64{100002, 100004, 100008}, 3},
		{"nothing pending", "filters[status]=pending", nil, 0},
		{"product, current ID finds old IDs", "filters[product_name_id]=client_premium", []int64{100001, 100002, 100003, 100004, 100005, 100006, 100008}, 7},
		{"product, old ID finds nothing", "filters[product_name_id]=client_premium_sha2", nil, 0},
		{"product document signing", "filters[product_name_id]=document_signing_org_1", []int64{100007}, 1},
		{"common name exact", "filters[common_name]=A%203", []int64{100003}, 1},
		{"common name not a prefix", "filters[common_name]=A", nil, 0},
		{"common name is case sensitive", "filters[common_name]=a%203", nil, 0},
		{"document signing common name is the organization", "filters[common_name]=Example%20Signing%20Ltd", []int64{100007}, 1},
		{"domain name is the common name", "filters[domain_name]=A%203", []int64{100003}, 1},
		{"search exact email", "filters[search]=old@example.com", []int64{100008}, 1},
		{"search exact common name", "filters[search]=B", []int64{100006}, 1},
		{"search contains common name", "filters[search]=%25A%20", []int64{100001, 100002, 100003, 100004, 100005}, 5},
		{"search contains email, case-sensitive", "filters[search]=%25example.com", []int64{100001, 100002, 100003, 100004, 100005, 100008}, 6},
		{"organization", "filters[organization_id]=334455", []int64{100007}, 1},
		{"container", "filters[container_id]=221122", []int64{100007}, 1},
		{"certificate id", "filters[certificate_id]=900002", []int64{100003}, 1},
		{"serial number", "filters[serial_number]=d1c0000000dbba2", []int64{100003}, 1},
		{"valid till", "filters[valid_till]=<2027-11-25", []int64{100001}, 1},
		{"not renewed", "filters[is_renewed]=0&filters[email]=a@example.com", []int64{100001, 100002, 100003, 100004, 100005}, 5},
		{"renewed", "filters[is_renewed]=1", nil, 0},
		{"origin", "filters[origin]=migrated", nil, 0},
		{"user", "filters[user_id]=7001&limit=1", []int64{100001}, 8},
		{"date after a day", "filters[date_created]=>2026-11-26", []int64{100005, 100006, 100007}, 3},
		{"date before a day", "filters[date_created]=<2026-11-24", []int64{100001, 100008}, 2},
		{"date range of days", "filters[date_created]=2026-11-24...2026-11-25", []int64{100002, 100003}, 2},
		{"one day", "filters[date_created]=2026-11-14", []int64{100008}, 1},
		{"date and time, unescaped plus", "filters[date_created]=>2026-11-27+10:00:00", []int64{100006, 100007}, 2},
		{"date and time, escaped plus", "filters[date_created]=>2026-11-27%2B09:59:59", []int64{100005, 100006, 100007}, 3},
		{"sort by date", "sort=date_created", []int64{100008, 100001, 100002, 100003, 100004, 100005, 100006, 100007}, 8},
		{"sort by date, newest first", "sort=-date_created&limit=3", []int64{100006, 100007, 100005}, 8},
		{"sort by order_id descending", "sort=-order_id&limit=2", []int64{100008, 100007}, 8},
		{"two sort keys", "sort=-date_created,order_id&limit=2", []int64{100006, 100007}, 8},
		{"limit and offset", "filters[email]=a@example.com&limit=2&offset=3", []int64{100004, 100005}, 5},
		{"offset past the end", "limit=2&offset=8", nil, 8},
	})
	t.Run("empty list: no orders key", func(t *testing.T) {
		_, a := listIDs(t, base, "filters[status]=pending&limit=5&offset=0")
		if strings.Contains(a.raw, "orders") || a.raw != `{"page":{"limit":5,"offset":0,"total":0}}`+"\n" {
			t.Errorf("%s", a.raw)
		}
	})
	t.Run("page reports limit and offset", func(t *testing.T) {
		for _, c := range []struct {
			q             string
			limit, offset int64
		}{{"", 1000, 0}, {"limit=5000", 1000, 0}, {"limit=3&offset=3", 3, 3}, {"offset=4", 1000, 4}} {
			if _, a := listIDs(t, base, c.q); num(t, obj(t, a.body["page"])["limit"]) != c.limit || num(t, obj(t, a.body["page"])["offset"]) != c.offset {
				t.Errorf("%q: page %v, want limit %d offset %d", c.q, a.body["page"], c.limit, c.offset)
			}
		}
	})
	t.Run("item shape: no emails, no requests, current product ID", func(t *testing.T) {
		_, a := listIDs(t, base, "filters[id]=100003")
		o := obj(t, a.body["orders"].([]any)[0])
		cert := obj(t, o["certificate"])
		prod := obj(t, o["product"])
		if num(t, cert["id"]) != 900002 || cert["common_name"] != "A 3" || o["status"] != "issued" || o["date_created"] != "2026-11-25T10:00:00+00:00" ||
			prod["name_id"] != "client_premium" || prod["name"] != "Premium" || prod["type"] != "client_certificate" || o["product_name_id"] != "client_premium" ||
			obj(t, o["organization"])["name"] != "Example Corp" || num(t, o["validity_years"]) != 1 {
			t.Errorf("%s", a.raw)
		}
		if _, has := cert["emails"]; has || o["requests"] != nil || o["emails"] != nil {
			t.Errorf("emails or requests in a list item: %s", a.raw)
		}
	})
	t.Run("order info keeps emails, with the current product ID", func(t *testing.T) {
		a := call(t, "GET", orderURL(base, 100003), key, "")
		if fmt.Sprint(obj(t, a.body["certificate"])["emails"]) != "[a@example.com]" || obj(t, a.body["product"])["name_id"] != "client_premium" {
			t.Errorf("%s", a.raw)
		}
	})
}

// Undocumented forms are refused while the filters are strict (the
// default): the client must not depend on them (today.md §3).
func TestListRefusesUndocumentedForms(t *testing.T) {
	base := listFixture(t, Config{})
	for _, c := range []struct{ query, code string }{
		{"filters[date_created]=>=2026-11-26", "invalid_value:filters[date_created]"},
		{"filters[date_created]=<=2026-11-24", "invalid_value:filters[date_created]"},
		{"filters[date_created]=>2026-11-27T10:00:00Z", "invalid_value:filters[date_created]"},
		{"filters[date_created]=2026-11-24T10:00:00Z...2026-11-25T10:00:00Z", "invalid_value:filters[date_created]"},
		{"filters%5Bemail%5D=a@example.com", "invalid_value:filters[email]"},
		{"filters%5bemail]=a@example.com", "invalid_value:filters[email]"},
		{"filters[colour]=blue", "invalid_value:filters[colour]"},
		{"filter[email]=a@example.com", "invalid_value:filter[email]"},
		{"page=2", "invalid_value:page"},
		{"sort=id", "invalid_value:sort"},
		{"sort=common_name", "invalid_value:sort"},
		{"sort=date_created,-bogus", "invalid_value:sort"},
		{"limit=abc", "invalid_value:limit"},
		{"limit=0", "invalid_value:limit"},
		{"limit=-1", "invalid_value:limit"},
		{"offset=-1", "invalid_value:offset"},
		{"filters[date_created]=yesterday", "invalid_value:filters[date_created]"},
		{"filters[date_created]=2026-13-01", "invalid_value:filters[date_created]"},
		{"filters[date_created]=2026-11-01...", "invalid_value:filters[date_created]"},
		{"filters[is_renewed]=yes", "invalid_value:filters[is_renewed]"},
		{"filters[origin]=elsewhere", "invalid_value:filters[origin]"},
	} {
		t.Run(c.query, func(t *testing.T) {
			a := call(t, "GET", base+"/order/certificate?"+c.query, key, "")
			if a.status != 400 || !slices.Equal(codes(t, a), []string{c.code}) {
				t.Errorf("%d %s, want 400 %s", a.status, a.raw, c.code)
			}
		})
	}
}

// LenientFilters accepts what strict refuses.
func TestListLenientFilters(t *testing.T) {
	base := listFixture(t, Config{LenientFilters: true})
	runListCases(t, base, []listCase{
		{"on or after a day", "filters[date_created]=>=2026-11-26", []int64{100004, 100005, 100006, 100007}, 4},
		{"up to a day", "filters[date_created]=<=2026-11-24", []int64{100001, 100002, 100008}, 3},
		{"RFC 3339, unescaped plus", "filters[date_created]=>=2026-11-27T10:00:00+00:00", []int64{100005, 100006, 100007}, 3},
		{"RFC 3339 in another zone", "filters[date_created]=>=2026-11-27T19:00:00%2B09:00", []int64{100005, 100006, 100007}, 3},
		{"RFC 3339 range", "filters[date_created]=2026-11-24T10:00:00Z...2026-11-25T10:00:00Z", []int64{100002, 100003}, 2},
		{"encoded brackets decoded", "filters%5Bemail%5D=old@example.com", []int64{100008}, 1},
		{"unknown filters ignored", "filters[colour]=blue&filters[email]=old@example.com", []int64{100008}, 1},
		{"sort by id descending", "sort=-id&limit=2", []int64{100008, 100007}, 8},
		{"unknown sort keys ignored", "sort=bogus,-id&limit=1", []int64{100008}, 8},
		{"page", "filters[email]=a@example.com&limit=2&page=3", []int64{100005}, 5},
		{"offset wins over page", "limit=2&page=3&offset=1", []int64{100002, 100003}, 8},
	})
}
