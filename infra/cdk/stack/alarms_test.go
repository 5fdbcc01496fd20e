package stack

import (
	"testing"

	"roster/shared/deploy"
)

// TestAlarms: every alarm the operations guide explains exists and
// notifies the alarms topic (an email subscription with AlarmEmail); SES
// publishes the reputation metrics two of them watch; the dashboard exists.
func TestAlarms(t *testing.T) {
	s := defaultStack(t)
	want := []string{"ApiServerErrors", "ApiLatencyP99", "TableThrottles", "TableSystemErrors", "SesBounceRate", "SesComplaintRate",
		"MailEventsDeadLettersNotEmpty", "MailRefused"}
	for _, f := range deploy.Functions {
		want = append(want, f.LogicalID()+"Failures")
		if f.Stream {
			want = append(want, f.LogicalID()+"IteratorAge")
		}
		if f.DeadLetters {
			want = append(want, f.DeadLetterID()+"NotEmpty")
		}
	}
	for _, id := range want {
		a, ok := s.resources[id]
		if !ok || a["Type"] != "AWS::CloudWatch::Alarm" {
			t.Errorf("alarm %s: missing", id)
			continue
		}
		p := props(a)
		if toJSON(p["AlarmActions"]) != `[{"Ref":"AlarmsTopic"}]` || toJSON(p["OKActions"]) != `[{"Ref":"AlarmsTopic"}]` || p["TreatMissingData"] != "notBreaching" {
			t.Errorf("alarm %s: got actions %s / %s, missing data %v", id, toJSON(p["AlarmActions"]), toJSON(p["OKActions"]), p["TreatMissingData"])
		}
	}
	if n := len(s.ofType("AWS::CloudWatch::Alarm")); n != len(want) {
		t.Errorf("alarms: got %d, want %d", n, len(want))
	}
	filters := s.ofType("AWS::Logs::MetricFilter")
	if len(filters) != 1 {
		t.Fatalf("metric filters: got %d, want the mail sender's", len(filters))
	}
	for _, f := range filters {
		if p := props(f); toJSON(p["LogGroupName"]) != `{"Ref":"MailSenderFunctionLogs"}` || p["FilterPattern"] != `{ $.msg = "mail refused by SES" }` {
			t.Errorf("metric filter: got %s", toJSON(p))
		}
	}
	if len(s.ofType("AWS::CloudWatch::Dashboard")) != 1 {
		t.Error("no dashboard")
	}
	if got := toJSON(dig(props(s.resources["MailConfigurationSet"]), "ReputationOptions", "ReputationMetricsEnabled")); got != "true" {
		t.Errorf("SES reputation metrics: got %s", got)
	}
	if len(s.ofType("AWS::SNS::Subscription")) != 1 { // the mail events' only
		t.Errorf("subscriptions without AlarmEmail: got %d", len(s.ofType("AWS::SNS::Subscription")))
	}
	withEmail := synth(t, Props{AlarmEmail: "ops@example.com"})
	found := false
	for _, sub := range withEmail.ofType("AWS::SNS::Subscription") {
		p := props(sub)
		found = found || (p["Protocol"] == "email" && p["Endpoint"] == "ops@example.com" && toJSON(p["TopicArn"]) == `{"Ref":"AlarmsTopic"}`)
	}
	if !found {
		t.Error("AlarmEmail: no email subscription to the alarms topic")
	}
}

// TestMailDomain: MAIL_DOMAIN makes the domain an SES identity with Easy
// DKIM through the configuration set, and its three DKIM records are
// outputs to publish.
func TestMailDomain(t *testing.T) {
	s := synth(t, Props{MailDomain: "mail.example.com", MailFrom: "roster@mail.example.com"})
	p := props(s.resources["MailDomainIdentity"])
	if p["EmailIdentity"] != "mail.example.com" || toJSON(p["ConfigurationSetAttributes"]) != `{"ConfigurationSetName":{"Ref":"MailConfigurationSet"}}` {
		t.Errorf("identity: got %s", toJSON(p))
	}
	outputs, _ := s.json["Outputs"].(map[string]any)
	for _, n := range []string{"DkimRecord1", "DkimRecord2", "DkimRecord3"} {
		if outputs[n] == nil {
			t.Errorf("output %s: missing", n)
		}
	}
	if _, ok := defaultStack(t).resources["MailDomainIdentity"]; ok {
		t.Error("an identity without MailDomain")
	}
}
