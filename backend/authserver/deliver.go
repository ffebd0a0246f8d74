package authserver

import (
	"database/sql"
	"net/http"
)

// deliver runs build in one transaction and stages the message it returns
// (nil: nothing to send, yet still "OK", so the answer reveals nothing);
// once the transaction has committed, the message goes out over its
// external channel, if it has one, and the client gets "OK".
func (s *Server) deliver(w http.ResponseWriter, r *http.Request, build func(tx *sql.Tx) (*message, error)) error {
	var msg *message
	err := s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		m, err := build(tx)
		if err != nil || m == nil {
			return err
		}
		msg = m
		return s.stage(r.Context(), tx, m)
	})
	if err != nil {
		return err
	}
	if err := s.dispatch(r.Context(), msg); err != nil {
		if msg.Kind == "sms" {
			s.log.WarnContext(r.Context(), "send sms failed", "err", err)
			return fail(errCannotSendSMS)
		}
		return internal(err)
	}
	writeOK(w)
	return nil
}

// linkRequest is the checked body of an endpoint that emails a link: the
// address, where the link leads afterwards and the PKCE challenge.
type linkRequest struct {
	email, target, challenge string
}

// checkLinkRequest checks a link request's fields in Nhost's order and
// spends one token of the address's email bucket.
func (s *Server) checkLinkRequest(r *http.Request, rawEmail string, opts *redirectOptions, rawChallenge string) (linkRequest, error) {
	var lr linkRequest
	var err error
	if lr.email, err = normalizeEmail(rawEmail); err != nil {
		return lr, err
	}
	if lr.target, err = s.redirectTarget(redirectOf(opts)); err != nil {
		return lr, err
	}
	if lr.challenge, err = codeChallengeParam(rawChallenge); err != nil {
		return lr, err
	}
	return lr, s.limit(r, "email", s.cfg.RateLimit.Email, s.emailSubject(lr.email))
}

// passwordlessEmailStart reads the body shared by the magic-link and
// email-code sign-ins: the address (normalised, rate limited, allowed) and
// the sign-up options for a user created on the way.
func (s *Server) passwordlessEmailStart(w http.ResponseWriter, r *http.Request) (passwordlessEmailRequest, string, profile, error) {
	var req passwordlessEmailRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return req, "", profile{}, err
	}
	email, err := normalizeEmail(req.Email)
	if err != nil {
		return req, "", profile{}, err
	}
	if err := s.limit(r, "email", s.cfg.RateLimit.Email, s.emailSubject(email)); err != nil {
		return req, "", profile{}, err
	}
	if !s.emailAllowed(email) {
		return req, "", profile{}, fail(errInvalidEmailPassword)
	}
	prof, err := s.resolve(req.Options, email)
	return req, email, prof, err
}

// newEmailUser is the user a passwordless email sign-in creates.
func (s *Server) newEmailUser(email string, prof profile) newUser {
	return newUser{
		Email: email, DisplayName: prof.DisplayName, AvatarURL: s.gravatar(email),
		Locale: prof.Locale, DefaultRole: prof.DefaultRole, Roles: prof.Roles, Metadata: prof.Metadata,
	}
}
