package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/store"
)

// SessionTTL is how long a session lasts after sign-in.
const SessionTTL = 12 * time.Hour

// ActiveEvery is how stale a membership's lastActiveAt may get before a
// request refreshes it: one write per member per this period, not per request.
const ActiveEvery = 5 * time.Minute

// Cookie names. Over HTTPS the __Host- prefix pins the cookie to the site's
// own host, path / and Secure; plain http://localhost cannot use it.
const (
	cookieSecure = "__Host-roster_session"
	cookieLocal  = "roster_session"
)

// CookieName returns the session cookie's name.
func CookieName(secure bool) string {
	if secure {
		return cookieSecure
	}
	return cookieLocal
}

// SessionCookie returns the cookie that carries a new session: the user id
// (so that one round trip can read the session and a membership together)
// and the token. HttpOnly, SameSite=Lax, Secure except on http://localhost.
func SessionCookie(userID, token string, expires time.Time, secure bool) *http.Cookie {
	return &http.Cookie{
		Name:     CookieName(secure),
		Value:    userID + "." + token,
		Path:     "/",
		Expires:  expires,
		MaxAge:   int(time.Until(expires).Seconds()),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// ClearedCookie returns a cookie that removes the session cookie.
func ClearedCookie(secure bool) *http.Cookie {
	return &http.Cookie{Name: CookieName(secure), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
}

// SessionStore is what the Authenticator reads.
type SessionStore interface {
	GetSession(ctx context.Context, hash string) (domain.Session, error)
	GetSessionAndMembership(ctx context.Context, hash, userID, accountID string) (domain.Session, domain.Membership, bool, error)
	TouchActive(ctx context.Context, accountID, userID string, t time.Time) error
}

// Authenticator is the one piece that turns a request's cookie into a
// signed-in user, and into an actor of an account. Every function that
// needs a user uses it; none reads cookies itself.
type Authenticator struct {
	store  SessionStore
	secure bool
	now    func() time.Time
}

// NewAuthenticator returns an Authenticator; secure says the site is served
// over HTTPS (so the cookie is the __Host- one).
func NewAuthenticator(s SessionStore, secure bool) *Authenticator {
	return &Authenticator{store: s, secure: secure, now: time.Now}
}

// Secure reports whether cookies are Secure.
func (a *Authenticator) Secure() bool { return a.secure }

var errUnauthenticated = domain.CodeUnauthenticated.Msg("Please sign in.")

// SessionToken returns the user id and token hash from the request's cookie,
// or an unauthenticated error when there is none or it is malformed.
func (a *Authenticator) SessionToken(req api.Request) (userID, hash string, err error) {
	v, ok := api.Cookie(req, CookieName(a.secure))
	if !ok {
		return "", "", errUnauthenticated
	}
	userID, token, ok := strings.Cut(v, ".")
	if !ok || userID == "" || len(userID) > 64 {
		return "", "", errUnauthenticated
	}
	hash, err = ParseToken(token)
	if err != nil {
		return "", "", errUnauthenticated
	}
	return userID, hash, nil
}

// Session returns the request's session: one strongly consistent read. It
// returns an unauthenticated error when there is no valid session. The
// session may be of a user who has not verified the email yet.
func (a *Authenticator) Session(ctx context.Context, req api.Request) (domain.Session, error) {
	userID, hash, err := a.SessionToken(req)
	if err != nil {
		return domain.Session{}, err
	}
	s, err := a.store.GetSession(ctx, hash)
	if errors.Is(err, store.ErrNotFound) || (err == nil && s.UserID != userID) {
		return domain.Session{}, errUnauthenticated
	}
	if err != nil {
		return domain.Session{}, err
	}
	return s, nil
}

// Verified is Session for endpoints that need a confirmed email: an
// unverified user gets a forbidden email_unverified error.
func (a *Authenticator) Verified(ctx context.Context, req api.Request) (domain.Session, error) {
	s, err := a.Session(ctx, req)
	if err != nil {
		return s, err
	}
	if !s.Verified {
		return domain.Session{}, domain.CodeEmailUnverified.Msg("Confirm your email address first: follow the link we sent you.")
	}
	return s, nil
}

// Member authenticates the request and loads the user's membership of the
// account in the same round trip. It returns unauthenticated without a
// valid session, not_found when the user is not a member (so that the
// existence of other accounts is not revealed), and forbidden
// member_deactivated when the membership is deactivated.
func (a *Authenticator) Member(ctx context.Context, req api.Request, accountID string) (domain.Actor, domain.Membership, error) {
	userID, hash, err := a.SessionToken(req)
	if err != nil {
		return domain.Actor{}, domain.Membership{}, err
	}
	s, m, ok, err := a.store.GetSessionAndMembership(ctx, hash, userID, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return domain.Actor{}, domain.Membership{}, errUnauthenticated
	}
	if err != nil {
		return domain.Actor{}, domain.Membership{}, err
	}
	if !s.Verified {
		return domain.Actor{}, domain.Membership{}, domain.CodeEmailUnverified.Msg("Confirm your email address first: follow the link we sent you.")
	}
	if !ok {
		return domain.Actor{}, domain.Membership{}, domain.CodeAccountNotFound.Msg("This account does not exist or you are not a member of it.")
	}
	if m.Status != domain.StatusActive {
		return domain.Actor{}, domain.Membership{}, domain.CodeMemberDeactivated.Msg("Your access to this account has been deactivated. Ask the account's admins.")
	}
	now := a.now()
	if now.Sub(m.LastActiveAt) > ActiveEvery {
		if err := a.store.TouchActive(ctx, accountID, userID, now); err != nil {
			api.Logger(ctx).WarnContext(ctx, "touch active", "err", err.Error())
		}
	}
	return ActorOf(s, m, req), m, nil
}

// ActorOf returns the actor a session and membership make, with the
// request's details for the audit trail.
func ActorOf(s domain.Session, m domain.Membership, req api.Request) domain.Actor {
	a := ClientOf(req)
	a.UserID, a.Email, a.Name = s.UserID, s.Email, s.Name
	a.Role, a.Status, a.Permissions = m.Role, m.Status, m.Permissions
	return a
}

// ClientOf returns the request's details for the audit trail and the
// limits (source address, user agent, request id) as an actor not yet
// known: what services take for a request of someone not signed in.
func ClientOf(req api.Request) domain.Actor {
	return domain.Actor{SourceIP: api.SourceIP(req), UserAgent: api.UserAgent(req), RequestID: req.RequestContext.RequestID}
}

// Account authenticates a request on an account's resource: it reads the
// route's {accountId} and returns the actor there, as Member does. It
// returns not_found for a missing or malformed account id, and Member's
// errors.
func (a *Authenticator) Account(ctx context.Context, req api.Request) (domain.Actor, string, error) {
	accountID, err := api.PathParam(req, "accountId")
	if err != nil {
		return domain.Actor{}, "", err
	}
	actor, _, err := a.Member(ctx, req, accountID)
	if err != nil {
		return domain.Actor{}, "", err
	}
	return actor, accountID, nil
}

// AccountHandler handles a request on the account in its path, as actor.
type AccountHandler func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error)

// OnAccount returns the handler that authenticates a request as a member of
// the account in its path (Account's errors) before fn.
func (a *Authenticator) OnAccount(fn AccountHandler) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		actor, accountID, err := a.Account(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		return fn(ctx, req, actor, accountID)
	}
}

// ResourceHandler handles a request on one resource of the account in its
// path (a member, an invitation, a project), named by id.
type ResourceHandler func(ctx context.Context, req api.Request, actor domain.Actor, accountID, id string) (api.Response, error)

// OnResource is OnAccount for a request on one resource of the account,
// whose id is the path parameter param.
func (a *Authenticator) OnResource(param string, fn ResourceHandler) api.HandlerFunc {
	return a.OnAccount(func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error) {
		id, err := api.PathParam(req, param)
		if err != nil {
			return api.Response{}, err
		}
		return fn(ctx, req, actor, accountID, id)
	})
}
