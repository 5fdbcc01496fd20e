package eventbus_test

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"roster/infra/local/streams"
	"roster/shared/deploy"
	"roster/shared/domain"
	"roster/shared/eventbus"
	"roster/shared/fixture"
	"roster/shared/store"
	"roster/shared/testenv"
)

var ctx = context.Background()

// allActions are the history's actions, every kind of event.
var allActions = []string{
	domain.ActionAccountCreated, domain.ActionAccountRenamed, domain.ActionMemberSignedIn, domain.ActionInvitationCreated,
	domain.ActionInvitationEdited, domain.ActionInvitationResent, domain.ActionInvitationRevoked, domain.ActionInvitationAccepted,
	domain.ActionInvitationExpired, domain.ActionMemberPermissions, domain.ActionMemberRole, domain.ActionMemberProfile,
	domain.ActionMemberDeactivated, domain.ActionMemberReactivated, domain.ActionMemberRemoved, domain.ActionOwnershipHandedOver,
	domain.ActionProjectCreated, domain.ActionProjectRenamed, domain.ActionProjectOwnerChanged, domain.ActionProjectDeleted,
	domain.ActionProjectMemberAdded, domain.ActionProjectMemberRemoved, domain.ActionMemberTransferredOut, domain.ActionMemberTransferredIn,
}

// account writes a new account whose creation is recorded as action.
func account(t *testing.T, e *fixture.Env, owner domain.User, action string, at time.Time) domain.Account {
	t.Helper()
	a := domain.Account{ID: store.NewID(), Name: "Acme " + action, OwnerID: owner.ID, CreatedAt: at}
	m := domain.Membership{AccountID: a.ID, AccountName: a.Name, UserID: owner.ID, Email: owner.Email, Role: domain.RoleOwner,
		Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive, JoinedAt: at}
	ev := domain.AuditEvent{AccountID: a.ID, At: at, Action: action, Actor: domain.EventActor{UserID: owner.ID, Email: owner.Email},
		Target: domain.EventTarget{Kind: "account", ID: a.ID}, SourceIP: "192.0.2.1"}
	if err := e.Store.CreateAccount(ctx, a, m, ev, store.Limit{}); err != nil {
		t.Fatal(err)
	}
	a.Version = 1
	return a
}

func readLog(t *testing.T, path string) []eventbus.FileEvent {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []eventbus.FileEvent
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ev eventbus.FileEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, ev)
	}
	return out
}

// TestEveryEventPublishedInOrder: each kind of history event is published
// once, with source roster, detail-type its action and the event as the
// history shows it; an account's events come in the order they happened.
func TestEveryEventPublishedInOrder(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	owner := e.User(t, true)
	at := time.Now().UTC().Truncate(time.Millisecond)
	for _, action := range allActions {
		account(t, e, owner, action, at)
	}
	a := account(t, e, owner, domain.ActionAccountCreated, at)
	for i, name := range []string{"Acme 2", "Acme 3", "Acme 4"} {
		ev := domain.AuditEvent{AccountID: a.ID, At: at.Add(time.Duration(i+1) * time.Second), Action: domain.ActionAccountRenamed,
			Target: domain.EventTarget{Kind: "account", ID: a.ID}}
		var err error
		if a, err = e.Store.RenameAccount(ctx, a, name, ev); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "events.jsonl")
	s := e.NewStream(t, "events-publisher", eventbus.NewHandler(&eventbus.File{Path: path}, domain.DefaultCatalog(), slog.New(slog.DiscardHandler)))
	if failed := s.Deliver(t); len(failed) != 0 {
		t.Fatalf("got %d failed records", len(failed))
	}
	got := readLog(t, path)
	if len(got) != len(allActions)+4 {
		t.Fatalf("events: got %d, want %d", len(got), len(allActions)+4)
	}
	seen := map[string]int{}
	var ofA []eventbus.FileEvent
	for _, ev := range got {
		seen[ev.DetailType]++
		if ev.Source != "roster" || ev.Detail.Action != ev.DetailType || ev.Detail.ID == "" || ev.Detail.AccountID == "" || ev.Time.IsZero() {
			t.Errorf("event: got %+v", ev)
		}
		if ev.Detail.AccountID == a.ID {
			ofA = append(ofA, ev)
		}
	}
	for _, action := range allActions {
		if seen[action] == 0 {
			t.Errorf("no %s event published", action)
		}
	}
	var order []string
	for _, ev := range ofA {
		order = append(order, ev.DetailType)
	}
	want := []string{domain.ActionAccountCreated, domain.ActionAccountRenamed, domain.ActionAccountRenamed, domain.ActionAccountRenamed}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("one account's events: got %v, want %v", order, want)
	}
	for i := 1; i < len(ofA); i++ {
		if !ofA[i].Time.After(ofA[i-1].Time) {
			t.Errorf("one account's events out of order at %d: %v then %v", i, ofA[i-1].Time, ofA[i].Time)
		}
	}
	// Delivered again: nothing new (the other items' records never pass).
	if failed := s.Deliver(t); len(failed) != 0 || len(readLog(t, path)) != len(got) {
		t.Errorf("second delivery published more")
	}
}

