// Command stream-expired consumes the table's DynamoDB stream (no route).
// Its event source mapping lets through only the REMOVE records that
// DynamoDB's TTL service made of invitation expiry markers (items of type
// invitationExpiry, whose TTL is the invitation's expiry, kept only while
// the invitation is pending), and for each it writes the invitation.expired
// event, dated at the expiry, into the account's history with one
// conditional PutItem (idempotent: the event id is derived from the
// invitation's and its expiry, so a record delivered twice, or an event
// that replacing or resending the expired invitation wrote already, is one
// event). In AWS the event appears within TTL's delay after the expiry
// (usually minutes, at worst a couple of days).
//
// Locally it runs the same way: roster-local (make dev) runs its poller on
// DynamoDB Local's stream through the gateway, with the template's filter,
// and a TTL emulator that deletes due items within about a second (see
// infra/local/streams; -no-streams turns both off). The tests feed the
// handler real stream records built from real marker items, and
// infra/local/streams' end-to-end test runs the built function.
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.Event("stream-expired", invitehttp.Expired) }
