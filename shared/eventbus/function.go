package eventbus

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"roster/shared/app"
	"roster/shared/awsenv"
)

// Environment variables of the events-publisher function.
const (
	// BusEnv names the EventBridge bus (deployed stacks).
	BusEnv = "EVENT_BUS_NAME"
	// LogEnv names the JSON-lines file to write instead (make dev).
	LogEnv = "EVENTS_LOG"
)

// Publish is the events-publisher function's handler. It consumes the
// table's stream (no route): its event source mapping lets through only
// the inserts of history events (deploy.HistoryEventFilter), and it
// publishes them to the bus EVENT_BUS_NAME names or, when EVENTS_LOG is
// set (roster-local sets it), appends them to that file.
func Publish(d app.Deps) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var p Publisher
	if path := os.Getenv(LogEnv); path != "" {
		p = &File{Path: path}
	} else {
		cfg, err := awsenv.Config("EventBridge")
		if err != nil {
			panic(err)
		}
		p = EventBridge{Client: eventbridge.NewFromConfig(cfg), Bus: os.Getenv(BusEnv)}
	}
	return NewHandler(p, d.Catalog, d.Logger)
}
