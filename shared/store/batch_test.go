package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/testenv"
)

// throttled is a middleware on a real DynamoDB Local client that turns
// every BatchGetItem answer into AWS's answer under throttling: the keys
// come back as UnprocessedKeys and no item is returned.
type throttled struct{}

func (throttled) ID() string { return "Throttled" }

func (throttled) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleInitialize(ctx, in)
	if req, ok := in.Parameters.(*dynamodb.BatchGetItemInput); ok && err == nil {
		out.Result = &dynamodb.BatchGetItemOutput{
			Responses:       map[string][]map[string]types.AttributeValue{},
			UnprocessedKeys: req.RequestItems,
		}
	}
	return out, md, err
}

// TestBatchGetFailsClosed checks each reader that uses BatchGetItem when
// DynamoDB keeps keys unprocessed: an error, never "no session", "no
// limit reached" or a silently shorter list.
func TestBatchGetFailsClosed(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	good := store.New(db, table)
	cfg := testenv.AWSConfig(testenv.DynamoDBEndpoint(t))
	bad := store.New(dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error { return s.Initialize.Add(throttled{}, middleware.After) })
	}), table)

	owner := newUser("owner@example.com")
	account := domain.Account{ID: store.NewID(), Name: "Acme", OwnerID: owner.ID}
	if err := good.CreateAccount(ctx, account, domain.Membership{AccountID: account.ID, UserID: owner.ID, Email: owner.Email, Role: domain.RoleOwner, Status: domain.StatusActive}, domain.AuditEvent{AccountID: account.ID, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
		t.Fatal(err)
	}
	sess := domain.Session{TokenHash: "h-" + store.NewID(), UserID: owner.ID, CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	if err := good.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	limits := map[string]store.Limit{"login#" + owner.Email: {Max: 1, Window: time.Hour}}
	if _, err := good.Hit(ctx, "login#"+owner.Email, limits["login#"+owner.Email]); err != nil {
		t.Fatal(err)
	}

	// The same reads on the real client find what was written.
	if _, _, ok, err := good.GetSessionAndMembership(ctx, sess.TokenHash, owner.ID, account.ID); err != nil || !ok {
		t.Fatalf("session and membership: got ok %v, %v", ok, err)
	}
	if wait, err := good.Exceeded(ctx, limits); err != nil || wait == 0 {
		t.Fatalf("limit: got wait %v, %v; want reached", wait, err)
	}

	tests := []struct {
		name string
		read func(context.Context) error
	}{
		{"session and membership", func(ctx context.Context) error {
			_, _, _, err := bad.GetSessionAndMembership(ctx, sess.TokenHash, owner.ID, account.ID)
			return err
		}},
		{"rate limits", func(ctx context.Context) error { _, err := bad.Exceeded(ctx, limits); return err }},
		{"account names", func(ctx context.Context) error { _, err := bad.AccountNames(ctx, []string{account.ID}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.read(ctx); !errors.Is(err, store.ErrUnprocessed) {
				t.Errorf("got %v, want ErrUnprocessed", err)
			}
			// A caller's deadline ends the backoff early.
			short, cancel := context.WithTimeout(ctx, 15*time.Millisecond)
			defer cancel()
			start := time.Now()
			if err := tt.read(short); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("with a 15 ms deadline: got %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > 200*time.Millisecond {
				t.Errorf("with a 15 ms deadline: took %v", d)
			}
		})
	}
}

// TestBatchGetChunks reads more than BatchGetItem's 100 keys a call: every
// item found, the missing ones absent.
func TestBatchGetChunks(t *testing.T) {
	t.Parallel()
	s := testenv.NewStore(t)
	var ids []string
	want := map[string]string{}
	for i := range 250 {
		id := store.NewID()
		ids = append(ids, id)
		if i%2 == 1 {
			continue // never created
		}
		name := fmt.Sprintf("Account %03d", i)
		want[id] = name
		u := newUser(fmt.Sprintf("u%d@example.com", i))
		if err := s.CreateAccount(ctx, domain.Account{ID: id, Name: name, OwnerID: u.ID}, domain.Membership{AccountID: id, UserID: u.ID, Email: u.Email, Role: domain.RoleOwner, Status: domain.StatusActive}, domain.AuditEvent{AccountID: id, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.AccountNames(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("got %d names, want %d", len(got), len(want))
	}
	for id, name := range want {
		if got[id] != name {
			t.Errorf("%s: got %q, want %q", id, got[id], name)
		}
	}
}
