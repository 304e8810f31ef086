// Package mailtest runs a real SMTP server in-process for tests, keeping
// what it receives.
package mailtest

import (
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Received is one delivered message, decoded.
type Received struct {
	From, To string
	Header   mail.Header
	Subject  string // decoded from RFC 2047
	Body     string // decoded from quoted-printable, without the final line break
}

// Server is an SMTP server on a loopback port.
type Server struct {
	Addr string
	mu   sync.Mutex
	got  []Received
	// reject holds addresses refused at RCPT with 550, like a mailbox that
	// does not exist.
	reject map[string]bool
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: l.Addr().String(), reject: map[string]bool{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{server: s}, nil }))
	srv.Domain = "localhost"
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Reject makes the server refuse mail to address.
func (s *Server) Reject(address string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject[strings.ToLower(address)] = true
}

// Messages returns what has been delivered so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

type session struct {
	server   *Server
	from, to string
}

func (x *session) Reset()        { x.from, x.to = "", "" }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.server.mu.Lock()
	defer x.server.mu.Unlock()
	if x.server.reject[strings.ToLower(to)] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox"}
	}
	x.to = to
	return nil
}

func (x *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	if m.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		return errors.New("mailtest: expected a quoted-printable body")
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return err
	}
	x.server.mu.Lock()
	defer x.server.mu.Unlock()
	x.server.got = append(x.server.got, Received{From: x.from, To: x.to, Header: m.Header, Subject: subject, Body: strings.TrimSuffix(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")})
	return nil
}
