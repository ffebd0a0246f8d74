package authserver

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/notes-app/notes/backend/store"
)

// user is one row of auth.users with the roles of auth.user_roles.
type user struct {
	ID                  string
	CreatedAt           time.Time
	Disabled            bool
	DisplayName         string
	AvatarURL           string
	Locale              string
	Email               sql.NullString
	PhoneNumber         sql.NullString
	PasswordHash        sql.NullString
	EmailVerified       bool
	PhoneNumberVerified bool
	DefaultRole         string
	IsAnonymous         bool
	ActiveMFAType       sql.NullString
	TOTPSecret          sql.NullString
	Metadata            []byte
	OTPHash             sql.NullString
	OTPHashExpiresAt    time.Time
	OTPMethodLastUsed   sql.NullString
	OTPAttempts         int
	Ticket              sql.NullString
	TicketExpiresAt     time.Time
	Roles               []string
}

const userColumns = `id, created_at, disabled, display_name, avatar_url, locale, email,
	phone_number, password_hash, email_verified, phone_number_verified, default_role,
	is_anonymous, active_mfa_type, metadata, otp_hash, otp_hash_expires_at,
	otp_method_last_used, otp_attempts, ticket, ticket_expires_at, totp_secret`

// errNoUser reports that no user matched a lookup.
var errNoUser = errors.New("no such user")

// userWhere loads the one user matching cond (an SQL condition on $1),
// with its roles. It returns errNoUser when none matches.
func (s *Server) userWhere(ctx context.Context, q queryer, cond string, arg any) (*user, error) {
	return s.scanUser(q.QueryRowContext(ctx, s.d.q(`SELECT `+s.userList()+` FROM {users} WHERE `+cond), arg))
}

// userList is the select list scanUser reads: userColumns and the user's
// roles as a JSON array in the same row, so loading a user is one round
// trip to the database, not two.
func (s *Server) userList() string {
	if s.d.db.Dialect == store.SQLite {
		return userColumns + `, (SELECT json_group_array(role ORDER BY role) FROM {user_roles} WHERE user_id = {users}.id)`
	}
	return userColumns + `, (SELECT coalesce(json_agg(role ORDER BY role), '[]')::text FROM {user_roles} WHERE user_id = {users}.id)`
}

// scanUser reads a row of userList, after the values of any columns
// before it into first; sql.ErrNoRows becomes errNoUser.
func (s *Server) scanUser(row *sql.Row, first ...any) (*user, error) {
	var u user
	var created, otpExp, ticketExp dbTime
	var roles string
	err := row.Scan(append(first, &u.ID, &created, &u.Disabled, &u.DisplayName, &u.AvatarURL, &u.Locale, &u.Email,
		&u.PhoneNumber, &u.PasswordHash, &u.EmailVerified, &u.PhoneNumberVerified, &u.DefaultRole,
		&u.IsAnonymous, &u.ActiveMFAType, &u.Metadata, &u.OTPHash, &otpExp,
		&u.OTPMethodLastUsed, &u.OTPAttempts, &u.Ticket, &ticketExp, &u.TOTPSecret, &roles)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoUser
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	u.CreatedAt, u.OTPHashExpiresAt, u.TicketExpiresAt = created.Time, otpExp.Time, ticketExp.Time
	u.Roles = []string{}
	if err := json.Unmarshal([]byte(roles), &u.Roles); err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	return &u, nil
}

// touchUser sets the user's last_seen and loads them, in one statement.
func (s *Server) touchUser(ctx context.Context, q queryer, id string) (*user, error) {
	return s.scanUser(q.QueryRowContext(ctx, s.d.q(`UPDATE {users} SET last_seen = $1 WHERE id = $2 RETURNING `+s.userList()),
		s.d.ts(s.now()), id))
}

func (s *Server) userByID(ctx context.Context, q queryer, id string) (*user, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errNoUser
	}
	return s.userWhere(ctx, q, `id = $1`, id)
}

func (s *Server) userByEmail(ctx context.Context, q queryer, email string) (*user, error) {
	return s.userWhere(ctx, q, `email = $1`, email)
}

func (s *Server) userByPhone(ctx context.Context, q queryer, phone string) (*user, error) {
	return s.userWhere(ctx, q, `phone_number = $1`, phone)
}

// newUser is what account creation writes.
type newUser struct {
	Email, PhoneNumber, PasswordHash string // empty means NULL
	DisplayName, AvatarURL, Locale   string
	DefaultRole                      string
	Roles                            []string
	EmailVerified, PhoneVerified     bool
	IsAnonymous, Disabled            bool
	Metadata                         []byte
	Ticket                           string
	TicketExpiresAt                  time.Time
}

