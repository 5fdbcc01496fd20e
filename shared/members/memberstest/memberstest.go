// Package memberstest builds accounts with members on DynamoDB Local for the
// tests of the member functions and of package members: a fresh table, an
// owner, members with sessions, requests that carry their cookies, and
// item counts read with Query (never Scan). It is for tests only.
package memberstest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/members"
	"roster/shared/store"
	"roster/shared/testenv"
)

// Password is the password of every user the fixture makes.
const Password = "a long and unusual passphrase"

// cheap argon2id parameters: VerifyPassword reads them from the hash.
var cheap = auth.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

// Fixture is one test's table with an account and its owner.
type Fixture struct {
	DB      *dynamodb.Client
	Table   string
	Store   *store.Store
	Auth    *auth.Authenticator
	Service *members.Service
	Account domain.Account
	Owner   Person
}

// Person is a user, their membership of the fixture's account (if any)
// and the cookie of a session of theirs.
type Person struct {
	User   domain.User
	Member domain.Membership
	Cookie string
}

// New returns a fixture over a new table: an account owned by a new user.
func New(t testing.TB) *Fixture {
	t.Helper()
	db, table := testenv.NewTable(t)
	return NewOn(t, db, table)
}

// NewOn is New on an existing table (for figures taken through a running
// local stack).
func NewOn(t testing.TB, db *dynamodb.Client, table string) *Fixture {
	t.Helper()
	s := store.New(db, table)
	f := &Fixture{DB: db, Table: table, Store: s, Auth: auth.NewAuthenticator(s, false), Service: members.NewService(s, domain.DefaultCatalog())}
	u := f.User(t, "Olive", "Owner")
	f.Account = domain.Account{ID: store.NewID(), Name: "Analytical Engines", OwnerID: u.ID, CreatedAt: time.Now().UTC()}
	m := domain.Membership{AccountID: f.Account.ID, AccountName: f.Account.Name, UserID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive, JoinedAt: time.Now().UTC()}
	ev := domain.AuditEvent{AccountID: f.Account.ID, Action: domain.ActionAccountCreated, Actor: domain.EventActor{UserID: u.ID},
		Target: domain.EventTarget{Kind: "account", ID: f.Account.ID}}
	if err := s.CreateAccount(context.Background(), f.Account, m, ev); err != nil {
		t.Fatalf("create account: %v", err)
	}
	f.Account.Version, m.Version = 1, 1
	f.Owner = Person{User: u, Member: m, Cookie: f.SignIn(t, u)}
	return f
}

