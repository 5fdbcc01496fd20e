package store

import (
	"crypto/rand"
	"encoding/hex"
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

// audit adds an event to the transaction of the change it describes. The
// event is keyed by time in the account's history and, when it concerns a
// member, in that member's history (GSI1), so that both read newest first
// with one query.
func (s *Store) audit(tx *Tx, ev domain.AuditEvent) {
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
	sk := timeKey(ev.At) + "#" + ev.ID
	it, err := record(typeEvent, key(historyPK(ev.AccountID), sk), ev, expires)
	if err != nil {
		tx.err = err
		return
	}
	if ev.Target.UserID != "" {
		it[AttrGSI1PK] = str(memberHistoryPK(ev.AccountID, ev.Target.UserID))
		it[AttrGSI1SK] = str(sk)
	}
	tx.put(it, notExists)
}
