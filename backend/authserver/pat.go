package authserver

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
)

type createPATRequest struct {
	ExpiresAt time.Time       `json:"expiresAt"`
	Metadata  json.RawMessage `json:"metadata"`
}

type createPATResponse struct {
	ID                  string `json:"id"`
	PersonalAccessToken string `json:"personalAccessToken"`
}

// handleCreatePAT serves POST /pat (Bearer): a personal access token, a
// refresh-token row of type pat that lives until expiresAt.
func (s *Server) handleCreatePAT(w http.ResponseWriter, r *http.Request) error {
	userID, err := s.bearer(r)
	if err != nil {
		writeUnauthorized(w, err)
		return nil
	}
	var req createPATRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.ExpiresAt.IsZero() || !req.ExpiresAt.After(s.now()) {
		return fail(errInvalidRequest)
	}
	meta, err := metadataObject(req.Metadata)
	if err != nil {
		return err
	}
	out := createPATResponse{ID: uuid.NewString(), PersonalAccessToken: uuid.NewString()}
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.userByID(r.Context(), tx, userID)
		if errors.Is(err, errNoUser) {
			return fail(errInvalidRequest)
		}
		if err != nil {
			return err
		}
		if u.IsAnonymous {
			return fail(errForbiddenAnonymous)
		}
		_, err = tx.ExecContext(r.Context(), s.d.q(`INSERT INTO {refresh_tokens} (id, created_at, expires_at, user_id, metadata, type, refresh_token_hash)
			VALUES ($1, $2, $3, $4, $5, 'pat', $6)`), out.ID, s.d.ts(s.now()), s.d.ts(req.ExpiresAt), userID,
			s.d.jsonb(meta), hashRefreshToken(out.PersonalAccessToken))
		if err != nil {
			return fmt.Errorf("create pat: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type signInPATRequest struct {
	PersonalAccessToken string `json:"personalAccessToken"`
}

// handleSignInPAT serves POST /signin/pat: a valid personal access token
// gives a new session; the token itself stays.
func (s *Server) handleSignInPAT(w http.ResponseWriter, r *http.Request) error {
	var req signInPATRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.PersonalAccessToken == "" {
		return fail(errInvalidRequest)
	}
	if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, ""); err != nil {
		return err
	}
	var out sessionPayload
	err := s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		var userID string
		err := tx.QueryRowContext(r.Context(), s.d.q(`SELECT user_id FROM {refresh_tokens}
			WHERE refresh_token_hash = $1 AND type = 'pat' AND expires_at > $2`),
			hashRefreshToken(req.PersonalAccessToken), s.d.ts(s.now())).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return fail(errInvalidPAT)
		}
		if err != nil {
			return fmt.Errorf("find pat: %w", err)
		}
		u, err := s.userByID(r.Context(), tx, userID)
		if err != nil {
			return err
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
