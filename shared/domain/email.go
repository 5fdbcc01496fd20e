package domain

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxEmailLength is the longest address RFC 5321 allows in a path.
const MaxEmailLength = 254

// NormalizeEmail returns the canonical form of an email address used for
// uniqueness: Unicode NFKC, trimmed and lower-cased. It returns an
// invalid_email error when the address is empty, too long or malformed.
func NormalizeEmail(raw string) (string, error) {
	s := strings.TrimSpace(norm.NFKC.String(raw))
	if s == "" {
		return "", CodeInvalidEmail.Field("email", "Enter an email address.")
	}
	if utf8.RuneCountInString(s) > MaxEmailLength {
		return "", CodeInvalidEmail.Field("email", "The email address is too long.")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return "", CodeInvalidEmail.Field("email", "Enter a valid email address, like name@example.com.")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		return "", CodeInvalidEmail.Field("email", "Enter a valid email address, like name@example.com.")
	}
	return strings.ToLower(s), nil
}

// MaxNameLength bounds first and last names.
const MaxNameLength = 100

// NormalizeName trims a person's name and checks its length; empty is allowed
// when optional is true.
func NormalizeName(raw, field string, optional bool) (string, error) {
	s := strings.TrimSpace(norm.NFC.String(raw))
	if s == "" && !optional {
		return "", CodeInvalidName.Field(field, "This name is required.")
	}
	if utf8.RuneCountInString(s) > MaxNameLength {
		return "", CodeInvalidName.Field(field, "This name is too long (100 characters at most).")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "", CodeInvalidName.Field(field, "This name contains control characters.")
		}
	}
	return s, nil
}
