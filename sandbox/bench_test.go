package sandbox

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func benchServer(b *testing.B, cfg Config) *Server {
	b.Helper()
	cfg.APIKey = key
	if cfg.Windows == nil {
		cfg.Windows = []Window{}
	}
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// An order POST through the handler: routing, key, windows, JSON,
// validation, creation.
func BenchmarkPlaceOrder(b *testing.B) {
	for _, c := range []struct {
		name, product string
		cfg           Config
		body          string
	}{
		{"client", "client_premium_sha2", Config{}, simpleClient("a@example.com", "A", true)},
		{"client with CSR", "client_premium_sha2", Config{}, clientSeed(b)},
		{"document signing", "document_signing_org_1", Config{}, docSeed(b)},
		{"two windows", "client_premium_sha2", Config{Windows: []Window{{1 << 30, 5 * time.Second}, {1 << 30, 3 * time.Minute}}}, simpleClient("a@example.com", "A", true)},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := benchServer(b, c.cfg)
			for b.Loop() {
				if rec := serve(s, "POST", "/services/v2/order/certificate/"+c.product, key, c.body); rec.Code != 201 {
					b.Fatal(rec.Code, rec.Body)
				}
			}
		})
	}
}

// Orders from parallel clients contend for the one lock.
func BenchmarkPlaceOrderParallel(b *testing.B) {
	s := benchServer(b, Config{})
	body := simpleClient("a@example.com", "A", true)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			serve(s, "POST", "/services/v2/order/certificate/client_premium", key, body)
		}
	})
}

// Saving after every order: the cost grows with the orders held.
func BenchmarkPlaceOrderDataFile(b *testing.B) {
	for _, held := range []int{0, 1000} {
		b.Run(fmt.Sprintf("%d held", held), func(b *testing.B) {
			s := benchServer(b, Config{DataFile: filepath.Join(b.TempDir(), "orders.json")})
			body := simpleClient("a@example.com", "A", true)
			for range held {
				serve(s, "POST", "/services/v2/order/certificate/client_premium", key, body)
			}
			for b.Loop() {
				serve(s, "POST", "/services/v2/order/certificate/client_premium", key, body)
			}
		})
	}
}

// The reconciliation query among 10,000 orders.
func BenchmarkListOrders(b *testing.B) {
	s := benchServer(b, Config{})
	for i := range 10000 {
		serve(s, "POST", "/services/v2/order/certificate/client_premium", key, simpleClient(fmt.Sprintf("p%d@example.com", i), "P", true))
	}
	for _, q := range []string{"filters[email]=p77@example.com&filters[product_name_id]=client_premium&filters[date_created]=>2020-01-01", "limit=1000&sort=-date_created"} {
		b.Run(q[:10], func(b *testing.B) {
			for b.Loop() {
				if rec := serve(s, "GET", "/services/v2/order/certificate?"+q, key, ""); rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
