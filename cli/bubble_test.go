package cli

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/certbatch/certbatch/internal/pipenet"
	"github.com/certbatch/certbatch/sandbox"
)

// Tests whose subject is time (rate limits, --wait, issuance delays,
// backoffs) run certbatch in a testing/synctest bubble: the clock is
// fake and moves only when every goroutine of the run (certbatch, its
// HTTP transport, the sandbox) is blocked, so what they assert holds
// however fast or loaded the machine is. A bubble forbids real network
// I/O, so the sandbox is served over in-memory connections
// (internal/pipenet), with net/http's own client transport and server on
// either side, given to certbatch through IO.Transport.

// pipeBase is the base URL certbatch is given in a bubble: a loopback
// host (plain http is allowed only for those); the in-memory network
// carries every request, whatever the address.
const pipeBase = "http://127.0.0.1/services/v2"

// serveInBubble serves h over in-memory connections and returns the
// transport that reaches it. Called inside the bubble; a cleanup (which
// runs inside the bubble too) stops both sides, so the bubble ends with
// no goroutine left.
func serveInBubble(t *testing.T, h http.Handler) http.RoundTripper {
	t.Helper()
	tr, stop := pipenet.Serve(h)
	t.Cleanup(stop)
	return tr
}

// newBubbleEnv is newEnv for a synctest bubble: the same files, a
// sandbox on the bubble's clock, served over in-memory connections.
// Commands run through e.run (and e.submit, e.cmd) use that transport.
func newBubbleEnv(t *testing.T, rows int, cfg sandbox.Config) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir()}
	e.input = writeCSV(t, filepath.Join(e.dir, "staff.csv"), staff(rows, 1))
	e.config = writeFile(t, filepath.Join(e.dir, "batch.yaml"), clientConfigYAML)
	e.state = filepath.Join(e.dir, "certbatch.db")
	if cfg.APIKey == "" {
		cfg.APIKey = testKey
	}
	if cfg.Windows == nil {
		cfg.Windows = []sandbox.Window{}
	}
	s, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.sb, e.base, e.tr = s, pipeBase, serveInBubble(t, s)
	e.vars = map[string]string{"DIGICERT_API_KEY": testKey}
	return e
}
