package store

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"roster/shared/domain"
)

// NewID returns a random 128-bit identifier in hex.
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// HistoryRetention, when set, makes audit events expire after it; zero keeps
// them for ever (HISTORY_RETENTION_DAYS).
func (s *Store) WithHistoryRetention(d time.Duration) *Store {
	c := *s
	c.retention = d
	return &c
}

// audit adds an event to the transaction of the change it describes.
func (s *Store) audit(tx *Tx, ev domain.AuditEvent) {
	it, err := s.eventItem(ev)
	if err != nil {
		tx.err = err
		return
	}
	tx.put(it, notExists)
}

// eventItem is the one layout of an audit event. The event is keyed by time
// in the account's history and, when it concerns a member, in that member's
// history (GSI1), so that both read newest first with one query; GSI2 keys
// it by time within its action kind (member, invitation, account), so that
// the account's history filtered by kind is one query too, with full pages.
func (s *Store) eventItem(ev domain.AuditEvent) (item, error) {
	if ev.ID == "" {
		ev.ID = NewID()
	}
	if ev.At.IsZero() {
		ev.At = s.now()
	}
	var expires time.Time
	if s.retention > 0 {
		expires = ev.At.Add(s.retention)
	}
	sk := eventSK(ev)
	it, err := record(typeEvent, key(historyPK(ev.AccountID), sk), ev, expires)
	if err != nil {
		return nil, err
	}
	if ev.Target.UserID != "" {
		it[AttrGSI1PK] = str(memberHistoryPK(ev.AccountID, ev.Target.UserID))
		it[AttrGSI1SK] = str(sk)
	}
	it[AttrGSI2PK] = str(historyKindPK(ev.AccountID, actionKind(ev.Action)))
	it[AttrGSI2SK] = str(sk)
	return it, nil
}

// eventSK is an event's sort key: its time, then its id.
func eventSK(ev domain.AuditEvent) string { return timeKey(ev.At) + "#" + ev.ID }

// historyKindPK is the GSI2 partition of an account's events of one kind.
func historyKindPK(accountID, kind string) string {
	return "ACCOUNT#" + accountID + "#HISTORY#" + kind
}

// actionKind is the part of an action before its dot ("member").
func actionKind(action string) string {
	k, _, _ := strings.Cut(action, ".")
	return k
}
