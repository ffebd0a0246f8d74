package authserver

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// twilioAPI is the base of Twilio's REST API.
const twilioAPI = "https://api.twilio.com"

// smsSender sends SMS through Twilio's Messages API when AUTH_SMS_PROVIDER
// is twilio with credentials; otherwise messages go to the outbox.
type smsSender struct {
	cfg    SMSConfig
	client *http.Client
}

func newSMSSender(cfg SMSConfig, client *http.Client) *smsSender {
	return &smsSender{cfg: cfg, client: client}
}

func (s *smsSender) external() bool {
	return s.cfg.Provider == "twilio" && s.cfg.TwilioAccountSID != "" && s.cfg.TwilioToken != ""
}

// send posts one message: To and Body, with From when the configured id
// is a phone number and MessagingServiceSid otherwise.
func (s *smsSender) send(ctx context.Context, to, body string) error {
	form := url.Values{"To": {to}, "Body": {body}}
	if id := s.cfg.TwilioMessagingServiceID; strings.HasPrefix(id, "+") {
		form.Set("From", id)
	} else {
		form.Set("MessagingServiceSid", id)
	}
	endpoint := twilioAPI + "/2010-04-01/Accounts/" + url.PathEscape(s.cfg.TwilioAccountSID) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("sms: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(s.cfg.TwilioAccountSID, s.cfg.TwilioToken)
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("sms: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms: twilio answered %s", resp.Status)
	}
	return nil
}
