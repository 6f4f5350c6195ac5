// Package smtptest runs a real SMTP server on loopback for tests: Debian's
// python3-aiosmtpd, driven by server.py in this directory. It records every
// message it accepts, can refuse chosen recipients, offers STARTTLS with a
// certificate made for the test, and AUTH with a password it gets through
// its environment.
//
// Tests that need it skip when python3 or aiosmtpd is missing, unless the
// environment variable CI is set, in which case they fail.
package smtptest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	_ "embed"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

//go:embed server.py
var serverPy []byte

// Options configure a server.
type Options struct {
	STARTTLS bool     // offer STARTTLS with a certificate for 127.0.0.1
	Implicit bool     // with STARTTLS: TLS from the first byte instead (SMTPS)
	User     string   // offer AUTH (after TLS when STARTTLS is set)
	Password string   // passed through the environment, never argv
	Reject   []string // recipients answered with 550
	TempFail []string // recipients answered with 451
}

// Server is a running test server.
type Server struct {
	Host   string // 127.0.0.1
	Port   int
	CAFile string // PEM certificate to trust when STARTTLS is on
	dir    string
}

// Message is one accepted message.
type Message struct {
	MailFrom string   `json:"mail_from"`
	RcptTos  []string `json:"rcpt_tos"`
	Helo     string   `json:"helo"`
	TLS      bool     `json:"tls"`
	Auth     bool     `json:"auth"`
	Data     []byte   `json:"-"`
}

// Start runs a server for the duration of the test.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	python := findPython(t)
	tmp := t.TempDir()
	s := &Server{Host: "127.0.0.1", dir: filepath.Join(tmp, "messages")}
	if err := os.Mkdir(s.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(tmp, "server.py")
	if err := os.WriteFile(script, serverPy, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{script, "--outdir", s.dir}
	for _, r := range opts.Reject {
		args = append(args, "--reject", r)
	}
	for _, r := range opts.TempFail {
		args = append(args, "--tempfail", r)
	}
	if opts.STARTTLS {
		cert, key := writeCert(t, tmp)
		s.CAFile = cert
		args = append(args, "--tls-cert", cert, "--tls-key", key)
		if opts.Implicit {
			args = append(args, "--implicit-tls")
		}
	}
	if opts.User != "" {
		args = append(args, "--user", opts.User)
	}
	var lastErr string
	for attempt := 0; attempt < 5; attempt++ {
		s.Port = freePort(t)
		cmd := exec.Command(python, append(args, "--port", strconv.Itoa(s.Port))...)
		cmd.Env = append(os.Environ(), "SMTPTEST_PASSWORD="+opts.Password)
		ok, msg := run(t, cmd)
		if ok {
			return s
		}
		lastErr = msg
	}
	t.Fatalf("smtptest: server did not start: %s", lastErr)
	return nil
}

// run starts cmd and waits for READY; the process is stopped at cleanup.
func run(t testing.TB, cmd *exec.Cmd) (bool, string) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line) == "READY"
	}()
	select {
	case ok := <-ready:
		if ok {
			t.Cleanup(func() {
				cmd.Process.Signal(syscall.SIGTERM)
				done := make(chan struct{})
				go func() { cmd.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					cmd.Process.Kill()
				}
			})
			return true, ""
		}
	case <-time.After(15 * time.Second):
	}
	cmd.Process.Kill()
	cmd.Wait()
	return false, stderr.String()
}

// findPython returns a python3 that can import aiosmtpd: Debian's first,
// since a python3 earlier on PATH may not see Debian's packages.
func findPython(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import aiosmtpd").Run() == nil {
			return path
		}
	}
	msg := "smtptest: python3 with aiosmtpd not found (Debian: apt-get install python3-aiosmtpd)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// writeCert makes a self-signed certificate for 127.0.0.1 and localhost.
func writeCert(t testing.TB, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtptest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writePEM(t, certFile, "CERTIFICATE", der)
	writePEM(t, keyFile, "EC PRIVATE KEY", kder)
	return certFile, keyFile
}

func writePEM(t testing.TB, path, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Messages returns what the server accepted so far, in order.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	metas, err := filepath.Glob(filepath.Join(s.dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(metas)
	out := make([]Message, 0, len(metas))
	for _, m := range metas {
		raw, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		var msg Message
		if err := json.Unmarshal(raw, &msg); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if msg.Data, err = os.ReadFile(strings.TrimSuffix(m, ".json") + ".eml"); err != nil {
			t.Fatal(err)
		}
		out = append(out, msg)
	}
	return out
}
