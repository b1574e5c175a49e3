package cli

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/keys"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/sandbox"
)

// genConfigYAML is clientConfigYAML with certbatch generating each key.
const genConfigYAML = clientConfigYAML + "keys:\n  method: generate\n"

// newGenEnv is newEnv whose config generates every row's key.
func newGenEnv(t *testing.T, rows int, cfg sandbox.Config) *env {
	t.Helper()
	e := newEnv(t, rows, cfg)
	writeFile(t, e.config, genConfigYAML)
	return e
}

// handedOver is what one .p12 holds, opened with its password.
type handedOver struct {
	file string
	key  crypto.Signer
	cert *x509.Certificate
}

// openP12s opens every .p12 in dir with its password from the passwords
// file, checks that it holds a key, the certificate carrying that key
// and a chain, and that it opens with no other password (nor none); with
// OpenSSL on the machine, `openssl pkcs12` must agree.
func openP12s(t *testing.T, dir, passwords string) []handedOver {
	t.Helper()
	pw, err := pipeline.ReadPasswords(passwords)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.p12"))
	if len(files) != len(pw) {
		t.Fatalf("%d .p12 files, %d passwords: %v", len(files), len(pw), pw)
	}
	openssl, _ := exec.LookPath("openssl")
	var out []handedOver
	for _, f := range files {
		if fi, _ := os.Stat(f); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", f, fi.Mode().Perm())
		}
		raw, _ := os.ReadFile(f)
		p := pw[filepath.Base(f)]
		if p == "" {
			t.Fatalf("%s: no password", f)
		}
		k, cert, chain, err := pkcs12.DecodeChain(raw, p)
		if err != nil {
			t.Fatalf("%s: does not open with its password: %v", f, err)
		}
		signer := k.(crypto.Signer)
		if !keys.SamePublicKey(cert, signer) || len(chain) == 0 {
			t.Fatalf("%s: the key does not match the certificate, or no chain (%d)", f, len(chain))
		}
		for _, wrong := range []string{"", p + "x", strings.ToUpper(p)} {
			if wrong == p {
				continue
			}
			if _, _, _, err := pkcs12.DecodeChain(raw, wrong); err == nil {
				t.Fatalf("%s: opens with %q", f, wrong)
			}
		}
		if openssl != "" {
			cmd := exec.Command(openssl, "pkcs12", "-in", f, "-passin", "env:P12PW", "-nokeys", "-clcerts")
			cmd.Env = append(os.Environ(), "P12PW="+p)
			if b, err := cmd.CombinedOutput(); err != nil || !bytes.Contains(b, []byte("BEGIN CERTIFICATE")) {
				t.Fatalf("openssl pkcs12 %s: %v\n%s", f, err, b)
			}
			cmd = exec.Command(openssl, "pkcs12", "-in", f, "-passin", "env:P12PW", "-nocerts", "-nodes")
			cmd.Env = append(os.Environ(), "P12PW="+p+"x")
			if b, err := cmd.CombinedOutput(); err == nil {
				t.Fatalf("openssl opened %s with a wrong password:\n%s", f, b)
			}
		}
		out = append(out, handedOver{file: f, key: signer, cert: cert})
	}
	if openssl == "" {
		t.Log("openssl is not on this machine: the .p12 files were checked with go-pkcs12 only")
	}
	return out
}

// secretBytes are what would betray a private key written in the clear:
// its PKCS #8 DER and its private scalar or exponent.
func secretBytes(t *testing.T, k crypto.Signer) [][]byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	switch x := k.(type) {
	case *ecdsa.PrivateKey:
		b, _ := x.Bytes()
		return [][]byte{der, b}
	case *rsa.PrivateKey:
		return [][]byte{der, x.D.Bytes(), x.Primes[0].Bytes()}
	}
	return [][]byte{der}
}

// noClearKey walks every file under root (journal, its WAL, results,
// passwords, key folder, downloads) and fails if one holds any of the
// keys in the clear or a PEM private key.
func noClearKey(t *testing.T, root string, ks []crypto.Signer) {
	t.Helper()
	var secrets [][]byte
	for _, k := range ks {
		secrets = append(secrets, secretBytes(t, k)...)
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("PRIVATE KEY-----")) {
			t.Errorf("%s holds a PEM private key", p)
		}
		for _, s := range secrets {
			if bytes.Contains(b, s) {
				t.Errorf("%s holds a generated private key in the clear", p)
			}
		}
		return nil
	})
}

