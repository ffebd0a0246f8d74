package authserver

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Ticket kinds (the prefix before ":<uuid>") and their lifetimes (contract §5).
const (
	ticketVerifyEmail        = "verifyEmail"
	ticketPasswordlessEmail  = "passwordlessEmail"
	ticketPasswordReset      = "passwordReset"
	ticketEmailConfirmChange = "emailConfirmChange"

	verifyEmailTTL   = 30 * 24 * time.Hour
	passwordlessTTL  = time.Hour
	passwordResetTTL = time.Hour
	changeEmailTTL   = time.Hour
)

// Email link types (the `type` query of the /verify link), which differ
// from the ticket kinds on purpose (contract §10.3).
const (
	linkEmailVerify        = "emailVerify"
	linkSigninPasswordless = "signinPasswordless"
	linkPasswordReset      = "passwordReset"
	linkEmailConfirmChange = "emailConfirmChange"
)

func newTicket(kind string) string { return kind + ":" + uuid.NewString() }

// ticketKind returns the kind of a well-formed ticket ("<kind>:<uuid>"),
// or "" for anything else.
func ticketKind(ticket string) string {
	kind, id, ok := strings.Cut(ticket, ":")
	if !ok || uuid.Validate(id) != nil {
		return ""
	}
	return kind
}

// verifyLink is {AUTH_SERVER_URL}/verify with redirectTo, ticket and type,
// form-encoded (so in alphabetical order), as hasura-auth builds it.
func (s *Server) verifyLink(r *http.Request, ticket, linkType, redirectTo, challenge string) string {
	q := url.Values{"redirectTo": {redirectTo}, "ticket": {ticket}, "type": {linkType}}
	if challenge != "" {
		q.Set("codeChallenge", challenge)
	}
	return s.baseURL(r) + "/verify?" + q.Encode()
}

// ticketEmail renders the email that carries a ticket link to the user.
func (s *Server) ticketEmail(r *http.Request, template string, u *user, ticket, linkType, redirectTo, challenge string) (*message, error) {
	return s.ticketEmailTo(r, u.Email.String, template, u, ticket, linkType, redirectTo, challenge)
}

// ticketEmailTo renders a ticket email to an address of the user's.
func (s *Server) ticketEmailTo(r *http.Request, to, template string, u *user, ticket, linkType, redirectTo, challenge string) (*message, error) {
	link := s.verifyLink(r, ticket, linkType, redirectTo, challenge)
	return s.mail.render(template, to, emailData{
		DisplayName: u.DisplayName, Email: to, Link: link, Locale: u.Locale,
		Ticket: ticket, RedirectTo: redirectTo, ServerURL: s.baseURL(r), ClientURL: s.cfg.ClientURL,
	})
}

// gravatar returns the Gravatar URL of an email when AUTH_GRAVATAR_ENABLED.
func (s *Server) gravatar(email string) string {
	if !s.cfg.GravatarEnabled || email == "" {
		return ""
	}
	sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "https://www.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) +
		"?" + url.Values{"d": {s.cfg.GravatarDefault}, "r": {s.cfg.GravatarRating}}.Encode()
}
