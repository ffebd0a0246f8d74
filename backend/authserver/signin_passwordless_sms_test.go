package authserver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"
)

var codePattern = regexp.MustCompile(`\b[0-9]{6}\b`)

func (e *testEnv) lastCode(phone string) string {
	e.t.Helper()
	msgs := e.outbox(phone)
	if len(msgs) == 0 || msgs[0].Kind != "sms" {
		e.t.Fatalf("no SMS to %s", phone)
	}
	code := codePattern.FindString(msgs[0].Text)
	if code == "" {
		e.t.Fatalf("no code in %q", msgs[0].Text)
	}
	return code
}

func TestPasswordlessSMS(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		const phone = "+15555550100"
		wantOK(t, e.post("/signin/passwordless/sms", map[string]any{"phoneNumber": "+1 555-555-0100"}))
		code := e.lastCode(phone)
		var stored string
		if err := e.db.QueryRow(e.srv.d.q(`SELECT otp_hash FROM {users} WHERE phone_number = $1`), phone).Scan(&stored); err != nil || stored == code || len(stored) < 50 {
			t.Fatalf("the code must be stored hashed: %q (%v)", stored, err)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		wantError(t, e.post("/signin/passwordless/sms/otp", map[string]any{"phoneNumber": phone, "otp": wrong}), 400, "invalid-otp")
		s := wantSession(t, e.post("/signin/passwordless/sms/otp", map[string]any{"phoneNumber": phone, "otp": code}))
		u := s["user"].(map[string]any)
		if u["phoneNumber"] != phone || u["phoneNumberVerified"] != true || u["displayName"] != phone {
			t.Fatalf("user %v", u)
		}
		if _, ok := u["email"]; ok {
			t.Fatalf("email must be omitted: %v", u)
		}
		wantError(t, e.post("/signin/passwordless/sms/otp", map[string]any{"phoneNumber": phone, "otp": code}), 400, "invalid-otp")
		t.Run("expired code", func(t *testing.T) {
			wantOK(t, e.post("/signin/passwordless/sms", map[string]any{"phoneNumber": phone}))
			code := e.lastCode(phone)
			e.clock.Advance(5*time.Minute + time.Second)
			wantError(t, e.post("/signin/passwordless/sms/otp", map[string]any{"phoneNumber": phone, "otp": code}), 400, "invalid-otp")
		})
		t.Run("too many attempts", func(t *testing.T) {
			wantOK(t, e.post("/signin/passwordless/sms", map[string]any{"phoneNumber": phone}))
			code := e.lastCode(phone)
			bad := "123456"
			if code == bad {
				bad = "654321"
			}
			for range maxOTPAttempts {
				wantError(t, e.post("/signin/passwordless/sms/otp", map[string]any{"phoneNumber": phone, "otp": bad}), 400, "invalid-otp")
			}
			wantError(t, e.post("/signin/passwordless/sms/otp", map[string]any{"phoneNumber": phone, "otp": code}), 400, "otp-too-many-attempts")
			wantOK(t, e.post("/signin/passwordless/sms", map[string]any{"phoneNumber": phone}))
			wantSession(t, e.post("/signin/passwordless/sms/otp", map[string]any{"phoneNumber": phone, "otp": e.lastCode(phone)}))
		})
		for name, c := range map[string]struct {
			path   string
			body   any
			status int
			code   string
		}{
			"bad phone":         {"/signin/passwordless/sms", map[string]any{"phoneNumber": "12"}, 400, "invalid-request"},
			"phone wrong type":  {"/signin/passwordless/sms", map[string]any{"phoneNumber": 15555550100}, 400, "invalid-request"},
			"unknown phone otp": {"/signin/passwordless/sms/otp", map[string]any{"phoneNumber": "+15555550199", "otp": "123456"}, 400, "invalid-request"},
			"missing otp":       {"/signin/passwordless/sms/otp", map[string]any{"phoneNumber": phone}, 400, "invalid-request"},
		} {
			t.Run(name, func(t *testing.T) { wantError(t, e.post(c.path, c.body), c.status, c.code) })
		}
		t.Run("signup twin", func(t *testing.T) {
			before := len(e.outbox(phone))
			wantOK(t, e.post("/signup/passwordless/sms", map[string]any{"phoneNumber": phone}))
			if len(e.outbox(phone)) != before {
				t.Fatal("existing number must get no SMS from the sign-up twin")
			}
		})
		off := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_SMS_PASSWORDLESS_ENABLED": "false"}})
		wantError(t, off.post("/signin/passwordless/sms", map[string]any{"phoneNumber": phone}), 409, "disabled-endpoint")
	})
}

// twilioStub speaks Twilio's Messages API.
type twilioStub struct {
	mu   sync.Mutex
	sent []url.Values
	fail bool
}

func (s *twilioStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/AC123/Messages.json" || !ok || user != "AC123" || pass != "tok" {
		http.Error(w, `{"code":20003,"message":"Authenticate"}`, http.StatusUnauthorized)
		return
	}
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":21211,"message":"Invalid 'To' Phone Number"}`))
		return
	}
	s.sent = append(s.sent, r.PostForm)
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write([]byte(`{"sid":"SM1","status":"queued"}`))
}

func TestPasswordlessSMSViaTwilio(t *testing.T) {
	t.Parallel()
	stub := &twilioStub{}
	ts := httptest.NewServer(stub)
	defer ts.Close()
	client := &http.Client{Transport: &rewriter{base: http.DefaultTransport, rules: map[string]string{
		endpointKey(twilioAPI + "/2010-04-01/Accounts/AC123/Messages.json"): ts.URL + "/2010-04-01/Accounts/AC123/Messages.json",
	}}}
	e := mustEnv(t, sqliteURL, setup{
		env: map[string]string{"AUTH_SMS_PROVIDER": "twilio", "AUTH_SMS_TWILIO_ACCOUNT_SID": "AC123",
			"AUTH_SMS_TWILIO_AUTH_TOKEN": "tok", "AUTH_SMS_TWILIO_MESSAGING_SERVICE_ID": "MG999"},
		opts: func(o *Options) { o.HTTPClient = client },
	})
	wantOK(t, e.post("/signin/passwordless/sms", map[string]any{"phoneNumber": "+15555550111"}))
	if len(e.outbox("+15555550111")) != 0 {
		t.Fatal("with Twilio configured nothing goes to the outbox")
	}
	stub.mu.Lock()
	if len(stub.sent) != 1 || stub.sent[0].Get("To") != "+15555550111" || stub.sent[0].Get("MessagingServiceSid") != "MG999" {
		t.Fatalf("sent %v", stub.sent)
	}
	code := codePattern.FindString(stub.sent[0].Get("Body"))
	stub.fail = true
	stub.mu.Unlock()
	wantSession(t, e.post("/signin/passwordless/sms/otp", map[string]any{"phoneNumber": "+15555550111", "otp": code}))
	wantError(t, e.post("/signin/passwordless/sms", map[string]any{"phoneNumber": "+15555550112"}), 400, "cannot-send-sms")
}
