// Command roster-template writes the generated files: template.yaml and
// every functions/<name>/main.go from the functions' declaration
// (shared/deploy) and the table's definition (shared/store), and the API's
// OpenAPI document (shared/contract) from its operations, their types and
// the error catalog.
// `make template` runs it; tests fail while a committed file differs.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"roster/shared/contract"
	"roster/shared/deploy"
	"roster/shared/store"
)

func main() {
	tpl, err := deploy.SAMTemplate(deploy.Functions, store.Table)
	if err == nil {
		err = os.WriteFile(deploy.TemplatePath, tpl, 0o644)
	}
	if err == nil {
		var doc []byte
		if doc, err = contract.YAML(); err == nil {
			err = os.WriteFile(contract.Path, doc, 0o644)
		}
	}
	for _, f := range deploy.Functions {
		if err != nil {
			break
		}
		var src []byte
		if src, err = deploy.MainGo(f); err == nil {
			if err = os.MkdirAll(filepath.Dir(deploy.MainPath(f)), 0o755); err == nil {
				err = os.WriteFile(deploy.MainPath(f), src, 0o644)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "roster-template:", err)
		os.Exit(1)
	}
}
