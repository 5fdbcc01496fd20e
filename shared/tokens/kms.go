package tokens

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"os"
	"roster/shared/awsenv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// kmsKey is an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY): it signs
// inside KMS, and only its public half is ever read.
type kmsKey struct {
	client *kms.Client
	id     string
	pub    *ecdsa.PublicKey
}

// KMSKey returns the KMS key id (an id or ARN), reading its public key
// once (kms:GetPublicKey).
func KMSKey(ctx context.Context, client *kms.Client, id string) (Key, error) {
	out, err := client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("tokens: public key of %s: %w", id, err)
	}
	parsed, err := x509.ParsePKIXPublicKey(out.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("tokens: public key of %s: %w", id, err)
	}
	pub, ok := parsed.(*ecdsa.PublicKey)
	if !ok || pub.Curve.Params().Name != "P-256" {
		return nil, fmt.Errorf("tokens: %s is not a P-256 key", id)
	}
	return kmsKey{client: client, id: id, pub: pub}, nil
}

func (k kmsKey) Public() *ecdsa.PublicKey { return k.pub }

func (k kmsKey) SignDigest(ctx context.Context, digest []byte) ([]byte, error) {
	out, err := k.client.Sign(ctx, &kms.SignInput{KeyId: aws.String(k.id), Message: digest,
		MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	if err != nil {
		return nil, err
	}
	return FromDER(out.Signature)
}

// FromDER converts an ASN.1 DER ECDSA signature (what KMS returns) to the
// 64 bytes of an ES256 signature.
func FromDER(der []byte) ([]byte, error) {
	var sig struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil || len(rest) > 0 || sig.R == nil || sig.S == nil || sig.R.BitLen() > 256 || sig.S.BitLen() > 256 {
		return nil, errors.New("tokens: not a P-256 DER signature")
	}
	return fixed(sig.R.Bytes(), sig.S.Bytes()), nil
}

// Environment variables naming the signing keys, first the one that signs.
const (
	// KMSKeysEnv lists KMS key ids or ARNs (deployed stacks).
	KMSKeysEnv = "TOKEN_KMS_KEYS"
	// KeyFilesEnv lists PEM files of local keys (make dev), created when
	// missing.
	KeyFilesEnv = "TOKEN_KEY_FILES"
)

// KeysFromEnv returns the signing keys the environment names.
func KeysFromEnv(ctx context.Context) ([]Key, error) {
	var keys []Key
	if ids := list(os.Getenv(KMSKeysEnv)); len(ids) > 0 {
		cfg, err := awsenv.Config("KMS")
		if err != nil {
			return nil, err
		}
		client := kms.NewFromConfig(cfg)
		for _, id := range ids {
			k, err := KMSKey(ctx, client, id)
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
		return keys, nil
	}
	for _, path := range list(os.Getenv(KeyFilesEnv)) {
		k, err := LocalKey(path)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("tokens: set %s or %s", KMSKeysEnv, KeyFilesEnv)
	}
	return keys, nil
}

func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