// The whole hand-over on the sandbox: generate (the CSR goes with the
// order), the sandbox certifies the CSR's key, download writes one .p12
// per person that opens with its password only (go-pkcs12 and OpenSSL),
// the passwords go to their own file, the encrypted keys are destroyed,
// and nothing on disk holds a key in the clear. A second download makes
// no second .p12.
func TestGenerateHandOverEndToEnd(t *testing.T) {
	e := newGenEnv(t, 3, sandbox.Config{})
	r := e.submit()
	if r.code != 0 {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for row, x := range e.results() {
		if x.outcome != "ordered" {
			t.Fatalf("row %d: %+v", row, x)
		}
	}
	if !strings.Contains(r.stderr, "keys: certbatch generates 3 key pairs here (ECDSA P-256 × 3)") {
		t.Errorf("the plan does not say keys are generated:\n%s", r.stderr)
	}
	keyDir, idPath := testKeyPaths(e.state)
	if fi, err := os.Stat(keyDir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("key folder: %v %v", fi, err)
	}
	if fi, err := os.Stat(idPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("default identity: %v %v", fi, err)
	}
	if stored, _ := filepath.Glob(filepath.Join(keyDir, "*.age")); len(stored) != 3 {
		t.Fatalf("%d keys stored, want 3", len(stored))
	}
	out := filepath.Join(e.dir, "certs")
	d := e.cmd("download", e.resultsPath(), "--dir", out)
	if d.code != 0 {
		t.Fatalf("download: %d\n%s%s", d.code, d.stdout, d.stderr)
	}
	if !strings.Contains(d.stdout, "p12: 3 written") {
		t.Errorf("summary: %s", d.stdout)
	}
	got := openP12s(t, out, out+".passwords.csv")
	if len(got) != 3 {
		t.Fatalf("%d .p12 files", len(got))
	}
	if left, _ := filepath.Glob(filepath.Join(keyDir, "*.age")); len(left) != 0 {
		t.Errorf("keys left after hand-over: %v", left)
	}
	var ks []crypto.Signer
	for _, h := range got {
		ks = append(ks, h.key)
		if _, ok := h.key.(*ecdsa.PrivateKey); !ok {
			t.Errorf("%s: %T, want ECDSA P-256 by default", h.file, h.key)
		}
	}
	noClearKey(t, e.dir, ks)
	pwRaw, _ := os.ReadFile(out + ".passwords.csv")
	res, _ := os.ReadFile(e.resultsPath())
	for _, line := range strings.Split(strings.TrimSpace(string(pwRaw)), "\n")[1:] {
		p := strings.Split(line, ",")[3]
		if bytes.Contains(res, []byte(p)) || strings.Contains(d.stdout+d.stderr+r.stdout+r.stderr, p) {
			t.Errorf("a password is in the results or the output")
		}
	}
	if fi, _ := os.Stat(out + ".passwords.csv"); fi.Mode().Perm() != 0o600 {
		t.Errorf("passwords file mode %v", fi.Mode().Perm())
	}
	j, _ := journal.Open(e.state, journal.Options{ReadOnly: true})
	gk, _ := j.GeneratedKeys()
	j.Close()
	for _, k := range gk {
		if k.State != journal.KeyDelivered || k.DestroyedAt.IsZero() || !strings.HasSuffix(k.P12Path, ".p12") {
			t.Errorf("key %s: %+v", k.ID, k)
		}
	}
	// Again: nothing new is made, the passwords file is unchanged.
	d2 := e.cmd("download", e.resultsPath(), "--dir", out)
	pw2, _ := os.ReadFile(out + ".passwords.csv")
	if d2.code != 0 || !bytes.Equal(pw2, pwRaw) || !strings.Contains(d2.stdout, "p12: 0 written, 3 already handed over") {
		t.Fatalf("second download: %d\n%s%s", d2.code, d2.stdout, d2.stderr)
	}
}

// Per row: a Key Method column mixes the three ways in one batch; the
// generated keys are RSA 3072 by --key-algorithm; the link row gets no
// .p12 (DigiCert emails that person), the csr row neither (its key is
// the person's own).
func TestKeyMethodPerRowAndAlgorithm(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	rows := staff(3, 1)
	rows[0] = append(rows[0], "Key Method", "CSR")
	own, _ := keys.Generate(keys.P256)
	ownCSR, _ := keys.CSR(own, keys.Subject{CommonName: "Person 3"})
	rows[1] = append(rows[1], "generate", "")
	rows[2] = append(rows[2], "link", "")
	rows[3] = append(rows[3], "", ownCSR)
	writeCSV(t, e.input, rows)
	writeFile(t, e.config, clientConfigYAML+"keys:\n  column: Key Method\n")
	if r := e.submit("--key-algorithm", "rsa3072"); r.code != 0 {
		t.Fatalf("submit: %d\n%s", r.code, r.stderr)
	}
	out := filepath.Join(e.dir, "certs")
	if d := e.cmd("download", e.resultsPath(), "--dir", out); d.code != 0 {
		t.Fatalf("download: %d\n%s%s", d.code, d.stdout, d.stderr)
	}
	got := openP12s(t, out, out+".passwords.csv")
	if len(got) != 1 || !strings.Contains(filepath.Base(got[0].file), "person1@") {
		t.Fatalf(".p12 files: %+v", got)
	}
	if k, ok := got[0].key.(*rsa.PrivateKey); !ok || k.N.BitLen() != 3072 {
		t.Errorf("generated key %T, want RSA 3072", got[0].key)
	}
	certs, _ := filepath.Glob(filepath.Join(out, "*.pem"))
	if len(certs) != 3 {
		t.Errorf("%d certificates downloaded, want 3", len(certs))
	}
}

// Document signing refuses generate in the dry run, saying why (the key
// must live on a FIPS 140-2 Level 2 token or HSM), and sends nothing.
func TestGenerateRefusedForDocumentSigning(t *testing.T) {
	e := newEnv(t, 1, sandbox.Config{})
	writeCSV(t, e.input, [][]string{{"Subject Name", "Job Title", "Phone", "Email", "Provisioning Method"},
		{"Ann Lee", "Clerk", "000", "ann@corp.example.net", "ship_token"}})
	writeFile(t, e.config, "product: document_signing_org_1\norder: {organization: {id: 334455}, validity_years: 1}\n")
	r := run(t, e.vars, "validate", e.input, "--config", e.config, "--key-method", "generate", "-o", filepath.Join(e.dir, "v.csv"))
	if r.code != ExitRowsBad || !strings.Contains(r.stderr+r.stdout, "FIPS 140-2 Level 2") {
		t.Fatalf("validate: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if s := e.submit("--key-method", "generate"); s.code != ExitRowsBad || len(e.sb.Orders()) != 0 {
		t.Fatalf("submit: %d, %d orders\n%s", s.code, len(e.sb.Orders()), s.stderr)
	}
}

// An admin's own recipient: no identity is made beside the journal, the
// keys open only with the admin's identity. download without it exits
// 2, keeps the keys and makes no .p12; with --key-identity it hands
// them over. --p12-legacy files open with OpenSSL 3 too; --escrow keeps
// an escrow copy encrypted to its own recipient; a passwords file
// inside the .p12 folder is refused.
func TestRecipientIdentityLegacyAndEscrow(t *testing.T) {
	e := newGenEnv(t, 2, sandbox.Config{})
	admin, _ := age.GenerateX25519Identity()
	officer, _ := age.GenerateX25519Identity()
	idFile := writeFile(t, filepath.Join(t.TempDir(), "admin.key"), admin.String()+"\n")
	if r := e.submit("--key-recipient", admin.Recipient().String()); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	if _, idPath := testKeyPaths(e.state); fileExists(idPath) {
		t.Fatal("an identity was made although the admin named a recipient")
	}
	out := filepath.Join(e.dir, "certs")
	if d := e.cmd("download", e.resultsPath(), "--dir", out, "--passwords", filepath.Join(out, "pw.csv")); d.code != ExitUsage ||
		!strings.Contains(d.stderr, "apart from the .p12 files") {
		t.Fatalf("passwords inside the folder: %d %s", d.code, d.stderr)
	}
	d := e.cmd("download", e.resultsPath(), "--dir", out)
	if d.code != ExitUsage || !strings.Contains(d.stderr, "--key-identity") || !strings.Contains(d.stdout, admin.Recipient().String()) {
		t.Fatalf("without the identity: %d\n%s%s", d.code, d.stdout, d.stderr)
	}
	if p12s, _ := filepath.Glob(filepath.Join(out, "*.p12")); len(p12s) != 0 {
		t.Fatalf(".p12 made without the identity: %v", p12s)
	}
	d = e.cmd("download", e.resultsPath(), "--dir", out, "--key-identity", idFile, "--p12-legacy", "--escrow", officer.Recipient().String())
	if d.code != 0 {
		t.Fatalf("with the identity: %d\n%s%s", d.code, d.stdout, d.stderr)
	}
	got := openP12s(t, out, out+".passwords.csv")
	if len(got) != 2 {
		t.Fatalf("%d .p12", len(got))
	}
	keyDir, _ := testKeyPaths(e.state)
	escrowed, _ := filepath.Glob(filepath.Join(keyDir, "escrow", "*.age"))
	if len(escrowed) != 2 {
		t.Fatalf("escrow copies: %v", escrowed)
	}
	for _, f := range escrowed {
		k, err := keys.Open(f, []age.Identity{officer})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := keys.Open(f, []age.Identity{admin}); err == nil {
			t.Error("the escrow copy opens with the working identity")
		}
		found := false
		for _, h := range got {
			found = found || keys.SamePublicKey(h.cert, k)
		}
		if !found {
			t.Errorf("escrow copy %s is no handed-over key", f)
		}
	}
}

// status --download hands the keys over too, with the same flags.
func TestStatusDownloadHandsOver(t *testing.T) {
	e := newGenEnv(t, 2, sandbox.Config{})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	out := filepath.Join(e.dir, "certs")
	pw := filepath.Join(t.TempDir(), "for-the-other-channel.csv")
	if s := e.cmd("status", e.resultsPath(), "--download", out, "--passwords", pw); s.code != 0 || !strings.Contains(s.stdout, "p12: 2 written") {
		t.Fatalf("status --download: %d\n%s%s", s.code, s.stdout, s.stderr)
	}
	if got := openP12s(t, out, pw); len(got) != 2 {
		t.Fatalf("%d .p12", len(got))
	}
	f := readResults(t, e.resultsPath())
	for _, r := range f.Records {
		if !strings.Contains(r.Note, "p12: row-") {
			t.Errorf("row %d: %q", r.Row, r.Error)
		}
	}
}

// The README's Keys section tells the admin where keys live, how to
// destroy them, the consent rule of escrow, and how the files go into
// Intune and Google Workspace, citing their pages; every flag it names
// is a flag of the command it names it for.
func TestReadmeKeysSection(t *testing.T) {
	b, err := os.ReadFile(repoFile("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n### Keys: link, csr or generate\n")
	if i < 0 {
		t.Fatal("README has no Keys section")
	}
	sec := s[i:]
	sec = sec[:strings.Index(sec[1:], "\n### ")+1]
	for _, want := range []string{"<journal>.keys/", "mode 0700", "mode 0600", "rm -r", "consent", "SBR",
		"Into Microsoft Intune", "Import-IntuneUserPfxCertificate", "PKCS imported certificate", "learn.microsoft.com",
		"Into Google Workspace", "smimeInfo", "encryptedKeyPassword", "support.google.com", "developers.google.com",
		"order-client-certificate.html", "FIPS 140-2 Level 2", "--p12-legacy", "--escrow", "--key-identity", "--key-recipient", "--passwords"} {
		if !strings.Contains(sec, want) {
			t.Errorf("the Keys section does not mention %q", want)
		}
	}
	flagsOf := func(name string) map[string]bool {
		for _, c := range NewRoot(IO{Getenv: func(string) string { return "" }}).Commands() {
			if c.Name() == name {
				m := map[string]bool{}
				for _, f := range []string{"key-method", "key-algorithm", "key-recipient", "key-identity", "passwords", "p12-legacy", "escrow"} {
					m[f] = c.Flags().Lookup(f) != nil
				}
				return m
			}
		}
		t.Fatalf("no command %s", name)
		return nil
	}
	sub, dl, st := flagsOf("submit"), flagsOf("download"), flagsOf("status")
	for _, f := range []string{"key-method", "key-algorithm", "key-recipient"} {
		if !sub[f] {
			t.Errorf("submit has no --%s", f)
		}
	}
	for _, f := range []string{"key-identity", "passwords", "p12-legacy", "escrow"} {
		if !dl[f] || !st[f] {
			t.Errorf("download or status has no --%s", f)
		}
	}
}

// testKeyPaths is keyPaths for a journal file.
func testKeyPaths(jp string) (dir, identity string) {
	dir, identity, _ = keyPaths(IO{Getenv: func(string) string { return "" }}, journalLoc(jp))
	return dir, identity
}
