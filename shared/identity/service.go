// Package identity is the service of logins: registering, confirming the
// email address, signing in and out, resetting the password, and the
// user's own settings (names, password, second factor). Handlers
// (shared/identityhttp) decode, set or clear the session cookie and encode;
// the rules and the writes are here.
package identity

import (
	"context"
	"errors"
	"slices"
	"time"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
)

// Store is what the service reads and writes.
type Store interface {
	auth.Limiter
	auth.ProofStore
	GetUserByEmail(ctx context.Context, email string) (domain.User, error)
	CreateUser(ctx context.Context, u domain.User, m store.Mail) error
	UserIDByEmail(ctx context.Context, email string) (string, error)
	QueueMail(ctx context.Context, m store.Mail) error
	UpdateUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, error)
	RedeemToken(ctx context.Context, hash, kind string, change func(*domain.User) error) (domain.User, error)
	PutToken(ctx context.Context, t store.Token) error
	CreateSession(ctx context.Context, s domain.Session) error
	DeleteSession(ctx context.Context, hash string) error
	DeleteSessionsOfUser(ctx context.Context, userID, keepHash string) error
	MarkSessionsVerified(ctx context.Context, userID, current string) error
	TouchLogin(ctx context.Context, userID string, at time.Time) error
	RecordSignIn(ctx context.Context, actor domain.Actor, at time.Time) error
	RenameUser(ctx context.Context, userID string, change func(*domain.User) error, actor domain.Actor, at time.Time) (domain.User, error)
	InvitationByToken(ctx context.Context, hash string) (domain.Invitation, error)
	ReadCounters(ctx context.Context, limits map[string]store.Limit, backoffs, marks []string) (store.Counters, error)
	Fail(ctx context.Context, name string, ttl time.Duration) error
	Succeed(ctx context.Context, backoff, mark string, ttl time.Duration) error
}

// Service applies the rules of logins over a store.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the service. It sends no mail itself: the mails of
// its changes (verification, reset) are queued with them, and the mail
// sender (shared/outbox) sends them with their links.
func NewService(s Store) *Service {
	return &Service{store: s, now: time.Now}
}

// WithClock returns a copy of the service that reads the time from now
// (pair it with the store's WithClock), for tests of time limits.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// NewSession is a session just started, with the token its cookie carries.
type NewSession struct {
	domain.Session
	Token string
}

// RecoveryCodes is how many recovery codes an enrolment hands out.
const RecoveryCodes = 10

// The answers of a refused sign-in. A wrong password and an unknown email
// get the very same one.
var (
	errInvalidCredentials = domain.CodeInvalidCredentials.Msg("The email address or the password is not right.")
	errCodeRequired       = domain.CodeCodeRequired.Msg("Enter the code from your authenticator app, or a recovery code.")
	errCodeUsed           = domain.CodeInvalidCode.Field("code", "This code was used already. Wait for the next code from your authenticator app.")
	errInvalidCode        = domain.CodeInvalidCode.Field("code", "This code is not right. Enter the current code from your authenticator app, or an unused recovery code.")
	errEnabled            = domain.CodeTwoFactorEnabled.Msg("Two-factor sign-in is on already. Turn it off first to enrol a new device.")
	errSignIn             = domain.CodeUnauthenticated.Msg("Please sign in.")
)

// staleLogin is the 409 of a login changed by another request meanwhile.
func staleLogin(what string) error {
	return domain.CodeStaleVersion.Msg("Your " + what + " changed at the same moment. Please try again.")
}

// start stores a new session of u for the client.
func (s *Service) start(ctx context.Context, u domain.User, client domain.Actor, now time.Time) (NewSession, error) {
	sess, token := auth.NewSession(u, client, now)
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return NewSession{}, err
	}
	return NewSession{Session: sess, Token: token}, nil
}

