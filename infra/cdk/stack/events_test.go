package stack

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"roster/shared/deploy"
)

// TestHistoryEvents: the events publisher may put events on the stack's
// bus only, reads the stream through the declared filter, and keeps what
// it could not publish in its dead-letter queue; a named bus is used
// instead of a new one.
func TestHistoryEvents(t *testing.T) {
	s := defaultStack(t)
	if p := props(s.resources["EventBus"]); p["Name"] == nil {
		t.Fatalf("event bus: got %s", toJSON(s.resources["EventBus"]))
	}
	actions, res := roleActions(t, s, "EventsPublisherFunction")
	if !slices.Contains(actions, "events:PutEvents") || toJSON(res["events:PutEvents"]) != `[{"Fn::GetAtt":["EventBus","Arn"]}]` {
		t.Errorf("events:PutEvents: got %v on %s, want the stack's bus", actions, toJSON(res["events:PutEvents"]))
	}
	env := dig(props(s.resources["EventsPublisherFunction"]), "Environment", "Variables", "EVENT_BUS_NAME")
	if toJSON(env) != `{"Ref":"EventBus"}` {
		t.Errorf("EVENT_BUS_NAME: got %s", toJSON(env))
	}
	for _, f := range deploy.Functions {
		if a, _ := roleActions(t, s, f.LogicalID()); f.Name != "events-publisher" && slices.Contains(a, "events:PutEvents") {
			t.Errorf("%s may publish events", f.LogicalID())
		}
	}
	mapping := mappingOf(t, s, "EventsPublisherFunction")
	var got, want any
	_ = json.Unmarshal([]byte(dig(mapping, "FilterCriteria", "Filters").([]any)[0].(map[string]any)["Pattern"].(string)), &got)
	b, _ := json.Marshal(deploy.HistoryEventFilter)
	_ = json.Unmarshal(b, &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("filter: got %v, want %v", got, want)
	}
	if toJSON(dig(mapping, "DestinationConfig", "OnFailure", "Destination")) != `{"Fn::GetAtt":["EventsPublisherFunctionDeadLetters","Arn"]}` {
		t.Errorf("on failure: got %s", toJSON(dig(mapping, "DestinationConfig")))
	}

	named := synth(t, Props{EventBusName: "host-bus"})
	if _, own := named.resources["EventBus"]; own {
		t.Error("a named bus: the stack made its own too")
	}
	if env := dig(props(named.resources["EventsPublisherFunction"]), "Environment", "Variables", "EVENT_BUS_NAME"); env != "host-bus" {
		t.Errorf("named bus EVENT_BUS_NAME: got %s", toJSON(env))
	}
}
