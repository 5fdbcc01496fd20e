package identityhttp

import (
	"context"
	"net/http"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/mail"
	"roster/shared/store"
)

// resendVerificationAuthenticator authenticates the request.
type resendVerificationAuthenticator interface {
	Session(ctx context.Context, req api.Request) (domain.Session, error)
}

// resendVerificationStore reads the user and stores the new token.
type resendVerificationStore interface {
	auth.Limiter
	GetUser(ctx context.Context, userID string) (domain.User, error)
	PutToken(ctx context.Context, t store.Token) error
}

// resendVerificationMailer sends the verification mail.
type resendVerificationMailer interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

// resendVerificationHandler answers POST /api/me/verification.
type resendVerificationHandler struct {
	auth    resendVerificationAuthenticator
	store   resendVerificationStore
	mail    resendVerificationMailer
	siteURL string
	now     func() time.Time
}

// newResendVerificationHandler returns the handler.
func newResendVerificationHandler(a resendVerificationAuthenticator, s resendVerificationStore, m resendVerificationMailer, siteURL string) *resendVerificationHandler {
	return &resendVerificationHandler{auth: a, store: s, mail: m, siteURL: siteURL, now: time.Now}
}

// Handle mails a new verification link to a signed-in, unverified user
// (earlier links keep working until they expire). It answers 202, 401
// without a session, 409 already_verified, 429 past the limit, and 503
// mail_failed when SES does not take the message.
func (h *resendVerificationHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Session(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	u, err := h.store.GetUser(ctx, sess.UserID)
	if err != nil {
		return api.Response{}, err
	}
	if u.EmailVerified {
		return api.Response{}, domain.CodeAlreadyVerified.Msg("Your email address is confirmed already.")
	}
	if err := auth.Hit(ctx, h.store, map[string]store.Limit{auth.LimitVerification(u.ID): auth.VerificationPerUser}); err != nil {
		return api.Response{}, err
	}
	token, hash := auth.NewToken()
	expires := h.now().UTC().Add(auth.VerifyTTL)
	if err := h.store.PutToken(ctx, store.Token{Hash: hash, Kind: store.TokenVerify, UserID: u.ID, ExpiresAt: expires}); err != nil {
		return api.Response{}, err
	}
	msg, err := auth.VerifyMail(h.siteURL, u, token, expires)
	if err != nil {
		return api.Response{}, err
	}
	if _, err := h.mail.Send(ctx, msg); err != nil {
		api.Logger(ctx).ErrorContext(ctx, "verification mail not sent", "err", err.Error())
		return api.Response{}, domain.CodeMailFailed.Msg("We could not send the email just now. Please try again later.")
	}
	return api.JSON(http.StatusAccepted, map[string]string{"status": "We sent you a new link."}), nil
}

// ResendVerification is the me-verification function's handler.
func ResendVerification(d app.Deps) api.HandlerFunc {
	return newResendVerificationHandler(d.Authenticator(), d.Store(), mail.NewSender(mail.MustNewClient(context.Background()), d.Config.MailFrom), d.Config.SiteURL).Handle
}
