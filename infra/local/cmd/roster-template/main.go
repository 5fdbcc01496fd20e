// Command roster-template writes template.yaml from the functions'
// declaration (shared/deploy) and the table's definition (shared/store):
// `make template` runs it.
package main

import (
	"fmt"
	"os"

	"roster/shared/deploy"
	"roster/shared/store"
)

func main() {
	out := deploy.TemplatePath
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	b, err := deploy.SAMTemplate(deploy.Functions, store.Table)
	if err == nil {
		err = os.WriteFile(out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "roster-template:", err)
		os.Exit(1)
	}
}
