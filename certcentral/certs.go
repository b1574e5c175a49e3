package certcentral

import (
	"context"
	"strconv"
	"strings"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Download formats (certcentral-api.md §5.6): the certificate, its
// intermediates and the root in PEM (leaf first); the same without the
// root; the leaf alone; a PKCS #7 bundle.
const (
	FormatPEMAll            = "pem_all"
	FormatPEMNoRoot         = "pem_noroot"
	FormatPEMNoIntermediate = "pem_nointermediate"
	FormatP7B               = "p7b"
)

// ChainCert is one certificate of a POST answer's certificate_chain.
type ChainCert struct {
	SubjectCommonName string `json:"subject_common_name"`
	PEM               string `json:"pem"`
}

// ChainPEM returns the certificate_chain of the answer as one PEM text,
// leaf first, as the pem_all download has it; "" when the answer has no
// chain (the order was not issued at once).
func (r *OrderResponse) ChainPEM() string {
	var b strings.Builder
	for _, c := range r.CertificateChain {
		p := strings.TrimSpace(c.PEM)
		if p == "" {
			continue
		}
		b.WriteString(p)
		b.WriteString("\n")
	}
	return b.String()
}

// Download fetches GET /certificate/{certificate_id}/download/format/{format}:
// the certificate as format says (see the Format constants). A
// certificate that does not exist or is not issued yet is an *APIError
// with StatusCode 404. GETs are retried like every read.
func (c *Client) Download(ctx context.Context, certificateID int64, format string, opts ...CallOption) ([]byte, error) {
	op := l10n.Msgf("download certificate %d as %s", certificateID, format)
	return c.download(ctx, op, "/certificate/"+strconv.FormatInt(certificateID, 10)+"/download/format/", format, opts)
}

// DownloadByOrder fetches GET /certificate/download/order/{order_id}/format/{format}:
// the order's active certificate.
func (c *Client) DownloadByOrder(ctx context.Context, orderID int64, format string, opts ...CallOption) ([]byte, error) {
	op := l10n.Msgf("download the certificate of order %d as %s", orderID, format)
	return c.download(ctx, op, "/certificate/download/order/"+strconv.FormatInt(orderID, 10)+"/format/", format, opts)
}

func (c *Client) download(ctx context.Context, op l10n.Msg, prefix, format string, opts []CallOption) ([]byte, error) {
	if format == "" || strings.ContainsAny(format, "/?#%") {
		return nil, l10n.Errorf("%s: not sent: invalid format %q", op, format)
	}
	var out []byte
	err := c.getWith(ctx, op, prefix+format, nil, opts, func(b []byte) error {
		if len(strings.TrimSpace(string(b))) == 0 {
			return l10n.Errorf("empty answer")
		}
		out = b
		return nil
	})
	return out, err
}
