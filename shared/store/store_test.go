package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

var ctx = context.Background()

// countPK counts the items under a partition key with a Query (never a Scan).
func countPK(t *testing.T, db *dynamodb.Client, table, pk string) int {
	t.Helper()
	return testenv.Count(t, db, table, "", "PK", pk)
}

func newUser(email string) domain.User {
	return domain.User{ID: store.NewID(), Email: email, FirstName: "Ada", LastName: "Lovelace", PasswordHash: "x", CreatedAt: time.Now()}
}

func TestUsers(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	s := store.New(db, table)
	u := newUser("ada@example.com")
	verify := store.NewMail(store.MailVerify, u.Email, time.Now())
	verify.UserID = u.ID
	if err := s.CreateUser(ctx, u, verify); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if m, err := s.GetMail(ctx, verify.ID); err != nil || m.Status != store.MailQueued || m.UserID != u.ID {
		t.Errorf("verification mail: got %+v, %v; want queued for the user", m, err)
	}

	// The same email again: refused, and nothing of the second user written.
	dup := newUser("ada@example.com")
	dupMail := store.NewMail(store.MailVerify, dup.Email, time.Now())
	err := s.CreateUser(ctx, dup, dupMail)
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate email: got %v, want ErrConflict", err)
	}
	if n := countPK(t, db, table, "USER#"+dup.ID); n != 0 {
		t.Errorf("duplicate wrote %d user items, want 0", n)
	}
	if n := countPK(t, db, table, "MAIL#"+dupMail.ID); n != 0 {
		t.Errorf("duplicate queued its mail")
	}
	if id, err := s.UserIDByEmail(ctx, "ada@example.com"); err != nil || id != u.ID {
		t.Errorf("UserIDByEmail: got %q, %v; want %s", id, err, u.ID)
	}

	got, err := s.GetUserByEmail(ctx, "ada@example.com")
	if err != nil || got.ID != u.ID || got.Version != 1 {
		t.Fatalf("GetUserByEmail: got %+v, %v; want user %s version 1", got, err, u.ID)
	}
	if _, err := s.GetUserByEmail(ctx, "nobody@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown email: got %v, want ErrNotFound", err)
	}

	updated, err := s.UpdateUser(ctx, u.ID, func(u *domain.User) error { u.FirstName = "Augusta"; return nil })
	if err != nil || updated.FirstName != "Augusta" || updated.Version != 2 {
		t.Fatalf("UpdateUser: got %+v, %v", updated, err)
	}
	refused := errors.New("refused")
	if _, err := s.UpdateUser(ctx, u.ID, func(*domain.User) error { return refused }); !errors.Is(err, refused) {
		t.Errorf("abandoned update: got %v, want the change's error", err)
	}
}

// TestUpdateUserRace: many writers update the same user from the same
// version; exactly one wins, the others get ErrConflict.
func TestUpdateUserRace(t *testing.T) {
	t.Parallel()
	s := testenv.NewStore(t)
	u := newUser("race@example.com")
	if err := s.CreateUser(ctx, u, store.Mail{}); err != nil {
		t.Fatal(err)
	}
	const workers = 8
	var wins, conflicts atomic.Int32
	var ready, wg sync.WaitGroup
	ready.Add(workers)
	start := make(chan struct{})
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateUser(ctx, u.ID, func(u *domain.User) error {
				ready.Done()
				<-start // everyone has read version 1 before anyone writes
				u.LastName = string(rune('A' + i))
				return nil
			})
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, store.ErrConflict):
				conflicts.Add(1)
			default:
				t.Errorf("worker %d: %v", i, err)
			}
		}()
	}
	ready.Wait()
	close(start)
	wg.Wait()
	if wins.Load() != 1 || conflicts.Load() != workers-1 {
		t.Errorf("got %d wins and %d conflicts, want 1 and %d", wins.Load(), conflicts.Load(), workers-1)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	now := time.Now()
	s := testenv.NewStore(t)
	live := store.Token{Hash: "live", Kind: store.TokenReset, UserID: "u1", ExpiresAt: now.Add(time.Hour)}
	old := store.Token{Hash: "old", Kind: store.TokenReset, UserID: "u1", ExpiresAt: now.Add(-time.Second)}
	for _, tok := range []store.Token{live, old} {
		if err := s.PutToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, hash, kind string
		want             error
	}{
		{"wrong kind", "live", store.TokenVerify, store.ErrNotFound},
		{"first use", "live", store.TokenReset, nil},
		{"second use", "live", store.TokenReset, store.ErrNotFound},
		{"unknown", "nope", store.TokenReset, store.ErrNotFound},
		{"expired before TTL deleted it", "old", store.TokenReset, store.ErrExpired},
	}
	for _, tt := range tests {
		got, err := s.ConsumeToken(ctx, tt.hash, tt.kind)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
		if tt.want == nil && got.UserID != "u1" {
			t.Errorf("%s: got token %+v", tt.name, got)
		}
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	now := time.Now()
	s := testenv.NewStore(t)
	mk := func(hash string, expires time.Time) domain.Session {
		return domain.Session{TokenHash: hash, UserID: "u1", Email: "u1@example.com", Verified: true, CreatedAt: now, ExpiresAt: expires}
	}
	for _, sess := range []domain.Session{mk("a", now.Add(time.Hour)), mk("b", now.Add(time.Hour)), mk("c", now.Add(time.Hour)), mk("gone", now.Add(-time.Minute))} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.GetSession(ctx, "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired session: got %v, want ErrNotFound", err)
	}
	if got, err := s.GetSession(ctx, "a"); err != nil || got.UserID != "u1" {
		t.Errorf("GetSession: got %+v, %v", got, err)
	}
	if err := s.DeleteSessionsOfUser(ctx, "u1", "b"); err != nil {
		t.Fatal(err)
	}
	for hash, want := range map[string]error{"a": store.ErrNotFound, "b": nil, "c": store.ErrNotFound} {
		if _, err := s.GetSession(ctx, hash); !errors.Is(err, want) {
			t.Errorf("after sign-out elsewhere, session %s: got %v, want %v", hash, err, want)
		}
	}
}

