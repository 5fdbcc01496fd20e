package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"roster/shared/domain"
)

// NewToken returns a random 256-bit token for a link or cookie, URL-safe, and
// the hash under which it is stored. The token itself is never stored.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the storage key of a token: hex SHA-256. A 256-bit
// random token needs no salt or slow hash.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ParseToken checks a token's shape (43 URL-safe base64 characters) before
// any lookup, and returns its hash. A malformed token is the same not_found
// error as an unknown one, so that nothing helps guessing.
func ParseToken(token string) (string, error) {
	// The length first: the decoder skips CR and LF, so "ab\rcd" would
	// otherwise pass as another spelling of a token; Strict refuses the
	// other spellings of its last character.
	if len(token) != 43 {
		return "", domain.CodeInvalidToken.Msg("This link is not valid. Ask for a new one.")
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != 32 {
		return "", domain.CodeInvalidToken.Msg("This link is not valid. Ask for a new one.")
	}
	return HashToken(token), nil
}
