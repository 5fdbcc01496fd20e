// Package mail renders Roster's emails from templates embedded in the
// binary (an HTML and a plain-text part each) and sends them with SES v2.
package mail

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/mail"
	"os"
	texttemplate "text/template"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
)

//go:embed templates/*
var files embed.FS

var (
	htmlTemplates = htmltemplate.Must(htmltemplate.New("mail").Funcs(htmltemplate.FuncMap{"dict": dict}).ParseFS(files, "templates/*.html"))
	textTemplates = texttemplate.Must(texttemplate.ParseFS(files, "templates/*.txt"))
)

// Message is one rendered email.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Render renders the named email (templates/<name>.html and .txt; the text
// template's "subject" block is the subject) with data.
func Render(name string, to string, data any) (Message, error) {
	var subject, text, html bytes.Buffer
	if err := textTemplates.ExecuteTemplate(&subject, name+".subject", data); err != nil {
		return Message{}, fmt.Errorf("render %s subject: %w", name, err)
	}
	if err := textTemplates.ExecuteTemplate(&text, name+".txt", data); err != nil {
		return Message{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := htmlTemplates.ExecuteTemplate(&html, name+".html", data); err != nil {
		return Message{}, fmt.Errorf("render %s html: %w", name, err)
	}
	return Message{To: to, Subject: subject.String(), Text: text.String(), HTML: html.String()}, nil
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

// dict builds a map from key, value pairs, for passing several values to a
// sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
