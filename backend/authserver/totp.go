package authserver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"time"
)

// TOTP as authenticator apps speak it (RFC 6238): SHA-1, 6 digits, 30 s
// steps, one step of clock drift accepted either way.
const (
	totpPeriod = 30
	totpDigits = 6
	// mfaTicketTTL is how long the second step of an MFA sign-in may wait.
	mfaTicketTTL  = 5 * time.Minute
	ticketMFATOTP = "mfaTotp"
)

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret returns a random 160-bit secret in base32.
func newTOTPSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return totpEncoding.EncodeToString(b), nil
}

// totpCode is the code of secret for the 30-second step holding t.
func totpCode(secret string, t time.Time) (string, error) {
	key, err := totpEncoding.DecodeString(secret)
	if err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/totpPeriod))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000), nil
}

// totpValid reports whether code is secret's code now or one step off.
func totpValid(secret, code string, now time.Time) bool {
	if len(code) != totpDigits {
		return false
	}
	for _, d := range []time.Duration{0, -totpPeriod * time.Second, totpPeriod * time.Second} {
		want, err := totpCode(secret, now.Add(d))
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return true
		}
	}
	return false
}

// totpURL is the otpauth:// URL an authenticator app scans.
func totpURL(issuer, account, secret string) string {
	q := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"},
		"digits": {fmt.Sprint(totpDigits)}, "period": {fmt.Sprint(totpPeriod)}}
	return "otpauth://totp/" + url.PathEscape(issuer+":"+account) + "?" + q.Encode()
}
