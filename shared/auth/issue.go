package auth

import (
	"time"

	"roster/shared/domain"
	"roster/shared/mail"
)

// Lifetimes of emailed links.
const (
	// VerifyTTL is how long an email verification link works.
	VerifyTTL = 48 * time.Hour
	// ResetTTL is how long a password reset link works.
	ResetTTL = time.Hour
)

// NewSession returns a new session of the user, started by the client (its
// source address and user agent, as ClientOf gives them) at now, and the
// token for its cookie (only the token's hash is in the session).
func NewSession(u domain.User, client domain.Actor, now time.Time) (domain.Session, string) {
	token, hash := NewToken()
	return domain.Session{
		TokenHash: hash,
		UserID:    u.ID,
		Email:     u.Email,
		Name:      u.Name(),
		Verified:  u.EmailVerified,
		CreatedAt: now,
		ExpiresAt: now.Add(SessionTTL),
		SourceIP:  client.SourceIP,
		UserAgent: client.UserAgent,
	}, token
}

// linkMail is the data of the verify and reset templates.
type linkMail struct {
	Name      string
	Link      string
	ExpiresAt string
}

// VerifyMail renders the email verification mail: a link to
// <siteURL>/verify with the token in the fragment, so that it never reaches
// server or CDN logs. It returns the renderer's error.
func VerifyMail(siteURL string, u domain.User, token string, expires time.Time) (mail.Message, error) {
	return mail.Render("verify", u.Email, linkMail{Name: u.Name(), Link: siteURL + "/verify#token=" + token, ExpiresAt: expires.UTC().Format("2 January 2006 15:04 MST")})
}

// ResetMail renders the password reset mail: a link to <siteURL>/reset with
// the token in the fragment. It returns the renderer's error.
func ResetMail(siteURL string, u domain.User, token string, expires time.Time) (mail.Message, error) {
	return mail.Render("reset", u.Email, linkMail{Name: u.Name(), Link: siteURL + "/reset#token=" + token, ExpiresAt: expires.UTC().Format("2 January 2006 15:04 MST")})
}

// MatchRecoveryCode returns the index in hashes of the recovery code, or -1.
func MatchRecoveryCode(code string, hashes []string) int {
	n := NormalizeRecoveryCode(code)
	if len(n) != 12 {
		return -1
	}
	h := HashToken(n)
	for i, x := range hashes {
		if x == h {
			return i
		}
	}
	return -1
}

// IsRecoveryCode reports whether code has the shape of a recovery code
// (12 characters once dashes and spaces are dropped) rather than a TOTP code.
func IsRecoveryCode(code string) bool { return len(NormalizeRecoveryCode(code)) == 12 }
