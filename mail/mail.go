// Package mail sends the section's invitations and reminders over SMTP.
//
// The server is named by a URL (CANVASS_SMTP_URL):
//
//	smtp://user:password@mail.example.org:587?from=survey@example.org   STARTTLS, required
//	smtps://user:password@mail.example.org:465?from=survey@example.org  TLS from the start
//	smtp://localhost:25?from=survey@example.org                         a local relay: plain
//
// A server other than a loopback one must offer STARTTLS, so a password or
// a personal link never crosses the network in the clear.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// Config is a parsed CANVASS_SMTP_URL.
type Config struct {
	Addr        string // host:port
	ImplicitTLS bool
	User        string
	Password    string
	From        mail.Address
	// TLSConfig is for tests with their own certificates; nil uses the
	// system roots.
	TLSConfig *tls.Config
}

// ParseURL reads an SMTP URL; the errors say what to fix.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("SMTP URL: %v", err)
	}
	var c Config
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		c.ImplicitTLS = true
		if port == "" {
			port = "465"
		}
	default:
		return Config{}, fmt.Errorf("SMTP URL: scheme %q: use smtp:// (STARTTLS) or smtps:// (TLS)", u.Scheme)
	}
	if u.Hostname() == "" {
		return Config{}, errors.New("SMTP URL: no host")
	}
	c.Addr = net.JoinHostPort(u.Hostname(), port)
	if u.User != nil {
		c.User = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	from := u.Query().Get("from")
	if from == "" {
		return Config{}, errors.New("SMTP URL: say who the mail is from with ?from=address")
	}
	// A From header may carry a display name ("Survey <survey@example.org>"),
	// so it is parsed as a header; the address in it follows survey.CheckEmail.
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return Config{}, fmt.Errorf("SMTP URL: from=%q is not an email address", from)
	}
	if addr.Address, err = survey.CheckEmail(addr.Address); err != nil {
		return Config{}, fmt.Errorf("SMTP URL: from=%q: %s", from, survey.ErrorMessage(err))
	}
	c.From = *addr
	return c, nil
}

// Compose renders m as an RFC 5322 message: UTF-8 headers encoded per
// RFC 2047, the body quoted-printable, lines ending in CRLF.
func Compose(from mail.Address, m campaign.Message, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	domain := "canvass.invalid"
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 {
		domain = from.Address[at+1:]
	}
	header := [][2]string{
		{"From", from.String()},
		{"To", m.To.String()},
		{"Subject", mime.QEncoding.Encode("utf-8", m.Subject)},
		{"Date", now.Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id) + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
		{"Auto-Submitted", "auto-generated"},
	}
	for _, h := range header {
		if strings.ContainsAny(h[1], "\r\n") {
			return nil, fmt.Errorf("mail header %s has a line break", h[0])
		}
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(strings.TrimRight(m.Body, "\r\n")+"\n", "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Sender delivers messages through one SMTP session at a time. It is the
// campaign's Mailer: the messages are campaign.Message, so the use cases
// need no conversion and no knowledge of SMTP.
type Sender struct {
	cfg Config
	now func() time.Time
}

var _ campaign.Mailer = (*Sender)(nil)

// NewSender returns a sender for cfg.
func NewSender(cfg Config) *Sender { return &Sender{cfg: cfg, now: time.Now} }

// From is the sender's address.
func (s *Sender) From() mail.Address { return s.cfg.From }

// SendAll delivers messages over one connection, reporting each one's fate
// to report (in order) as it goes. A recipient the server refuses fails
// alone; a broken connection fails the messages not yet sent. The error is
// for a connection that could not be set up at all.
func (s *Sender) SendAll(ctx context.Context, messages []campaign.Message, report func(i int, err error)) error {
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	for i, m := range messages {
		if err := ctx.Err(); err != nil {
			for j := i; j < len(messages); j++ {
				report(j, err)
			}
			return nil
		}
		err := s.send(c, m)
		report(i, err)
		var smtpErr *smtp.SMTPError
		if err != nil && !errors.As(err, &smtpErr) {
			// Not the server's answer about this message: the connection is gone.
			for j := i + 1; j < len(messages); j++ {
				report(j, fmt.Errorf("not sent: %w", err))
			}
			return nil
		}
		if err != nil {
			_ = c.Reset()
		}
	}
	return c.Quit()
}

func (s *Sender) send(c *smtp.Client, m campaign.Message) error {
	data, err := Compose(s.cfg.From, m, s.now())
	if err != nil {
		return err
	}
	if err := c.Mail(s.cfg.From.Address, nil); err != nil {
		return err
	}
	if err := c.Rcpt(m.To.Address, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Close()
}

func (s *Sender) dial(ctx context.Context) (*smtp.Client, error) {
	host, _, _ := net.SplitHostPort(s.cfg.Addr)
	tlsConfig := s.cfg.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	dialer := &net.Dialer{Timeout: 15 * time.Second}
	var c *smtp.Client
	if s.cfg.ImplicitTLS {
		conn, err := (&tls.Dialer{NetDialer: dialer, Config: tlsConfig}).DialContext(ctx, "tcp", s.cfg.Addr)
		if err != nil {
			return nil, fmt.Errorf("connect to the SMTP server %s: %w", s.cfg.Addr, err)
		}
		c = smtp.NewClient(conn)
	} else {
		conn, err := dialer.DialContext(ctx, "tcp", s.cfg.Addr)
		if err != nil {
			return nil, fmt.Errorf("connect to the SMTP server %s: %w", s.cfg.Addr, err)
		}
		if isLoopback(host) {
			// A relay on this machine: nothing crosses the network.
			c = smtp.NewClient(conn)
		} else if c, err = smtp.NewClientStartTLS(conn, tlsConfig); err != nil {
			return nil, fmt.Errorf("SMTP server %s: STARTTLS (required; or use smtps://): %w", s.cfg.Addr, err)
		}
	}
	if s.cfg.User != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.cfg.User, s.cfg.Password)); err != nil {
			c.Close()
			return nil, fmt.Errorf("SMTP server %s: log in as %s: %w", s.cfg.Addr, s.cfg.User, err)
		}
	}
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
