package web

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/notes-app/notes/views"
)

// Limits of the forms; the auth service and the database enforce their own.
const (
	maxTitle    = 200
	maxContent  = 100_000
	maxEmail    = 254
	maxPassword = 50
	maxName     = 32
)

var (
	phonePattern = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	otpPattern   = regexp.MustCompile(`^[0-9]{4,8}$`)
	uuidPattern  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// credentialsForm is the sign-in and sign-up form.
type credentialsForm struct {
	Email       string `form:"email"`
	Password    string `form:"password"`
	DisplayName string `form:"displayName"`
}

// Valid returns a message per bad field; empty means valid.
func (f *credentialsForm) Valid() views.Errors {
	f.Email = strings.TrimSpace(f.Email)
	f.DisplayName = strings.TrimSpace(f.DisplayName)
	errs := views.Errors{}
	if msg := checkEmail(f.Email); msg != "" {
		errs["email"] = msg
	}
	switch {
	case f.Password == "":
		errs["password"] = "Enter your password."
	case utf8.RuneCountInString(f.Password) > maxPassword:
		errs["password"] = "Use at most 50 characters."
	}
	if utf8.RuneCountInString(f.DisplayName) > maxName {
		errs["displayName"] = "Use at most 32 characters."
	}
	return errs
}

func checkEmail(email string) string {
	if email == "" {
		return "Enter your email address."
	}
	if len(email) > maxEmail {
		return "That email address is too long."
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return "Enter an email address like name@example.com."
	}
	return ""
}

// phoneForm starts an SMS sign-in; otp completes it.
type phoneForm struct {
	Phone string `form:"phone"`
	OTP   string `form:"otp"`
}

// Valid checks the phone number (E.164) and, when withCode, the code.
func (f *phoneForm) Valid(withCode bool) views.Errors {
	f.Phone = strings.ReplaceAll(strings.TrimSpace(f.Phone), " ", "")
	f.OTP = strings.TrimSpace(f.OTP)
	errs := views.Errors{}
	if !phonePattern.MatchString(f.Phone) {
		errs["phone"] = "Enter the number with its country code, like +15551234567."
	}
	if withCode && !otpPattern.MatchString(f.OTP) {
		errs["otp"] = "Enter the code from the text message."
	}
	return errs
}

// noteForm creates or updates a note.
type noteForm struct {
	Title    string `form:"title"`
	Content  string `form:"content"`
	IsPublic bool   `form:"is_public"`
}

// Valid checks title and content.
func (f *noteForm) Valid() views.Errors {
	f.Title = strings.TrimSpace(f.Title)
	f.Content = strings.ReplaceAll(f.Content, "\r\n", "\n")
	errs := views.Errors{}
	switch {
	case f.Title == "":
		errs["title"] = "Give the note a title."
	case utf8.RuneCountInString(f.Title) > maxTitle:
		errs["title"] = "Keep the title under 200 characters."
	}
	if len(f.Content) > maxContent {
		errs["content"] = "The note is too long (100,000 characters at most)."
	}
	return errs
}

// listQuery is the notes list's search, sort and page.
type listQuery struct {
	Q    string `query:"q"`
	Sort string `query:"sort"`
	Page int    `query:"page"`
}

// normalize clamps the query to sane values.
func (q *listQuery) normalize() {
	q.Q = strings.TrimSpace(q.Q)
	if len(q.Q) > 200 {
		q.Q = q.Q[:200]
	}
	switch q.Sort {
	case "updated", "created", "title":
	default:
		q.Sort = "updated"
	}
	if q.Page < 1 {
		q.Page = 1
	}
}
