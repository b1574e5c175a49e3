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
			if got := detectEncoding(c.data); len(got) != 1 || got[0] != c.want {
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
		if got := implausible(c.s, famOther) != ""; got != c.want {
			t.Errorf("implausible(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// oneLiners are staff lists of one row (the case: a header and
// one person), in the languages whose legacy code pages Excel writes.
var oneLiners = []struct {
	enc, want, header string // WHATWG name; the --encoding named; a header in the language
	names             []string
}{
	{"euc-kr", "cp949", "이름,이메일", []string{"김민준", "이서연", "박지훈", "최수아", "정예준", "남궁민", "김빛나"}},
	{"shift_jis", "shift_jis", "氏名,メール", []string{"山田太郎", "佐藤花子", "伊藤さくら", "ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"}},
	{"big5", "big5", "姓名,電子郵件", []string{"陳美玲", "林志明", "張惠妹", "劉德華", "翁倩玉"}},
	{"gbk", "gbk", "姓名,电子邮件", []string{"张伟", "王秀英", "李娜", "陈静", "周杰伦"}},
	{"windows-874", "windows-874", "ชื่อ,อีเมล", []string{"สมชาย ใจดี", "ประยุทธ์ จันทร์", "ณัฐวุฒิ ศรีสุข"}},
}

// The hint names the right encoding for a one-row file, with an English
// or a native header; the file then reads back as it was written.
func TestOneLineEncodingHints(t *testing.T) {
	for _, l := range oneLiners {
		e, _ := htmlindex.Get(l.enc)
		want := l.want
		for _, name := range l.names {
			for _, head := range []string{"Name,Email", l.header} {
				text := head + "\n" + name + ",person@example.com\n"
				data := encode(t, e, text)
				r, err := NewCSV(strings.NewReader(string(data)), "staff.csv", Options{})
				for err == nil {
					_, err = r.Next()
				}
				if err == io.EOF || !strings.Contains(err.Error(), "the file looks like "+want+": pass --encoding "+want) {
					t.Errorf("%s %q: err = %v", l.enc, name, err)
				}
				r, err = NewCSV(strings.NewReader(string(data)), "staff.csv", Options{Encoding: want})
				if err != nil {
					t.Fatalf("%s %q: %v", l.enc, name, err)
				}
				if rows := readAll(t, r); len(rows) != 1 || rows[0].Cells[0] != name {
					t.Errorf("%s %q: read %+v", l.enc, name, rows)
				}
			}
		}
	}
}

// A decoding whose text is implausible is refused whatever the script:
// Korean read as GBK or EUC-JP is common Han characters, read as
// windows-874 Thai letters; each names the encoding that reads better.
func TestWrongEncodingOfOneLinerRefused(t *testing.T) {
	others := []string{"cp949", "big5", "gbk", "shift_jis", "euc-jp", "windows-874", "windows-1252"}
	for _, l := range oneLiners {
		e, _ := htmlindex.Get(l.enc)
		want := l.want
		for _, name := range l.names {
			data := encode(t, e, "Name,Email\n"+name+",person@example.com\n")
			for _, wrong := range others {
				if wrong == want {
					continue
				}
				r, err := NewCSV(strings.NewReader(string(data)), "staff.csv", Options{Encoding: wrong})
				for err == nil {
					_, err = r.Next()
				}
				if err == io.EOF {
					t.Errorf("%s %q read as %s: accepted", l.enc, name, wrong)
				} else if !strings.Contains(err.Error(), "staff.csv: row 2, column 1") {
					t.Errorf("%s %q read as %s: %v", l.enc, name, wrong, err)
				}
			}
		}
	}
	// The cases, with their messages.
	kor := encode(t, korean.EUCKR, "Name,Email\n김민준,minjun@example.com\n")
	for _, c := range []struct{ enc, want string }{
		{"gbk", `"辫刮霖" does not read as gbk text: the file reads more plausibly as cp949 ("김민준"): try --encoding cp949`},
		{"euc-jp", `does not read as euc-jp text: the file reads more plausibly as cp949 ("김민준")`},
		{"windows-874", `does not read as windows-874 text: the file reads more plausibly as cp949 ("김민준")`},
	} {
		r, err := NewCSV(strings.NewReader(string(kor)), "staff.csv", Options{Encoding: c.enc})
		for err == nil {
			_, err = r.Next()
		}
		if err == io.EOF || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--encoding %s: %v", c.enc, err)
		}
	}
	// Text that reads as well in two encodings: refused, naming both.
	gbk, _ := htmlindex.Get("gbk")
	both := encode(t, gbk, "Name,Email\n郭敬明,jingming@example.com\n")
	r, err := NewCSV(strings.NewReader(string(both)), "staff.csv", Options{})
	for err == nil {
		_, err = r.Next()
	}
	if err == io.EOF || !strings.Contains(err.Error(), "the file looks like big5 (or gbk): pass --encoding big5 (or gbk)") {
		t.Errorf("hint for an ambiguous file: %v", err)
	}
	r, err = NewCSV(strings.NewReader(string(both)), "staff.csv", Options{Encoding: "gbk"})
	for err == nil {
		_, err = r.Next()
	}
	if err == io.EOF || !strings.Contains(err.Error(), `"郭敬明" reads as plausibly in big5 ("廖噹隴") as in gbk: which one the file is cannot be told from its text; save it as "CSV UTF-8"`) {
		t.Errorf("ambiguous: %v", err)
	}
}
