package identityhttp

import (
	"context"
	"errors"
	"net/http"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/mail"
	"roster/shared/store"
)

// passwordResetStore is what a reset request reads and writes.
type passwordResetStore interface {
	auth.Limiter
	GetUserByEmail(ctx context.Context, email string) (domain.User, error)
	PutToken(ctx context.Context, t store.Token) error
}

// passwordResetMailer sends the reset mail.
type passwordResetMailer interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

// passwordResetHandler answers POST /api/auth/password-reset.
type passwordResetHandler struct {
	store   passwordResetStore
	mail    passwordResetMailer
	siteURL string
	now     func() time.Time
}

// newPasswordResetHandler returns the handler.
func newPasswordResetHandler(s passwordResetStore, m passwordResetMailer, siteURL string) *passwordResetHandler {
	return &passwordResetHandler{store: s, mail: m, siteURL: siteURL, now: time.Now}
}

type passwordResetInput struct {
	Email string `json:"email"`
}

// Handle counts the request against the email's and the source address's
// limits and, when the email has a login, stores a reset token (1 hour)
// and mails <site>/reset#token=T. It answers 202 whether or not the email
// is registered, 400 for a malformed address, 429 once a limit is reached.
func (h *passwordResetHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	var in passwordResetInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	email, err := domain.NormalizeEmail(in.Email)
	if err != nil {
		return api.Response{}, err
	}
	if err := auth.Hit(ctx, h.store, map[string]store.Limit{
		auth.LimitResetEmail(email):          auth.ResetPerEmail,
		auth.LimitResetIP(api.SourceIP(req)): auth.ResetPerIP,
	}); err != nil {
		return api.Response{}, err
	}
	accepted := api.JSON(http.StatusAccepted, map[string]string{"status": "If this address has a Roster login, we sent it a link to choose a new password."})
	u, err := h.store.GetUserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return accepted, nil
	}
	if err != nil {
		return api.Response{}, err
	}
	token, hash := auth.NewToken()
	expires := h.now().UTC().Add(auth.ResetTTL)
	if err := h.store.PutToken(ctx, store.Token{Hash: hash, Kind: store.TokenReset, UserID: u.ID, ExpiresAt: expires}); err != nil {
		return api.Response{}, err
	}
	msg, err := auth.ResetMail(h.siteURL, u, token, expires)
	if err == nil {
		_, err = h.mail.Send(ctx, msg)
	}
	if err != nil {
		// Answering otherwise would tell that the address has a login.
		api.Logger(ctx).ErrorContext(ctx, "reset mail not sent", "err", err.Error())
	}
	return accepted, nil
}

// PasswordReset is the auth-password-reset function's handler.
func PasswordReset(d app.Deps) api.HandlerFunc {
	return newPasswordResetHandler(d.Store(), mail.NewSender(mail.MustNewClient(context.Background()), d.Config.MailFrom), d.Config.SiteURL).Handle
}
