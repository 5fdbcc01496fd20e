// Package outbox sends the emails Roster's changes queue (store.Mail): it
// is the one package that talks to SES. The mail-sender function runs it on
// the table's stream: each queued mail's insert invokes it, it issues the
// mail's link token (only the hash is stored, by the store), renders the
// mail, sends it through SES within the sending rate and a timeout, and
// records the outcome on the mail and, for an invitation, on its delivery.
// Transient failures are retried with backoff, within the invocation and
// then by the event source mapping; after the last attempt the mail is
// failed and its record goes to the dead-letter queue.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"

	"roster/shared/domain"
	"roster/shared/mail"
	"roster/shared/store"
	"roster/shared/wait"
)

// Mailer sends a rendered email and returns SES's message id; a refusal or
// failure is a *mail.SendError.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

// Config holds the sender's settings; zero values take the defaults.
type Config struct {
	// SiteURL is the origin of the mailed links.
	SiteURL string
	// SendTimeout bounds one SES call, well below the function's timeout.
	SendTimeout time.Duration
	// Tries is how many times one invocation tries a mail that fails
	// transiently, pausing Backoff, then twice that, between tries.
	Tries   int
	Backoff time.Duration
	// MaxAttempts is how many invocations try a mail before it is failed
	// for good: the event source mapping's retries plus one.
	MaxAttempts int
	// PerSecond is the most mails this process sends a second (SES's
	// maximum send rate for the account, shared by the stream's shards).
	PerSecond float64
	// Logger receives the failed tries; nil is slog.Default().
	Logger *slog.Logger
}

// RefusedMessage is the log line of a mail SES refused; an alarm counts them.
const RefusedMessage = "mail refused by SES"

// Defaults of Config.
const (
	DefaultSendTimeout = 5 * time.Second
	DefaultTries       = 3
	DefaultBackoff     = 500 * time.Millisecond
	DefaultPerSecond   = 10
)

// Sender sends the outbox's mails.
type Sender struct {
	store   *store.Store
	mailer  Mailer
	cfg     Config
	catalog *domain.Catalog
	limiter *rate.Limiter
}

// New returns a sender over the store and mailer.
func New(s *store.Store, m Mailer, cfg Config, catalog *domain.Catalog) *Sender {
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = DefaultSendTimeout
	}
	if cfg.Tries <= 0 {
		cfg.Tries = DefaultTries
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 1
	}
	if cfg.PerSecond <= 0 {
		cfg.PerSecond = DefaultPerSecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Sender{store: s, mailer: m, cfg: cfg, catalog: catalog,
		limiter: rate.NewLimiter(rate.Limit(cfg.PerSecond), 1)}
}

// Budget is the longest Deliver can take on one mail: every try timing out,
// with the pauses between them.
func (s *Sender) Budget() time.Duration {
	pauses := s.cfg.Backoff * time.Duration(1<<(s.cfg.Tries-1)-1)
	return time.Duration(s.cfg.Tries)*s.cfg.SendTimeout + pauses + time.Second
}

// RetryError says a mail failed transiently and stays queued for another
// attempt; Final says that was its last attempt (the mail is now failed,
// and its record goes to the dead-letter queue).
type RetryError struct {
	MailID string
	Reason string
	Final  bool
}

func (e *RetryError) Error() string {
	if e.Final {
		return fmt.Sprintf("outbox: mail %s failed for good: %s", e.MailID, e.Reason)
	}
	return fmt.Sprintf("outbox: mail %s will be retried: %s", e.MailID, e.Reason)
}

// Deliver sends the queued mail id and records the outcome. It returns nil
// when the mail is dealt with: sent, refused by SES (failed, with SES's
// reason), no longer needed (superseded), or done before (a stream record
// delivered again). It returns a *RetryError when SES failed transiently
// on every try, and the store's errors; both mean the record is to be
// retried.
func (s *Sender) Deliver(ctx context.Context, id string) error {
	m, err := s.store.BeginAttempt(ctx, id)
	if errors.Is(err, store.ErrMailDone) {
		return nil
	}
	if err != nil {
		return err
	}
	attempt := m.Attempts
	d, err := s.prepare(ctx, m)
	if err != nil {
		return err
	}
	if d.superseded != "" {
		return done(s.store.RecordMailFailed(ctx, m, store.MailSuperseded, d.superseded, s.store.Now()))
	}
	reason := ""
	for try := range s.cfg.Tries {
		if try > 0 {
			if err := wait.For(ctx, s.cfg.Backoff<<(try-1)); err != nil {
				return err
			}
		}
		if err := s.limiter.Wait(ctx); err != nil {
			return err
		}
		messageID, err := s.send(ctx, d.msg)
		if err == nil {
			return done(s.store.RecordMailSent(ctx, m, messageID, s.store.Now(), d.first))
		}
		var se *mail.SendError
		if !errors.As(err, &se) {
			se = &mail.SendError{Reason: "the mail service failed", Err: err}
		}
		s.cfg.Logger.WarnContext(ctx, "mail not sent", "mail", m.ID, "kind", m.Kind, "attempt", attempt, "try", try+1, "err", err.Error())
		if se.Permanent {
			// SES refused it: an unverified sender, sending paused, a
			// rejected message. The MailRefused alarm counts these lines.
			s.cfg.Logger.ErrorContext(ctx, RefusedMessage, "mail", m.ID, "kind", m.Kind, "reason", se.Reason)
			return done(s.store.RecordMailFailed(ctx, m, store.MailFailed, se.Reason, s.store.Now()))
		}
		reason = se.Reason
	}
	if attempt >= s.cfg.MaxAttempts {
		why := fmt.Sprintf("%s (gave up after %d attempts)", reason, attempt*s.cfg.Tries)
		if err := done(s.store.RecordMailFailed(ctx, m, store.MailFailed, why, s.store.Now())); err != nil {
			return err
		}
		s.cfg.Logger.ErrorContext(ctx, "mail failed for good", "mail", m.ID, "kind", m.Kind, "reason", why)
		return &RetryError{MailID: m.ID, Reason: why, Final: true}
	}
	if err := done(s.store.NoteRetry(ctx, m, "Retrying: "+reason)); err != nil {
		return err
	}
	return &RetryError{MailID: m.ID, Reason: reason}
}

// done forgives ErrMailDone: another invocation recorded the mail first.
func done(err error) error {
	if errors.Is(err, store.ErrMailDone) {
		return nil
	}
	return err
}

// send makes one SES call, bounded by SendTimeout.
func (s *Sender) send(ctx context.Context, msg mail.Message) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.SendTimeout)
	defer cancel()
	return s.mailer.Send(ctx, msg)
}
