package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/mail"
	"roster/shared/store"
)

// draft is a mail ready to send, or why it is not to be sent any more.
type draft struct {
	msg        mail.Message
	superseded string
	// first says it is its invitation's first email (sentAt).
	first bool
}

func skip(why string) (draft, error) { return draft{superseded: why}, nil }

// prepare issues the mail's link, when it has one, and renders it, or
// says why the mail is not to be sent any more. It returns the store's
// and the renderer's errors.
func (s *Sender) prepare(ctx context.Context, m store.Mail) (draft, error) {
	now := s.store.Now().UTC()
	if m.Kind == store.MailInvite {
		return s.prepareInvite(ctx, m, now)
	}
	u, err := s.store.GetUser(ctx, m.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return skip("The login no longer exists.")
	}
	if err != nil {
		return draft{}, err
	}
	if u.Email != m.To {
		return skip("The login's address changed.")
	}
	switch m.Kind {
	case store.MailVerify, store.MailReset:
		page, kind, ttl := "verify", store.TokenVerify, auth.VerifyTTL
		if m.Kind == store.MailReset {
			page, kind, ttl = "reset", store.TokenReset, auth.ResetTTL
		} else if u.EmailVerified {
			return skip("The address is confirmed already.")
		}
		token, hash := auth.NewToken()
		expires := now.Add(ttl)
		if err := s.store.PutToken(ctx, store.Token{Hash: hash, Kind: kind, UserID: u.ID, ExpiresAt: expires}); err != nil {
			return draft{}, err
		}
		// The token is in the fragment, so that it never reaches server or CDN logs.
		data := mail.Link{Name: u.Name(), Link: s.cfg.SiteURL + "/" + page + "#token=" + token,
			ExpiresAt: expires.Format("2 January 2006 15:04 MST")}
		if m.Kind == store.MailReset {
			return draft{msg: mail.ResetMessage(m.To, data)}, nil
		}
		return draft{msg: mail.VerifyMessage(m.To, data)}, nil
	case store.MailRegistered:
		return draft{msg: mail.RegisteredMessage(m.To, mail.Registered{Name: u.Name(),
			SignIn: s.cfg.SiteURL + "/sign-in", Reset: s.cfg.SiteURL + "/forgot-password"})}, nil
	}
	return draft{}, fmt.Errorf("outbox: mail %s has unknown kind %q", m.ID, m.Kind)
}

// prepareInvite issues the link of an invitation's current mail and
// renders it; an invitation that moved on (resent, revoked, accepted,
// expired) supersedes the mail.
func (s *Sender) prepareInvite(ctx context.Context, m store.Mail, now time.Time) (draft, error) {
	for range 2 {
		inv, err := s.store.GetInvitation(ctx, m.AccountID, m.InviteID)
		if errors.Is(err, store.ErrNotFound) {
			return skip("The invitation no longer exists.")
		}
		if err != nil {
			return draft{}, err
		}
		switch {
		case inv.MailID != m.ID:
			return skip("The invitation was sent again since.")
		case inv.State != domain.InvitePending:
			return skip("The invitation is no longer pending.")
		case inv.Expired(now):
			return skip("The invitation expired before its email could go.")
		}
		token, hash := auth.NewToken()
		err = s.store.IssueInvitationLink(ctx, inv, m.ID, hash)
		if errors.Is(err, store.ErrConflict) {
			continue // changed meanwhile: read it again
		}
		if err != nil {
			return draft{}, err
		}
		var areas []mail.Area
		for _, a := range s.catalog.Describe(inv.Permissions) {
			areas = append(areas, mail.Area{Area: a.Area, Permissions: a.Permissions})
		}
		msg := mail.InviteMessage(inv.Email, mail.Invite{
			Name: domain.FullName(inv.FirstName, inv.LastName, ""), Email: inv.Email,
			InviterName: domain.FullName(inv.InviterName, "", inv.InviterEmail), InviterEmail: inv.InviterEmail,
			AccountName: inv.AccountName, Role: s.catalog.RoleLabel(inv.Role),
			AllPermissions: inv.Permissions.All, Permissions: areas,
			Link:      s.cfg.SiteURL + "/accept#token=" + token,
			ExpiresAt: inv.ExpiresAt.UTC().Format("Monday 2 January 2006, 15:04 MST"),
		})
		return draft{msg: msg, first: inv.SentAt.IsZero()}, nil
	}
	return draft{}, fmt.Errorf("outbox: invitation %s keeps changing", m.InviteID)
}
