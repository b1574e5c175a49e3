package templates

import (
	"reflect"
	"testing"
)

func TestExamples(t *testing.T) {
	s, _ := Builtin()
	doc, _ := s.ForProduct("document_signing_org_1")
	want := map[string]string{"certificate.signature_hash": "sha256", "cs_provisioning_method": "ship_token", "order_validity.years": "2",
		"organization.id": "334455", "subject.name": "Jane Example", "subject.job_title": "Example Title",
		"subject.phone": "000-0000-0000", "subject.email": "jane.example@example.com"}
	if got := doc.Examples(); !reflect.DeepEqual(got, want) {
		t.Errorf("examples %v, want %v", got, want)
	}
}

func TestIsExampleRow(t *testing.T) {
	s, _ := Builtin()
	client, _ := s.ForProduct("client_premium")
	doc, _ := s.ForProduct("document_signing_org_1")
	for _, c := range []struct {
		name string
		tpl  *Template
		row  map[string]string
		want bool
	}{
		{"the example as it is", client, client.Examples(), true},
		{"the example's email alone", client, map[string]string{"certificate.emails": " Jane.Example@Example.com "}, true},
		{"the example's email first of several", client, map[string]string{"certificate.emails": "jane.example@example.com; a@corp.kr"}, true},
		{"the example with a new email", client, map[string]string{"certificate.common_name": "Jane Example", "certificate.individual.first_name": "jane",
			"certificate.individual.last_name": "Example", "certificate.emails": "lc@corp.kr"}, true},
		{"the example's name with a real department", client, map[string]string{"certificate.common_name": "Jane Example", "certificate.organization_units": "Sales",
			"certificate.emails": "lc@corp.kr"}, false},
		{"the example's names, no email", client, map[string]string{"certificate.common_name": "Jane Example", "certificate.individual.last_name": "Example"}, true},
		{"a real row", client, map[string]string{"certificate.common_name": "홍길동", "certificate.emails": "gd.hong@corp.kr", "certificate.organization_units": "Example Department"}, false},
		{"one distinctive value", client, map[string]string{"certificate.organization_units": "Example Department"}, false},
		{"only list and number examples", client, map[string]string{"certificate.signature_hash": "sha256", "validity_years": "1", "organization.id": "112233"}, false},
		{"another email in the example's list", client, map[string]string{"certificate.emails": "a@corp.kr;jane.example@example.com"}, false},
		{"empty cells", client, map[string]string{"certificate.common_name": " ", "certificate.emails": ""}, false},
		{"document signing example", doc, doc.Examples(), true},
		{"a real signer with the example's title", doc, map[string]string{"subject.name": "陳大文", "subject.job_title": "Example Title",
			"subject.email": "tw.chen@corp.tw", "subject.phone": "02-1234-5678"}, false},
		{"the example's signer with a new email", doc, map[string]string{"subject.name": "Jane Example", "subject.job_title": "example title",
			"subject.phone": "000-0000-0000", "subject.email": "rp@corp.tw"}, true},
		{"the example's signer, no email", doc, map[string]string{"subject.name": "Jane Example", "subject.job_title": "example title",
			"subject.phone": "000-0000-0000"}, true},
	} {
		if got := c.tpl.IsExampleRow(c.row); got != c.want {
			t.Errorf("%s: IsExampleRow = %v, want %v", c.name, got, c.want)
		}
	}
}
