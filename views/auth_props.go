package views

// SignInProps is the sign-in screen: the email + password form, and the
// passwordless and provider options the server has enabled.
type SignInProps struct {
	Email     string
	Errors    Errors
	MagicLink bool
	SMS       bool
	Phone     string
	Providers []Provider
	DevInbox  bool
}

// SignUpProps is the sign-up screen.
type SignUpProps struct {
	Email       string
	DisplayName string
	Errors      Errors
}

// CheckEmailProps is the "check your email" screen after a sign-up, a magic
// link request or a sign-in of an unverified account.
type CheckEmailProps struct {
	Email    string
	Reason   string
	DevInbox bool
	Resend   bool
}

// SMSCodeProps is the screen where the texted code is typed.
type SMSCodeProps struct {
	Phone    string
	Errors   Errors
	DevInbox bool
}
