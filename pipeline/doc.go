// Package pipeline runs certbatch's batch commands: the dry run
// ([Validate]) and submission ([Submit]).
//
// Every run has the same skeleton. One goroutine streams rows from the
// input; a pool maps and validates them in parallel, in batches; results
// come back in input order through a queue of per-batch channels (the
// shape of restic's ordered dump and gofmt's sequencer), where the
// duplicate check runs, because it depends on order. Submission adds an
// errgroup of workers, limited to the configured concurrency, behind the
// shared rate limiter, and a journal entry before every request. One
// writer goroutine owns the results file, the journal's row records and
// the progress display, and writes rows in input order whatever order
// responses arrive in.
//
// Per-row failures are data (a row's outcome and error); only run-fatal
// errors (authentication, the journal, the results file, cancellation)
// end a run early, and even then every row gets a result.
package pipeline
