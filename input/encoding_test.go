package input

import (
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/traditionalchinese"
)

func TestDetectEncodingInErrors(t *testing.T) {
	cp1252, _ := htmlindex.Get("windows-1252")
	latin := "Name,Email,City\nFrançois Müller,f@example.com,Genève\nZoë Ünal,z@example.com,Zürich\nJosé Núñez,j@example.com,Málaga\n"
	kor := "이름,Email,부서\n김민준,minjun@example.com,개발팀\n이서연,seoyeon@example.com,인사팀\n박지훈,jihoon@example.com,영업팀\n"
	chi := "姓名,Email,部門\n陳美玲,meiling@example.com,研發部\n林志明,zhiming@example.com,財務部\n王大同,datong@example.com,業務部\n"
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"windows-1252", encode(t, cp1252, latin), "windows-1252"},
		{"euc-kr", encode(t, korean.EUCKR, kor), "cp949"},
		{"big5", encode(t, traditionalchinese.Big5, chi), "big5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := detectEncoding(c.data); got != c.want {
				t.Errorf("detectEncoding = %q, want %q", got, c.want)
			}
			r, err := NewCSV(strings.NewReader(string(c.data)), "staff.csv", Options{})
			for err == nil {
				_, err = r.Next()
			}
			if err == io.EOF || !strings.Contains(err.Error(), "not valid UTF-8; the file looks like "+c.want+": pass --encoding "+c.want) {
				t.Errorf("err = %v", err)
			}
			// And with the suggested encoding, the text comes back.
			r, err = NewCSV(strings.NewReader(string(c.data)), "staff.csv", Options{Encoding: c.want})
			if err != nil {
				t.Fatal(err)
			}
			if rows := readAll(t, r); len(rows) != 3 {
				t.Errorf("%d rows", len(rows))
			}
		})
	}
}

// A windows-1252 file read as Big5 decodes without errors into
// François -> Fran蔞is: refused, naming the cell and the likely encoding.
func TestImplausibleDecodingIsRefused(t *testing.T) {
	cp1252, _ := htmlindex.Get("windows-1252")
	data := encode(t, cp1252, "Name,Email\nAna Lima,a@example.com\nFrançois Müller,f@example.com\nZoë Ünal,z@example.com\n")
	for _, c := range []struct{ enc, want string }{
		{"big5", `row 3, column 1: "Fran蔞is M悤ler" does not read as big5 text (a word mixes Latin letters with Han characters)`},
		// Some of the bytes are not CP949 at all.
		{"cp949", "row 3, column 1: the bytes are not valid cp949 text"},
	} {
		r, err := NewCSV(strings.NewReader(string(data)), "staff.csv", Options{Encoding: c.enc})
		for err == nil {
			_, err = r.Next()
		}
		if err == io.EOF || !strings.Contains(err.Error(), "read staff.csv: "+c.want) || !strings.Contains(err.Error(), "the file looks like windows-1252: try --encoding windows-1252") {
			t.Errorf("%s: err = %v", c.enc, err)
		}
	}
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"Fran蔞is", true}, {"M悤ler", true}, {"Franзois", true}, {"ﾜnal", true},
		{"François Müller", false}, {"Tシャツ", false}, {"B型", false}, {"iPhone用", false}, {"김민준 Kim", false}, {"陳美玲", false}, {"Ελλάδα", false},
	} {
		if got := mixedScript(c.s) != ""; got != c.want {
			t.Errorf("mixedScript(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