func TestAccountAndAuthenticationRead(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	s := store.New(db, table)
	now := time.Now()
	acct := domain.Account{ID: store.NewID(), Name: "Acme", OwnerID: "owner", CreatedAt: now}
	owner := domain.Membership{AccountID: acct.ID, AccountName: "Acme", UserID: "owner", Email: "o@example.com", Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive, JoinedAt: now}
	ev := domain.EventFor(domain.Actor{UserID: "owner", Email: "o@example.com"}, acct.ID, domain.ActionAccountCreated, now)
	ev.Target = domain.EventTarget{Kind: "account", ID: acct.ID, Name: "Acme"}
	if err := s.CreateAccount(ctx, acct, owner, ev, store.Limit{}); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	if n := countPK(t, db, table, "ACCOUNT#"+acct.ID+"#HISTORY"); n != 1 {
		t.Errorf("history events: got %d, want 1", n)
	}
	// Creating it again conflicts and writes no second event.
	if err := s.CreateAccount(ctx, acct, owner, ev, store.Limit{}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second create: got %v, want ErrConflict", err)
	}
	if n := countPK(t, db, table, "ACCOUNT#"+acct.ID+"#HISTORY"); n != 1 {
		t.Errorf("history events after refused create: got %d, want 1", n)
	}

	list, err := s.AccountsOfUser(ctx, "owner")
	if err != nil || len(list) != 1 || list[0].AccountName != "Acme" || list[0].Role != domain.RoleOwner {
		t.Fatalf("AccountsOfUser: got %+v, %v", list, err)
	}

	if err := s.CreateSession(ctx, domain.Session{TokenHash: "tok", UserID: "owner", Verified: true, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	rctx, rec := telemetry.WithRecorder(ctx)
	sess, m, ok, err := s.GetSessionAndMembership(rctx, "tok", "owner", acct.ID)
	if err != nil || !ok || sess.UserID != "owner" || m.Role != domain.RoleOwner {
		t.Fatalf("GetSessionAndMembership: got %+v %+v %v %v", sess, m, ok, err)
	}
	if sum := rec.Summary(); sum.Calls != 1 {
		t.Errorf("authentication read: got %d calls, want 1 round trip", sum.Calls)
	}
	if _, _, ok, err := s.GetSessionAndMembership(ctx, "tok", "owner", "other-account"); err != nil || ok {
		t.Errorf("other account: got ok=%v err=%v, want no membership", ok, err)
	}
	// The session of another user presented with this user's id is refused.
	if _, _, _, err := s.GetSessionAndMembership(ctx, "tok", "someone-else", acct.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session of another user: got %v, want ErrNotFound", err)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	s := testenv.NewStore(t)
	l := store.Limit{Max: 3, Window: time.Hour}
	for i := range 3 {
		if wait, err := s.Hit(ctx, "login#x", l); err != nil || wait != 0 {
			t.Fatalf("hit %d: got wait %v err %v, want allowed", i+1, wait, err)
		}
	}
	wait, err := s.Hit(ctx, "login#x", l)
	if err != nil || wait <= 0 || wait > time.Hour {
		t.Errorf("fourth hit: got wait %v err %v, want refused with a wait within the hour", wait, err)
	}
	if wait, err := s.Exceeded(ctx, map[string]store.Limit{"login#x": l, "login#y": l}); err != nil || wait <= 0 {
		t.Errorf("Exceeded: got %v %v, want a wait", wait, err)
	}
	if wait, err := s.Exceeded(ctx, map[string]store.Limit{"login#y": l}); err != nil || wait != 0 {
		t.Errorf("Exceeded for a fresh key: got %v %v, want 0", wait, err)
	}
}