// createUser inserts a user and its roles. A taken email or phone number
// comes back as email-already-in-use.
func (s *Server) createUser(ctx context.Context, tx *sql.Tx, n newUser) (*user, error) {
	id := uuid.NewString()
	now := s.now()
	if n.Metadata == nil {
		n.Metadata = []byte("{}")
	}
	if n.TicketExpiresAt.IsZero() {
		n.TicketExpiresAt = now
	}
	_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO {users} (id, created_at, updated_at, disabled,
		display_name, avatar_url, locale, email, phone_number, password_hash, email_verified,
		phone_number_verified, default_role, is_anonymous, metadata, ticket, ticket_expires_at,
		otp_hash_expires_at)
		VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $2)`),
		id, s.d.ts(now), n.Disabled, n.DisplayName, n.AvatarURL, n.Locale, nullable(n.Email),
		nullable(n.PhoneNumber), nullable(n.PasswordHash), n.EmailVerified, n.PhoneVerified,
		n.DefaultRole, n.IsAnonymous, s.d.jsonb(n.Metadata), nullable(n.Ticket), s.d.ts(n.TicketExpiresAt))
	if isUniqueViolation(err) {
		return nil, fail(errEmailAlreadyInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("insert user: %w", err)
	}
	for _, role := range n.Roles {
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO {user_roles} (id, created_at, user_id, role)
			VALUES ($1, $2, $3, $4)`), uuid.NewString(), s.d.ts(now), id, role); err != nil {
			return nil, fmt.Errorf("insert user role: %w", err)
		}
	}
	return s.userByID(ctx, tx, id)
}

// setTicket stores a one-time ticket on the user.
func (s *Server) setTicket(ctx context.Context, q queryer, userID, ticket string, ttl time.Duration) error {
	_, err := q.ExecContext(ctx, s.d.q(`UPDATE {users} SET ticket = $1, ticket_expires_at = $2 WHERE id = $3`),
		ticket, s.d.ts(s.now().Add(ttl)), userID)
	if err != nil {
		return fmt.Errorf("set ticket: %w", err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// userJSON is the contract's User object.
type userJSON struct {
	AvatarURL           string          `json:"avatarUrl"`
	CreatedAt           string          `json:"createdAt"`
	DefaultRole         string          `json:"defaultRole"`
	DisplayName         string          `json:"displayName"`
	Email               string          `json:"email,omitempty"`
	EmailVerified       bool            `json:"emailVerified"`
	ID                  string          `json:"id"`
	IsAnonymous         bool            `json:"isAnonymous"`
	Locale              string          `json:"locale"`
	Metadata            json.RawMessage `json:"metadata"`
	PhoneNumber         string          `json:"phoneNumber,omitempty"`
	PhoneNumberVerified bool            `json:"phoneNumberVerified"`
	Roles               []string        `json:"roles"`
	ActiveMfaType       *string         `json:"activeMfaType"`
}

// toJSON renders the user; roles are given because sessions add the
// default role while GET /user does not.
func (u *user) toJSON(roles []string) *userJSON {
	j := &userJSON{
		AvatarURL: u.AvatarURL, CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339Nano),
		DefaultRole: u.DefaultRole, DisplayName: u.DisplayName, Email: u.Email.String,
		EmailVerified: u.EmailVerified, ID: u.ID, IsAnonymous: u.IsAnonymous, Locale: u.Locale,
		Metadata: json.RawMessage("null"), PhoneNumber: u.PhoneNumber.String,
		PhoneNumberVerified: u.PhoneNumberVerified, Roles: roles,
	}
	if len(u.Metadata) > 0 && json.Valid(u.Metadata) {
		j.Metadata = json.RawMessage(u.Metadata)
	}
	if u.ActiveMFAType.Valid {
		j.ActiveMfaType = &u.ActiveMFAType.String
	}
	return j
}

// sessionRoles are the allowed roles as sessions report them: the user's
// roles with the default role appended when missing.
func (u *user) sessionRoles() []string {
	roles := append([]string{}, u.Roles...)
	if !contains(roles, u.DefaultRole) {
		roles = append(roles, u.DefaultRole)
	}
	return roles
}

// passwordlessUser finds the user a passwordless request names (found
// returns errNoUser for an unknown address) or creates it as nu. ok is
// false when the request ends quietly with "OK": an unknown address while
// AUTH_DISABLE_AUTO_SIGNUP holds, or a known one on a sign-up endpoint.
func (s *Server) passwordlessUser(ctx context.Context, tx *sql.Tx, found func() (*user, error), nu newUser, signup bool) (u *user, ok bool, err error) {
	u, err = found()
	switch {
	case errors.Is(err, errNoUser):
		if !signup && s.cfg.DisableAutoSignup {
			return nil, false, nil
		}
		if s.cfg.DisableSignup {
			return nil, false, fail(errSignupDisabled)
		}
		nu.Disabled = s.cfg.DisableNewUsers
		if u, err = s.createUser(ctx, tx, nu); err != nil {
			return nil, false, err
		}
	case err != nil:
		return nil, false, err
	case signup:
		return nil, false, nil
	}
	if u.Disabled {
		return nil, false, fail(errDisabledUser)
	}
	return u, true, nil
}
