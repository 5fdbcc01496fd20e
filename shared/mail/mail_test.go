package mail

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/smithy-go"

	"roster/shared/testenv"
)

// TestRenderEscapes renders every email with hostile values: the HTML part
// escapes each of them, and both parts carry the links.
func TestRenderEscapes(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	link := "https://roster.example.com/x#token=abc&b=1"
	tests := []struct {
		name        string
		msg         Message
		wantSubject string
		wantText    []string
	}{
		{"verify", VerifyMessage("a@example.com", Link{Name: evil, Link: link, ExpiresAt: evil}),
			"Confirm your email address for Roster", []string{"Hello " + evil + ",", link}},
		{"reset", ResetMessage("a@example.com", Link{Name: evil, Link: link, ExpiresAt: evil}),
			"Reset your Roster password", []string{"Hello " + evil + ",", link}},
		{"registered", RegisteredMessage("a@example.com", Registered{Name: evil, SignIn: link, Reset: link}),
			"Someone tried to create a Roster login with your address", []string{"Hello " + evil + ",", link}},
		{"invite", InviteMessage("a@example.com", Invite{Name: evil, Email: "a@example.com", InviterName: evil, InviterEmail: evil,
			AccountName: evil, Role: evil, Permissions: []Area{{Area: evil, Permissions: []string{evil, "View"}}}, Link: link, ExpiresAt: evil}),
			evil + " invited you to " + evil + " on Roster", []string{"Hello " + evil + ",", link, "  - " + evil + ": " + evil + "; View"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.msg.Subject; got != tt.wantSubject {
				t.Errorf("subject: got %q, want %q", got, tt.wantSubject)
			}
			if strings.Contains(tt.msg.HTML, "<script>") {
				t.Errorf("HTML part did not escape a value: %s", tt.msg.HTML)
			}
			if !strings.Contains(tt.msg.HTML, "&lt;script&gt;") {
				t.Errorf("HTML part lacks the escaped value: %s", tt.msg.HTML)
			}
			if !strings.Contains(tt.msg.HTML, `href="https://roster.example.com/x#token=abc&amp;b=1"`) {
				t.Errorf("HTML part lacks the escaped link: %s", tt.msg.HTML)
			}
			for _, want := range tt.wantText {
				if !strings.Contains(tt.msg.Text, want) {
					t.Errorf("text part lacks %q:\n%s", want, tt.msg.Text)
				}
			}
		})
	}
}

// TestInvitePermissions shows the invitee what the invitation grants, in
// both parts.
func TestInvitePermissions(t *testing.T) {
	tests := []struct {
		name string
		in   Invite
		want string
	}{
		{"all", Invite{AllPermissions: true}, "All permissions"},
		{"some", Invite{Permissions: []Area{{Area: "Billing", Permissions: []string{"View", "Edit"}}}}, "Billing"},
		{"none", Invite{}, "No permissions yet"},
	}
	for _, tt := range tests {
		m := InviteMessage("a@example.com", tt.in)
		for _, part := range []string{m.Text, m.HTML} {
			if !strings.Contains(part, tt.want) {
				t.Errorf("%s: got %q, want it to contain %q", tt.name, part, tt.want)
			}
		}
	}
}

func TestSendThroughLocalSES(t *testing.T) {
	t.Parallel()
	to := testenv.UniqueEmail(t)
	s := NewSender(testenv.SES(t), "roster@example.com")
	m := ResetMessage(to, Link{Name: "Ada", Link: "http://localhost/reset#token=x", ExpiresAt: "soon"})
	id, err := s.Send(context.Background(), m)
	if err != nil || id == "" {
		t.Fatalf("Send: got id %q, err %v", id, err)
	}
	got := testenv.MailTo(t, to)
	if len(got) != 1 || got[0].Subject != m.Subject || !strings.Contains(got[0].Body.Text, "http://localhost/reset#token=x") {
		t.Fatalf("local SES holds %+v, want the one reset mail", got)
	}
}

func TestSendFailureIsSendError(t *testing.T) {
	t.Parallel()
	// An SES endpoint where nothing listens: the send fails.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + l.Addr().String()
	l.Close()
	s := NewSender(sesv2.NewFromConfig(testenv.AWSConfig(endpoint), func(o *sesv2.Options) { o.RetryMaxAttempts = 1 }), "roster@example.com")
	_, err = s.Send(context.Background(), Message{To: testenv.UniqueEmail(t), Subject: "x", Text: "x", HTML: "x"})
	var se *SendError
	if !errors.As(err, &se) || se.Reason == "" {
		t.Fatalf("got %v, want a *SendError with a reason", err)
	}
}

// TestSendWithConfigurationSet: a configuration set (SES_CONFIGURATION_SET
// in AWS) is passed to SES; the local SES accepts and ignores it.
func TestSendWithConfigurationSet(t *testing.T) {
	t.Parallel()
	to := testenv.UniqueEmail(t)
	s := NewSender(testenv.SES(t), "roster@example.com").WithConfigurationSet("roster-events")
	if s.configSet != "roster-events" {
		t.Fatalf("configSet: got %q", s.configSet)
	}
	m := ResetMessage(to, Link{Name: "Ada", Link: "http://localhost/reset#token=x", ExpiresAt: "soon"})
	if id, err := s.Send(context.Background(), m); err != nil || id == "" {
		t.Fatalf("Send: got id %q, err %v", id, err)
	}
	if got := testenv.MailTo(t, to); len(got) != 1 {
		t.Fatalf("local SES holds %d mails, want 1", len(got))
	}
}

func TestConfigurationSetFromEnv(t *testing.T) {
	t.Setenv(ConfigurationSetEnv, "roster-events")
	if s := NewSender(nil, "roster@example.com"); s.configSet != "roster-events" {
		t.Errorf("configSet: got %q, want roster-events", s.configSet)
	}
}

// TestSendErrorKinds: what a later try can get past (throttling, a
// timeout, a fault of SES or of the network) is transient; SES refusing the
// message or the sender is permanent.
func TestSendErrorKinds(t *testing.T) {
	tests := []struct {
		name          string
		err           error
		wantPermanent bool
		wantReason    string
	}{
		{"timeout", context.DeadlineExceeded, false, "the mail service did not answer in time"},
		{"throttled", &smithy.GenericAPIError{Code: "TooManyRequestsException", Fault: smithy.FaultClient}, false, "the mail service is busy (TooManyRequestsException)"},
		{"quota", &smithy.GenericAPIError{Code: "LimitExceededException", Fault: smithy.FaultClient}, false, "the mail service is busy (LimitExceededException)"},
		{"rejected", &smithy.GenericAPIError{Code: "MessageRejected", Fault: smithy.FaultClient}, true, "the mail service refused the message (MessageRejected)"},
		{"sending paused", &smithy.GenericAPIError{Code: "SendingPausedException", Fault: smithy.FaultClient}, true, "the mail service refused the message (SendingPausedException)"},
		{"SES fault", &smithy.GenericAPIError{Code: "InternalFailure", Fault: smithy.FaultServer}, false, "the mail service failed (InternalFailure)"},
		{"network", errors.New("dial tcp: connection refused"), false, "the mail service could not be reached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sendError(tt.err)
			if got.Permanent != tt.wantPermanent || got.Reason != tt.wantReason || !errors.Is(got, tt.err) {
				t.Errorf("got %+v, want permanent %v, %q, wrapping the error", got, tt.wantPermanent, tt.wantReason)
			}
		})
	}
}
