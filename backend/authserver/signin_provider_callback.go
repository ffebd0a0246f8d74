package authserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"github.com/markbates/goth"
)

// handleSignInProviderCallback serves GET and POST
// /signin/provider/{provider}/callback: it checks the state, exchanges the
// code, fetches the profile, then finds, links or creates the user and
// redirects to redirectTo with a refreshToken. Every failure is a redirect
// with error and errorDescription (contract §4.5).
func (s *Server) handleSignInProviderCallback(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("provider")
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	_ = r.ParseForm()
	fallback, _ := s.redirectTarget("")
	st, err := s.parseState(r.Form.Get("state"), name)
	if err != nil {
		body := s.response(errInvalidState)
		http.Redirect(w, r, redirectWith(fallback, url.Values{
			"error": {string(body.Error)}, "errorDescription": {body.Message},
			"provider_state": {r.Form.Get("state")},
		}), http.StatusFound)
		return
	}
	if perr := r.Form.Get("error"); perr != "" {
		body := s.response(errOAuthProvider)
		params := url.Values{
			"error": {string(body.Error)}, "errorDescription": {body.Message},
			"provider_error": {perr}, "provider_error_description": {r.Form.Get("error_description")},
			"provider_error_url": {r.Form.Get("error_uri")},
		}
		if st.AppState != "" {
			params.Set("state", st.AppState)
		}
		http.Redirect(w, r, redirectWith(st.RedirectTo, params), http.StatusFound)
		return
	}
	p, ok := s.providers[name]
	if !ok {
		s.redirectError(w, r, st.RedirectTo, errDisabledEndpoint)
		return
	}
	gp := p.goth(s.callbackURL(r, name))
	sess, err := gp.BeginAuth(r.Form.Get("state"))
	if err == nil {
		_, err = sess.Authorize(gp, r.Form)
	}
	if err != nil {
		s.log.WarnContext(r.Context(), "oauth token exchange failed", "provider", name, "err", err)
		s.redirectError(w, r, st.RedirectTo, errOAuthTokenExchange)
		return
	}
	gu, err := gp.FetchUser(sess)
	if err != nil || gu.UserID == "" {
		s.log.WarnContext(r.Context(), "oauth profile fetch failed", "provider", name, "err", err)
		s.redirectError(w, r, st.RedirectTo, errOAuthProfileFetch)
		return
	}
	params, err := s.providerSignIn(r, p, st, gu)
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.code == errInternal {
			s.log.ErrorContext(r.Context(), "oauth sign-in failed", "provider", name, "err", err)
			ae = &apiError{code: errInternal}
		}
		s.redirectError(w, r, st.RedirectTo, ae.code)
		return
	}
	if st.AppState != "" {
		params.Set("state", st.AppState)
	}
	http.Redirect(w, r, redirectWith(st.RedirectTo, params), http.StatusFound)
}

