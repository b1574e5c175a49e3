package cli

import (
	"bufio"
	"crypto"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/keys"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/sandbox"
)

// startAtStep starts cmd holding at the nth arrival at step
// (internal/testhook, CERTBATCH_TESTHOOK) and returns once the process
// reports that it holds there: whatever the machine's speed, a kill then
// lands at that step. The generous bound only turns a run that never
// reaches the step (a bug) into a failure instead of a hang.
func startAtStep(t *testing.T, cmd *exec.Cmd, step string, n int) <-chan int {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd.Env = append(cmd.Env, fmt.Sprintf("CERTBATCH_TESTHOOK=%s:%d", step, n))
	cmd.ExtraFiles = []*os.File{w}
	var out strings.Builder
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	exited := make(chan int, 1)
	go func() { exited <- procExit(cmd.Wait()) }()
	reached := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		reached <- strings.TrimSpace(line)
	}()
	select {
	case got := <-reached:
		if got != step {
			cmd.Process.Kill()
			t.Fatalf("the run stopped at %q, want %q (exit %d)\n%s", got, step, <-exited, out.String())
		}
		return exited
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("the run never reached %s\n%s", step, out.String())
	}
	return nil
}

// keysOf returns the journal's generated keys.
func (e *env) keysOf() []journal.GeneratedKey {
	e.t.Helper()
	j, err := journal.Open(e.state, journal.Options{ReadOnly: true})
	if err != nil {
		e.t.Fatal(err)
	}
	defer j.Close()
	ks, err := j.GeneratedKeys()
	if err != nil {
		e.t.Fatal(err)
	}
	return ks
}

// finish runs submit until every row is ordered, then download, and
// checks the end state every kill must lead to: one order per person,
// one .p12 per person that opens with its password and holds the key
// its certificate carries, every key handed over and destroyed, no key
// in the clear anywhere. It returns the keys handed over, by email.
func (e *env) finish(bin string, rows int) map[string]crypto.Signer {
	t := e.t
	t.Helper()
	for run := 0; ; run++ {
		if run == 5 {
			t.Fatal("submit still not done after 5 runs")
		}
		var stderr strings.Builder
		cmd := e.command(bin, "--concurrency", "1")
		cmd.Stderr = &stderr
		code := procExit(cmd.Run())
		if code == 0 {
			break
		}
		if code != ExitRowsRetry {
			t.Fatalf("submit: exit %d\n%s", code, stderr.String())
		}
	}
	byEmail := e.ordersByEmail()
	if len(byEmail) != rows {
		t.Fatalf("%d people have orders, want %d", len(byEmail), rows)
	}
	for email, ids := range byEmail {
		if len(ids) != 1 {
			t.Errorf("%s has %d orders: %v", email, len(ids), ids)
		}
	}
	out := filepath.Join(e.dir, "certs")
	d := e.cmd("download", e.resultsPath(), "--dir", out, "--concurrency", "1")
	if d.code != 0 {
		t.Fatalf("download: %d\n%s%s", d.code, d.stdout, d.stderr)
	}
	got := openP12s(t, out, out+".passwords.csv")
	if len(got) != rows {
		t.Fatalf("%d .p12 files for %d people", len(got), rows)
	}
	keyDir, _ := testKeyPaths(e.state)
	if left, _ := filepath.Glob(filepath.Join(keyDir, "*.age")); len(left) != 0 {
		t.Errorf("keys left after hand-over: %v", left)
	}
	perPerson := map[string]int{}
	for _, k := range e.keysOf() {
		perPerson[k.Email]++
		if k.State != journal.KeyDelivered || k.DestroyedAt.IsZero() {
			t.Errorf("key %s of %s: %s, destroyed %v", k.ID, k.Email, k.State, k.DestroyedAt)
		}
	}
	for email, n := range perPerson {
		if n != 1 {
			t.Errorf("%s has %d generated keys", email, n)
		}
	}
	handed := map[string]crypto.Signer{}
	var all []crypto.Signer
	for _, h := range got {
		handed[h.cert.EmailAddresses[0]] = h.key
		all = append(all, h.key)
	}
	noClearKey(t, e.dir, all)
	return handed
}