// User creates a verified user with Password and a unique email.
func (f *Fixture) User(t testing.TB, first, last string) domain.User {
	t.Helper()
	hash, err := auth.HashPassword(Password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	u := domain.User{ID: store.NewID(), Email: testenv.UniqueEmail(t), FirstName: first, LastName: last,
		EmailVerified: true, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := f.Store.CreateUser(context.Background(), u, store.Token{Hash: "verify-" + u.ID, Kind: store.TokenVerify, UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatalf("create user: %v", err)
	}
	u.Version = 1
	return u
}

// SignIn stores a session of the user and returns its Cookie value.
func (f *Fixture) SignIn(t testing.TB, u domain.User) string {
	t.Helper()
	sess, token := auth.NewSession(u, domain.Actor{}, time.Now().UTC())
	if err := f.Store.CreateSession(context.Background(), sess); err != nil {
		t.Fatalf("create session: %v", err)
	}
	return auth.CookieName(false) + "=" + u.ID + "." + token
}

// Add makes a new user a member of the account with the role and granted
// permissions ("all" alone means All), signed in.
func (f *Fixture) Add(t testing.TB, first, last string, role domain.Role, perms ...string) Person {
	t.Helper()
	u := f.User(t, first, last)
	p := domain.PermissionSet{Granted: perms}
	if len(perms) == 1 && perms[0] == "all" {
		p = domain.PermissionSet{All: true}
	}
	m := domain.Membership{AccountID: f.Account.ID, AccountName: f.Account.Name, UserID: u.ID, Email: u.Email, FirstName: first, LastName: last,
		Role: role, Permissions: p, Status: domain.StatusActive, JoinedAt: time.Now().UTC()}
	if err := f.Store.AddMember(context.Background(), m, nil); err != nil {
		t.Fatalf("add member: %v", err)
	}
	m.Version = 1
	return Person{User: u, Member: m, Cookie: f.SignIn(t, u)}
}

// Actor authenticates a request carrying the cookie, as every member
// endpoint does, and returns the actor or the refusal.
func (f *Fixture) Actor(cookie string) (domain.Actor, error) {
	a, _, err := f.Auth.Member(context.Background(), Request("GET", cookie, nil), f.Account.ID)
	return a, err
}

// MustActor is Actor failing the test on a refusal.
func (f *Fixture) MustActor(t testing.TB, cookie string) domain.Actor {
	t.Helper()
	a, err := f.Actor(cookie)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return a
}

// Member reads a membership, failing the test when it cannot.
func (f *Fixture) Member(t testing.TB, userID string) domain.Membership {
	t.Helper()
	m, err := f.Store.GetMembership(context.Background(), f.Account.ID, userID)
	if err != nil {
		t.Fatalf("get member %s: %v", userID, err)
	}
	return m
}

// Request returns an API request with the method, cookie and body (JSON
// encoded unless a string), from the site's origin.
func Request(method, cookie string, body any) api.Request {
	req := api.Request{
		Headers: map[string]string{"origin": "http://localhost:3000", "content-type": "application/json"},
	}
	req.RequestContext.HTTP.Method = method
	req.RequestContext.RequestID = "test-" + store.NewID()[:8]
	if cookie != "" {
		req.Cookies = []string{cookie}
	}
	switch b := body.(type) {
	case nil:
	case string:
		req.Body = b
	default:
		raw, _ := json.Marshal(b)
		req.Body = string(raw)
	}
	return req
}

// Counts are the numbers of items of an account: its partition (account,
// memberships), its search entries and its history.
type Counts struct{ Account, Search, History int }

func (c Counts) String() string {
	return fmt.Sprintf("account %d, search %d, history %d", c.Account, c.Search, c.History)
}

// Counts counts the account's items, each with a Query.
func (f *Fixture) Counts(t testing.TB) Counts {
	t.Helper()
	id := f.Account.ID
	return Counts{
		Account: f.count(t, "", "PK", "ACCOUNT#"+id),
		Search:  f.count(t, "", "PK", "ACCOUNT#"+id+"#SEARCH"),
		History: f.count(t, "", "PK", "ACCOUNT#"+id+"#HISTORY"),
	}
}

// MemberHistory counts the events about one member (GSI1, one Query).
func (f *Fixture) MemberHistory(t testing.TB, userID string) int {
	t.Helper()
	return f.count(t, store.IndexGSI1, "GSI1PK", "ACCOUNT#"+f.Account.ID+"#MEMBER#"+userID+"#HISTORY")
}

// Events returns the actions of the account's history, oldest first.
func (f *Fixture) Events(t testing.TB) []domain.AuditEvent {
	t.Helper()
	out, err := f.DB.Query(context.Background(), &dynamodb.QueryInput{
		TableName:                 aws.String(f.Table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "ACCOUNT#" + f.Account.ID + "#HISTORY"}},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	var evs []domain.AuditEvent
	for _, it := range out.Items {
		var ev struct {
			Action string             `dynamodbav:"action"`
			Target domain.EventTarget `dynamodbav:"target"`
			Before map[string]any     `dynamodbav:"before"`
			After  map[string]any     `dynamodbav:"after"`
		}
		if err := unmarshal(it, &ev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, domain.AuditEvent{Action: ev.Action, Target: ev.Target, Before: ev.Before, After: ev.After})
	}
	return evs
}

func (f *Fixture) count(t testing.TB, index, attr, pk string) int {
	t.Helper()
	return testenv.Count(t, f.DB, f.Table, index, attr, pk)
}

func unmarshal(it map[string]types.AttributeValue, v any) error {
	return attributevalue.UnmarshalMap(it, v)
}

// Event loads the sample events/<name>.json and points it at the fixture's
// account and the user (when the route has a userId), with the cookie (""
// sends none) and the body (nil keeps the sample's; a string is sent as it
// is, anything else JSON-encoded).
func (f *Fixture) Event(t testing.TB, name, cookie, userID string, body any) api.Request {
	t.Helper()
	req := testenv.Event(t, name)
	req.PathParameters["accountId"] = f.Account.ID
	if _, ok := req.PathParameters["userId"]; ok {
		req.PathParameters["userId"] = userID
	}
	req.Cookies = nil
	if cookie != "" {
		req.Cookies = []string{cookie}
	}
	switch b := body.(type) {
	case nil:
	case string:
		req.Body = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		req.Body = string(raw)
	}
	return req
}

// Call runs the handler as Lambda would, through api.Wrap (Origin check,
// error writer) with logs discarded, and returns the status and body.
func Call(t testing.TB, name string, h api.HandlerFunc, req api.Request) (int, string) {
	t.Helper()
	opts := api.Options{SiteURL: "http://localhost:3000", Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	resp, err := api.Wrap(name, opts, h)(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return resp.StatusCode, resp.Body
}

// ErrorCode returns the error code of an error answer's body, or "".
func ErrorCode(body string) string {
	var b struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal([]byte(body), &b)
	return b.Error.Code
}
