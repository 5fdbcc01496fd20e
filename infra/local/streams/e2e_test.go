package streams_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"roster/infra/local/gateway"
	"roster/infra/local/samtemplate"
	"roster/infra/local/streams"
	"roster/shared/domain"
	"roster/shared/standins"
	"roster/shared/store"
	"roster/shared/testenv"
)

// streamTemplate loads template.yaml keeping only the functions with an
// event on the table's stream, and returns it with those events.
func streamTemplate(t *testing.T) (*samtemplate.Template, []streams.Source) {
	t.Helper()
	root, err := standins.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sources, err := streams.TableSources(tpl, "Table")
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	for _, s := range sources {
		keep[s.Function] = true
	}
	fns := tpl.Functions[:0]
	for _, f := range tpl.Functions {
		if keep[f.LogicalID] {
			fns = append(fns, f)
		}
	}
	tpl.Functions = fns
	return tpl, sources
}

func TestTableSourcesOfTemplate(t *testing.T) {
	_, sources := streamTemplate(t)
	if len(sources) != 4 {
		t.Fatalf("sources: got %d, want 4", len(sources))
	}
	for _, s := range sources {
		switch s.Function {
		case "StreamExpiredFunction":
			if s.BatchSize != 100 || s.MaxRetries != 5 || !s.ReportBatchItemFailures || s.Latest || len(s.Filters) != 1 || s.OnFailure != "StreamExpiredFunctionDeadLetters" {
				t.Errorf("source: got %+v, want 100, 5 retries, batch item failures, TRIM_HORIZON, one filter, its dead-letter queue", s)
			}
		case "MailSenderFunction":
			if s.BatchSize != 3 || s.MaxRetries != 3 || !s.ReportBatchItemFailures || s.Latest || len(s.Filters) != 1 || s.OnFailure != "MailSenderFunctionDeadLetters" {
				t.Errorf("source: got %+v, want 3, 3 retries, batch item failures, TRIM_HORIZON, one filter, the dead-letter queue", s)
			}
		case "NamesSyncFunction":
			if s.BatchSize != 10 || s.MaxRetries != 5 || !s.ReportBatchItemFailures || len(s.Filters) != 1 || s.OnFailure != "NamesSyncFunctionDeadLetters" {
				t.Errorf("source: got %+v, want 10, 5 retries, batch item failures, one filter, the dead-letter queue", s)
			}
		case "EventsPublisherFunction":
			if s.BatchSize != 50 || s.MaxRetries != 5 || !s.ReportBatchItemFailures || len(s.Filters) != 1 || s.OnFailure != "EventsPublisherFunctionDeadLetters" {
				t.Errorf("source: got %+v, want 50, 5 retries, batch item failures, one filter, the dead-letter queue", s)
			}
		default:
			t.Errorf("unexpected stream source %s", s.Function)
		}
	}
}

