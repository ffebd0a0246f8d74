package authserver

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpSink is a local SMTP server that keeps what it receives.
type smtpSink struct {
	mu       sync.Mutex
	messages []sinkMessage
}

type sinkMessage struct {
	from, to string
	data     []byte
}

type sinkSession struct {
	sink     *smtpSink
	authed   bool
	from, to string
}

func (s *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *sinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "mailer" || pass != "s3cret" {
			return errors.New("bad credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }

func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	s.sink.messages = append(s.sink.messages, sinkMessage{s.from, s.to, b})
	return nil
}

func (s *sinkSession) Reset()        {}
func (s *sinkSession) Logout() error { return nil }

func startSMTP(t *testing.T) (*smtpSink, int) {
	t.Helper()
	sink := &smtpSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: sink}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return sink, l.Addr().(*net.TCPAddr).Port
}

// parts returns the decoded text and HTML parts of a received message.
func parts(t *testing.T, raw []byte) (subject, text, html string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(quotedprintable.NewReader(p))
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			html = string(b)
		} else {
			text = string(b)
		}
	}
	return subject, text, html
}

var linkPattern = regexp.MustCompile(`https?://\S+/verify\?\S+`)

func TestSMTPDelivery(t *testing.T) {
	t.Parallel()
	sink, port := startSMTP(t)
	e := mustEnv(t, sqliteURL, setup{env: map[string]string{
		"SMTP_HOST": "127.0.0.1", "SMTP_PORT": strconv.Itoa(port), "SMTP_USER": "mailer",
		"SMTP_PASS": "s3cret", "SMTP_SENDER": "Notes <auth@notes.test>",
	}})
	wantOK(t, e.post("/user/password/reset", map[string]any{"email": "nobody@example.com"}))
	r := e.post("/signup/email-password", map[string]any{"email": "mail@example.com", "password": testPassword})
	if r.status != 200 {
		t.Fatalf("sign up: %d %s", r.status, r.raw)
	}
	sink.mu.Lock()
	if len(sink.messages) != 1 {
		t.Fatalf("received %d messages", len(sink.messages))
	}
	m := sink.messages[0]
	sink.mu.Unlock()
	if m.to != "mail@example.com" || m.from != "auth@notes.test" {
		t.Fatalf("envelope %q -> %q", m.from, m.to)
	}
	subject, text, html := parts(t, m.data)
	link := linkPattern.FindString(text)
	if subject != "Verify your email" || link == "" || !strings.Contains(html, strings.ReplaceAll(link, "&", "&amp;")) {
		t.Fatalf("subject %q, text %q", subject, text)
	}
	loc := e.follow(link)
	if loc.Query().Get("type") != "verifyEmail" || loc.Query().Get("refreshToken") == "" {
		t.Fatalf("redirect %s", loc)
	}
	wantSession(t, e.post("/signin/email-password", map[string]any{"email": "mail@example.com", "password": testPassword}))
}

func TestSMTPFailure(t *testing.T) {
	t.Parallel()
	sink, port := startSMTP(t)
	e := mustEnv(t, sqliteURL, setup{env: map[string]string{"SMTP_HOST": "127.0.0.1", "SMTP_PORT": strconv.Itoa(port), "SMTP_USER": "mailer", "SMTP_PASS": "wrong"}})
	wantError(t, e.post("/signin/passwordless/email", map[string]any{"email": "m@example.com"}), 500, "internal-server-error")
	if len(sink.messages) != 0 {
		t.Fatal("nothing should be delivered")
	}
}