// Registration is the body of a registration.
type Registration struct {
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Password  string `json:"password"`
	// InvitationToken is the token of the invitation link the person
	// registers from, if any: when that invitation is pending and was
	// mailed to the address registered, the link has proved the address.
	InvitationToken string `json:"invitationToken,omitempty"`
}

// Register creates a login for an address that has none, with the mail
// that confirms it queued in the same transaction. For an address that
// has a login it queues a mail telling its owner instead, and writes
// nothing else. Both cost the same (a password hash, one read, one write)
// and answer the same (no user, no session), so that registering tells nobody but the
// address's owner whether it has a login.
//
// A registration with the token of a usable invitation mailed to the same
// address has proved the address: the login is created confirmed and
// signed in (user and session returned), and a taken address is conflict email_taken (the
// link's holder owns the address). A token that is unknown, expired or for
// another address proves nothing and is not reported. Every registration
// counts against the source address's limit. It returns invalid
// invalid_email, invalid_name or weak_password, or rate_limited.
func (s *Service) Register(ctx context.Context, client domain.Actor, in Registration) (domain.User, *NewSession, error) {
	email, err := domain.NormalizeEmail(in.Email)
	if err != nil {
		return domain.User{}, nil, err
	}
	first, err := domain.NormalizeName(in.FirstName, "firstName", false)
	if err != nil {
		return domain.User{}, nil, err
	}
	last, err := domain.NormalizeName(in.LastName, "lastName", false)
	if err != nil {
		return domain.User{}, nil, err
	}
	if err := auth.CheckPassword(in.Password, email); err != nil {
		return domain.User{}, nil, err
	}
	if err := auth.Hit(ctx, s.store, map[string]store.Limit{auth.LimitRegisterIP(client.SourceIP): auth.RegisterPerIP}); err != nil {
		return domain.User{}, nil, err
	}
	now := s.now().UTC()
	proven, err := s.invitedAddress(ctx, in.InvitationToken, email, now)
	if err != nil {
		return domain.User{}, nil, err
	}
	hash, err := auth.HashPassword(in.Password, auth.DefaultArgon2)
	if err != nil {
		return domain.User{}, nil, err
	}
	taken := func(ownerID string) (domain.User, *NewSession, error) {
		if proven {
			return domain.User{}, nil, domain.CodeEmailTaken.Field("email", "A login with this email address exists already. Sign in to accept the invitation.")
		}
		m := store.NewMail(store.MailRegistered, email, now)
		m.UserID = ownerID
		return domain.User{}, nil, s.store.QueueMail(ctx, m)
	}
	owner, err := s.store.UserIDByEmail(ctx, email)
	switch {
	case err == nil:
		return taken(owner)
	case !errors.Is(err, store.ErrNotFound):
		return domain.User{}, nil, err
	}
	u := domain.User{ID: store.NewID(), Email: email, FirstName: first, LastName: last, PasswordHash: hash, CreatedAt: now, EmailVerified: proven}
	var m store.Mail
	if !proven {
		m = store.NewMail(store.MailVerify, email, now)
		m.UserID = u.ID
	}
	err = s.store.CreateUser(ctx, u, m)
	if errors.Is(err, store.ErrConflict) {
		// Registered by another request since the read.
		if owner, err = s.store.UserIDByEmail(ctx, email); err != nil {
			return domain.User{}, nil, err
		}
		return taken(owner)
	}
	if err != nil || !proven {
		return domain.User{}, nil, err
	}
	u.Version = 1
	sess, err := s.start(ctx, u, client, now)
	if err != nil {
		// The login exists; the user signs in.
		api.Logger(ctx).ErrorContext(ctx, "session after registration", "err", err.Error())
		return domain.User{}, nil, nil
	}
	return u, &sess, nil
}

