// Package invitetest sets up what the invitation functions' tests need on
// DynamoDB Local and the local SES: a table, users with sessions, accounts
// with members, the service, requests from events/*.json, and item counts
// by Query (never Scan). It is for tests only.
package invitetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/invite"
	"roster/shared/mail"
	"roster/shared/store"
	"roster/shared/testenv"
)

// SiteURL is the origin of test requests and links.
const SiteURL = "http://localhost:3000"

// Env is one test's table, store, authenticator and invitation service.
type Env struct {
	DB      *dynamodb.Client
	Table   string
	Store   *store.Store
	Auth    *auth.Authenticator
	Service *invite.Service
	Config  invite.Config
	// Mailer is the service's sender (the local SES unless replaced).
	Mailer invite.Mailer
}

// New returns an Env over a new table with the local SES as the mailer.
func New(t testing.TB) *Env {
	t.Helper()
	db, table := testenv.NewTable(t)
	s := store.New(db, table)
	e := &Env{DB: db, Table: table, Store: s, Auth: auth.NewAuthenticator(s, false),
		Config: invite.Config{SiteURL: SiteURL, TTL: 168 * time.Hour, PerHour: 50},
		Mailer: mail.NewSender(testenv.SES(t), "roster@example.com")}
	e.Service = invite.New(s, e.Mailer, e.Config)
	return e
}

// Rebuild makes a new service after Config, Mailer or Store changed.
func (e *Env) Rebuild() {
	e.Service = invite.New(e.Store, e.Mailer, e.Config)
	e.Auth = auth.NewAuthenticator(e.Store, false)
}

// BrokenMailer returns an SES sender pointed at a closed port: every send
// fails with a *mail.SendError.
func BrokenMailer(t testing.TB) invite.Mailer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + l.Addr().String()
	l.Close()
	return mail.NewSender(sesv2.NewFromConfig(testenv.AWSConfig(endpoint), func(o *sesv2.Options) { o.RetryMaxAttempts = 1 }), "roster@example.com")
}

// User creates a user with a unique email (verified or not) and a session,
// and returns it with the session's Cookie header value.
func (e *Env) User(t testing.TB, verified bool) (domain.User, string) {
	t.Helper()
	u := domain.User{ID: store.NewID(), Email: testenv.UniqueEmail(t), FirstName: "Ada", LastName: "Lovelace",
		EmailVerified: verified, PasswordHash: "x", CreatedAt: time.Now().UTC()}
	if err := e.Store.CreateUser(context.Background(), u, store.Token{}); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u, e.SignIn(t, u)
}

// SignIn stores a session of u and returns its Cookie header value.
func (e *Env) SignIn(t testing.TB, u domain.User) string {
	t.Helper()
	token, hash := auth.NewToken()
	now := time.Now().UTC()
	sess := domain.Session{TokenHash: hash, UserID: u.ID, Email: u.Email, Name: u.Name(), Verified: u.EmailVerified,
		CreatedAt: now, ExpiresAt: now.Add(365 * 24 * time.Hour)} // outlives tests that move the store's clock
	if err := e.Store.CreateSession(context.Background(), sess); err != nil {
		t.Fatalf("create session: %v", err)
	}
	return auth.CookieName(false) + "=" + u.ID + "." + token
}

// Account creates an account owned by a new verified user, and returns the
// account and the owner with the owner's cookie.
func (e *Env) Account(t testing.TB) (domain.Account, domain.User, string) {
	t.Helper()
	owner, cookie := e.User(t, true)
	now := time.Now().UTC()
	a := domain.Account{ID: store.NewID(), Name: "Acme " + owner.ID[:6], OwnerID: owner.ID, CreatedAt: now}
	m := domain.Membership{AccountID: a.ID, AccountName: a.Name, UserID: owner.ID, Email: owner.Email, FirstName: owner.FirstName,
		LastName: owner.LastName, Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive, JoinedAt: now}
	ev := domain.AuditEvent{AccountID: a.ID, At: now, Action: domain.ActionAccountCreated, Target: domain.EventTarget{Kind: "account", ID: a.ID}}
	if err := e.Store.CreateAccount(context.Background(), a, m, ev); err != nil {
		t.Fatalf("create account: %v", err)
	}
	return a, owner, cookie
}

// Member adds a new verified user to the account with the role, status and
// permissions (written directly, as an accepted invitation would), and
// returns the user and cookie.
func (e *Env) Member(t testing.TB, a domain.Account, role domain.Role, status domain.MemberStatus, perms ...string) (domain.User, string) {
	t.Helper()
	u, cookie := e.User(t, true)
	e.AddMember(t, a, u, role, status, perms...)
	return u, cookie
}

