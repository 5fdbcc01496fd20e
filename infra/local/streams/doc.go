// Package streams runs, on DynamoDB Local, what AWS does with the table's
// DynamoDB stream: Lambda's event source mappings (Poller) and DynamoDB's
// Time to Live (TTL).
//
// DynamoDB Local implements the DynamoDB Streams API but never deletes
// expired items, and nothing consumes its stream. A Poller reads the
// stream (DescribeTable for the stream, DescribeStream for its shards,
// GetShardIterator from the trim horizon, GetRecords in a loop, following
// closed shards to their children) and invokes a template function with
// events.DynamoDBEvent batches shaped as Lambda's, after applying the
// event's FilterCriteria, honouring its batchItemFailures. The TTL emulator
// learns the items' expiries from the same stream and deletes due items
// with a conditional DeleteItem; the pollers deliver those REMOVE records
// with the userIdentity AWS gives TTL deletions. Neither ever scans the
// table.
package streams
