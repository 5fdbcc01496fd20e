package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Issuer names Roster in authenticator apps.
const Issuer = "Roster"

// NewTOTP returns a new TOTP secret for the account and its otpauth:// URL
// (RFC 6238: SHA-1, 6 digits, 30-second steps, what every authenticator
// app understands).
func NewTOTP(email string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: email, SecretSize: 20})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// ValidTOTP reports whether code is the secret's code at t, allowing one
// step of clock skew either way.
func ValidTOTP(code, secret string, t time.Time) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	ok, err := totp.ValidateCustom(code, secret, t, totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return err == nil && ok
}

// NewRecoveryCodes returns n one-time recovery codes to show once, and their
// hashes to store.
func NewRecoveryCodes(n int) (codes, hashes []string) {
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	for range n {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		c := strings.ToLower(enc.EncodeToString(b)) // 13 characters
		c = c[:4] + "-" + c[4:8] + "-" + c[8:12]
		codes = append(codes, c)
		hashes = append(hashes, HashToken(NormalizeRecoveryCode(c)))
	}
	return codes, hashes
}

// NormalizeRecoveryCode lower-cases a recovery code and drops spaces and
// dashes, so that people may type it as they like.
func NormalizeRecoveryCode(c string) string {
	c = strings.ToLower(c)
	return strings.NewReplacer(" ", "", "-", "").Replace(c)
}

// totpPeriod is the TOTP time step.
const totpPeriod = 30

// MatchTOTP is ValidTOTP that also returns the time step the code belongs
// to, so that the caller can refuse a code used before (a step at or
// below the last accepted one).
func MatchTOTP(code, secret string, t time.Time) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	now := t.Unix() / totpPeriod
	for _, s := range []int64{now - 1, now, now + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}
