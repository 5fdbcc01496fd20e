// Package tokens issues the access tokens that hand Roster's decisions to
// the host product: short-lived JWTs (ES256) saying who a member is in one
// account, with their role, permissions and projects, and publishes the
// public keys that verify them (a JWKS). The private key never leaves its
// signer: an asymmetric KMS key in AWS, a generated key file under
// `make dev`. Rotation lists several keys: the first signs, all are
// published, so a retired key stays published until its last token has
// expired.
package tokens

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"roster/shared/hostauth"
)

// TTL is how long an access token is valid: short, so that a member whose
// access changes loses the old token's rights within minutes.
const TTL = 5 * time.Minute

// Claims are an access token's claims, as the host's verifier reads them
// (one definition, in the package the host imports). Permissions is
// ["all"] for a member with every permission, else the list.
type Claims = hostauth.Claims

// AllPermissions is the permissions claim of a member who holds them all.
const AllPermissions = hostauth.AllPermissions

// Key is one signing key: its public half and a way to sign with the
// private half, wherever that is.
type Key interface {
	// Public is the public key.
	Public() *ecdsa.PublicKey
	// SignDigest returns the ES256 signature of a SHA-256 digest: r and s,
	// 32 bytes each (RFC 7518 section 3.4).
	SignDigest(ctx context.Context, digest []byte) ([]byte, error)
}

// KeyID is the key's id in tokens and the JWKS: its RFC 7638 thumbprint,
// the same wherever the key lives.
func KeyID(k Key) (string, error) {
	jwk := jose.JSONWebKey{Key: k.Public()}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("tokens: thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// Issuer signs tokens with the first of its keys and publishes them all.
type Issuer struct {
	issuer, audience string
	keys             []Key
	ids              []string
	now              func() time.Time
}

// NewIssuer returns an issuer of tokens for audience, signed with keys[0].
func NewIssuer(issuer, audience string, keys []Key) (*Issuer, error) {
	if len(keys) == 0 {
		return nil, errors.New("tokens: no signing key")
	}
	if issuer == "" || audience == "" {
		return nil, errors.New("tokens: issuer and audience are required")
	}
	i := &Issuer{issuer: issuer, audience: audience, keys: keys, now: time.Now}
	for _, k := range keys {
		id, err := KeyID(k)
		if err != nil {
			return nil, err
		}
		i.ids = append(i.ids, id)
	}
	return i, nil
}

// Keys returns the issuer's keys, the signing one first.
func (i *Issuer) Keys() []Key { return append([]Key(nil), i.keys...) }

// WithClock returns a copy of the issuer that reads the time from now.
func (i *Issuer) WithClock(now func() time.Time) *Issuer {
	c := *i
	c.now = now
	return &c
}

// Issue signs c as a token valid for TTL from now, with a new id. It fills
// in the issuer, audience and times.
func (i *Issuer) Issue(ctx context.Context, c Claims) (string, time.Time, error) {
	now := i.now().UTC().Truncate(time.Second)
	exp := now.Add(TTL)
	c.Issuer, c.Audience = i.issuer, jwt.Audience{i.audience}
	c.IssuedAt, c.NotBefore, c.Expiry = jwt.NewNumericDate(now), jwt.NewNumericDate(now), jwt.NewNumericDate(exp)
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return "", time.Time{}, err
	}
	c.ID = base64.RawURLEncoding.EncodeToString(id)

	header, err := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT", "kid": i.ids[0]})
	if err != nil {
		return "", time.Time{}, err
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", time.Time{}, err
	}
	signing := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	digest := sha256.Sum256([]byte(signing))
	sig, err := i.keys[0].SignDigest(ctx, digest[:])
	if err != nil {
		return "", time.Time{}, fmt.Errorf("tokens: sign: %w", err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), exp, nil
}

// JWKS is a JSON Web Key Set (RFC 7517) of P-256 public keys.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// JWK is one public key of a JWKS.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// JWKS returns the public keys that verify the issuer's tokens, the
// signing key first.
func (i *Issuer) JWKS() JWKS {
	set := JWKS{Keys: []JWK{}}
	for n, k := range i.keys {
		var x, y [32]byte
		k.Public().X.FillBytes(x[:])
		k.Public().Y.FillBytes(y[:])
		set.Keys = append(set.Keys, JWK{Kty: "EC", Crv: "P-256", X: base64.RawURLEncoding.EncodeToString(x[:]),
			Y: base64.RawURLEncoding.EncodeToString(y[:]), Kid: i.ids[n], Alg: "ES256", Use: "sig"})
	}
	return set
}

// AccessToken is the answer of a token request.
type AccessToken struct {
	// Token is the JWT, for an Authorization: Bearer header.
	Token     string    `json:"token"`
	TokenType string    `json:"tokenType"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Discovery is the issuer's OpenID Connect discovery document, the part
// JWT verifiers (API Gateway's JWT authorizer among them) read: where the
// keys are.
type Discovery struct {
	Issuer          string   `json:"issuer"`
	JWKSURI         string   `json:"jwks_uri"`
	SigningAlgs     []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypes   []string `json:"response_types_supported"`
	SubjectTypes    []string `json:"subject_types_supported"`
	ClaimsSupported []string `json:"claims_supported"`
}

// JWKSPath is where the keys are published, on the issuer's origin.
const JWKSPath = "/.well-known/jwks.json"

// DiscoveryPath is where the discovery document is, on the issuer's origin.
const DiscoveryPath = "/.well-known/openid-configuration"

// Discovery returns the issuer's discovery document.
func (i *Issuer) Discovery() Discovery {
	return Discovery{Issuer: i.issuer, JWKSURI: strings.TrimRight(i.issuer, "/") + JWKSPath, SigningAlgs: []string{"ES256"},
		ResponseTypes: []string{"token"}, SubjectTypes: []string{"public"},
		ClaimsSupported: []string{"sub", "email", "account", "role", "permissions", "projects"}}
}

// localKey is a key whose private half is in this process (make dev).
type localKey struct{ priv *ecdsa.PrivateKey }

func (k localKey) Public() *ecdsa.PublicKey { return &k.priv.PublicKey }

func (k localKey) SignDigest(_ context.Context, digest []byte) ([]byte, error) {
	r, s, err := ecdsa.Sign(rand.Reader, k.priv, digest)
	if err != nil {
		return nil, err
	}
	return fixed(r.Bytes(), s.Bytes()), nil
}

// fixed is r and s as the 64 bytes of an ES256 signature.
func fixed(r, s []byte) []byte {
	out := make([]byte, 64)
	copy(out[32-len(r):32], r)
	copy(out[64-len(s):], s)
	return out
}

// LocalKey loads the P-256 private key in the PEM file path, creating it
// (mode 0600) when it does not exist. It is for local runs; deployed
// stacks sign with KMS.
func LocalKey(path string) (Key, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		b = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		// O_EXCL: two functions starting at once keep the first one's key.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.Write(b)
			err = errors.Join(err, f.Close())
		}
		if errors.Is(err, os.ErrExist) {
			return LocalKey(path)
		}
		if err != nil {
			return nil, fmt.Errorf("tokens: write %s: %w", path, err)
		}
		return localKey{priv}, nil
	}
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("tokens: %s holds no PEM block", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("tokens: %s: %w", path, err)
	}
	priv, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != elliptic.P256() {
		return nil, fmt.Errorf("tokens: %s is not a P-256 key", path)
	}
	return localKey{priv}, nil
}