// invitedAddress reports whether token is that of an invitation, usable at
// now, that was mailed to email. Anything else, a malformed token
// included, is simply not a proof; only the store's failures are errors.
func (s *Service) invitedAddress(ctx context.Context, token, email string, now time.Time) (bool, error) {
	if token == "" {
		return false, nil
	}
	hash, err := auth.ParseToken(token)
	if err != nil {
		return false, nil
	}
	inv, err := s.store.InvitationByToken(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return inv.Email == email && domain.Usable(inv, now) == nil, nil
}

// Verify confirms the address of the link's login and marks its sessions
// verified, first the one of the verifying browser (sessionHash, when it
// carries one). It returns invalid_token, token_expired or stale_version.
func (s *Service) Verify(ctx context.Context, token, sessionHash string) (domain.User, error) {
	hash, err := auth.ParseToken(token)
	if err != nil {
		return domain.User{}, err
	}
	u, err := s.store.RedeemToken(ctx, hash, store.TokenVerify, func(u *domain.User) error {
		u.EmailVerified = true
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return domain.User{}, domain.CodeInvalidToken.Msg("This link is not valid or was used already. Sign in and ask for a new one.")
	case errors.Is(err, store.ErrExpired):
		return domain.User{}, domain.CodeTokenExpired.Msg("This link has expired. Sign in and ask for a new one.")
	case errors.Is(err, store.ErrConflict):
		return domain.User{}, staleLogin("login")
	case err != nil:
		return domain.User{}, err
	}
	if err := s.store.MarkSessionsVerified(ctx, u.ID, sessionHash); err != nil {
		api.Logger(ctx).ErrorContext(ctx, "mark sessions verified", "err", err.Error())
	}
	return u, nil
}

// Credentials are the body of a sign-in.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Code     string `json:"code"`
}

// Login signs a user in. Failed attempts count against the email from
// this source address (growing delays), the source address's ceiling and
// the email's ceiling, which does not hold addresses the email signed in
// from before (auth.LoginGuard; all checked with one read before anything
// is verified); an unknown email costs the same password check as a known one.
// A TOTP code is accepted once, a recovery code is used up. The sign-in is
// stamped on the user and, with its member.signed_in event, on each active
// membership. It returns invalid for a malformed email or no password,
// unauthenticated invalid_credentials, code_required or invalid_code, and
// rate_limited once a limit is reached.
func (s *Service) Login(ctx context.Context, client domain.Actor, in Credentials) (domain.User, NewSession, error) {
	email, err := domain.NormalizeEmail(in.Email)
	if err != nil {
		return domain.User{}, NewSession{}, err
	}
	if in.Password == "" {
		return domain.User{}, NewSession{}, domain.CodeInvalidPassword.Field("password", "Enter your password.")
	}
	guard := auth.GuardLogin(email, client.SourceIP)
	counters, err := s.store.ReadCounters(ctx, guard.Limits(), []string{guard.Pair}, []string{guard.Known})
	if err != nil {
		return domain.User{}, NewSession{}, err
	}
	if wait := guard.Wait(counters, s.now()); wait > 0 {
		return domain.User{}, NewSession{}, auth.RateLimited(wait)
	}
	fail := func(refusal error) (domain.User, NewSession, error) {
		if err := s.store.Fail(ctx, guard.Pair, auth.LoginBackoffTTL); err != nil {
			return domain.User{}, NewSession{}, err
		}
		if err := auth.Hit(ctx, s.store, guard.Limits()); err != nil {
			return domain.User{}, NewSession{}, err
		}
		return domain.User{}, NewSession{}, refusal
	}

	u, err := s.store.GetUserByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		auth.BurnPasswordCheck(in.Password)
		return fail(errInvalidCredentials)
	case err != nil:
		return domain.User{}, NewSession{}, err
	}
	ok, err := auth.VerifyPassword(in.Password, u.PasswordHash)
	if err != nil {
		return domain.User{}, NewSession{}, err
	}
	if !ok {
		return fail(errInvalidCredentials)
	}
	now := s.now().UTC()
	if u.TOTPEnabled {
		switch {
		case in.Code == "":
			// Counted too: otherwise this answer would tell a right
			// password from a wrong one without limit.
			return fail(errCodeRequired)
		case auth.IsRecoveryCode(in.Code):
			u, err = s.store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
				i := auth.MatchRecoveryCode(in.Code, u.RecoveryCodes)
				if i < 0 {
					return errInvalidCode
				}
				u.RecoveryCodes = slices.Delete(slices.Clone(u.RecoveryCodes), i, i+1)
				return nil
			})
			if errors.Is(err, errInvalidCode) || errors.Is(err, store.ErrConflict) {
				return fail(errInvalidCode)
			}
			if err != nil {
				return domain.User{}, NewSession{}, err
			}
		default:
			step, ok := auth.MatchTOTP(in.Code, u.TOTPSecret, now)
			if !ok {
				return fail(errInvalidCode)
			}
			if step <= u.TOTPLastStep {
				return fail(errCodeUsed)
			}
			// A code works once: record its step, refusing a replay that
			// raced this request.
			u, err = s.store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
				if step <= u.TOTPLastStep {
					return errCodeUsed
				}
				u.TOTPLastStep = step
				return nil
			})
			if errors.Is(err, errCodeUsed) || errors.Is(err, store.ErrConflict) {
				return fail(errCodeUsed)
			}
			if err != nil {
				return domain.User{}, NewSession{}, err
			}
		}
	}

	sess, err := s.start(ctx, u, client, now)
	if err != nil {
		return domain.User{}, NewSession{}, err
	}
	// This address's failures are forgiven and it is known from now on.
	if err := s.store.Succeed(ctx, guard.Pair, guard.Known, auth.KnownSourceTTL); err != nil {
		api.Logger(ctx).WarnContext(ctx, "record known source", "err", err.Error())
	}
	// Best effort: the sign-in stands even if its time is not recorded.
	if err := s.store.TouchLogin(ctx, u.ID, now); err != nil {
		api.Logger(ctx).WarnContext(ctx, "touch login", "err", err.Error())
	}
	actor := client
	actor.UserID, actor.Email, actor.Name = u.ID, u.Email, u.Name()
	if err := s.store.RecordSignIn(ctx, actor, now); err != nil {
		api.Logger(ctx).WarnContext(ctx, "record sign-in", "err", err.Error())
	}
	u.LastLoginAt = now
	return u, sess, nil
}

