package invitehttp

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"unicode"

	"github.com/aws/aws-lambda-go/events"

	"roster/shared/app"
	"roster/shared/domain"
	"roster/shared/store"
)

// mailEventsStore is the part of the store the function uses.
type mailEventsStore interface {
	InvitationOfMessage(ctx context.Context, messageID string) (accountID, inviteID string, err error)
	RecordDeliveryEvent(ctx context.Context, accountID, inviteID string, e store.DeliveryEvent) (bool, error)
}

// mailEventsHandler applies SES events to invitations.
type mailEventsHandler struct {
	store mailEventsStore
	log   *slog.Logger
}

// newMailEventsHandler returns the handler over s, logging to log.
func newMailEventsHandler(s mailEventsStore, log *slog.Logger) *mailEventsHandler {
	return &mailEventsHandler{store: s, log: log}
}

// sesEvent is the part of an SES event publishing record the function
// reads (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html).
type sesEvent struct {
	EventType string `json:"eventType"`
	Mail      struct {
		MessageID string `json:"messageId"`
	} `json:"mail"`
	Bounce *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		BouncedRecipients []struct {
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
	} `json:"complaint"`
	Reject *struct {
		Reason string `json:"reason"`
	} `json:"reject"`
}

// Handle applies each record's SES event. Unknown message ids (mail that
// is not an invitation's, such as the sign-in emails, or forgotten after
// the invitation's retention), malformed messages and event types the
// function does not act on are logged and skipped: retrying cannot help.
// Only a failure of the table is returned, so that Lambda retries the
// invocation; applying an event again is harmless.
func (h *mailEventsHandler) Handle(ctx context.Context, ev events.SNSEvent) error {
	var errs []error
	for _, r := range ev.Records {
		if err := h.record(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (h *mailEventsHandler) record(ctx context.Context, r events.SNSEventRecord) error {
	log := h.log.With("snsMessageId", r.SNS.MessageID)
	e, err := parseSESEvent(r.SNS.Message)
	if err != nil {
		log.WarnContext(ctx, "skipped: not an SES event", "err", err.Error(), "length", len(r.SNS.Message))
		return nil
	}
	log = log.With("eventType", e.EventType, "sesMessageId", e.Mail.MessageID)
	change, ok := changeOf(e)
	if !ok {
		log.InfoContext(ctx, "skipped: event type not acted on")
		return nil
	}
	accountID, inviteID, err := h.store.InvitationOfMessage(ctx, e.Mail.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		log.WarnContext(ctx, "skipped: unknown message id")
		return nil
	}
	if err != nil {
		log.ErrorContext(ctx, "find invitation", "err", err.Error())
		return err
	}
	applied, err := h.store.RecordDeliveryEvent(ctx, accountID, inviteID, change)
	if err != nil {
		log.ErrorContext(ctx, "record delivery event", "account", accountID, "invitation", inviteID, "err", err.Error())
		return err
	}
	log.InfoContext(ctx, "delivery event", "account", accountID, "invitation", inviteID, "delivery", change.Delivery, "applied", applied)
	return nil
}

// parseSESEvent reads an SNS message as an SES event; it returns an error
// for anything else (not JSON, no event type or no message id).
func parseSESEvent(msg string) (sesEvent, error) {
	var e sesEvent
	if err := json.Unmarshal([]byte(msg), &e); err != nil {
		return sesEvent{}, err
	}
	if e.EventType == "" || e.Mail.MessageID == "" {
		return sesEvent{}, errors.New("no event type or message id")
	}
	return e, nil
}

// maxDiagnostic bounds the part of a bounce's diagnostic code kept in the
// reason; maxReason bounds the whole reason.
const (
	maxDiagnostic = 120
	maxReason     = 240
)

// changeOf turns an SES event into the invitation's delivery change, with a
// short reason safe to show to admins; false for event types the function
// does not act on (or a Bounce or Complaint without its details).
func changeOf(e sesEvent) (store.DeliveryEvent, bool) {
	c := store.DeliveryEvent{MessageID: e.Mail.MessageID}
	switch e.EventType {
	case "Bounce":
		if e.Bounce == nil {
			return c, false
		}
		b := e.Bounce
		diag := ""
		if len(b.BouncedRecipients) > 0 {
			diag = clean(b.BouncedRecipients[0].DiagnosticCode, maxDiagnostic)
			if diag == "" {
				diag = clean(b.BouncedRecipients[0].Status, 16)
			}
		}
		kind := clean(b.BounceType+"/"+b.BounceSubType, 48)
		if b.BounceType == "Permanent" {
			c.Delivery = domain.DeliveryBounced
			switch b.BounceSubType {
			case "Suppressed", "OnAccountSuppressionList":
				c.Reason = "Not delivered: the address is on the mail service's suppression list after earlier bounces or complaints"
			default:
				c.Reason = "Bounced: the recipient's mail server refused the address permanently"
			}
		} else {
			// Transient (mailbox full, message too large, ...) or
			// Undetermined: the mail service may still deliver it.
			c.Delivery = domain.DeliverySent
			c.Reason = "Delayed: a temporary delivery problem; the mail service may retry"
		}
		c.Reason += " (" + kind
		if diag != "" {
			c.Reason += ": " + diag
		}
		c.Reason += ")"
	case "Complaint":
		if e.Complaint == nil {
			return c, false
		}
		c.Delivery = domain.DeliveryComplained
		c.Reason = "The recipient reported the invitation email as spam"
		if t := clean(e.Complaint.ComplaintFeedbackType, 32); t != "" {
			c.Reason += " (" + t + ")"
		}
	case "Reject":
		c.Delivery = domain.DeliveryFailed
		c.Reason = "The mail service rejected the message"
		if e.Reject != nil {
			if r := clean(e.Reject.Reason, 64); r != "" {
				c.Reason += " (" + r + ")"
			}
		}
	case "Delivery":
		// Delivered: clears a transient bounce's reason.
		c.Delivery = domain.DeliverySent
	default:
		return c, false
	}
	c.Reason = clean(c.Reason, maxReason)
	return c, true
}

// clean makes text from a remote mail server safe and short: control and
// other non-printing characters become spaces, runs of spaces one, and the
// result is cut to max runes (with an ellipsis).
func clean(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

// MailEvents is the ses-events function's handler. It consumes the SNS topic that Roster's SES configuration
// set publishes its email events to (no route). For an invitation email
// that bounced permanently or drew a complaint it marks the invitation's
// delivery bounced or complained, with a short reason that the Pending tab
// shows; a transient bounce records its reason and keeps delivery sent; a
// Reject marks it failed; a Delivery clears a transient reason. The
// invitation is found from SES's message id through its SESMSG# lookup item
// (one GetItem) and changed with one conditional UpdateItem (idempotent).
//
// Locally there is no SNS and the local SES publishes no events: the tests
// feed the handler SNS-wrapped SES events (events/ses-events-*.json) about
// invitations sent through the real create path.
func MailEvents(d app.Deps) func(context.Context, events.SNSEvent) error {
	return newMailEventsHandler(d.Store(), d.Logger).Handle
}
