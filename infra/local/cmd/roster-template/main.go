// Command roster-template writes the generated files: template.yaml from
// the functions' declaration (shared/deploy) and the table's definition
// (shared/store), and the site's error codes from the error catalog.
// `make template` runs it; tests fail while a committed file differs.
package main

import (
	"fmt"
	"os"

	"roster/shared/api"
	"roster/shared/deploy"
	"roster/shared/store"
)

func main() {
	tpl, err := deploy.SAMTemplate(deploy.Functions, store.Table)
	if err == nil {
		err = os.WriteFile(deploy.TemplatePath, tpl, 0o644)
	}
	if err == nil {
		err = os.WriteFile(api.ErrorCodesTSPath, api.ErrorCodesTS(), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "roster-template:", err)
		os.Exit(1)
	}
}
