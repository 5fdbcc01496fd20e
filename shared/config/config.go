// Package config reads the settings every function shares from its
// environment, once per process.
package config

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config holds the deployer's settings. Env names are the ones template.yaml
// and the CDK stack declare.
type Config struct {
	// TableName is the DynamoDB table (TABLE_NAME).
	TableName string
	// SiteURL is the site's origin, for links in emails and the CSRF Origin
	// check (SITE_URL), for example https://roster.example.com.
	SiteURL string
	// MailFrom is the sender of Roster's emails (MAIL_FROM).
	MailFrom string
	// TokenAudience is the audience of the access tokens Roster issues
	// (TOKEN_AUDIENCE; default "roster"): the host product's services
	// accept only tokens meant for them.
	TokenAudience string
	// MailSendRate is the most emails the mail sender sends a second
	// (MAIL_SEND_RATE, SES's maximum send rate of the account; default 10).
	MailSendRate int
	// MailMaxAttempts is how many invocations of the mail sender try one
	// email (MAIL_MAX_ATTEMPTS: its stream retries plus one).
	MailMaxAttempts int
	// Local relaxes the Secure cookie flag for http://localhost (set when
	// SITE_URL is http://localhost or http://127.0.0.1).
	Local bool
	// InvitationTTL is how long an invitation stays valid (INVITATION_TTL_HOURS, default 168).
	InvitationTTL time.Duration
	// InvitationsPerHour caps invitation emails per account (INVITATIONS_PER_HOUR, default 50).
	InvitationsPerHour int
	// SESConfigurationSet is the SES configuration set emails are sent
	// through, whose event destination reports bounces and complaints
	// (SES_CONFIGURATION_SET; empty sends without one, as locally).
	// mail.NewSender reads the same variable.
	SESConfigurationSet string
	// HistoryRetentionDays keeps audit events this long; 0 keeps them for ever (HISTORY_RETENTION_DAYS).
	HistoryRetentionDays int
}

// FromEnv reads the configuration. It returns an error naming the first
// missing or malformed variable.
func FromEnv() (Config, error) {
	c := Config{
		TableName:     os.Getenv("TABLE_NAME"),
		SiteURL:       strings.TrimRight(os.Getenv("SITE_URL"), "/"),
		MailFrom:      os.Getenv("MAIL_FROM"),
		TokenAudience: os.Getenv("TOKEN_AUDIENCE"),

		SESConfigurationSet: os.Getenv("SES_CONFIGURATION_SET"),
	}
	if c.TableName == "" {
		return c, fmt.Errorf("config: TABLE_NAME is not set")
	}
	if c.SiteURL != "" {
		u, err := url.Parse(c.SiteURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return c, fmt.Errorf("config: SITE_URL %q is not an origin like https://roster.example.com", c.SiteURL)
		}
		c.Local = u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1")
	}
	var err error
	hours, err := intEnv("INVITATION_TTL_HOURS", 168)
	if err != nil {
		return c, err
	}
	c.InvitationTTL = time.Duration(hours) * time.Hour
	if c.InvitationsPerHour, err = intEnv("INVITATIONS_PER_HOUR", 50); err != nil {
		return c, err
	}
	if c.HistoryRetentionDays, err = intEnv("HISTORY_RETENTION_DAYS", 0); err != nil {
		return c, err
	}
	if c.TokenAudience == "" {
		c.TokenAudience = "roster"
	}
	if c.MailSendRate, err = intEnv("MAIL_SEND_RATE", 10); err != nil {
		return c, err
	}
	if c.MailMaxAttempts, err = intEnv("MAIL_MAX_ATTEMPTS", 1); err != nil {
		return c, err
	}
	return c, nil
}

func intEnv(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("config: %s=%q is not a whole number", name, v)
	}
	return n, nil
}

// MustFromEnv is FromEnv for mains: it panics, which Lambda reports as an init error.
func MustFromEnv() Config {
	c, err := FromEnv()
	if err != nil {
		panic(err)
	}
	return c
}