// providerSignIn finds the user of a provider identity (linked identity,
// then same verified email, then a new user) and returns a new refresh
// token (or PKCE code) as redirect parameters, none when no session is due
// (linking, or an unverified email).
func (s *Server) providerSignIn(r *http.Request, p *oauthProvider, st *oauthState, gu goth.User) (url.Values, error) {
	ctx := r.Context()
	email, _ := normalizeEmail(gu.Email)
	verified := email != "" && p.spec.emailVerified(gu)
	params := url.Values{}
	var msg *message
	err := s.d.inTx(ctx, func(tx *sql.Tx) error {
		linked, err := s.linkedUser(ctx, tx, p.name, gu.UserID)
		if err != nil {
			return err
		}
		if st.Connect != "" {
			if linked != "" && linked != st.Connect {
				return fail(errProviderAccountLinked)
			}
			if linked == "" {
				return s.link(ctx, tx, st.Connect, p.name, gu.UserID)
			}
			return nil
		}
		var u *user
		if st.Flow == flowSignUp && linked != "" {
			return fail(errUserAlreadyExists)
		}
		switch {
		case linked != "":
			if u, err = s.userByID(ctx, tx, linked); err != nil {
				return err
			}
		case email != "":
			u, err = s.userByEmail(ctx, tx, email)
			if err != nil && !errors.Is(err, errNoUser) {
				return err
			}
			if u != nil && st.Flow == flowSignUp {
				return fail(errUserAlreadyExists)
			}
			if u != nil && !verified {
				return fail(errEmailAlreadyInUse)
			}
			if u != nil {
				if err := s.link(ctx, tx, u.ID, p.name, gu.UserID); err != nil {
					return err
				}
			}
		}
		if u == nil {
			if u, err = s.createProviderUser(ctx, tx, st, gu, email, verified); err != nil {
				return err
			}
			if err := s.link(ctx, tx, u.ID, p.name, gu.UserID); err != nil {
				return err
			}
			if email != "" && !verified && s.cfg.EmailVerificationRequired {
				ticket := newTicket(ticketVerifyEmail)
				if err := s.setTicket(ctx, tx, u.ID, ticket, verifyEmailTTL); err != nil {
					return err
				}
				u.Email.String = email
				if msg, err = s.ticketEmail(r, "email-verify", u, ticket, linkEmailVerify, st.RedirectTo, st.CodeChallenge); err != nil {
					return err
				}
				return s.stage(ctx, tx, msg)
			}
		}
		if verified && !u.EmailVerified && strings.EqualFold(u.Email.String, email) {
			// The provider proves the address; whoever registered it
			// before without proving it loses the password and sessions
			// they set (no pre-registration takeover).
			if _, err := tx.ExecContext(ctx, s.d.q(`UPDATE {users} SET email_verified = true, password_hash = NULL WHERE id = $1`), u.ID); err != nil {
				return fmt.Errorf("verify email: %w", err)
			}
			if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM {refresh_tokens} WHERE user_id = $1`), u.ID); err != nil {
				return fmt.Errorf("verify email: %w", err)
			}
			u.EmailVerified = true
		}
		if err := s.checkUser(u); err != nil {
			return err
		}
		params, err = s.handoff(ctx, tx, u.ID, st.CodeChallenge, st.RedirectTo)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.dispatch(ctx, msg); err != nil {
		return nil, internal(err)
	}
	return params, nil
}

func (s *Server) createProviderUser(ctx context.Context, tx *sql.Tx, st *oauthState, gu goth.User, email string, verified bool) (*user, error) {
	if s.cfg.DisableSignup {
		return nil, fail(errSignupDisabled)
	}
	if s.cfg.DisableAutoSignup && st.Flow != flowSignUp {
		return nil, fail(errInvalidEmailPassword)
	}
	if email != "" && !s.emailAllowed(email) {
		return nil, fail(errInvalidEmailPassword)
	}
	name := st.DisplayName
	for _, c := range []string{gu.Name, gu.NickName, email, gu.UserID} {
		if name == "" {
			name = strings.TrimSpace(c)
		}
	}
	name = strings.Map(dropControl, name)
	avatar := strings.Map(dropControl, gu.AvatarURL)
	if avatar == "" {
		avatar = s.gravatar(email)
	}
	return s.createUser(ctx, tx, newUser{
		Email: email, DisplayName: name, AvatarURL: avatar, Locale: st.Locale,
		DefaultRole: st.DefaultRole, Roles: st.Roles, Metadata: st.Metadata,
		EmailVerified: verified, Disabled: s.cfg.DisableNewUsers,
	})
}

// linkedUser returns the user id linked to a provider identity, or "".
func (s *Server) linkedUser(ctx context.Context, q queryer, provider, providerUserID string) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, s.d.q(`SELECT user_id FROM {user_providers} WHERE provider_id = $1 AND provider_user_id = $2`),
		provider, providerUserID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find provider link: %w", err)
	}
	return id, nil
}

// link records that userID owns the provider identity. The provider's own
// tokens are not kept: access_token holds hasura-auth's 'unset'.
func (s *Server) link(ctx context.Context, tx *sql.Tx, userID, provider, providerUserID string) error {
	now := s.d.ts(s.now())
	_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO {user_providers} (id, created_at, updated_at, user_id, access_token, provider_id, provider_user_id)
		VALUES ($1, $2, $2, $3, 'unset', $4, $5)`), uuid.NewString(), now, userID, provider, providerUserID)
	if isUniqueViolation(err) {
		return fail(errProviderAccountLinked)
	}
	if err != nil {
		return fmt.Errorf("link provider: %w", err)
	}
	return nil
}

// dropControl removes control characters (NUL breaks Postgres text) from
// what a provider says about its user.
func dropControl(r rune) rune {
	if unicode.IsControl(r) {
		return -1
	}
	return r
}