// Logout ends the session of the token hash at once.
func (s *Service) Logout(ctx context.Context, hash string) error {
	return s.store.DeleteSession(ctx, hash)
}

// RequestReset queues the mail of a link to choose a new password when
// email has a login. For any other address it writes the request's
// unaddressed record instead, which is never sent: both cost the same
// (two limit hits, one read, one write) and the caller answers the same,
// so that nobody learns whether an address has a login. It counts against
// the email's and the source address's limits, and returns invalid
// invalid_email or rate_limited.
func (s *Service) RequestReset(ctx context.Context, client domain.Actor, email string) error {
	email, err := domain.NormalizeEmail(email)
	if err != nil {
		return err
	}
	if err := auth.Hit(ctx, s.store, map[string]store.Limit{
		auth.LimitResetEmail(email):        auth.ResetPerEmail,
		auth.LimitResetIP(client.SourceIP): auth.ResetPerIP,
	}); err != nil {
		return err
	}
	return s.queueFor(ctx, store.MailReset, email)
}

// queueFor queues a mail of kind to the login of email, or the request's
// unaddressed record when the address has none: one read and one write of
// the same size either way. (The sender drops a verification of a login
// confirmed meanwhile, so that is not read here.)
func (s *Service) queueFor(ctx context.Context, kind, email string) error {
	userID, err := s.store.UserIDByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	m := store.NewMail(kind, email, s.now())
	m.UserID = userID
	if userID == "" {
		// Nothing to send; an address typed by anyone is not kept.
		m.To, m.Status = "", store.MailUnaddressed
	}
	return s.store.QueueMail(ctx, m)
}

