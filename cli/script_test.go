package cli

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/certbatch/certbatch/internal/pgtest"
)

// stopsPostgres runs the tests, then stops the PostgreSQL server the
// shared-journal tests started, if any.
type stopsPostgres struct{ m *testing.M }

func (s stopsPostgres) Run() int {
	defer pgtest.Stop()
	return s.m.Run()
}

func TestMain(m *testing.M) {
	testscript.Main(stopsPostgres{m}, map[string]func(){
		"certbatch": func() { os.Exit(Main(context.Background(), os.Args[1:], System())) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: what a user types
// and what certbatch answers.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
