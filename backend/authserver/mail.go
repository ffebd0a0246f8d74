package authserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/google/uuid"
)

//go:embed templates
var templateFS embed.FS

// message is one email or SMS on its way out.
type message struct {
	Kind    string // "email" or "sms"
	To      string
	Subject string
	Text    string
	HTML    string
	Link    string
}

// emailData feeds the email templates.
type emailData struct {
	Subject, DisplayName, Email, Link, Locale string
	Ticket, RedirectTo, ServerURL, ClientURL  string
}

// mailer renders emails and sends them over SMTP, or keeps them in the
// outbox when no SMTP host is configured.
type mailer struct {
	cfg  SMTPConfig
	html map[string]*htmltemplate.Template
	text map[string]*texttemplate.Template
}

// emailTemplates are Nhost's template names.
var emailTemplates = []string{"email-verify", "email-confirm-change", "signin-passwordless", "signin-otp", "password-reset"}

func newMailer(cfg SMTPConfig) (*mailer, error) {
	m := &mailer{cfg: cfg, html: map[string]*htmltemplate.Template{}, text: map[string]*texttemplate.Template{}}
	for _, name := range emailTemplates {
		h, err := htmltemplate.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("authserver: template %s: %w", name, err)
		}
		t, err := texttemplate.ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("authserver: template %s: %w", name, err)
		}
		m.html[name], m.text[name] = h, t
	}
	return m, nil
}

// render builds the email of template name for data.
func (m *mailer) render(name string, to string, data emailData) (*message, error) {
	var subject, text, html bytes.Buffer
	if err := m.text[name].ExecuteTemplate(&subject, "subject", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	data.Subject = strings.TrimSpace(subject.String())
	if err := m.text[name].ExecuteTemplate(&text, "text", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	if err := m.html[name].ExecuteTemplate(&html, "layout", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return &message{Kind: "email", To: to, Subject: data.Subject, Text: text.String(), HTML: html.String(), Link: data.Link}, nil
}

// external reports whether email leaves the process (SMTP configured).
func (m *mailer) external() bool { return m.cfg.Host != "" }

// stage writes msg to the outbox inside the request's transaction when
// its channel is not external; external messages are sent by dispatch
// once the transaction has committed.
func (s *Server) stage(ctx context.Context, tx *sql.Tx, msg *message) error {
	if (msg.Kind == "email" && s.mail.external()) || (msg.Kind == "sms" && s.sms.external()) {
		return nil
	}
	// UUIDv7 ids sort in creation order, even under a frozen test clock.
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	_, err = tx.ExecContext(ctx, s.d.q(`INSERT INTO {outbox} (id, created_at, kind, recipient, subject, body_text, body_html, link)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`),
		id.String(), s.d.ts(s.now()), msg.Kind, msg.To, msg.Subject, msg.Text, msg.HTML, msg.Link)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// dispatch sends msg over its external channel, if it has one.
func (s *Server) dispatch(ctx context.Context, msg *message) error {
	if msg == nil {
		return nil
	}
	switch {
	case msg.Kind == "email" && s.mail.external():
		return s.mail.send(ctx, msg, s.now())
	case msg.Kind == "sms" && s.sms.external():
		return s.sms.send(ctx, msg.To, msg.Text)
	}
	return nil
}

// send delivers one email over SMTP: implicit TLS with AUTH_SMTP_SECURE,
// otherwise STARTTLS whenever the server offers it.
func (m *mailer) send(ctx context.Context, msg *message, now time.Time) error {
	addr := net.JoinHostPort(m.cfg.Host, strconv.Itoa(m.cfg.Port))
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("smtp dial: %w", err)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Second)
	}
	_ = conn.SetDeadline(deadline)
	tlsCfg := &tls.Config{ServerName: m.cfg.Host}
	if m.cfg.Secure {
		conn = tls.Client(conn, tlsCfg)
	}
	c, err := smtp.NewClient(conn, m.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp greet: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp hello: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && !m.cfg.Secure {
		if err := c.StartTLS(tlsCfg); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if m.cfg.User != "" {
		var a smtp.Auth
		switch m.cfg.AuthMethod {
		case "LOGIN":
			a = loginAuth{m.cfg.User, m.cfg.Pass}
		case "CRAM-MD5":
			a = smtp.CRAMMD5Auth(m.cfg.User, m.cfg.Pass)
		default:
			a = smtp.PlainAuth("", m.cfg.User, m.cfg.Pass, m.cfg.Host)
		}
		if err := c.Auth(a); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	body, err := m.compose(msg, now)
	if err != nil {
		return err
	}
	if err := c.Mail(envelopeAddress(m.cfg.Sender)); err != nil {
		return fmt.Errorf("smtp mail: %w", err)
	}
	if err := c.Rcpt(msg.To); err != nil {
		return fmt.Errorf("smtp rcpt: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	return c.Quit()
}

// envelopeAddress is the bare address of a From value such as
// "Notes <auth@notes.test>".
func envelopeAddress(sender string) string {
	if a, err := mail.ParseAddress(sender); err == nil {
		return a.Address
	}
	return sender
}

// loginAuth is the LOGIN mechanism, which net/smtp lacks.
type loginAuth struct{ user, pass string }

func (a loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

func (a loginAuth) Next(from []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	if strings.Contains(strings.ToLower(string(from)), "user") {
		return []byte(a.user), nil
	}
	return []byte(a.pass), nil
}

// compose builds a multipart/alternative message with text and HTML parts.
func (m *mailer) compose(msg *message, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	idBytes := make([]byte, 12)
	_, _ = rand.Read(idBytes)
	host := m.cfg.Host
	if from := envelopeAddress(m.cfg.Sender); strings.Contains(from, "@") {
		host = from[strings.LastIndexByte(from, '@')+1:]
	}
	fmt.Fprintf(&buf, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=%q\r\n\r\n",
		m.cfg.Sender, msg.To, mime.QEncoding.Encode("utf-8", msg.Subject), now.UTC().Format(time.RFC1123Z),
		hex.EncodeToString(idBytes), host, mw.Boundary())
	for _, part := range []struct{ ctype, body string }{{"text/plain", msg.Text}, {"text/html", msg.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.ctype + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(part.body)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