// ConfirmReset sets a new password with the emailed token (which also
// confirms the address) and ends all the user's sessions. It returns
// invalid weak_password, invalid_token, token_expired or stale_version.
func (s *Service) ConfirmReset(ctx context.Context, token, password string) error {
	hash, err := auth.ParseToken(token)
	if err != nil {
		return err
	}
	if err := auth.CheckPassword(password, ""); err != nil {
		return err
	}
	u, err := s.store.RedeemToken(ctx, hash, store.TokenReset, func(u *domain.User) error {
		if err := auth.CheckPassword(password, u.Email); err != nil {
			return err
		}
		ph, err := auth.HashPassword(password, auth.DefaultArgon2)
		if err != nil {
			return err
		}
		u.PasswordHash, u.PasswordChangedAt, u.EmailVerified = ph, s.now().UTC(), true
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return domain.CodeInvalidToken.Msg("This link is not valid or was used already. Ask for a new one.")
	case errors.Is(err, store.ErrExpired):
		return domain.CodeTokenExpired.Msg("This link has expired. Ask for a new one.")
	case errors.Is(err, store.ErrConflict):
		return staleLogin("login")
	case err != nil:
		return err
	}
	return s.store.DeleteSessionsOfUser(ctx, u.ID, "")
}

// Me returns the signed-in user's own login.
func (s *Service) Me(ctx context.Context, userID string) (domain.User, error) {
	u, err := s.store.GetUser(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return domain.User{}, errSignIn
	}
	return u, err
}

// NameChange is the body of a change of one's own names; a nil field stays.
type NameChange struct {
	FirstName *string `json:"firstName"`
	LastName  *string `json:"lastName"`
}

// UpdateMe changes the names given (each required when given). The
// names-sync function then copies them onto the user's memberships, each
// with its member.profile_changed event of actor, so that every account's
// member list shows the new name within moments; the request's cost does
// not grow with the number of accounts. It returns invalid invalid_name or
// empty_change, or stale_version.
func (s *Service) UpdateMe(ctx context.Context, actor domain.Actor, in NameChange) (domain.User, error) {
	if in.FirstName == nil && in.LastName == nil {
		return domain.User{}, domain.CodeEmptyChange.Field("", "Send firstName, lastName or both.")
	}
	var first, last string
	var err error
	if in.FirstName != nil {
		if first, err = domain.NormalizeName(*in.FirstName, "firstName", false); err != nil {
			return domain.User{}, err
		}
	}
	if in.LastName != nil {
		if last, err = domain.NormalizeName(*in.LastName, "lastName", false); err != nil {
			return domain.User{}, err
		}
	}
	u, err := s.store.RenameUser(ctx, actor.UserID, func(u *domain.User) error {
		if in.FirstName != nil {
			u.FirstName = first
		}
		if in.LastName != nil {
			u.LastName = last
		}
		return nil
	}, actor, s.now().UTC())
	switch {
	case errors.Is(err, store.ErrConflict):
		return domain.User{}, staleLogin("login")
	case errors.Is(err, store.ErrNotFound):
		return domain.User{}, errSignIn
	case err != nil:
		return domain.User{}, err
	}
	return u, nil
}

// ResendVerification queues a new link that confirms the signed-in
// user's address, within the per-user limit. It returns conflict
// already_verified or rate_limited.
func (s *Service) ResendVerification(ctx context.Context, userID string) error {
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	if u.EmailVerified {
		return domain.CodeAlreadyVerified.Msg("Your email address is confirmed already.")
	}
	if err := auth.Hit(ctx, s.store, map[string]store.Limit{auth.LimitVerification(u.ID): auth.VerificationPerUser}); err != nil {
		return err
	}
	m := store.NewMail(store.MailVerify, u.Email, s.now())
	m.UserID = u.ID
	return s.store.QueueMail(ctx, m)
}

// RequestVerification queues a new link that confirms email's address,
// for someone who registered and is not signed in. An address without a
// login gets the request's unaddressed record instead, at the same cost,
// and the caller answers the same; the sender sends nothing to a login
// that is confirmed already. It counts against the email's and the source address's
// limits, and returns invalid invalid_email or rate_limited.
func (s *Service) RequestVerification(ctx context.Context, client domain.Actor, email string) error {
	email, err := domain.NormalizeEmail(email)
	if err != nil {
		return err
	}
	if err := auth.Hit(ctx, s.store, map[string]store.Limit{
		auth.LimitVerificationEmail(email):        auth.VerificationPerEmail,
		auth.LimitVerificationIP(client.SourceIP): auth.VerificationPerIP,
	}); err != nil {
		return err
	}
	return s.queueFor(ctx, store.MailVerify, email)
}

// PasswordChange is the body of a change of one's password.
type PasswordChange struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// ChangePassword sets a new password, proven by the current one (wrong
// ones count against the per-user limit), and ends the user's other
// sessions. It returns invalid weak_password (field newPassword),
// invalid wrong_password, rate_limited or stale_version.
func (s *Service) ChangePassword(ctx context.Context, sess domain.Session, in PasswordChange) error {
	if err := auth.CheckPassword(in.NewPassword, sess.Email); err != nil {
		e := *domain.AsError(err)
		e.Field = "newPassword"
		return &e
	}
	u, err := auth.ProofSubject(ctx, s.store, sess.UserID)
	if err != nil {
		return err
	}
	if ok, err := auth.VerifyPassword(in.CurrentPassword, u.PasswordHash); err != nil {
		return err
	} else if !ok {
		return auth.RefuseProof(ctx, s.store, u.ID, domain.CodeWrongPassword.Field("currentPassword", "This is not your current password."))
	}
	hash, err := auth.HashPassword(in.NewPassword, auth.DefaultArgon2)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateUser(ctx, u.ID, func(cur *domain.User) error {
		if cur.PasswordHash != u.PasswordHash {
			return store.ErrConflict
		}
		cur.PasswordHash, cur.PasswordChangedAt = hash, s.now().UTC()
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return staleLogin("password")
	}
	if err != nil {
		return err
	}
	return s.store.DeleteSessionsOfUser(ctx, u.ID, sess.TokenHash)
}

// Enrolment is a second factor being enrolled: the TOTP secret and its
// otpauth:// URL for authenticator apps.
type Enrolment struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauthUrl"`
}

// StartTwoFactor starts enrolling a TOTP second factor, proven by the
// password. It returns conflict two_factor_enabled, invalid
// wrong_password, rate_limited or stale_version.
func (s *Service) StartTwoFactor(ctx context.Context, userID, password string) (Enrolment, error) {
	u, err := auth.ProofSubject(ctx, s.store, userID)
	if err != nil {
		return Enrolment{}, err
	}
	if u.TOTPEnabled {
		return Enrolment{}, errEnabled
	}
	if ok, err := auth.VerifyPassword(password, u.PasswordHash); err != nil {
		return Enrolment{}, err
	} else if !ok {
		return Enrolment{}, auth.RefuseProof(ctx, s.store, u.ID, domain.CodeWrongPassword.Field("password", "This is not your current password."))
	}
	secret, url, err := auth.NewTOTP(u.Email)
	if err != nil {
		return Enrolment{}, err
	}
	_, err = s.store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
		if u.TOTPEnabled {
			return errEnabled
		}
		u.TOTPSecret, u.RecoveryCodes = secret, nil
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return Enrolment{}, staleLogin("login")
	}
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: secret, OTPAuthURL: url}, nil
}

