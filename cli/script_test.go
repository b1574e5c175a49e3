package cli

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"certbatch": func() { os.Exit(Main(context.Background(), os.Args[1:], System())) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: what a user types
// and what certbatch answers.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
