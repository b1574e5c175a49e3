// Command certbatch bulk-orders DigiCert CertCentral certificates from a
// CSV or Excel file. See the README or `certbatch --help`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/certbatch/certbatch/cli"
	"github.com/certbatch/certbatch/internal/membudget"
)

// memoryBudget is the heap certbatch lets itself use before collecting
// garbage (internal/membudget; BENCHMARKS.md): the process stays the
// same size from ten thousand rows to a million.
const memoryBudget = 64 << 20

func main() {
	membudget.Start(memoryBudget)
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
