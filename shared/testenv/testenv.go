// Package testenv gives tests real AWS stand-ins: DynamoDB Local and the
// local SES v2. When ROSTER_DYNAMODB_ENDPOINT / ROSTER_SES_ENDPOINT name
// running ones (make test starts one of each for every package), tests use
// them; otherwise the first test that asks starts its own for the test
// binary, and it dies with the binary. Each test gets its own table, so
// tests run in parallel without seeing each other's items.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"roster/shared/standins"
	"roster/shared/store"
)

// Environment variables that name running stand-ins.
const (
	EnvDynamoDB = "ROSTER_DYNAMODB_ENDPOINT"
	EnvSES      = "ROSTER_SES_ENDPOINT"
)

// AWSConfig returns the SDK configuration for a local stand-in at endpoint:
// fixed region, dummy static credentials.
func AWSConfig(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

type lazy struct {
	once     sync.Once
	endpoint string
	err      error
}

var ddb, ses lazy

func (l *lazy) get(env string, start func() (*standins.Process, error)) (string, error) {
	l.once.Do(func() {
		if e := os.Getenv(env); e != "" {
			l.endpoint = strings.TrimRight(e, "/")
			return
		}
		p, err := start()
		if err != nil {
			l.err = err
			return
		}
		l.endpoint = p.Endpoint
	})
	return l.endpoint, l.err
}

// DynamoDBEndpoint returns the endpoint of the test DynamoDB, starting one
// if none is given. It fails the test when none can be had.
func DynamoDBEndpoint(t testing.TB) string {
	t.Helper()
	e, err := ddb.get(EnvDynamoDB, func() (*standins.Process, error) {
		return standins.StartDynamoDB(context.Background(), standins.DynamoDBOptions{})
	})
	if err != nil {
		t.Fatalf("DynamoDB Local: %v", err)
	}
	return e
}

// DynamoDB returns a client of the test DynamoDB with the same capacity
// accounting as the functions' client.
func DynamoDB(t testing.TB) *dynamodb.Client {
	t.Helper()
	return store.NewClientFromConfig(AWSConfig(DynamoDBEndpoint(t)), true)
}

// NewTable creates a table of Roster's shape with a name unique to this test
// and deletes it when the test ends. It returns the client and the name.
func NewTable(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	db := DynamoDB(t)
	name := "t-" + sanitize(t.Name()) + "-" + randomHex(4)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := store.EnsureTable(ctx, db, name, store.Table); err != nil {
		t.Fatalf("create test table: %v", err)
	}
	t.Cleanup(func() {
		_, _ = db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return db, name
}

// NewStore is NewTable wrapped in a store.Store.
func NewStore(t testing.TB) *store.Store {
	t.Helper()
	db, name := NewTable(t)
	return store.New(db, name)
}

// SESEndpoint returns the endpoint of the test SES, starting one if none is
// given.
func SESEndpoint(t testing.TB) string {
	t.Helper()
	e, err := ses.get(EnvSES, func() (*standins.Process, error) {
		return standins.StartSES(context.Background(), standins.SESOptions{})
	})
	if err != nil {
		t.Fatalf("local SES: %v", err)
	}
	return e
}

// SES returns an SES v2 client of the test SES.
func SES(t testing.TB) *sesv2.Client {
	t.Helper()
	return sesv2.NewFromConfig(AWSConfig(SESEndpoint(t)))
}

// Email is one message the local SES received.
type Email struct {
	MessageID   string `json:"messageId"`
	From        string `json:"from"`
	Destination struct {
		To  []string `json:"to"`
		Cc  []string `json:"cc"`
		Bcc []string `json:"bcc"`
	} `json:"destination"`
	Subject string `json:"subject"`
	Body    struct {
		Text string `json:"text"`
		HTML string `json:"html"`
	} `json:"body"`
	At int64 `json:"at"`
}

// MailTo returns the messages the local SES holds for the address, oldest
// first. The store is shared by every test, so tests use addresses of
// their own.
func MailTo(t testing.TB, address string) []Email {
	t.Helper()
	resp, err := http.Get(SESEndpoint(t) + "/store")
	if err != nil {
		t.Fatalf("read local SES store: %v", err)
	}
	defer resp.Body.Close()
	var store struct {
		Emails []Email `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		t.Fatalf("decode local SES store: %v", err)
	}
	var out []Email
	for _, e := range store.Emails {
		for _, to := range e.Destination.To {
			if strings.EqualFold(to, address) || strings.HasSuffix(strings.ToLower(to), "<"+strings.ToLower(address)+">") {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// UniqueEmail returns an address no other test uses.
func UniqueEmail(t testing.TB) string {
	return fmt.Sprintf("%s-%s@example.com", strings.ToLower(sanitize(t.Name())), randomHex(4))
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := b.String()
	if len(out) > 180 {
		out = out[:180]
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Event reads a sample API Gateway v2 event from the repository's events/
// folder, the same file `sam local invoke -e events/<name>` uses.
func Event(t testing.TB, name string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	root, err := standins.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "events", name))
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	var req events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(b, &req); err != nil {
		t.Fatalf("decode event %s: %v", name, err)
	}
	return req
}

// Count counts the items whose partition key attribute pkAttr is pk — on
// the table (strongly consistent) when index is "", else on that index —
// with Queries that follow every page, never a Scan. Tests use it to prove
// what a request wrote, or that a refused one wrote nothing.
func Count(t testing.TB, db *dynamodb.Client, table, index, pkAttr, pk string) int {
	t.Helper()
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		Select:                    types.SelectCount,
	}
	if index != "" {
		in.IndexName = aws.String(index)
	} else {
		in.ConsistentRead = aws.Bool(true)
	}
	n := 0
	for {
		out, err := db.Query(context.Background(), in)
		if err != nil {
			t.Fatalf("count %s: %v", pk, err)
		}
		n += int(out.Count)
		if out.LastEvaluatedKey == nil {
			return n
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// AllUTF8 reports whether every string is valid UTF-8 on its own: JSON
// replaces the bytes of one that is not, so such a string cannot round-trip
// through a cursor (the fuzz tests skip those).
func AllUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
