package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Run runs certbatch as the process: the real environment, and the
// signals that stop a run. It returns the exit code.
//
// The first Ctrl-C, SIGTERM or SIGHUP (an SSH session closing; not
// when the process was started with SIGHUP ignored, as nohup does), or
// the first write to a closed output pipe (`| head` gone), stops
// sending; any later one stops waiting for the requests in flight.
// None of them quits before the results are written: GNU timeout and
// cron send SIGTERM more than once, and a run that quits then loses
// what it did.
//
// A closed pipe is noticed by its write error (EPIPE) on stdout or
// stderr, with SIGPIPE ignored, rather than by the signal: the kernel
// also raises SIGPIPE for a network connection the server closed, and
// that must not stop a run (the request is retried or reconciled).
func Run(args []string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sio := withLang(System(), args)
	stops := make(chan stopReason, 8)
	signal.Ignore(syscall.SIGPIPE)
	sigs := make(chan os.Signal, 8)
	notify := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		notify = append(notify, syscall.SIGHUP)
	}
	signal.Notify(sigs, notify...)
	go func() {
		for s := range sigs {
			stops <- stopReason(signalName(s))
		}
	}()
	pipe := &pipeWatch{stops: stops}
	sio.Out = pipe.wrap(sio.Out)
	diag := newDiagWriter(pipe.wrap(sio.Err))
	sio.Err = diag
	hurry := make(chan struct{})
	sio.Hurry = hurry
	go handleStops(sio.P, stops, diag, cancel, hurry)
	return Main(ctx, args, sio)
}

// stopReason is why a run is asked to stop, as a person reads it.
type stopReason string

// signalName names a signal for the message that says the run stops.
func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "interrupted"
	case syscall.SIGTERM:
		return "terminated (SIGTERM)"
	case syscall.SIGHUP:
		return "hangup (SIGHUP: the terminal or SSH session closed)"
	}
	return s.String()
}

// handleStops turns stop requests into the run's two steps: the first
// cancels ctx (no new requests), the second closes hurry (stop waiting
// for answers); later ones only say the results are being written.
func handleStops(p func() l10n.Printer, stops <-chan stopReason, w io.Writer, cancel context.CancelFunc, hurry chan<- struct{}) {
	why := <-stops
	// Said once done, so what reads stderr (a test, a wrapper) knows that
	// no new request starts from here.
	cancel()
	p().Fprintf(w, "certbatch: %s: no new requests; finishing those in flight and writing results (a second Ctrl-C or signal stops waiting for them)\n", l10n.Term(why))
	why = <-stops
	p().Fprintf(w, "certbatch: %s again: not waiting for answers in flight (they are checked at DigiCert by the next run); writing results\n", l10n.Term(why))
	close(hurry)
	for range stops {
		p().Fprintf(w, "certbatch: still writing results; kill -9 would lose them\n")
	}
}

// pipeWatch notices a closed output pipe: the first write to stdout or
// stderr that fails with EPIPE asks the run to stop, once.
type pipeWatch struct {
	stops chan<- stopReason
	once  sync.Once
}

// wrap returns w with its EPIPE errors reported.
func (p *pipeWatch) wrap(w io.Writer) io.Writer { return epipeWriter{w: w, p: p} }

type epipeWriter struct {
	w io.Writer
	p *pipeWatch
}

func (e epipeWriter) Write(b []byte) (int, error) {
	n, err := e.w.Write(b)
	if errors.Is(err, syscall.EPIPE) {
		e.p.once.Do(func() {
			select {
			case e.p.stops <- stopReason("output closed (broken pipe)"):
			default:
			}
		})
	}
	return n, err
}
