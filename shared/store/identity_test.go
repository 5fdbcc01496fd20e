package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/testenv"
)

func TestRedeemToken(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	s := store.New(db, table)
	u := newUser("redeem@example.com")
	if err := s.CreateUser(ctx, u, store.Mail{}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tok := range []store.Token{
		{Hash: "live", Kind: store.TokenVerify, UserID: u.ID, ExpiresAt: now.Add(time.Hour)},
		{Hash: "race", Kind: store.TokenVerify, UserID: u.ID, ExpiresAt: now.Add(time.Hour)},
		{Hash: "old", Kind: store.TokenVerify, UserID: u.ID, ExpiresAt: now.Add(-time.Second)},
		{Hash: "refuse", Kind: store.TokenVerify, UserID: u.ID, ExpiresAt: now.Add(time.Hour)},
	} {
		if err := s.PutToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	verify := func(u *domain.User) error { u.EmailVerified = true; return nil }
	refuse := errors.New("refused by the change")

	tests := []struct {
		name, hash, kind string
		change           func(*domain.User) error
		want             error
	}{
		{"wrong kind", "live", store.TokenReset, verify, store.ErrNotFound},
		{"unknown", "nope", store.TokenVerify, verify, store.ErrNotFound},
		{"expired before TTL deleted it", "old", store.TokenVerify, verify, store.ErrExpired},
		{"change refuses: token stays", "refuse", store.TokenVerify, func(*domain.User) error { return refuse }, refuse},
		{"refused token still works", "refuse", store.TokenVerify, verify, nil},
		{"first use", "live", store.TokenVerify, verify, nil},
		{"second use", "live", store.TokenVerify, verify, store.ErrNotFound},
	}
	for _, tt := range tests {
		got, err := s.RedeemToken(ctx, tt.hash, tt.kind, tt.change)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
		if tt.want == nil && (!got.EmailVerified || got.ID != u.ID) {
			t.Errorf("%s: got user %+v", tt.name, got)
		}
	}
	if n := countPK(t, db, table, "TOKEN#live"); n != 0 {
		t.Errorf("used token left: %d", n)
	}

	// Two redemptions at once: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.RedeemToken(ctx, "race", store.TokenVerify, verify)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrConflict):
		default:
			t.Errorf("racing redemption: got %v", err)
		}
	}
	if wins != 1 {
		t.Errorf("racing redemptions: got %d winners, want 1", wins)
	}
}

func TestMarkSessionsVerified(t *testing.T) {
	t.Parallel()
	s := testenv.NewStore(t)
	now := time.Now()
	for _, h := range []string{"s1", "s2"} {
		if err := s.CreateSession(ctx, domain.Session{TokenHash: h, UserID: "u1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, domain.Session{TokenHash: "other", UserID: "u2", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, domain.Session{TokenHash: "s1", UserID: "u1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("same session twice: got %v, want ErrConflict", err)
	}
	if err := s.MarkSessionsVerified(ctx, "u1", "s1"); err != nil {
		t.Fatal(err)
	}
	// Another user's session named as the current one is left alone.
	if err := s.MarkSessionsVerified(ctx, "u1", "other"); err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string]bool{"s1": true, "s2": true, "other": false} {
		got, err := s.GetSession(ctx, h)
		if err != nil || got.Verified != want {
			t.Errorf("session %s: got verified=%v %v, want %v", h, got.Verified, err, want)
		}
	}
}

func TestRecordSignIn(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	s := store.New(db, table)
	for _, id := range []string{"a1", "a2", "a3"} {
		m := domain.Membership{AccountID: id, UserID: "u1", Email: "u1@example.com", Role: domain.RoleOwner, Status: domain.StatusActive}
		if id == "a3" {
			m.Role, m.Status = domain.RoleMember, domain.StatusDeactivated
		}
		if err := s.CreateAccount(ctx, domain.Account{ID: id, OwnerID: "u1"}, m, domain.AuditEvent{AccountID: id, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	actor := domain.Actor{UserID: "u1", Email: "u1@example.com", SourceIP: "192.0.2.1"}
	if err := s.RecordSignIn(ctx, actor, at); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		account    string
		wantLogin  bool
		wantEvents int
	}{{"a1", true, 2}, {"a2", true, 2}, {"a3", false, 1}} {
		m, err := s.GetMembership(ctx, tt.account, "u1")
		if err != nil || m.LastLoginAt.Equal(at) != tt.wantLogin || m.Version != 1 {
			t.Errorf("membership %s: got lastLoginAt %v version %d, %v; want login recorded %v and version 1", tt.account, m.LastLoginAt, m.Version, err, tt.wantLogin)
		}
		// account.created plus, for an active membership, member.signed_in.
		if n := countPK(t, db, table, "ACCOUNT#"+tt.account+"#HISTORY"); n != tt.wantEvents {
			t.Errorf("account %s history: got %d events, want %d", tt.account, n, tt.wantEvents)
		}
	}
	if err := s.RecordSignIn(ctx, domain.Actor{UserID: "nobody"}, at); err != nil {
		t.Errorf("user without memberships: got %v", err)
	}
}
