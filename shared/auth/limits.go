package auth

import (
	"context"
	"math"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
)

// Rate limits of the identity endpoints. Each is a fixed window kept in the
// table (store.Hit), so that it holds across Lambda instances.
var (
	// LoginPerEmail bounds failed sign-ins of one email address from
	// addresses it never signed in from: NIST SP 800-63B's ceiling of 100
	// failed attempts on one account. Sources that signed in before are
	// not held to it, so that someone failing everywhere else cannot keep
	// the owner out.
	LoginPerEmail = store.Limit{Max: 100, Window: 24 * time.Hour}
	// LoginPerIP bounds failed sign-ins from one source address, whatever
	// the emails: the ceiling on one guesser.
	LoginPerIP = store.Limit{Max: 100, Window: time.Hour}
	// RegisterPerIP bounds registrations from one source address.
	RegisterPerIP = store.Limit{Max: 20, Window: time.Hour}
	// ResetPerEmail bounds password-reset mails to one address.
	ResetPerEmail = store.Limit{Max: 3, Window: time.Hour}
	// ResetPerIP bounds password-reset requests from one source address.
	ResetPerIP = store.Limit{Max: 20, Window: time.Hour}
	// VerificationPerUser bounds resent verification mails.
	VerificationPerUser = store.Limit{Max: 3, Window: time.Hour}
	// VerificationPerEmail and VerificationPerIP bound verification mails
	// asked for by address, without a session.
	VerificationPerEmail = store.Limit{Max: 3, Window: time.Hour}
	VerificationPerIP    = store.Limit{Max: 20, Window: time.Hour}
	// SecondFactorPerUser bounds wrong passwords and codes given by a
	// signed-in user (2FA enrolment, confirmation and removal, password
	// change), so that a stolen session cannot guess them.
	SecondFactorPerUser = store.Limit{Max: 10, Window: 15 * time.Minute}
)

// Growing delays for one email from one source address: from the
// LoginFreeFailures-th failure in a row, each one doubles the wait before
// the next try, from 2 seconds up to LoginMaxDelay. The run ends
// with a sign-in from that address, or LoginBackoffTTL after its last
// failure. Other addresses are not slowed by it.
const (
	LoginFreeFailures = 5
	LoginMaxDelay     = 15 * time.Minute
	LoginBackoffTTL   = 24 * time.Hour
	// KnownSourceTTL is how long an address that signed in to an email
	// stays exempt from the email's ceiling.
	KnownSourceTTL = 90 * 24 * time.Hour
)

// LoginDelay is the wait after the fails-th failure in a row of one email
// from one address.
func LoginDelay(fails int) time.Duration {
	if fails < LoginFreeFailures {
		return 0
	}
	n := fails - LoginFreeFailures + 1
	if n > 20 {
		return LoginMaxDelay
	}
	return min(time.Duration(1<<n)*time.Second, LoginMaxDelay)
}

// LoginGuard names the counters of one sign-in attempt.
type LoginGuard struct {
	Pair, Known, Email, IP string
}

// GuardLogin returns the counters a sign-in of email from ip is held to.
func GuardLogin(email, ip string) LoginGuard {
	pair := HashToken(email + "|" + ip)[:32]
	return LoginGuard{Pair: "login-pair#" + pair, Known: "login-known#" + pair, Email: LimitLoginEmail(email), IP: LimitLoginIP(ip)}
}

// Limits are the guard's fixed-window limits.
func (g LoginGuard) Limits() map[string]store.Limit {
	return map[string]store.Limit{g.Email: LoginPerEmail, g.IP: LoginPerIP}
}

