package authserver

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
)

type signInMFATOTPRequest struct {
	Ticket string `json:"ticket"`
	OTP    string `json:"otp"`
}

// mfaPayload is the first answer of a sign-in when TOTP is on.
type mfaPayload struct {
	MFA struct {
		Ticket string `json:"ticket"`
	} `json:"mfa"`
}

// mfaChallenge stores an mfaTotp ticket on the user and returns the
// {"mfa": {"ticket"}} answer that asks for the second factor.
func (s *Server) mfaChallenge(r *http.Request, q queryer, u *user) (*mfaPayload, error) {
	ticket := newTicket(ticketMFATOTP)
	if err := s.setTicket(r.Context(), q, u.ID, ticket, mfaTicketTTL); err != nil {
		return nil, err
	}
	var p mfaPayload
	p.MFA.Ticket = ticket
	return &p, nil
}

// handleSignInMFATOTP serves POST /signin/mfa/totp: the mfaTotp ticket of
// the first step plus a current TOTP code give the session.
func (s *Server) handleSignInMFATOTP(w http.ResponseWriter, r *http.Request) error {
	var req signInMFATOTPRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if ticketKind(req.Ticket) != ticketMFATOTP || req.OTP == "" {
		return fail(errInvalidTicket)
	}
	if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, req.Ticket); err != nil {
		return err
	}
	var out sessionPayload
	err := s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.userWhere(r.Context(), tx, `ticket = $1`, req.Ticket)
		if errors.Is(err, errNoUser) || (err == nil && !s.now().Before(u.TicketExpiresAt)) {
			return fail(errInvalidTicket)
		}
		if err != nil {
			return err
		}
		if u.ActiveMFAType.String != "totp" || !u.TOTPSecret.Valid {
			return fail(errDisabledMFATOTP)
		}
		if !totpValid(u.TOTPSecret.String, req.OTP, s.now()) {
			return fail(errInvalidTOTP)
		}
		if _, err := tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET ticket = NULL, ticket_expires_at = $1 WHERE id = $2`),
			s.d.ts(s.now()), u.ID); err != nil {
			return fmt.Errorf("consume mfa ticket: %w", err)
		}
		if err := s.checkUser(u); err != nil {
			return err
		}
		out.Session, err = s.newSession(r.Context(), tx, u)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
