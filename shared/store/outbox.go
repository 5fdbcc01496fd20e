package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
)

// The outbox: a change that causes an email writes a Mail item in its own
// transaction, and the mail-sender function, fed by the table's stream,
// sends it. No request waits on SES, a change and its mail are never one
// without the other, and the mail's fate (sent, failed and why) is on the
// item. Mail items hold no link token: the sender makes the token when it
// sends, and only its hash is stored (IssueInvitationLink, PutToken).

// TypeMail is the item type of an outbox mail; the sender's stream filter
// selects its inserts.
const TypeMail = "mail"

// Mail kinds.
const (
	// MailInvite is an invitation's email (AccountID, InviteID).
	MailInvite = "invite"
	// MailVerify confirms a login's address (UserID).
	MailVerify = "verify"
	// MailReset leads to choosing a new password (UserID).
	MailReset = "reset"
	// MailRegistered tells a login's owner that someone tried to register
	// their address again (UserID): registering answers the same whether
	// an address is taken or not, and only its owner learns which.
	MailRegistered = "registered"
)

// Mail statuses.
const (
	// MailQueued waits for the sender; the only status it is invoked for.
	MailQueued = "queued"
	// MailSent: SES took it (MessageID).
	MailSent = "sent"
	// MailFailed: SES refused it, or every attempt failed (Reason).
	MailFailed = "failed"
	// MailSuperseded: by the time the sender came, the mail had no point
	// any more (the invitation was resent, revoked or accepted, the
	// address confirmed, the login gone).
	MailSuperseded = "superseded"
	// MailUnaddressed records a request for a mail to an address without
	// a login (or that needs none): it is written so that the request
	// costs what a real one costs, and it is never sent.
	MailUnaddressed = "unaddressed"
)

// MailRetention is how long a mail item is kept after it was queued.
const MailRetention = 30 * 24 * time.Hour

// unaddressedRetention is how long an unaddressed record is kept.
const unaddressedRetention = 24 * time.Hour