// Wait says how long the attempt must wait, from what ReadCounters found:
// the address's ceiling, the email's ceiling unless the address signed in
// to it before, and the pair's growing delay. Zero lets it through.
func (g LoginGuard) Wait(c store.Counters, now time.Time) time.Duration {
	wait := c.Wait[g.IP]
	if !c.Marked[g.Known] {
		wait = max(wait, c.Wait[g.Email])
	}
	if b := c.Backoff[g.Pair]; b.Fails > 0 {
		if until := b.Last.Add(LoginDelay(b.Fails)); until.After(now) {
			wait = max(wait, until.Sub(now))
		}
	}
	return wait
}

// Limit names. Emails are hashed, so that rate items do not hold addresses.
func LimitLoginEmail(email string) string { return "login-email#" + HashToken(email)[:32] }
func LimitLoginIP(ip string) string       { return "login-ip#" + ip }
func LimitRegisterIP(ip string) string    { return "register-ip#" + ip }
func LimitResetEmail(email string) string { return "reset-email#" + HashToken(email)[:32] }
func LimitResetIP(ip string) string       { return "reset-ip#" + ip }
func LimitVerificationEmail(email string) string {
	return "verify-email#" + HashToken(email)[:32]
}
func LimitVerificationIP(ip string) string { return "verify-ip#" + ip }
func LimitVerification(userID string) string {
	return "verify-mail#" + userID
}
func LimitSecondFactor(userID string) string { return "user-secret#" + userID }

// RateLimited returns the 429 error for a limit that is reached, with the
// seconds to wait in Retry-After.
func RateLimited(wait time.Duration) error {
	e := domain.CodeRateLimited.Msg("Too many attempts. Please wait a little and try again.")
	e.RetryAfter = int(math.Ceil(wait.Seconds()))
	if e.RetryAfter < 1 {
		e.RetryAfter = 1
	}
	return e
}

// Limiter is the part of the store that counts attempts.
type Limiter interface {
	Hit(ctx context.Context, name string, l store.Limit) (time.Duration, error)
	Exceeded(ctx context.Context, limits map[string]store.Limit) (time.Duration, error)
}

// Hit counts one attempt against each named limit and returns a
// rate_limited error when any of them was already reached. Store failures
// are returned as they are.
func Hit(ctx context.Context, l Limiter, limits map[string]store.Limit) error {
	var wait time.Duration
	for name, lim := range limits {
		d, err := l.Hit(ctx, name, lim)
		if err != nil {
			return err
		}
		wait = max(wait, d)
	}
	if wait > 0 {
		return RateLimited(wait)
	}
	return nil
}

// CheckLimits returns a rate_limited error when any named limit is reached,
// without counting: one read.
func CheckLimits(ctx context.Context, l Limiter, limits map[string]store.Limit) error {
	wait, err := l.Exceeded(ctx, limits)
	if err != nil {
		return err
	}
	if wait > 0 {
		return RateLimited(wait)
	}
	return nil
}

// ProofStore is what ProofSubject and RefuseProof need: the attempt
// counters and the user.
type ProofStore interface {
	Limiter
	GetUser(ctx context.Context, userID string) (domain.User, error)
}

// proofLimits is the per-user limit on wrong secrets (password, TOTP or
// recovery code) a signed-in user gives to confirm a sensitive change.
func proofLimits(userID string) map[string]store.Limit {
	return map[string]store.Limit{LimitSecondFactor(userID): SecondFactorPerUser}
}

// ProofSubject reads the user who is about to prove a secret, once the
// user's limit on wrong secrets allows another try. It returns a
// rate_limited error past the limit, and the store's errors.
func ProofSubject(ctx context.Context, s ProofStore, userID string) (domain.User, error) {
	if err := CheckLimits(ctx, s, proofLimits(userID)); err != nil {
		return domain.User{}, err
	}
	return s.GetUser(ctx, userID)
}

// RefuseProof counts a wrong secret against the user's limit and returns
// refusal, or the rate_limited error when the limit was already reached,
// or the store's error.
func RefuseProof(ctx context.Context, l Limiter, userID string, refusal error) error {
	if err := Hit(ctx, l, proofLimits(userID)); err != nil {
		return err
	}
	return refusal
}
