// Package seed fills a table with large accounts through the store's own
// writers, for make bench and make lighthouse.
package seed

import (
	"context"
	"fmt"
	"roster/shared/domain"
	"roster/shared/store"
	"strings"
	"sync"
	"time"
)

// Options say what Account makes.
type Options struct {
	// Members and Events are the account's size.
	Members, Events int
	// Owner, when set, is the login (made already) that owns the account;
	// else the owner has no login.
	Owner *domain.User
}

// Account makes an account with o.Members members (named from a grid of 16
// first and 16 last names, numbered; every tenth deactivated) and o.Events
// history events, through the store's writers, and returns its id and its
// owner as an actor.
func Account(ctx context.Context, s *store.Store, o Options) (string, domain.Actor, error) {
	n, events := o.Members, o.Events
	now := time.Now().UTC()
	a := domain.Account{ID: store.NewID(), Name: fmt.Sprintf("Bench %d", n), OwnerID: store.NewID(), CreatedAt: now}
	ownerEmail, ownerFirst, ownerLast := "owner@bench.example", "Owner", "Bench"
	if o.Owner != nil {
		a.OwnerID, ownerEmail, ownerFirst, ownerLast = o.Owner.ID, o.Owner.Email, o.Owner.FirstName, o.Owner.LastName
	}
	owner := domain.Membership{AccountID: a.ID, AccountName: a.Name, UserID: a.OwnerID, Email: ownerEmail, FirstName: ownerFirst, LastName: ownerLast,
		Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive, JoinedAt: now}
	if err := s.CreateAccount(ctx, a, owner, domain.AuditEvent{ID: store.NewID(), AccountID: a.ID, Action: domain.ActionAccountCreated, At: now,
		Target: domain.EventTarget{Kind: "account", ID: a.ID}}, store.Limit{}); err != nil {
		return "", domain.Actor{}, err
	}
	actor := domain.Actor{UserID: owner.UserID, Email: owner.Email, Role: domain.RoleOwner, Status: domain.StatusActive, Permissions: owner.Permissions}
	ms := Members(a, n, now)
	evs := make([]domain.AuditEvent, events)
	for i := range evs {
		m := owner
		if n > 0 {
			m = ms[i%n]
		}
		evs[i] = domain.AuditEvent{ID: store.NewID(), AccountID: a.ID, At: now.Add(-time.Duration(i) * time.Minute), Action: domain.ActionMemberRole,
			Actor:  domain.EventActor{UserID: owner.UserID, Email: owner.Email, Name: "Owner Bench"},
			Target: domain.MemberTarget(m), Before: map[string]string{"role": "member"}, After: map[string]string{"role": "admin"}}
	}
	err := Write(ctx, s, ms)
	if err == nil {
		err = parallel(8, len(evs), func(lo, hi int) error { return s.LoadEvents(ctx, evs[lo:hi]) })
	}
	return a.ID, actor, err
}

// Members returns n members of a, named from a grid of 16 first and 16
// last names (first names numbered, so that each is unique); every tenth
// is deactivated.
func Members(a domain.Account, n int, now time.Time) []domain.Membership {
	first := []string{"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken", "Radia", "Tim", "Hedy", "Niklaus", "Sophie", "José"}
	last := []string{"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Hamilton", "Thompson", "Perlman", "Berners-Lee", "Lamarr", "Wirth", "Wilson", "Núñez"}
	ms := make([]domain.Membership, n)
	for i := range ms {
		fn, ln := first[i%len(first)], last[(i/len(first))%len(last)]
		ms[i] = domain.Membership{AccountID: a.ID, AccountName: a.Name, UserID: store.NewID(),
			Email:     strings.ToLower(fmt.Sprintf("%s.%s.%d@bench.example", fn, ln, i)),
			FirstName: fmt.Sprintf("%s%d", fn, i), LastName: ln, Role: domain.RoleMember,
			Permissions: domain.PermissionSet{Granted: []string{"billing.view", "users.view"}},
			Status:      domain.StatusActive, JoinedAt: now}
		if i%10 == 0 {
			ms[i].Status = domain.StatusDeactivated
		}
	}
	return ms
}

// Write writes the memberships with the store's seeding writer, on 8
// goroutines.
func Write(ctx context.Context, s *store.Store, ms []domain.Membership) error {
	return parallel(8, len(ms), func(lo, hi int) error { return s.SeedMembers(ctx, ms[lo:hi]) })
}

// parallel runs f over n items in chunks on workers goroutines.
func parallel(workers, n int, f func(lo, hi int) error) error {
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		lo, hi := min(w*chunk, n), min((w+1)*chunk, n)
		if lo == hi {
			continue
		}
		wg.Go(func() { errs[w] = f(lo, hi) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
