package certcentral

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/certbatch/certbatch/internal/l10n"
)

// An error names the operation in the run's language, and DigiCert's
// own code and message as DigiCert wrote them.
func TestErrorsNameTheOperationInTheRunsLanguage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"errors":[{"code":"not_found","message":"Order not found."}]}`))
	}))
	defer srv.Close()
	c, _ := newClient(t, srv.URL+"/services/v2", nil)
	_, err := c.GetOrder(context.Background(), 100003)
	if err == nil {
		t.Fatal("GetOrder of a missing order: no error")
	}
	for _, c := range []struct {
		tag       language.Tag
		op, notOp string
	}{
		{language.English, "get order 100003", ""},
		{language.Korean, "주문 100003 조회", "get order"},
		{language.MustParse("zh-TW"), "查詢訂單 100003", "get order"},
	} {
		got := l10n.For(c.tag).Error(err)
		if !strings.HasPrefix(got, c.op+": ") || !strings.Contains(got, "not_found: Order not found.") {
			t.Errorf("%v: %q, want it to start with %q and keep DigiCert's text", c.tag, got, c.op)
		}
		if c.notOp != "" && strings.Contains(got, c.notOp) {
			t.Errorf("%v: %q names the operation in English", c.tag, got)
		}
	}
}
