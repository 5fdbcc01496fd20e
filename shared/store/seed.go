package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
	"roster/shared/wait"
)

// RecordEvents commits audit events through the one audit path (the same
// item layout, retention and conditions as a change's own event), up to 100
// per transaction. It is for tests and benchmarks that need a history
// without making the changes; no endpoint calls it. It returns the first
// transaction's error (a *ConflictError when an event exists already).
func (s *Store) RecordEvents(ctx context.Context, evs ...domain.AuditEvent) error {
	for len(evs) > 0 {
		n := min(len(evs), 100)
		tx := s.tx()
		for _, ev := range evs[:n] {
			s.audit(tx, ev)
		}
		if err := tx.commit(ctx); err != nil {
			return err
		}
		evs = evs[n:]
	}
	return nil
}

// LoadEvents writes many audit events with BatchWriteItem (25 per call,
// unconditional), in the same layout as RecordEvents: a fast seed for
// benchmarks of large histories. It returns the SDK's error, wrapped, or an
// error when DynamoDB keeps items unprocessed.
func (s *Store) LoadEvents(ctx context.Context, evs []domain.AuditEvent) error {
	for len(evs) > 0 {
		n := min(len(evs), 25)
		reqs := make([]types.WriteRequest, 0, n)
		for _, ev := range evs[:n] {
			it, err := s.eventItem(ev)
			if err != nil {
				return err
			}
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
		}
		pending := map[string][]types.WriteRequest{s.table: reqs}
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt == 8 {
				return fmt.Errorf("load events: items still unprocessed after %d attempts", attempt)
			}
			if attempt > 0 {
				time.Sleep(time.Duration(10<<attempt) * time.Millisecond)
			}
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return fmt.Errorf("load events: %w", err)
			}
			pending = out.UnprocessedItems
		}
		evs = evs[n:]
	}
	return nil
}

// SeedMembership writes a membership as it is (with its index entries) and
// no event. It is for tests of readers that need members of given roles and
// permissions without going through invitations; no endpoint calls it. It
// returns ErrConflict when the membership exists.
func (s *Store) SeedMembership(ctx context.Context, m domain.Membership) error {
	if m.Version == 0 {
		m.Version = 1
	}
	tx := s.tx()
	s.putMembership(tx, m, nil, notExists)
	return tx.commit(ctx)
}

// batchWrite writes reqs with BatchWriteItem, 25 a call, retrying
// unprocessed items. It is for seeding only: no conditions, no events.
func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	for len(reqs) > 0 {
		n := min(25, len(reqs))
		batch := map[string][]types.WriteRequest{s.table: reqs[:n]}
		reqs = reqs[n:]
		for attempt := 0; len(batch) > 0; attempt++ {
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: batch})
			if err != nil {
				return fmt.Errorf("batch write: %w", err)
			}
			batch = out.UnprocessedItems
			if len(batch) > 0 {
				if err := wait.For(ctx, time.Duration(10<<min(attempt, 6))*time.Millisecond); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// SeedProjectMembers assigns the users to the project with BatchWriteItem
// and sets its member count, without events, conditions or the members'
// own counts. It is for the figures of large projects only; product code
// assigns with AddProjectMember.
func (s *Store) SeedProjectMembers(ctx context.Context, p domain.Project, userIDs []string) error {
	reqs := make([]types.WriteRequest, 0, len(userIDs))
	now := s.now()
	for _, u := range userIDs {
		it, err := projectMemberItem(p.AccountID, p.ID, u, now)
		if err != nil {
			return err
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return err
	}
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table), Key: projectKey(p.ID),
		UpdateExpression:          aws.String("ADD memberCount :n"),
		ExpressionAttributeValues: item{":n": num(int64(len(userIDs)))},
	})
	return err
}