// ConfirmTwoFactor turns 2FA on with a first code and returns the recovery
// codes (shown once, kept only as hashes). It returns conflict
// two_factor_enabled or no_pending_enrolment, invalid invalid_code,
// rate_limited or stale_version.
func (s *Service) ConfirmTwoFactor(ctx context.Context, userID, code string) ([]string, error) {
	u, err := auth.ProofSubject(ctx, s.store, userID)
	if err != nil {
		return nil, err
	}
	switch {
	case u.TOTPEnabled:
		return nil, domain.CodeTwoFactorEnabled.Msg("Two-factor sign-in is on already.")
	case !u.TwoFactorPending():
		return nil, domain.CodeNoPendingEnrolment.Msg("Start the enrolment first.")
	}
	step, ok := auth.MatchTOTP(code, u.TOTPSecret, s.now())
	if !ok {
		return nil, auth.RefuseProof(ctx, s.store, u.ID, domain.CodeInvalidCode.In(domain.EInvalid).Field("code", "This code is not right. Enter the current code from your authenticator app."))
	}
	codes, hashes := auth.NewRecoveryCodes(RecoveryCodes)
	_, err = s.store.UpdateUser(ctx, u.ID, func(cur *domain.User) error {
		if cur.TOTPEnabled || cur.TOTPSecret != u.TOTPSecret {
			return store.ErrConflict
		}
		cur.TOTPEnabled, cur.RecoveryCodes, cur.TOTPLastStep = true, hashes, step
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return nil, domain.CodeStaleVersion.Msg("Your login changed at the same moment. Please start again.")
	}
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// TwoFactorProof is the body that turns 2FA off: the password or a code
// (TOTP or recovery), exactly one.
type TwoFactorProof struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// DeleteTwoFactor turns 2FA (or an enrolment under way) off. It returns
// invalid proof_required, conflict two_factor_disabled, invalid
// wrong_password or invalid_code, rate_limited or stale_version.
func (s *Service) DeleteTwoFactor(ctx context.Context, userID string, in TwoFactorProof) error {
	if (in.Password == "") == (in.Code == "") {
		return domain.CodeProofRequired.Field("password", "Enter your password or a code from your authenticator app.")
	}
	u, err := auth.ProofSubject(ctx, s.store, userID)
	if err != nil {
		return err
	}
	if !u.TOTPEnabled && !u.TwoFactorPending() {
		return domain.CodeTwoFactorDisabled.Msg("Two-factor sign-in is off already.")
	}
	var refusal error
	switch {
	case in.Password != "":
		ok, err := auth.VerifyPassword(in.Password, u.PasswordHash)
		if err != nil {
			return err
		}
		if !ok {
			refusal = domain.CodeWrongPassword.Field("password", "This is not your current password.")
		}
	case !auth.ValidTOTP(in.Code, u.TOTPSecret, s.now()) && auth.MatchRecoveryCode(in.Code, u.RecoveryCodes) < 0:
		refusal = domain.CodeInvalidCode.In(domain.EInvalid).Field("code", "This code is not right.")
	}
	if refusal != nil {
		return auth.RefuseProof(ctx, s.store, u.ID, refusal)
	}
	_, err = s.store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
		u.TOTPEnabled, u.TOTPSecret, u.RecoveryCodes = false, "", nil
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return staleLogin("login")
	}
	return err
}

// UserBody is the answer of registering, verifying and signing in: the
// user's own profile.
type UserBody struct {
	User domain.Profile `json:"user"`
}

// EmailBody is the body of a password reset request.
type EmailBody struct {
	Email string `json:"email"`
}

// ResetConfirmation is the body of a password reset: the emailed token and
// the new password.
type ResetConfirmation struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// PasswordBody is the body of starting 2FA enrolment: the password again.
type PasswordBody struct {
	Password string `json:"password"`
}

// CodeBody is the body of confirming 2FA enrolment: the first code.
type CodeBody struct {
	Code string `json:"code"`
}

// RecoveryCodeList is the answer of confirming 2FA: the single-use
// recovery codes, shown once.
type RecoveryCodeList struct {
	RecoveryCodes []string `json:"recoveryCodes"`
}
