package stack

// historyFunctions are the history endpoints and the stream function (issue
// 6), kept in their own file so that the function list grows without edit
// conflicts. The history functions only read (BatchGetItem for the session
// and membership, GetItem, Query): no role in the stack but the stream
// function's and the functions that make changes can write an event, and
// none can change or delete one.
var historyFunctions = []Function{
	{LogicalID: "HistoryListFunction", Dir: "history-list", Routes: []Route{{"GET", "/api/accounts/{accountId}/history"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"}},
	{LogicalID: "HistoryExportFunction", Dir: "history-export", Routes: []Route{{"GET", "/api/accounts/{accountId}/history/export"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"}, TimeoutSeconds: 30, MemoryMB: 512},
	{LogicalID: "StreamExpiredFunction", Dir: "stream-expired", Stream: true, StreamFilters: []map[string]any{ExpiredInvitationFilter},
		TableActions: []string{"dynamodb:PutItem"}, TimeoutSeconds: 30},
}

// ExpiredInvitationFilter lets through only the stream records of
// invitation expiry markers that DynamoDB's TTL service deleted (a marker
// exists only while its invitation is pending, and its TTL is the
// invitation's expiry; the invitation item's own TTL removal, 30 days
// later, is not let through). Lambda event filtering: records that do not
// match are dropped before the function is invoked, and cost nothing.
// template.yaml's FilterCriteria holds the same pattern.
var ExpiredInvitationFilter = map[string]any{
	"eventName":    []any{"REMOVE"},
	"userIdentity": map[string]any{"type": []any{"Service"}, "principalId": []any{"dynamodb.amazonaws.com"}},
	"dynamodb": map[string]any{"OldImage": map[string]any{
		"type": map[string]any{"S": []any{"invitationExpiry"}},
	}},
}

func init() { Functions = append(Functions, historyFunctions...) }