// TestPublishFailureRetriedAndDeadLettered: with EventBridge unreachable
// the batch is reported failed from its first event, retried by the event
// source mapping, and after its last retry kept in the dead-letter queue;
// nothing is dropped.
func TestPublishFailureRetriedAndDeadLettered(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	owner := e.User(t, true)
	account(t, e, owner, domain.ActionAccountCreated, time.Now().UTC())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	broken := eventbus.EventBridge{Bus: "roster-events", Client: eventbridge.NewFromConfig(testenv.AWSConfig(closed),
		func(o *eventbridge.Options) { o.RetryMaxAttempts = 1 })}
	h := eventbus.NewHandler(broken, domain.DefaultCatalog(), slog.New(slog.DiscardHandler))

	s := e.NewStream(t, "events-publisher", h)
	failed := s.Deliver(t)
	if len(failed) != 1 {
		t.Fatalf("failed records: got %d, want the one event", len(failed))
	}
	// Published once it can be.
	path := filepath.Join(t.TempDir(), "events.jsonl")
	s.Handle = eventbus.NewHandler(&eventbus.File{Path: path}, domain.DefaultCatalog(), slog.New(slog.DiscardHandler))
	if failed = s.Retry(t, failed); len(failed) != 0 || len(readLog(t, path)) != 1 {
		t.Errorf("retried: got %d failed, want it published", len(failed))
	}

	// As the event source mapping runs it: retried, then dead-lettered.
	f := deploy.Lookup("events-publisher")
	src := streams.Source{Function: f.LogicalID(), BatchSize: f.BatchSize(), MaxRetries: 1, ReportBatchItemFailures: true, OnFailure: f.DeadLetterID()}
	for _, p := range f.StreamFilters {
		b, _ := json.Marshal(p)
		parsed, err := streams.ParseFilter(string(b))
		if err != nil {
			t.Fatal(err)
		}
		src.Filters = append(src.Filters, parsed)
	}
	invocations := 0
	invoke := func(c context.Context, _ string, payload []byte) ([]byte, error) {
		invocations++
		var ev events.DynamoDBEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		resp, err := h(c, ev)
		if err != nil {
			return nil, err
		}
		return json.Marshal(resp)
	}
	dir := t.TempDir()
	c := streams.Clients{DynamoDB: e.DB, Streams: dynamodbstreams.NewFromConfig(testenv.AWSConfig(testenv.DynamoDBEndpoint(t)))}
	p := streams.NewPoller(streams.PollerConfig{Clients: c, Table: e.Table, Source: src, Invoke: invoke, DeadLetterDir: dir,
		PollInterval: 20 * time.Millisecond, RetryDelay: 10 * time.Millisecond})
	run, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = p.Run(run) }()
	defer func() { cancel(); <-done }()
	file := filepath.Join(dir, f.DeadLetterID()+".jsonl")
	deadline := time.Now().Add(15 * time.Second)
	for {
		if b, err := os.ReadFile(file); err == nil && strings.Contains(string(b), "RetryAttemptsExhausted") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no dead letter after %d invocations", invocations)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if invocations != 2 {
		t.Errorf("invocations: got %d, want 2 (one retry)", invocations)
	}
}
