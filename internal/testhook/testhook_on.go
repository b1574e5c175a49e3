//go:build certbatch_testhooks

package testhook

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	mu     sync.Mutex
	step   string
	count  int
	parsed bool
)

// Reach marks that the run reached s; the configured arrival writes s
// to file descriptor 3 and blocks forever.
func Reach(s string) {
	mu.Lock()
	if !parsed {
		parsed = true
		if v := os.Getenv("CERTBATCH_TESTHOOK"); v != "" {
			name, n, _ := strings.Cut(v, ":")
			step, count = name, 1
			if k, err := strconv.Atoi(n); err == nil && k > 0 {
				count = k
			}
		}
	}
	if step == "" || s != step {
		mu.Unlock()
		return
	}
	count--
	if count != 0 {
		mu.Unlock()
		return
	}
	step = "" // one hold per process
	mu.Unlock()
	if f := os.NewFile(3, "testhook"); f != nil {
		f.WriteString(s + "\n")
	}
	// Held until killed. A sleeping loop, not select{}: the runtime
	// would call a process whose goroutines all block a deadlock.
	for {
		time.Sleep(time.Hour)
	}
}
