// Command certbatch bulk-orders DigiCert CertCentral certificates from a
// CSV or Excel file. See the README or `certbatch --help`.
package main

import (
	"os"

	"github.com/certbatch/certbatch/cli"
	"github.com/certbatch/certbatch/internal/membudget"
)

// memoryBudget is the heap certbatch lets itself use before collecting
// garbage (internal/membudget; BENCHMARKS.md): the process stays the
// same size from ten thousand rows to a million.
const memoryBudget = 64 << 20

// main wires the process to cli.Run, which handles the signals that stop
// a run (results are always written) and returns the exit code.
func main() {
	membudget.Start(memoryBudget)
	os.Exit(cli.Run(os.Args[1:]))
}
