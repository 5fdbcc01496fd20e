package stack

import (
	"roster/shared/deploy"

	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// TestHistoryFunctions checks issue 6's functions in the synthesized stack:
// the history endpoints cannot write, the stream function can only put, and
// its mapping filters exactly as template.yaml's does.
func TestHistoryFunctions(t *testing.T) {
	s := defaultStack(t)
	for id, want := range map[string][]string{
		"HistoryListFunction":   {"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "xray:PutTelemetryRecords", "xray:PutTraceSegments"},
		"HistoryExportFunction": {"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "xray:PutTelemetryRecords", "xray:PutTraceSegments"},
		"StreamExpiredFunction": {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:PutItem", "sqs:SendMessage",
			"xray:PutTelemetryRecords", "xray:PutTraceSegments"},
	} {
		actions, _ := roleActions(t, s, id)
		var got []string
		for _, a := range actions {
			if a != "logs:CreateLogStream" && a != "logs:PutLogEvents" && !slices.Contains(got, a) {
				got = append(got, a)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s actions: got %v, want %v", id, got, want)
		}
	}

	mapping := mappingOf(t, s, "StreamExpiredFunction")
	filters, _ := dig(mapping, "FilterCriteria", "Filters").([]any)
	if len(filters) != 1 {
		t.Fatalf("filters: got %v, want one", dig(mapping, "FilterCriteria"))
	}
	var cdkPattern, samPattern any
	if err := json.Unmarshal([]byte(dig(filters[0], "Pattern").(string)), &cdkPattern); err != nil {
		t.Fatal(err)
	}
	// The pattern is the declared one, as in template.yaml.
	b, err := json.Marshal(deploy.ExpiredInvitationFilter)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &samPattern); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cdkPattern, samPattern) {
		t.Errorf("filter: the CDK stack has %v, the declaration has %v", cdkPattern, samPattern)
	}
	for _, c := range []struct {
		name string
		got  any
		want any
	}{
		{"starting position", mapping["StartingPosition"], "TRIM_HORIZON"},
		{"bisect", mapping["BisectBatchOnFunctionError"], true},
		{"partial batch", toJSON(mapping["FunctionResponseTypes"]), `["ReportBatchItemFailures"]`},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}
