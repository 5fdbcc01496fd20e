package invite

import (
	"roster/shared/config"
)

// ConfigFrom returns the service's settings from the deployment's
// configuration, with the default resend limits.
func ConfigFrom(c config.Config) Config {
	return Config{SiteURL: c.SiteURL, TTL: c.InvitationTTL, PerHour: c.InvitationsPerHour}
}
