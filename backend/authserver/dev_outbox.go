package authserver

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// outboxMessage is one entry of GET /dev/outbox.
type outboxMessage struct {
	ID        string `json:"id"`
	CreatedAt string `json:"createdAt"`
	Kind      string `json:"kind"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	Link      string `json:"link"`
}

// outboxLimit bounds one listing.
const outboxLimit = 200

// handleDevOutbox serves GET /dev/outbox, the dev inbox: the newest
// messages first, optionally only those ?to= one recipient. Only a request
// with the admin secret in x-hasura-admin-secret may read it, and it does
// not exist when mail goes out over SMTP.
func (s *Server) handleDevOutbox(w http.ResponseWriter, r *http.Request) error {
	if s.mail.external() || s.adminSecret == "" {
		http.NotFound(w, r)
		return nil
	}
	got := r.Header.Get("x-hasura-admin-secret")
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.adminSecret)) != 1 {
		writeJSON(w, http.StatusUnauthorized, unauthorizedBody{Error: string(errUnauthorized), Reason: "invalid admin secret", SecurityScheme: "AdminSecret"})
		return nil
	}
	query := `SELECT id, created_at, kind, recipient, subject, body_text, body_html, link FROM {outbox}`
	args := []any{}
	if to := r.URL.Query().Get("to"); to != "" && !strings.ContainsRune(to, 0) {
		query += ` WHERE recipient = $1`
		args = append(args, to)
	}
	query += fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT %d`, outboxLimit)
	rows, err := s.d.db.QueryContext(r.Context(), s.d.q(query), args...)
	if err != nil {
		return fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	out := []outboxMessage{}
	for rows.Next() {
		var m outboxMessage
		var at dbTime
		if err := rows.Scan(&m.ID, &at, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Link); err != nil {
			return fmt.Errorf("list outbox: %w", err)
		}
		m.CreatedAt = at.UTC().Format(time.RFC3339Nano)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list outbox: %w", err)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
