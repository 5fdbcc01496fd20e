package invitehttp

import (
	"encoding/json"
	"roster/shared/store"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// FuzzSESEvent: any SNS message is an SES event or skipped; a change made
// from it has a short reason, safe to show (no control characters);
// nothing panics.
func FuzzSESEvent(f *testing.F) {
	f.Add(`{"eventType":"Bounce","mail":{"messageId":"m1"},"bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"a@example.com","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]}}`)
	f.Add(`{"eventType":"Complaint","mail":{"messageId":"m1"},"complaint":{"complaintFeedbackType":"abuse"}}`)
	f.Add(`{"eventType":"Delivery","mail":{"messageId":"m1"}}`)
	f.Add(`{"eventType":"Reject","mail":{"messageId":"m1"},"reject":{"reason":"Bad content\n\u202e"}}`)
	f.Add(`{"eventType":"Bounce","mail":{"messageId":"m1"}}`)
	f.Add(`not json`)
	f.Fuzz(func(t *testing.T, msg string) {
		e, err := parseSESEvent(msg)
		if err != nil {
			return
		}
		c, ok := changeOf(e)
		if !ok {
			return
		}
		if c.MessageID != e.Mail.MessageID {
			t.Fatalf("change of message %q for event of %q", c.MessageID, e.Mail.MessageID)
		}
		if utf8.RuneCountInString(c.Reason) > maxReason || !utf8.ValidString(c.Reason) {
			t.Fatalf("reason too long or not UTF-8: %q", c.Reason)
		}
		for _, r := range c.Reason {
			if unicode.IsControl(r) {
				t.Fatalf("reason with a control character: %q", c.Reason)
			}
		}
	})
}

// FuzzStreamRecord: any stream record, as Lambda delivers it in JSON, is
// read or refused by the expiry function's parsers; nothing panics.
func FuzzStreamRecord(f *testing.F) {
	f.Add(`{"eventName":"REMOVE","userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"},"dynamodb":{"OldImage":{"PK":{"S":"ACCOUNT#a"},"SK":{"S":"INVEXP#i"},"n":{"N":"1"},"b":{"BOOL":true},"l":{"L":[{"S":"x"}]},"m":{"M":{"k":{"NULL":true}}},"ss":{"SS":["a"]}}}}`)
	f.Add(`{"eventName":"MODIFY","dynamodb":{"NewImage":{"x":{"B":"AAEC"}}}}`)
	f.Add(`{"dynamodb":{"OldImage":{"x":{"Q":"?"}}}}`)
	f.Fuzz(func(t *testing.T, record string) {
		var r events.DynamoDBEventRecord
		if json.Unmarshal([]byte(record), &r) != nil {
			return
		}
		_ = IsTTLRemoval(r)
		for _, img := range []map[string]events.DynamoDBAttributeValue{r.Change.OldImage, r.Change.NewImage} {
			got, err := store.FromStreamImage(img)
			if err == nil && len(got) != len(img) {
				t.Fatalf("image of %d attributes read as %d", len(img), len(got))
			}
		}
	})
}
