package authserver

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"
)

type userDeanonymizeRequest struct {
	SignInMethod string         `json:"signInMethod"`
	Email        string         `json:"email"`
	Password     string         `json:"password"`
	Options      *signUpOptions `json:"options"`
	// CodeChallenge asks for a PKCE hand-off after the link.
	CodeChallenge string `json:"codeChallenge"`
}

// handleUserDeanonymize serves POST /user/deanonymize (Bearer of an
// anonymous user): the account gets an email (and a password for
// email-password), its roles from the options, and stops being anonymous.
// When a link must be followed (passwordless, or verification required)
// it is emailed and every session of the user ends.
func (s *Server) handleUserDeanonymize(w http.ResponseWriter, r *http.Request) error {
	userID, err := s.bearer(r)
	if err != nil {
		writeUnauthorized(w, err)
		return nil
	}
	var req userDeanonymizeRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.SignInMethod != "email-password" && req.SignInMethod != "passwordless" {
		return fail(errInvalidRequest)
	}
	email, err := normalizeEmail(req.Email)
	if err != nil {
		return err
	}
	if !s.emailAllowed(email) {
		return fail(errInvalidEmailPassword)
	}
	hash := ""
	if req.SignInMethod == "email-password" {
		if req.Password == "" {
			return fail(errInvalidRequest)
		}
		if err := s.checkPassword(req.Password); err != nil {
			return err
		}
	}
	prof, err := s.resolve(req.Options, email)
	if err != nil {
		return err
	}
	challenge, err := codeChallengeParam(req.CodeChallenge)
	if err != nil {
		return err
	}
	if req.SignInMethod == "email-password" {
		if hash, err = s.hasher.hash(r.Context(), req.Password); err != nil {
			return err
		}
	}
	var msg *message
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.userByID(r.Context(), tx, userID)
		if errors.Is(err, errNoUser) {
			return fail(errInvalidRequest)
		}
		if err != nil {
			return err
		}
		if !u.IsAnonymous {
			return fail(errUserNotAnonymous)
		}
		_, err = tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET email = $1, password_hash = $2, is_anonymous = false,
			default_role = $3, display_name = $4, locale = $5, avatar_url = $6 WHERE id = $7`),
			email, nullable(hash), prof.DefaultRole, prof.DisplayName, prof.Locale, s.gravatar(email), u.ID)
		if isUniqueViolation(err) {
			return fail(errEmailAlreadyInUse)
		}
		if err != nil {
			return fmt.Errorf("deanonymize: %w", err)
		}
		if err := s.replaceRoles(r, tx, u.ID, prof.Roles); err != nil {
			return err
		}
		u.Email.String, u.Email.Valid, u.DisplayName = email, true, prof.DisplayName
		var ticket, kind, template, link string
		switch {
		case req.SignInMethod == "passwordless":
			ticket, kind, template, link = newTicket(ticketPasswordlessEmail), ticketPasswordlessEmail, "signin-passwordless", linkSigninPasswordless
		case s.cfg.EmailVerificationRequired:
			ticket, kind, template, link = newTicket(ticketVerifyEmail), ticketVerifyEmail, "email-verify", linkEmailVerify
		default:
			return nil
		}
		ttl := passwordlessTTL
		if kind == ticketVerifyEmail {
			ttl = verifyEmailTTL
		}
		if err := s.setTicket(r.Context(), tx, u.ID, ticket, ttl); err != nil {
			return err
		}
		if msg, err = s.ticketEmail(r, template, u, ticket, link, prof.RedirectTo, challenge); err != nil {
			return err
		}
		if _, err := tx.ExecContext(r.Context(), s.d.q(`DELETE FROM {refresh_tokens} WHERE user_id = $1`), u.ID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return s.stage(r.Context(), tx, msg)
	})
	if err != nil {
		return err
	}
	if err := s.dispatch(r.Context(), msg); err != nil {
		return internal(err)
	}
	writeOK(w)
	return nil
}

// replaceRoles sets the user's rows of auth.user_roles to roles.
func (s *Server) replaceRoles(r *http.Request, tx *sql.Tx, userID string, roles []string) error {
	if _, err := tx.ExecContext(r.Context(), s.d.q(`DELETE FROM {user_roles} WHERE user_id = $1`), userID); err != nil {
		return fmt.Errorf("replace roles: %w", err)
	}
	for _, role := range roles {
		if _, err := tx.ExecContext(r.Context(), s.d.q(`INSERT INTO {user_roles} (id, created_at, user_id, role) VALUES ($1, $2, $3, $4)`),
			uuid.NewString(), s.d.ts(s.now()), userID, role); err != nil {
			return fmt.Errorf("replace roles: %w", err)
		}
	}
	return nil
}