// Mail is one email of the outbox.
type Mail struct {
	ID        string    `dynamodbav:"mailId"`
	Kind      string    `dynamodbav:"kind"`
	To        string    `dynamodbav:"to"`
	UserID    string    `dynamodbav:"userId,omitempty"`
	AccountID string    `dynamodbav:"accountId,omitempty"`
	InviteID  string    `dynamodbav:"inviteId,omitempty"`
	Status    string    `dynamodbav:"status"`
	Attempts  int       `dynamodbav:"attempts"`
	Reason    string    `dynamodbav:"reason,omitempty"`
	MessageID string    `dynamodbav:"messageId,omitempty"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	DoneAt    string    `dynamodbav:"doneAt,omitempty"`
}

func mailKey(id string) item { return key("MAIL#"+id, "MAIL") }

// NewMail returns a queued mail of kind to the address, made at now.
func NewMail(kind, to string, now time.Time) Mail {
	return Mail{ID: NewID(), Kind: kind, To: to, Status: MailQueued, CreatedAt: now.UTC()}
}

// queueMail adds the mail's insert to the transaction.
func (t *Tx) queueMail(m Mail) *Tx {
	keep := MailRetention
	if m.Status == MailUnaddressed {
		keep = unaddressedRetention
	}
	return t.putRecord(TypeMail, mailKey(m.ID), m, m.CreatedAt.Add(keep), notExists)
}

// QueueMail writes one mail on its own: for requests whose only write is
// the mail (a reset, a verification sent again, a registration of a taken
// address), or its unaddressed record.
func (s *Store) QueueMail(ctx context.Context, m Mail) error {
	return s.tx().queueMail(m).commit(ctx)
}

// GetMail returns the mail (a strongly consistent read), or ErrNotFound.
func (s *Store) GetMail(ctx context.Context, id string) (Mail, error) {
	m, err := s.get(ctx, mailKey(id), true)
	if err != nil {
		return Mail{}, err
	}
	var out Mail
	if err := attributevalue.UnmarshalMap(m, &out); err != nil {
		return Mail{}, fmt.Errorf("decode mail: %w", err)
	}
	return out, nil
}

// ErrMailDone is the answer to a sender that comes for a mail that is no
// longer queued (a stream record delivered again).
var ErrMailDone = errors.New("store: mail no longer queued")

// BeginAttempt counts one attempt at sending a queued mail and returns the
// mail with its attempts so far, this one included: one UpdateItem, which
// is the sender's read of the mail too. It returns ErrMailDone when the
// mail is not queued (sent, failed or superseded already, or gone).
func (s *Store) BeginAttempt(ctx context.Context, id string) (Mail, error) {
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       mailKey(id),
		UpdateExpression:          aws.String("ADD attempts :one"),
		ConditionExpression:       aws.String("#status = :queued"),
		ExpressionAttributeNames:  map[string]string{"#status": "status"},
		ExpressionAttributeValues: item{":one": num(1), ":queued": str(MailQueued)},
		ReturnValues:              types.ReturnValueAllNew,
	})
	if isConditionFailed(err) {
		return Mail{}, ErrMailDone
	}
	if err != nil {
		return Mail{}, fmt.Errorf("begin mail attempt: %w", err)
	}
	var m Mail
	if err := attributevalue.UnmarshalMap(out.Attributes, &m); err != nil {
		return Mail{}, fmt.Errorf("decode mail: %w", err)
	}
	return m, nil
}

// NoteRetry records why the latest attempt failed while the mail stays
// queued for another (and, for an invitation, shows it on the Pending tab).
func (s *Store) NoteRetry(ctx context.Context, m Mail, reason string) error {
	tx := s.tx().update(mailKey(m.ID), "SET reason = :r", cond{expr: "#status = :queued",
		names: map[string]string{"#status": "status"}, values: item{":r": str(reason), ":queued": str(MailQueued)}})
	if m.Kind == MailInvite {
		tx.update(inviteKey(m.AccountID, m.InviteID), "SET deliveryReason = :r", ofMail(m.ID, item{":r": str(reason)}))
	}
	return s.finishMail(ctx, tx, m)
}

// ofMail is the condition that an invitation's current email is the mail.
func ofMail(mailID string, values item) cond {
	values[":mail"] = str(mailID)
	return cond{expr: "mailId = :mail", values: values}
}

// finishMail commits a write of the mail (first) and of its invitation
// (second); when the invitation has moved on to another mail meanwhile
// (a resend), the mail's own write is committed alone.
func (s *Store) finishMail(ctx context.Context, tx *Tx, m Mail) error {
	err := tx.commit(ctx)
	var ce *ConflictError
	if errors.As(err, &ce) && ce.Index == 1 {
		tx.items = tx.items[:1]
		err = tx.commit(ctx)
	}
	if errors.As(err, &ce) && ce.Index == 0 {
		return ErrMailDone
	}
	if err != nil {
		return fmt.Errorf("record mail %s: %w", m.ID, err)
	}
	return nil
}

// closeMail returns the update that ends a queued mail with status.
func closeMail(tx *Tx, id, status, reason, messageID string, at time.Time) *Tx {
	return tx.update(mailKey(id), "SET #status = :s, reason = :r, messageId = :mid, doneAt = :at", cond{
		expr:  "#status = :queued",
		names: map[string]string{"#status": "status"},
		values: item{":s": str(status), ":r": str(reason), ":mid": str(messageID),
			":at": str(at.UTC().Format(time.RFC3339Nano)), ":queued": str(MailQueued)},
	})
}

// RecordMailSent records that SES took the mail as messageID at sent. For
// an invitation's mail, in the same transaction, the invitation's delivery
// becomes sent (when the mail is still its current one) and the message's
// lookup item is written, so that SES's bounce and complaint events
// (functions/ses-events) find the invitation; first says it is the
// invitation's first email (sentAt). It returns ErrMailDone when the mail
// was recorded already.
func (s *Store) RecordMailSent(ctx context.Context, m Mail, messageID string, sent time.Time, first bool) error {
	tx := closeMail(s.tx(), m.ID, MailSent, "", messageID, sent)
	if m.Kind == MailInvite {
		expr := "SET delivery = :d, deliveryReason = :r, messageId = :mid, lastSentAt = :t"
		if first {
			expr += ", sentAt = :t"
		}
		tx.update(inviteKey(m.AccountID, m.InviteID), expr,
			ofMail(m.ID, item{":d": str(domain.DeliverySent), ":r": str(""), ":mid": str(messageID), ":t": str(sent.UTC().Format(time.RFC3339Nano))}))
		tx.putRecord(typeSESMessage, sesMessageKey(messageID), sesMessage{AccountID: m.AccountID, InviteID: m.InviteID},
			sent.Add(MailRetention+InvitationRetention), cond{})
	}
	return s.finishMail(ctx, tx, m)
}

// RecordMailFailed ends the mail as failed with reason (short and safe to
// show admins) and, for an invitation's current mail, marks its delivery
// failed in the same transaction. status is MailFailed, or MailSuperseded
// when the mail had no point any more. It returns ErrMailDone when the mail
// was recorded already.
func (s *Store) RecordMailFailed(ctx context.Context, m Mail, status, reason string, at time.Time) error {
	tx := closeMail(s.tx(), m.ID, status, reason, "", at)
	if m.Kind == MailInvite && status == MailFailed {
		tx.update(inviteKey(m.AccountID, m.InviteID), "SET delivery = :d, deliveryReason = :r",
			ofMail(m.ID, item{":d": str(domain.DeliveryFailed), ":r": str(reason)}))
	}
	return s.finishMail(ctx, tx, m)
}

// IssueInvitationLink stores the hash of the link token the sender is about
// to mail for inv's current mail: the invitation's token hash and the
// token's lookup item are replaced, in one transaction, only while inv is
// pending with mailID as its current mail and unchanged since it was read.
// It returns ErrConflict otherwise (the sender reads it again).
func (s *Store) IssueInvitationLink(ctx context.Context, inv domain.Invitation, mailID, hash string) error {
	c := ofMail(mailID, item{":h": str(hash), ":old": str(inv.TokenHash), ":pending": str(domain.InvitePending)})
	c.expr += " AND tokenHash = :old AND #state = :pending"
	c.names = map[string]string{"#state": "state"}
	tx := s.tx().update(inviteKey(inv.AccountID, inv.ID), "SET tokenHash = :h", c)
	if inv.TokenHash != "" {
		tx.delete(inviteTokenKey(inv.TokenHash), cond{})
	}
	tx.putRecord(typeInviteToken, inviteTokenKey(hash), inviteToken{AccountID: inv.AccountID, InviteID: inv.ID, InviterID: inv.InviterID},
		inv.ExpiresAt.Add(InvitationRetention), notExists)
	return tx.commit(ctx)
}
