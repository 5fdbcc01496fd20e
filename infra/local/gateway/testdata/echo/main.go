// Command echo is the gateway tests' bootstrap. When the file named by
// INIT_FAIL_FILE exists, it panics during init, before asking for work.
package main

import (
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/infra/local/gateway/internal/echofn"
)

func main() {
	if p := os.Getenv("INIT_FAIL_FILE"); p != "" {
		if _, err := os.Stat(p); err == nil {
			panic("init failed on purpose")
		}
	}
	lambda.Start(echofn.Handler{})
}
