// Command certbatch bulk-orders DigiCert CertCentral certificates from a
// CSV or Excel file. See the README or `certbatch --help`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/certbatch/certbatch/cli"
)

// memoryBudget is the heap certbatch lets itself use before it collects
// garbage, unless GOGC or GOMEMLIMIT say otherwise. certbatch streams:
// almost everything it allocates is short-lived, and the one thing that
// grows with the input, the duplicate index (12 bytes per identity),
// fits the budget up to about two million rows. A fixed budget keeps the
// process the same size for ten thousand rows or a million
// (BENCHMARKS.md); past the budget the collector runs more often.
const memoryBudget = 64 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" && os.Getenv("GOGC") == "" {
		debug.SetMemoryLimit(memoryBudget)
		debug.SetGCPercent(-1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		fmt.Fprintln(os.Stderr, "certbatch: interrupted: no new requests; finishing those in flight and writing results (Ctrl-C again quits at once)")
		cancel()
		<-sigs
		os.Exit(cli.ExitInterrupted)
	}()
	code := cli.Main(ctx, os.Args[1:], cli.System())
	cancel()
	os.Exit(code)
}