// kill -9 at every step of making a key and sending its order (the
// journal knows the key but its file is not written; the file is on
// disk but no intent; the intent is journaled but nothing sent; the
// POST held before the sandbox; the order placed and its answer lost):
// the next runs never make a second key or a second order, and every
// person's .p12 holds the key their certificate carries. A kill after
// the key is stored leaves that key to be used, not a new one.
func TestKillNineAtEveryKeyStep(t *testing.T) {
	bin := binary(t)
	const rows = 3
	steps := []struct {
		name string
		hook string   // a testhook step; "" holds the order POST at the gate
		mode gateMode // with hook ""
	}{
		{name: "key reserved, file not written", hook: pipeline.StepKeyReserved},
		{name: "key stored, no intent", hook: pipeline.StepKeyStored},
		{name: "intent, not sent", hook: pipeline.StepIntent},
		{name: "POST held unsent", mode: dropUnsent},
		{name: "order placed, answer lost", mode: dropAnswer},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			e, gate := newGatedEnv(t, rows, sandbox.Config{})
			writeFile(t, e.config, genConfigYAML)
			cmd := e.command(bin, "--concurrency", "1", "--no-account-check")
			var exited <-chan int
			if st.hook != "" {
				exited = startAtStep(t, cmd, st.hook, 2)
			} else {
				exited = startHeld(t, cmd, gate.arm(2, st.mode), st.name)
			}
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			gate.open()
			gate.quiesce(t)
			// What the kill left: the second person's key, if stored.
			var stored *journal.GeneratedKey
			for _, k := range e.keysOf() {
				if k.Email == "person2@example.com" && keys.Exists(k.Path) {
					stored = &k
				}
			}
			if (stored == nil) != (st.hook == pipeline.StepKeyReserved) {
				t.Fatalf("after the kill, the second key is stored: %v", stored != nil)
			}
			noClearKey(t, e.dir, nil)
			handed := e.finish(bin, rows)
			if stored != nil {
				fp, _ := keys.Fingerprint(handed["person2@example.com"].Public())
				if fp != stored.Fingerprint {
					t.Errorf("the key stored before the kill was not the one certified: a second key was made")
				}
			}
		})
	}
}

// kill -9 at every step of a hand-over (the journal knows the .p12's
// hash; the password is written; the .p12 is written; delivered but the
// encrypted key not yet destroyed): the next download finishes it with
// one .p12 per person, each opening with the password the passwords file
// holds for it, and no key left behind or in the clear.
func TestKillNineAtEveryHandOverStep(t *testing.T) {
	bin := binary(t)
	const rows = 3
	for _, step := range []string{pipeline.StepHandover, pipeline.StepPasswordWritten, pipeline.StepP12Written, pipeline.StepDelivered} {
		t.Run(step, func(t *testing.T) {
			e := newGenEnv(t, rows, sandbox.Config{})
			if r := e.submit(); r.code != 0 {
				t.Fatalf("submit: %d %s", r.code, r.stderr)
			}
			out := filepath.Join(e.dir, "certs")
			cmd := exec.Command(bin, "download", e.resultsPath(), "--dir", out, "--state", e.state, "--base-url", e.base, "--quiet", "--concurrency", "1")
			cmd.Env = []string{"DIGICERT_API_KEY=" + testKey, "PATH=" + os.Getenv("PATH")}
			exited := startAtStep(t, cmd, step, 2)
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			noClearKey(t, e.dir, nil)
			e.finish(bin, rows)
			pw, _ := os.ReadFile(out + ".passwords.csv")
			if n := strings.Count(strings.TrimSpace(string(pw)), "\n"); n != rows {
				t.Errorf("the passwords file has %d lines for %d .p12 files:\n%s", n, rows, pw)
			}
		})
	}
}
