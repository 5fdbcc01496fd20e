// Package auth holds Roster's identity primitives: argon2id password
// hashes, random tokens kept only as hashes, TOTP second factors, the
// session cookie, and the one Authenticator every function uses.
package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"roster/shared/domain"
)

// Argon2Params are the argon2id cost parameters. The defaults are OWASP's
// first recommended configuration (m=19 MiB, t=2, p=1), which keeps a
// sign-in near 50 ms on one Lambda vCPU share while costing an attacker
// 19 MiB per guess.
type Argon2Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultArgon2 is used for new hashes.
var DefaultArgon2 = Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Password length bounds (NIST SP 800-63B: at least 8, allow at least 64).
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

//go:embed common-passwords.txt
var commonPasswordsTxt string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsTxt))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()

// PasswordPolicy is the password rules as GET /api/auth/password-policy
// serves them, so that every form says the same as CheckPassword.
type PasswordPolicy struct {
	MinLength int `json:"minLength"`
	MaxLength int `json:"maxLength"`
	// Hint says the rules in one sentence, for the forms.
	Hint string `json:"hint"`
}

// Policy returns the rules CheckPassword applies.
func Policy() PasswordPolicy {
	return PasswordPolicy{
		MinLength: MinPasswordLength, MaxLength: MaxPasswordLength,
		Hint: fmt.Sprintf("At least %d characters (a few words make a good one); not a common password or your email address.", MinPasswordLength),
	}
}

// CheckPassword applies the password rules: length in characters between
// MinPasswordLength and MaxPasswordLength, and not one of the commonest
// passwords or the user's own email. No composition rules (NIST SP 800-63B).
// It returns an invalid error on the "password" field.
func CheckPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return domain.CodeWeakPassword.Field("password", fmt.Sprintf("Use at least %d characters.", MinPasswordLength))
	case n > MaxPasswordLength:
		return domain.CodeInvalidPassword.Field("password", fmt.Sprintf("Use at most %d characters.", MaxPasswordLength))
	}
	lower := strings.ToLower(password)
	if commonPasswords[lower] {
		return domain.CodeWeakPassword.Field("password", "This password is among the most common ones; choose another.")
	}
	if email != "" && (lower == strings.ToLower(email) || lower == strings.ToLower(strings.Split(email, "@")[0])) {
		return domain.CodeWeakPassword.Field("password", "Do not use your email address as your password.")
	}
	return nil
}

// HashPassword returns an encoded argon2id hash of the password in the
// PHC string format, with a random salt.
func HashPassword(password string, p Argon2Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(norm.NFC.String(password)), salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the encoded hash,
// comparing in constant time. A malformed hash is an error.
func VerifyPassword(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("auth: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("auth: unsupported argon2 version")
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, errors.New("auth: bad argon2 parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errors.New("auth: bad salt")
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errors.New("auth: bad key")
	}
	got := argon2.IDKey([]byte(norm.NFC.String(password)), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when an email is unknown, so that a
// sign-in takes the same time whether or not the account exists. It is a
// constant (a hash of a throwaway password with DefaultArgon2's
// parameters; TestDummyHashMatchesDefaults keeps the two equal): hashing
// at package init cost every function that imports this package an
// argon2id hash (over 100 ms) on each cold start, and hashing on first use
// would make the first unknown-email sign-in of an instance slower.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$AgVTgoTNIGfG8SmMu+9v9Q$/CYGkTKapRjHQzLHclrK89k4JjizjwHggYwhnLvUXTw"

// BurnPasswordCheck spends the time of one password verification.
func BurnPasswordCheck(password string) { _, _ = VerifyPassword(password, dummyHash) }
