package pipeline

import (
	"strings"
	"testing"

	"github.com/certbatch/certbatch/internal/l10n"
)

func TestCertFileName(t *testing.T) {
	for _, tc := range []struct {
		row       int
		who, want string
	}{
		{7, "jane.doe@example.com", "row-0007_jane.doe@example.com.pem"},
		{12345, "E1001", "row-12345_E1001.pem"},
		{2, "../../etc/passwd", "row-0002_etc_passwd.pem"},
		{3, ".hidden", "row-0003_hidden.pem"},
		{4, "a/b\\c d:e", "row-0004_a_b_c_d_e.pem"},
		{5, "", "row-0005.pem"},
		{6, "김민준@example.kr", "row-0006_@example.kr.pem"},
		{8, "...", "row-0008.pem"},
	} {
		if got := CertFileName(tc.row, tc.who, "pem"); got != tc.want {
			t.Errorf("CertFileName(%d, %q) = %q, want %q", tc.row, tc.who, got, tc.want)
		}
	}
	long := CertFileName(9, strings.Repeat("x", 500)+"@example.com", "p7b")
	if len(long) > 100 || strings.ContainsAny(long, `/\`) || !strings.HasSuffix(long, ".p7b") {
		t.Errorf("long name %q", long)
	}
}

func TestNoteDownloaded(t *testing.T) {
	for in, want := range map[string]string{
		"":                                      "downloaded: f.pem",
		"recovered: found":                      "recovered: found; downloaded: f.pem",
		"recovered: found; downloaded: old.pem": "recovered: found; downloaded: f.pem",
		"downloaded: old.pem":                   "downloaded: f.pem",
		"a; b; downloaded: old.pem; downloaded: x": "a; b; downloaded: f.pem",
	} {
		if got := noteDownloaded(l10n.Printer{}, in, "f.pem"); got != want {
			t.Errorf("noteDownloaded(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRowList(t *testing.T) {
	for _, tc := range []struct {
		rows []int
		want string
	}{
		{[]int{7}, "row 7"},
		{[]int{2, 3, 4, 7}, "rows 2-4, 7"},
		{[]int{2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}, "rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, ... (12 rows)"},
	} {
		if got := RowList(l10n.Printer{}, tc.rows); got != tc.want {
			t.Errorf("RowList(l10n.Printer{}, %v) = %q, want %q", tc.rows, got, tc.want)
		}
	}
}
