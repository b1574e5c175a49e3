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

// memoryLimit is the Go heap's soft limit unless GOMEMLIMIT says
// otherwise: certbatch streams, so most of what it allocates is
// short-lived, and collecting it before the heap doubles keeps the
// process small on million-row files (BENCHMARKS.md).
const memoryLimit = 64 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
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
