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
	// The first Ctrl-C (or SIGTERM) stops sending; any later one stops
	// waiting for the requests in flight. Neither quits before the
	// results are written: GNU timeout and cron send SIGTERM more than
	// once, and a run that quits then loses what it did.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	hurry := make(chan struct{})
	go func() {
		<-sigs
		// Said once done, so what reads stderr (a test, a wrapper) knows
		// that no new request starts from here.
		cancel()
		fmt.Fprintln(os.Stderr, "certbatch: interrupted: no new requests; finishing those in flight and writing results (Ctrl-C again stops waiting for them)")
		<-sigs
		fmt.Fprintln(os.Stderr, "certbatch: interrupted again: not waiting for answers in flight (they are checked at DigiCert by the next run); writing results")
		close(hurry)
		for range sigs {
			fmt.Fprintln(os.Stderr, "certbatch: still writing results; kill -9 would lose them")
		}
	}()
	sio := cli.System()
	sio.Hurry = hurry
	code := cli.Main(ctx, os.Args[1:], sio)
	cancel()
	os.Exit(code)
}
