package stack

// memberFunctions are the member management endpoints (issue 5), kept in
// their own file so that the function list grows without edit conflicts.
// Each reads the session and the actor's membership with BatchGetItem and
// refreshes lastActiveAt with UpdateItem. Edits are transactions of the
// membership, its search entries and the audit events, so they hold the
// item-level actions of those writes: PutItem, and DeleteItem where search
// entries or the membership go (an edit of names, a removal). Only the list
// queries (GSI2 and the search partition).
var memberFunctions = []Function{
	{LogicalID: "MembersListFunction", Dir: "members-list", Routes: []Route{{"GET", "/api/accounts/{accountId}/members"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:Query"}},
	{LogicalID: "MemberGetFunction", Dir: "member-get", Routes: []Route{{"GET", "/api/accounts/{accountId}/members/{userId}"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:GetItem"}},
	{LogicalID: "MemberUpdateFunction", Dir: "member-update", Routes: []Route{{"PATCH", "/api/accounts/{accountId}/members/{userId}"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"}},
	{LogicalID: "MemberDeactivateFunction", Dir: "member-deactivate", Routes: []Route{{"POST", "/api/accounts/{accountId}/members/{userId}/deactivate"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:PutItem"}},
	{LogicalID: "MemberReactivateFunction", Dir: "member-reactivate", Routes: []Route{{"POST", "/api/accounts/{accountId}/members/{userId}/reactivate"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:PutItem"}},
	{LogicalID: "MemberRemoveFunction", Dir: "member-remove", Routes: []Route{{"DELETE", "/api/accounts/{accountId}/members/{userId}"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"}},
	{LogicalID: "MemberOwnershipFunction", Dir: "member-ownership", Routes: []Route{{"POST", "/api/accounts/{accountId}/ownership"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:PutItem"}, MemoryMB: passwordMemoryMB},
}

func init() { Functions = append(Functions, memberFunctions...) }
