package store

import "errors"

// Sentinel errors of the store. Services translate them into domain errors.
var (
	// ErrNotFound means the item does not exist or has expired.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict means a condition failed: the item exists already, or its
	// version moved on (optimistic concurrency), or a transaction was cancelled
	// by a condition.
	ErrConflict = errors.New("store: conflict")
)
