package identityhttp

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
)

// loginStore is what sign-in reads and writes.
type loginStore interface {
	auth.Limiter
	GetUserByEmail(ctx context.Context, email string) (domain.User, error)
	UpdateUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, error)
	CreateSession(ctx context.Context, s domain.Session) error
	TouchLogin(ctx context.Context, userID string, at time.Time) error
	RecordSignIn(ctx context.Context, actor domain.Actor, at time.Time) error
}

// loginHandler answers POST /api/auth/login.
type loginHandler struct {
	store  loginStore
	secure bool
	now    func() time.Time
}

// newLoginHandler returns the handler; secure makes the session cookie Secure.
func newLoginHandler(s loginStore, secure bool) *loginHandler {
	return &loginHandler{store: s, secure: secure, now: time.Now}
}

type loginInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Code     string `json:"code"`
}

// The answers of a refused sign-in. A wrong password and an unknown email
// get the very same one.
var (
	errInvalidCredentials = domain.CodeInvalidCredentials.Msg("The email address or the password is not right.")
	errCodeRequired       = domain.CodeCodeRequired.Msg("Enter the code from your authenticator app, or a recovery code.")
	errCodeUsed           = domain.CodeInvalidCode.Field("code", "This code was used already. Wait for the next code from your authenticator app.")
	errInvalidCode        = domain.CodeInvalidCode.Field("code", "This code is not right. Enter the current code from your authenticator app, or an unused recovery code.")
)

// Handle signs a user in. Failed attempts count against the email's and
// the source address's limits (checked with one read before anything is
// verified); an unknown email costs the same password check as a known one.
// A TOTP code is accepted once, a recovery code is used up.
// It answers 200 {user} with the session cookie, 400 for a malformed body,
// 401 invalid_credentials, code_required or invalid_code, and 429 with
// Retry-After once a limit is reached.
func (h *loginHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	var in loginInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	email, err := domain.NormalizeEmail(in.Email)
	if err != nil {
		return api.Response{}, err
	}
	if in.Password == "" {
		return api.Response{}, domain.CodeInvalidPassword.Field("password", "Enter your password.")
	}
	limits := map[string]store.Limit{
		auth.LimitLoginEmail(email):          auth.LoginPerEmail,
		auth.LimitLoginIP(api.SourceIP(req)): auth.LoginPerIP,
	}
	if err := auth.CheckLimits(ctx, h.store, limits); err != nil {
		return api.Response{}, err
	}

	u, err := h.store.GetUserByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		auth.BurnPasswordCheck(in.Password)
		return h.fail(ctx, limits, errInvalidCredentials)
	case err != nil:
		return api.Response{}, err
	}
	ok, err := auth.VerifyPassword(in.Password, u.PasswordHash)
	if err != nil {
		return api.Response{}, err
	}
	if !ok {
		return h.fail(ctx, limits, errInvalidCredentials)
	}
	now := h.now().UTC()
	if u.TOTPEnabled {
		switch {
		case in.Code == "":
			// Counted too: otherwise this answer would tell a right
			// password from a wrong one without limit.
			return h.fail(ctx, limits, errCodeRequired)
		case auth.IsRecoveryCode(in.Code):
			u, err = h.store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
				i := auth.MatchRecoveryCode(in.Code, u.RecoveryCodes)
				if i < 0 {
					return errInvalidCode
				}
				u.RecoveryCodes = slices.Delete(slices.Clone(u.RecoveryCodes), i, i+1)
				return nil
			})
			if errors.Is(err, errInvalidCode) || errors.Is(err, store.ErrConflict) {
				return h.fail(ctx, limits, errInvalidCode)
			}
			if err != nil {
				return api.Response{}, err
			}
		default:
			step, ok := auth.MatchTOTP(in.Code, u.TOTPSecret, now)
			if !ok {
				return h.fail(ctx, limits, errInvalidCode)
			}
			if step <= u.TOTPLastStep {
				return h.fail(ctx, limits, errCodeUsed)
			}
			// A code works once: record its step, refusing a replay that
			// raced this request.
			u, err = h.store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
				if step <= u.TOTPLastStep {
					return errCodeUsed
				}
				u.TOTPLastStep = step
				return nil
			})
			if errors.Is(err, errCodeUsed) || errors.Is(err, store.ErrConflict) {
				return h.fail(ctx, limits, errCodeUsed)
			}
			if err != nil {
				return api.Response{}, err
			}
		}
	}

	sess, token := auth.NewSession(u, req, now)
	if err := h.store.CreateSession(ctx, sess); err != nil {
		return api.Response{}, err
	}
	// Best effort: the sign-in stands even if its time is not recorded.
	if err := h.store.TouchLogin(ctx, u.ID, now); err != nil {
		api.Logger(ctx).WarnContext(ctx, "touch login", "err", err.Error())
	}
	if err := h.store.RecordSignIn(ctx, auth.UserActor(u, req), now); err != nil {
		api.Logger(ctx).WarnContext(ctx, "record sign-in", "err", err.Error())
	}
	u.LastLoginAt = now
	resp := api.JSON(http.StatusOK, map[string]any{"user": u.Profile()})
	api.SetCookie(&resp, auth.SessionCookie(u.ID, token, sess.ExpiresAt, h.secure))
	return resp, nil
}

// fail counts a failed attempt against the limits and returns refusal, or
// the rate-limit error when another request used up the last attempt
// meanwhile.
func (h *loginHandler) fail(ctx context.Context, limits map[string]store.Limit, refusal error) (api.Response, error) {
	if err := auth.Hit(ctx, h.store, limits); err != nil {
		return api.Response{}, err
	}
	return api.Response{}, refusal
}

// Login is the auth-login function's handler.
func Login(d app.Deps) api.HandlerFunc { return newLoginHandler(d.Store(), !d.Config.Local).Handle }
