package tokens

import (
	"context"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
)

// Store is what the token service reads.
type Store interface {
	MemberProjectIDs(ctx context.Context, accountID, userID, after string, limit int) (store.IDPage, error)
}

// Service issues access tokens to members.
type Service struct {
	store  Store
	issuer *Issuer
}

// NewService returns the service over the store, signing with issuer.
func NewService(s Store, i *Issuer) *Service { return &Service{store: s, issuer: i} }

// MaxProjects bounds the projects a token lists, so that it stays a
// header's size; a member of more gets the first ones by id.
const MaxProjects = 200

// ForMember issues the actor a token for the account: who they are, their
// role, their permissions and their projects there. The actor is an active
// member (the authenticator refused anyone else: a deactivated member is
// forbidden member_deactivated, a removed one not_found).
func (s *Service) ForMember(ctx context.Context, actor domain.Actor, accountID string) (AccessToken, error) {
	var projects []string
	after := ""
	for len(projects) < MaxProjects {
		page, err := s.store.MemberProjectIDs(ctx, accountID, actor.UserID, after, MaxProjects-len(projects))
		if err != nil {
			return AccessToken{}, err
		}
		projects = append(projects, page.IDs...)
		if after = page.Next; after == "" {
			break
		}
	}
	perms := []string{AllPermissions}
	if !actor.Permissions.All {
		perms = append([]string{}, actor.Permissions.Granted...)
	}
	if projects == nil {
		projects = []string{}
	}
	c := Claims{Email: actor.Email, Account: accountID, Role: string(actor.Role), Permissions: perms, Projects: projects}
	c.Subject = actor.UserID
	token, exp, err := s.issuer.Issue(ctx, c)
	if err != nil {
		return AccessToken{}, err
	}
	return AccessToken{Token: token, TokenType: "Bearer", ExpiresAt: exp.UTC().Truncate(time.Second)}, nil
}