// TestExpiredInvitationEndToEnd runs the real stream-expired and
// mail-sender functions through the gateway: the queued invitation email
// is sent through the local SES, and when a pending invitation expires, the TTL emulator
// deletes its expiry marker (the invitation item itself stays, for
// InvitationRetention), the poller delivers the REMOVE with TTL's identity
// through the template's filter, and the account's history gets exactly
// one invitation.expired event within seconds of the expiry.
func TestExpiredInvitationEndToEnd(t *testing.T) {
	t.Parallel()
	bin := t.TempDir()
	for _, fn := range []string{"stream-expired", "mail-sender"} {
		build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", filepath.Join(bin, fn, "bootstrap"), "roster/functions/"+fn)
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			t.Fatalf("build %s: %v", fn, err)
		}
	}
	c, table := clients(t)
	s := store.New(c.DynamoDB, table)
	tpl, sources := streamTemplate(t)
	endpoint := testenv.DynamoDBEndpoint(t)
	gw, err := gateway.New(gateway.Config{
		Template: tpl,
		Refs: map[string]string{"Table": table, "TableName": table, "SiteUrl": "http://localhost:3000", "MailFrom": "roster@example.com",
			"MailConfigurationSet": "roster"},
		CodeDir: func(uri string) string { return filepath.Join(bin, filepath.Base(uri)) },
		Env: []string{"AWS_ENDPOINT_URL_DYNAMODB=" + endpoint, "AWS_ENDPOINT_URL_SESV2=" + testenv.SESEndpoint(t),
			"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_REGION=us-east-1"},
		FunctionLog: testWriter{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close() })

	// A pending invitation that expires two seconds from now, created as
	// the invitations endpoint creates one.
	ctx := context.Background()
	acct := store.NewID()
	expires := time.Now().UTC().Add(2 * time.Second).Truncate(time.Millisecond)
	inv := domain.Invitation{ID: store.NewID(), AccountID: acct, AccountName: "Acme", Email: testenv.UniqueEmail(t), FirstName: "Grace", LastName: "Hopper",
		Role: domain.RoleMember, Permissions: domain.PermissionSet{Granted: []string{"users.view"}}, InviterID: "u1", InviterName: "Ada",
		CreatedAt: expires.Add(-7 * 24 * time.Hour), ExpiresAt: expires, State: domain.InvitePending, Delivery: domain.DeliveryQueued}
	mail := store.NewMail(store.MailInvite, inv.Email, time.Now())
	mail.AccountID, mail.InviteID, inv.MailID = acct, inv.ID, mail.ID
	ev := domain.AuditEvent{AccountID: acct, At: inv.CreatedAt, Action: domain.ActionInvitationCreated, Target: domain.EventTarget{Kind: "invitation", ID: inv.ID}}
	if err := s.CreateInvitation(ctx, store.NewInvitation{Invitation: inv, Event: ev, Mail: mail}); err != nil {
		t.Fatalf("create invitation: %v", err)
	}

	ttl := streams.NewTTL(streams.TTLConfig{Clients: c, Table: table, Attribute: store.AttrExpiresAt,
		Interval: 200 * time.Millisecond, PollInterval: 50 * time.Millisecond, Logger: quiet()})
	start(t, ttl.Run)
	for _, src := range sources {
		p := streams.NewPoller(streams.PollerConfig{Clients: c, Table: table, Source: src, Invoke: gw.Invoke, Identity: ttl.Identity,
			PollInterval: 50 * time.Millisecond, Logger: quiet()})
		start(t, p.Run)
	}

	expired := func() []domain.AuditEvent {
		page, err := s.History(ctx, store.HistoryQuery{AccountID: acct, Actions: []string{domain.ActionInvitationExpired}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return page.Events
	}
	// The mail sender sends its email through the local SES first.
	waitFor(t, "the invitation's email", func() bool { return len(testenv.MailTo(t, inv.Email)) > 0 })
	waitFor(t, "its delivery recorded", func() bool {
		got, _ := s.GetInvitation(ctx, acct, inv.ID)
		return got.Delivery == domain.DeliverySent && got.MessageID != "" && got.TokenHash != ""
	})
	waitFor(t, "the invitation.expired event", func() bool { return len(expired()) > 0 })
	if late := time.Since(expires); late > 10*time.Second {
		t.Errorf("the expired event came %v after the expiry, want seconds", late)
	}
	time.Sleep(time.Second) // let any duplicate delivery land
	evs := expired()
	if len(evs) != 1 {
		t.Fatalf("expired events: got %d, want 1", len(evs))
	}
	if e := evs[0]; !e.Actor.System || !e.At.Equal(expires) || e.Target.ID != inv.ID || e.ID != store.ExpiredEventID(inv.ID, expires) {
		t.Errorf("event: got %+v, want a system event at %v about invitation %s", e, expires, inv.ID)
	}
	// The invitation is still there (its link answers "expired, ask X",
	// and it can be resent).
	if got, err := s.GetInvitation(ctx, acct, inv.ID); err != nil || got.State != domain.InvitePending || !got.Expired(time.Now()) {
		t.Errorf("invitation after its expiry: got %+v %v, want it kept, pending and expired", got, err)
	}
	if _, started := gw.Stats("StreamExpiredFunction"); started != 1 {
		t.Errorf("processes started: got %d, want 1 (warm reuse)", started)
	}
}

// testWriter sends the function's log lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
