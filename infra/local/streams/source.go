package streams

import (
	"fmt"
	"strconv"
	"strings"

	"roster/infra/local/samtemplate"
)

// Source is one DynamoDB event of a template function on the table's
// stream: what Lambda's event source mapping would do with it.
type Source struct {
	// Function is the function's logical ID.
	Function string
	// Event is the event's name under the function's Events.
	Event string
	// Filters is the event's FilterCriteria.
	Filters Filters
	// BatchSize is the most records in one invocation (BatchSize, default 100).
	BatchSize int
	// MaxRetries bounds the retries of a failing batch (MaximumRetryAttempts;
	// Lambda's default, -1, retries until the records expire: locally it
	// is DefaultMaxRetries).
	MaxRetries int
	// ReportBatchItemFailures is true when FunctionResponseTypes lists
	// ReportBatchItemFailures: the function's batchItemFailures then say
	// from which record on a batch is retried.
	ReportBatchItemFailures bool
	// OnFailure is the logical id of the on-failure destination
	// (DestinationConfig.OnFailure.Destination: !GetAtt <id>.Arn), or "".
	OnFailure string
	// Latest is true for StartingPosition LATEST; TRIM_HORIZON (the
	// template's) reads the stream from its oldest record.
	Latest bool
}

// DefaultMaxRetries bounds the retries of a failing batch when the template
// sets none (or -1, unbounded in AWS).
const DefaultMaxRetries = 10

// TableSources returns the events of Type DynamoDB, in the template's
// functions, whose Stream is !GetAtt <table>.StreamArn.
func TableSources(tpl *samtemplate.Template, table string) ([]Source, error) {
	var out []Source
	for _, f := range tpl.Functions {
		for _, ev := range f.Events {
			if ev.Type != "DynamoDB" {
				continue
			}
			if v, ok := ev.Properties["Stream"].(samtemplate.Value); !ok || v.GetAtt != table+".StreamArn" {
				continue
			}
			s, err := sourceOf(f.LogicalID, ev)
			if err != nil {
				return nil, fmt.Errorf("streams: %s event %s: %w", f.LogicalID, ev.Name, err)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func sourceOf(function string, ev samtemplate.Event) (Source, error) {
	s := Source{Function: function, Event: ev.Name, BatchSize: 100, MaxRetries: DefaultMaxRetries}
	p := ev.Properties
	if v, ok := p["BatchSize"].(string); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return s, fmt.Errorf("BatchSize %q: want 1 to 10000", v)
		}
		s.BatchSize = n
	}
	if v, ok := p["MaximumRetryAttempts"].(string); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < -1 {
			return s, fmt.Errorf("MaximumRetryAttempts %q: want -1 or more", v)
		}
		if n >= 0 {
			s.MaxRetries = n
		}
	}
	switch v, _ := p["StartingPosition"].(string); v {
	case "", "TRIM_HORIZON":
	case "LATEST":
		s.Latest = true
	default:
		return s, fmt.Errorf("StartingPosition %q is not supported locally", v)
	}
	if list, ok := p["FunctionResponseTypes"].([]any); ok {
		for _, t := range list {
			if t == "ReportBatchItemFailures" {
				s.ReportBatchItemFailures = true
			}
		}
	}
	if dc, ok := p["DestinationConfig"].(map[string]any); ok {
		of, _ := dc["OnFailure"].(map[string]any)
		v, ok := of["Destination"].(samtemplate.Value)
		id, _, found := strings.Cut(v.GetAtt, ".")
		if !ok || !found {
			return s, fmt.Errorf("DestinationConfig: want OnFailure.Destination: !GetAtt <queue>.Arn")
		}
		s.OnFailure = id
	}
	if fc, ok := p["FilterCriteria"].(map[string]any); ok {
		filters, _ := fc["Filters"].([]any)
		for _, f := range filters {
			m, _ := f.(map[string]any)
			pattern, ok := m["Pattern"].(string)
			if !ok {
				return s, fmt.Errorf("FilterCriteria: a filter without a Pattern string")
			}
			parsed, err := ParseFilter(pattern)
			if err != nil {
				return s, err
			}
			s.Filters = append(s.Filters, parsed)
		}
	}
	return s, nil
}
