package domain

import (
	"errors"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// emailDomain is IDNA's lookup profile (UTS #46 mapping, the Bidi rule,
// label rules) with DNS's lengths: no empty label, none over 63 bytes.
var emailDomain = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.ValidateLabels(true),
	idna.StrictDomainName(true), idna.VerifyDNSLength(true))

// MaxEmailLength is the longest address RFC 5321 allows in a path.
const MaxEmailLength = 254

// NormalizeEmail returns the canonical form of an email address used for
// uniqueness and for sending: the local part Unicode NFKC and lower-cased,
// the domain through IDNA's lookup profile into ASCII (what SES sends to),
// trimmed. It returns an invalid_email error when the address is empty,
// too long, malformed, holds a character CheckText refuses, or has a
// domain IDNA refuses.
func NormalizeEmail(raw string) (string, error) {
	s := strings.TrimSpace(norm.NFKC.String(raw))
	if s == "" {
		return "", CodeInvalidEmail.Field("email", "Enter an email address.")
	}
	if err := CheckText(s, CodeInvalidEmail, "email"); err != nil {
		return "", err
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
	domain, err := emailDomain.ToASCII(s[at+1:])
	if err == nil {
		// Canonical only if it reads back as itself ("xn--" alone decodes
		// to nothing, for one).
		var again string
		if again, err = emailDomain.ToASCII(domain); err == nil && again != domain {
			err = errors.New("not canonical")
		}
	}
	if err != nil || !strings.Contains(domain, ".") {
		return "", CodeInvalidEmail.Field("email", "The part after @ is not a valid domain name.")
	}
	out := strings.ToLower(s[:at]) + "@" + domain
	if len(out) > MaxEmailLength {
		return "", CodeInvalidEmail.Field("email", "The email address is too long.")
	}
	return out, nil
}

// MaxNameLength bounds first and last names.
const MaxNameLength = 100

// NormalizeName trims a person's, account's or project's name, normalizes
// it to NFC and checks its length and characters (CheckText); empty is
// allowed when optional is true. It returns an invalid_name error on field.
func NormalizeName(raw, field string, optional bool) (string, error) {
	if err := CheckText(raw, CodeInvalidName, field); err != nil {
		return "", err
	}
	s := strings.TrimSpace(norm.NFC.String(raw))
	if s == "" && !optional {
		return "", CodeInvalidName.Field(field, "This name is required.")
	}
	if utf8.RuneCountInString(s) > MaxNameLength {
		return "", CodeInvalidName.Field(field, "This name is too long (100 characters at most).")
	}
	return s, nil
}
