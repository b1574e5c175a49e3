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
)

func main() {
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
