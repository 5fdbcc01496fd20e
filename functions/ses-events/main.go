// Command ses-events consumes the SNS topic that Roster's SES configuration
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
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.Event("ses-events", invitehttp.MailEvents) }
