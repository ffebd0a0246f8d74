package authserver

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// handleVerify serves GET /verify, the target of every email link: it
// consumes the ticket, applies its action and redirects to redirectTo with
// refreshToken and type, or with error and errorDescription.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rawTo := q.Get("redirectTo")
	if _, err := url.Parse(rawTo); err != nil {
		return fail(errInvalidRequest)
	}
	target, err := s.redirectTarget(rawTo)
	if err != nil {
		fallback, _ := s.redirectTarget("")
		s.redirectError(w, r, fallback, errRedirectToNotAllowed)
		return nil
	}
	if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, ""); err != nil {
		return err
	}
	challenge, err := codeChallengeParam(q.Get("codeChallenge"))
	if err != nil {
		s.redirectError(w, r, target, errInvalidRequest)
		return nil
	}
	ticket := q.Get("ticket")
	kind := ticketKind(ticket)
	switch kind {
	case ticketVerifyEmail, ticketPasswordlessEmail, ticketPasswordReset, ticketEmailConfirmChange:
	default:
		s.redirectError(w, r, target, errInvalidTicket)
		return nil
	}
	var params url.Values
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.userWhere(r.Context(), tx, `ticket = $1`, ticket)
		if errors.Is(err, errNoUser) || (err == nil && !s.now().Before(u.TicketExpiresAt)) {
			return fail(errInvalidTicket)
		}
		if err != nil {
			return err
		}
		now := s.d.ts(s.now())
		set := `ticket = NULL, ticket_expires_at = $1`
		switch kind {
		case ticketVerifyEmail, ticketPasswordlessEmail:
			set += `, email_verified = true`
			u.EmailVerified = true
		case ticketEmailConfirmChange:
			set += `, email = new_email, new_email = NULL, email_verified = true`
			u.EmailVerified = true
		}
		if _, err := tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET `+set+` WHERE id = $2`), now, u.ID); err != nil {
			if isUniqueViolation(err) {
				return fail(errEmailAlreadyInUse)
			}
			return fmt.Errorf("consume ticket: %w", err)
		}
		if err := s.checkUser(u); err != nil {
			return err
		}
		params, err = s.handoff(r.Context(), tx, u.ID, challenge, target)
		return err
	})
	var ae *apiError
	if errors.As(err, &ae) && ae.code != errInternal {
		s.redirectError(w, r, target, ae.code)
		return nil
	}
	if err != nil {
		return err
	}
	params.Set("type", kind)
	http.Redirect(w, r, redirectWith(target, params), http.StatusFound)
	return nil
}
