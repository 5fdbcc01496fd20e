// Package mail renders Roster's emails (an HTML and a plain-text part each)
// and sends them with SES v2.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
)

// Message is one rendered email.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// ConfigurationSetEnv names the environment variable holding the SES
// configuration set every message is sent through (its event destination
// publishes bounces and complaints to SNS, for the ses-events function).
// Empty, as in local runs, sends without one.
const ConfigurationSetEnv = "SES_CONFIGURATION_SET"

// Sender sends messages through SES v2.
type Sender struct {
	ses       *sesv2.Client
	from      string
	configSet string
}

// NewSender returns a Sender from the address from (an SES verified
// identity), sending through the configuration set named by
// SES_CONFIGURATION_SET when it is set. The client is the process's one SES
// client (AWS_ENDPOINT_URL_SESV2 points it at the local SES).
func NewSender(client *sesv2.Client, from string) *Sender {
	return &Sender{ses: client, from: from, configSet: os.Getenv(ConfigurationSetEnv)}
}

// WithConfigurationSet returns a copy of s that sends through the named
// SES configuration set ("" for none).
func (s *Sender) WithConfigurationSet(name string) *Sender {
	c := *s
	c.configSet = name
	return &c
}

// SendError is SES refusing or failing to take a message. Reason is safe to
// store and show to admins (no credentials, no message content). Permanent
// says trying again will not help: SES refused this message, or this
// account or identity may not send; otherwise (throttling, a timeout, a
// fault of SES or the network) a later try may succeed.
type SendError struct {
	Reason    string
	Permanent bool
	Err       error
}

func (e *SendError) Error() string { return "mail: " + e.Reason }
func (e *SendError) Unwrap() error { return e.Err }

// Send sends m and returns SES's message id. A refusal or failure is a
// *SendError.
func (s *Sender) Send(ctx context.Context, m Message) (string, error) {
	if _, err := mail.ParseAddress(m.To); err != nil {
		return "", &SendError{Reason: "invalid recipient address", Permanent: true, Err: err}
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.from),
		Destination:      &types.Destination{ToAddresses: []string{m.To}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(m.Subject), Charset: aws.String("UTF-8")},
			Body: &types.Body{
				Text: &types.Content{Data: aws.String(m.Text), Charset: aws.String("UTF-8")},
				Html: &types.Content{Data: aws.String(m.HTML), Charset: aws.String("UTF-8")},
			},
		}},
	}
	if s.configSet != "" {
		in.ConfigurationSetName = aws.String(s.configSet)
	}
	out, err := s.ses.SendEmail(ctx, in)
	if err != nil {
		return "", sendError(err)
	}
	return aws.ToString(out.MessageId), nil
}

// throttled are SES's error codes of a sending rate or quota exceeded:
// client faults that a later try can get past.
var throttled = map[string]bool{"TooManyRequestsException": true, "LimitExceededException": true, "Throttling": true, "ThrottlingException": true}

// sendError classifies a failed SendEmail call.
func sendError(err error) *SendError {
	var apiErr smithy.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &SendError{Reason: "the mail service did not answer in time", Err: err}
	case errors.As(err, &apiErr) && throttled[apiErr.ErrorCode()]:
		return &SendError{Reason: fmt.Sprintf("the mail service is busy (%s)", apiErr.ErrorCode()), Err: err}
	case errors.As(err, &apiErr) && apiErr.ErrorFault() == smithy.FaultClient:
		return &SendError{Reason: fmt.Sprintf("the mail service refused the message (%s)", apiErr.ErrorCode()), Permanent: true, Err: err}
	case errors.As(err, &apiErr):
		return &SendError{Reason: fmt.Sprintf("the mail service failed (%s)", apiErr.ErrorCode()), Err: err}
	}
	return &SendError{Reason: "the mail service could not be reached", Err: err}
}
