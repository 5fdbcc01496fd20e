// Package app starts a function: it reads the configuration and builds the
// store once per process, then hands a handler built from them to the
// Lambda runtime. Each functions/<name>/main.go is one call of HTTP or Event
// with the handler shared/deploy declares for it.
package app

import (
	"log/slog"
	"sync"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/config"
	"roster/shared/domain"
	"roster/shared/store"
)

// Deps are what handlers are built from: the configuration, the store
// (opened on first use, so that a function without table access opens
// none), the permission catalog and the function's logger.
type Deps struct {
	Config  config.Config
	Catalog *domain.Catalog
	Logger  *slog.Logger
	store   func() *store.Store
}

// Store returns the table's store.
func (d Deps) Store() *store.Store { return d.store() }

// Authenticator returns the authenticator of requests over the store, with
// Secure cookies except on a local http:// site.
func (d Deps) Authenticator() *auth.Authenticator {
	return auth.NewAuthenticator(d.Store(), !d.Config.Local)
}

// fromEnv reads the configuration (exiting on a bad one, as a function
// cannot start without it) for the function called name.
func fromEnv(name string) Deps {
	cfg := config.MustFromEnv()
	open := sync.OnceValue(func() *store.Store { return store.Open(cfg) })
	return Deps{Config: cfg, Catalog: domain.DefaultCatalog(), Logger: api.NewLogger().With("function", name), store: open}
}

// HTTP starts the function called name with the HTTP API handler build
// returns, wrapped by api.Wrap (Origin check, errors, logs, cost).
func HTTP(name string, build func(Deps) api.HandlerFunc) {
	d := fromEnv(name)
	lambda.Start(api.Wrap(name, api.OptionsFromEnv(d.Config.SiteURL), build(d)))
}

// Event starts the function called name with the handler of other events
// (the table's stream, SNS) that build returns: a function of a context and
// an event that returns an error, or a response and an error, as
// lambda.Start takes.
func Event[H any](name string, build func(Deps) H) {
	lambda.Start(build(fromEnv(name)))
}
