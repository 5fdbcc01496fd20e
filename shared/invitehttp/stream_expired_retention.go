package invitehttp

import "time"

// retention turns HISTORY_RETENTION_DAYS into a duration.
func retention(days int) time.Duration { return time.Duration(days) * 24 * time.Hour }
