package auth

import (
	"time"

	"roster/shared/domain"
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
