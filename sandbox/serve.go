package sandbox

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Start serves a sandbox on a free loopback port in this process, for
// `submit --sandbox` and tests. It returns the base URL (ending in
// /services/v2), the server, and a stop function that closes it at once.
func Start(cfg Config) (baseURL string, s *Server, stop func(), err error) {
	s, err = New(cfg)
	if err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, fmt.Errorf("start sandbox: listen: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln) // returns ErrServerClosed after stop
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			// Connections a client opened but never used count as busy
			// for 5 s in Shutdown; the caller is done, so close them.
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			if srv.Shutdown(ctx) != nil {
				srv.Close()
			}
			<-done
		})
	}
	return baseURLOf(ln), s, stop, nil
}

// baseURLOf is the API root served on a listener.
func baseURLOf(ln net.Listener) string { return "http://" + ln.Addr().String() + "/services/v2" }

// ListenAndServe serves a sandbox on addr until ctx is done, then shuts
// down gracefully (requests in flight get up to 5 s to finish). ready,
// if not nil, is called with the base URL (like
// http://127.0.0.1:8080/services/v2) once the port is open. It returns
// nil after a shutdown, or the error that stopped it.
func ListenAndServe(ctx context.Context, addr string, cfg Config, ready func(baseURL string)) error {
	s, err := New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(baseURLOf(ln))
	}
	select {
	case err := <-errc:
		return fmt.Errorf("sandbox: serve on %s: %w", addr, err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			srv.Close()
		}
		<-errc
		return nil
	}
}
