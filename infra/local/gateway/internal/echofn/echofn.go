// Package echofn is the gateway tests' Lambda handler. Its behaviour depends
// on the request path: it echoes the event, sets cookies and headers, returns
// binary bodies, sleeps, exits, errs or answers garbage, so that tests can
// drive every path of the gateway through a real bootstrap process.
package echofn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// EnvNames are the variables the echo answer reports.
var EnvNames = []string{"TABLE_NAME", "SITE_URL", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
	"AWS_LAMBDA_FUNCTION_VERSION", "AWS_REGION", "_HANDLER", "LAMBDA_TASK_ROOT", "EXTRA", "GATEWAY_SECRET"}

// Echo is the body of the default answer.
type Echo struct {
	PID   int                            `json:"pid"`
	Event events.APIGatewayV2HTTPRequest `json:"event"`
	Env   map[string]string              `json:"env"`
}

// Handler is a raw lambda.Handler.
type Handler struct{}

// Invoke handles one API Gateway v2 event.
func (Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	resp := events.APIGatewayV2HTTPResponse{
		StatusCode: 200,
		Headers: map[string]string{
			"Content-Type":  "application/json",
			"Server-Timing": `ddb;dur=1.5;desc="GetItem 0.5 RCU"`,
			"X-Pid":         strconv.Itoa(os.Getpid()),
		},
	}
	if ms, err := strconv.Atoi(ev.QueryStringParameters["sleep"]); err == nil {
		time.Sleep(time.Duration(ms) * time.Millisecond)
	}
	switch ev.RawPath {
	case "/api/cookies":
		resp.Cookies = []string{"session=abc; Path=/; HttpOnly", "theme=dark"}
		resp.MultiValueHeaders = map[string][]string{"X-Multi": {"one", "two"}}
		resp.Body = `{"ok":true}`
	case "/api/binary":
		resp.Headers["Content-Type"] = "application/octet-stream"
		resp.Body = base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 255})
		resp.IsBase64Encoded = true
	case "/api/sleep":
		ms, _ := strconv.Atoi(ev.QueryStringParameters["ms"])
		if ms == 0 {
			ms = 5000
		}
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-ctx.Done():
			time.Sleep(time.Duration(ms) * time.Millisecond) // ignore the deadline, as careless code does
		}
		resp.Body = `{"slept":true}`
	case "/api/health":
		// Answers the body the request asks for, for the contract's test.
		resp.Body = ev.Headers["x-answer"]
	case "/api/exit":
		os.Exit(3)
	case "/api/garbage":
		return []byte("this is not json"), nil
	case "/api/nostatus":
		return []byte(`{"body":"no status"}`), nil
	case "/api/error":
		return nil, errors.New("boom")
	default:
		echo := Echo{PID: os.Getpid(), Event: ev, Env: map[string]string{}}
		for _, k := range EnvNames {
			if v, ok := os.LookupEnv(k); ok {
				echo.Env[k] = v
			}
		}
		b, err := json.Marshal(echo)
		if err != nil {
			return nil, err
		}
		resp.Body = string(b)
	}
	return json.Marshal(resp)
}