// AddMember writes u's membership of a (replacing any), with "all" in
// perms meaning All.
func (e *Env) AddMember(t testing.TB, a domain.Account, u domain.User, role domain.Role, status domain.MemberStatus, perms ...string) {
	t.Helper()
	ps := domain.PermissionSet{Granted: []string{}}
	for _, p := range perms {
		if p == "all" {
			ps = domain.PermissionSet{All: true}
			break
		}
		ps.Granted = append(ps.Granted, p)
	}
	m := domain.Membership{AccountID: a.ID, AccountName: a.Name, UserID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		Role: role, Permissions: ps, Status: status, JoinedAt: time.Now().UTC(), Version: 1}
	item, err := attributevalueMembership(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(e.Table), Item: item}); err != nil {
		t.Fatalf("put membership: %v", err)
	}
}

// RemoveMember deletes u's membership of a.
func (e *Env) RemoveMember(t testing.TB, a domain.Account, u domain.User) {
	t.Helper()
	_, err := e.DB.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(e.Table), Key: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "ACCOUNT#" + a.ID}, "SK": &types.AttributeValueMemberS{Value: "MEMBER#" + u.ID}}})
	if err != nil {
		t.Fatal(err)
	}
}

// Count counts the items under a partition key with a Query (never a Scan).
func (e *Env) Count(t testing.TB, pk string) int {
	t.Helper()
	return testenv.Count(t, e.DB, e.Table, "", "PK", pk)
}

// Items counts an account's own partition (account, members, invitations,
// email slots) and its history partition.
func (e *Env) Items(t testing.TB, accountID string) (account, history int) {
	t.Helper()
	return e.Count(t, "ACCOUNT#"+accountID), e.Count(t, "ACCOUNT#"+accountID+"#HISTORY")
}

// Request builds a request from the events/<event> sample with the body,
// the cookie, the site's Origin and the path parameters given as
// name, value pairs.
func Request(t testing.TB, event, body, cookie string, params ...string) api.Request {
	t.Helper()
	req := testenv.Event(t, event)
	req.Body = body
	if req.Headers == nil {
		req.Headers = map[string]string{}
	}
	req.Headers["origin"] = SiteURL
	req.Cookies = nil
	if cookie != "" {
		req.Cookies = []string{cookie}
	}
	if len(params) > 0 {
		req.PathParameters = map[string]string{}
		for i := 0; i+1 < len(params); i += 2 {
			req.PathParameters[params[i]] = params[i+1]
		}
	}
	return req
}

// ErrorCode returns the error code of a JSON error response, or "".
func ErrorCode(resp api.Response) string {
	var body struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal([]byte(resp.Body), &body)
	return body.Error.Code
}

// Decode decodes a response body into v, failing the test otherwise.
func Decode(t testing.TB, resp api.Response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(resp.Body), v); err != nil {
		t.Fatalf("decode %q: %v", resp.Body, err)
	}
}

var tokenInLink = regexp.MustCompile(`/accept#token=([A-Za-z0-9_-]{43})`)

// Tokens returns the invitation tokens mailed to the address, oldest first.
func Tokens(t testing.TB, address string) []string {
	t.Helper()
	var out []string
	for _, m := range testenv.MailTo(t, address) {
		if g := tokenInLink.FindStringSubmatch(m.Body.Text); g != nil {
			out = append(out, g[1])
		}
	}
	return out
}

// Invite creates an invitation through the service, as the actor given by
// the cookie's user and membership, and returns it with its mailed token.
func (e *Env) Invite(t testing.TB, a domain.Account, inviter domain.User, email, role string, perms ...string) (invite.View, string) {
	t.Helper()
	m, err := e.Store.GetMembership(context.Background(), a.ID, inviter.ID)
	if err != nil {
		t.Fatalf("inviter membership: %v", err)
	}
	actor := domain.Actor{UserID: inviter.ID, Email: inviter.Email, Name: inviter.Name(), Role: m.Role, Status: m.Status, Permissions: m.Permissions}
	ps := &domain.PermissionSet{Granted: perms}
	if len(perms) == 1 && perms[0] == "all" {
		ps = &domain.PermissionSet{All: true}
	}
	c, err := e.Service.Create(context.Background(), actor, a.ID, invite.CreateInput{Email: email, Role: role, Permissions: ps}, "")
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	toks := Tokens(t, email)
	if len(toks) == 0 {
		return c.View, ""
	}
	return c.View, toks[len(toks)-1]
}

// Body renders v as a JSON request body.
func Body(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return string(b)
}

// Lower is strings.ToLower, for test tables.
func Lower(s string) string { return strings.ToLower(s) }

// attributevalueMembership is a membership item as the store writes it
// (keys, type, the accounts-of-a-user index), without search entries.
func attributevalueMembership(m domain.Membership) (map[string]types.AttributeValue, error) {
	it, err := attributevalue.MarshalMap(m)
	if err != nil {
		return nil, err
	}
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	it["PK"], it["SK"], it["type"] = s("ACCOUNT#"+m.AccountID), s("MEMBER#"+m.UserID), s("membership")
	it["GSI1PK"], it["GSI1SK"] = s("USER#"+m.UserID), s("ACCOUNT#"+m.AccountID)
	return it, nil
}
