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

// registerStore is what registration writes.
type registerStore interface {
	auth.Limiter
	CreateUser(ctx context.Context, u domain.User, verify store.Token) error
	CreateSession(ctx context.Context, s domain.Session) error
}

// registerMailer sends the verification mail.
type registerMailer interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

// registerHandler answers POST /api/auth/register.
type registerHandler struct {
	store   registerStore
	mail    registerMailer
	siteURL string
	secure  bool
	now     func() time.Time
}

// newRegisterHandler returns the handler; secure makes the session cookie Secure.
func newRegisterHandler(s registerStore, m registerMailer, siteURL string, secure bool) *registerHandler {
	return &registerHandler{store: s, mail: m, siteURL: siteURL, secure: secure, now: time.Now}
}

type registerInput struct {
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Password  string `json:"password"`
}

// Handle validates the input (nothing is written for a refused one),
// counts the attempt against the source address's limit, creates the user
// with the email's claim and the verification token in one transaction,
// signs the user in and mails the link. It answers 201 {user}, 400 for bad
// input, 409 email_taken, 429 when the address registered too often.
func (h *registerHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	var in registerInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	email, err := domain.NormalizeEmail(in.Email)
	if err != nil {
		return api.Response{}, err
	}
	first, err := domain.NormalizeName(in.FirstName, "firstName", false)
	if err != nil {
		return api.Response{}, err
	}
	last, err := domain.NormalizeName(in.LastName, "lastName", false)
	if err != nil {
		return api.Response{}, err
	}
	if err := auth.CheckPassword(in.Password, email); err != nil {
		return api.Response{}, err
	}
	if err := auth.Hit(ctx, h.store, map[string]store.Limit{auth.LimitRegisterIP(api.SourceIP(req)): auth.RegisterPerIP}); err != nil {
		return api.Response{}, err
	}
	hash, err := auth.HashPassword(in.Password, auth.DefaultArgon2)
	if err != nil {
		return api.Response{}, err
	}
	now := h.now().UTC()
	u := domain.User{ID: store.NewID(), Email: email, FirstName: first, LastName: last, PasswordHash: hash, CreatedAt: now}
	token, tokenHash := auth.NewToken()
	expires := now.Add(auth.VerifyTTL)
	err = h.store.CreateUser(ctx, u, store.Token{Hash: tokenHash, Kind: store.TokenVerify, UserID: u.ID, ExpiresAt: expires})
	if errors.Is(err, store.ErrConflict) {
		return api.Response{}, domain.CodeEmailTaken.Field("email", "A login with this email address exists already. Sign in, or reset its password.")
	}
	if err != nil {
		return api.Response{}, err
	}
	u.Version = 1

	msg, err := auth.VerifyMail(h.siteURL, u, token, expires)
	if err == nil {
		_, err = h.mail.Send(ctx, msg)
	}
	if err != nil {
		// The login exists; the user can ask for the mail again once signed in.
		api.Logger(ctx).ErrorContext(ctx, "verification mail not sent", "err", err.Error())
	}

	sess, sessToken := auth.NewSession(u, req, now)
	resp := api.JSON(http.StatusCreated, map[string]any{"user": u.Profile()})
	if err := h.store.CreateSession(ctx, sess); err != nil {
		api.Logger(ctx).ErrorContext(ctx, "session after registration", "err", err.Error())
		return resp, nil
	}
	api.SetCookie(&resp, auth.SessionCookie(u.ID, sessToken, sess.ExpiresAt, h.secure))
	return resp, nil
}

// Register is the auth-register function's handler.
func Register(d app.Deps) api.HandlerFunc {
	return newRegisterHandler(d.Store(), mail.NewSender(mail.MustNewClient(context.Background()), d.Config.MailFrom), d.Config.SiteURL, !d.Config.Local).Handle
}
