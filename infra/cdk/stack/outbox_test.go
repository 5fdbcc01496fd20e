package stack

import (
	"reflect"
	"slices"
	"testing"

	"roster/shared/deploy"
)

// TestMailOutbox checks the outbox in the synthesized stack: only the mail
// sender may call SES; it reads the table's stream through the declared
// filter in small batches, with bounded retries, and a failed batch is
// kept in its encrypted SQS dead-letter queue (which only it may write)
// instead of dropped.
func TestMailOutbox(t *testing.T) {
	s := defaultStack(t)
	var senders []string
	for _, f := range deploy.Functions {
		if _, res := roleActions(t, s, f.LogicalID()); res["ses:SendEmail"] != nil {
			senders = append(senders, f.LogicalID())
		}
	}
	if !slices.Equal(senders, []string{"MailSenderFunction"}) {
		t.Errorf("functions that may call SES: got %v, want only MailSenderFunction", senders)
	}
	actions, res := roleActions(t, s, "MailSenderFunction")
	for _, want := range []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetRecords", "sqs:SendMessage"} {
		if !slices.Contains(actions, want) {
			t.Errorf("MailSenderFunction lacks %s: %v", want, actions)
		}
	}
	if slices.Contains(actions, "dynamodb:Query") || slices.Contains(actions, "dynamodb:Scan") {
		t.Errorf("MailSenderFunction may query or scan: %v", actions)
	}
	queueArn := map[string]any{"Fn::GetAtt": []any{"MailSenderFunctionDeadLetters", "Arn"}}
	if got := res["sqs:SendMessage"]; !reflect.DeepEqual(got, []any{queueArn}) && !reflect.DeepEqual(got, queueArn) {
		t.Errorf("sqs:SendMessage on %v, want the dead-letter queue only", toJSON(got))
	}

	mapping := mappingOf(t, s, "MailSenderFunction")
	f := deploy.Lookup("mail-sender")
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"batch size", dig(mapping, "BatchSize"), float64(f.BatchSize())},
		{"retries", dig(mapping, "MaximumRetryAttempts"), float64(deploy.MailRetries)},
		{"batch item failures", dig(mapping, "FunctionResponseTypes"), []any{"ReportBatchItemFailures"}},
		{"on failure", dig(mapping, "DestinationConfig", "OnFailure", "Destination"), queueArn},
		{"queue encrypted", dig(props(s.resources["MailSenderFunctionDeadLetters"]), "SqsManagedSseEnabled"), true},
		{"queue keeps 14 days", dig(props(s.resources["MailSenderFunctionDeadLetters"]), "MessageRetentionPeriod"), float64(deploy.DeadLetterRetentionSeconds)},
		{"timeout", dig(props(s.resources["MailSenderFunction"]), "Timeout"), float64(60)},
		{"attempts", dig(props(s.resources["MailSenderFunction"]), "Environment", "Variables", "MAIL_MAX_ATTEMPTS"), "4"},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %s, want %s", tt.name, toJSON(tt.got), toJSON(tt.want))
		}
	}
}
