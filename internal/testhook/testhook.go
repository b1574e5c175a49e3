//go:build !certbatch_testhooks

// Package testhook marks the steps of a run where end-to-end tests stop
// a certbatch process to kill it (kill -9 between storing a key and
// recording the intent, between writing a password and its PKCS #12,
// ...), so those tests wait for an event instead of sleeping.
//
// In a normal build [Reach] does nothing. A binary built with the tag
// certbatch_testhooks (the tests' binary, cli/process_test.go) reads
// CERTBATCH_TESTHOOK=STEP:N: the Nth time the process reaches STEP it
// writes the step's name to file descriptor 3 and blocks forever, for
// the test to kill it.
package testhook

// Reach marks that the run reached step. It does nothing in a normal build.
func Reach(step string) {}
