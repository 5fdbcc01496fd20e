package stack

import (
	"reflect"
	"strings"
	"testing"

	"roster/shared/deploy"
)

// TestMailEvents: the configuration set publishes bounces, complaints,
// deliveries and rejects to the topic, which SES (of this account only) may
// publish to over TLS; SesEventsFunction is subscribed and may only
// GetItem and UpdateItem; every mail sender may send through the
// configuration set, and every function is told its name.
func TestMailEvents(t *testing.T) {
	s := defaultStack(t)
	if r := s.resources["MailConfigurationSet"]; r["Type"] != "AWS::SES::ConfigurationSet" {
		t.Fatalf("MailConfigurationSet: got %v", toJSON(r))
	}
	if r := s.resources["MailEventsTopic"]; r["Type"] != "AWS::SNS::Topic" {
		t.Fatalf("MailEventsTopic: got %v", toJSON(r))
	}
	dest := s.resources["MailEventsDestination"]
	if dest["Type"] != "AWS::SES::ConfigurationSetEventDestination" {
		t.Fatalf("MailEventsDestination: got %v", toJSON(dest))
	}
	p := props(dest)
	if got := dig(p, "ConfigurationSetName"); !reflect.DeepEqual(got, map[string]any{"Ref": "MailConfigurationSet"}) {
		t.Errorf("destination's configuration set: got %v", toJSON(got))
	}
	if got := dig(p, "EventDestination", "SnsDestination", "TopicARN"); !reflect.DeepEqual(got, map[string]any{"Ref": "MailEventsTopic"}) {
		t.Errorf("destination's topic: got %v", toJSON(got))
	}
	if got, want := strs(dig(p, "EventDestination", "MatchingEventTypes")), []string{"bounce", "complaint", "delivery", "reject"}; !reflect.DeepEqual(got, want) {
		t.Errorf("event types: got %v, want %v", got, want)
	}
	sesMayPublish := false
	for _, pol := range s.ofType("AWS::SNS::TopicPolicy") {
		j := toJSON(pol)
		if strings.Contains(j, "ses.amazonaws.com") && strings.Contains(j, "sns:Publish") && strings.Contains(j, "MailEventsTopic") {
			sesMayPublish = true
		}
	}
	if !sesMayPublish {
		t.Errorf("got no topic policy letting ses.amazonaws.com publish to MailEventsTopic: %v", toJSON(s.ofType("AWS::SNS::TopicPolicy")))
	}
	subscribed := false
	for _, sub := range s.ofType("AWS::SNS::Subscription") {
		sp := props(sub)
		if sp["Protocol"] == "lambda" && reflect.DeepEqual(dig(sp, "TopicArn"), map[string]any{"Ref": "MailEventsTopic"}) &&
			reflect.DeepEqual(dig(sp, "Endpoint", "Fn::GetAtt"), []any{"SesEventsFunction", "Arn"}) {
			subscribed = true
		}
	}
	if !subscribed {
		t.Errorf("SesEventsFunction is not subscribed to MailEventsTopic: %v", toJSON(s.ofType("AWS::SNS::Subscription")))
	}
	permitted := false
	for _, perm := range s.ofType("AWS::Lambda::Permission") {
		pp := props(perm)
		if pp["Principal"] == "sns.amazonaws.com" && reflect.DeepEqual(dig(pp, "SourceArn"), map[string]any{"Ref": "MailEventsTopic"}) {
			permitted = true
		}
	}
	if !permitted {
		t.Error("got no permission for SNS to invoke SesEventsFunction from MailEventsTopic")
	}
	if actions, _ := roleActions(t, s, "SesEventsFunction"); !reflect.DeepEqual(actions, []string{"dynamodb:GetItem", "dynamodb:UpdateItem", "sqs:SendMessage", "xray:PutTelemetryRecords", "xray:PutTraceSegments"}) {
		t.Errorf("SesEventsFunction actions: got %v", actions)
	}
	for _, f := range deploy.Functions {
		env := dig(props(s.resources[f.LogicalID()]), "Environment", "Variables", "SES_CONFIGURATION_SET")
		if !reflect.DeepEqual(env, map[string]any{"Ref": "MailConfigurationSet"}) {
			t.Errorf("%s: SES_CONFIGURATION_SET is %v", f.LogicalID(), toJSON(env))
		}
		if !f.SendsMail {
			continue
		}
		_, res := roleActions(t, s, f.LogicalID())
		if !strings.Contains(toJSON(res["ses:SendEmail"]), "configuration-set/") {
			t.Errorf("%s: ses:SendEmail resources %v lack the configuration set", f.LogicalID(), toJSON(res["ses:SendEmail"]))
		}
	}
}
