package tokens

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"path/filepath"
	"testing"
)

// TestFromDER: a DER signature, as KMS returns it, becomes the 64 bytes of
// ES256 that verify; anything else is refused.
func TestFromDER(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("header.payload"))
	for range 50 { // short r or s (leading zeros) come up now and then
		der, err := ecdsa.SignASN1(rand.Reader, priv, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		sig, err := FromDER(der)
		if err != nil || len(sig) != 64 {
			t.Fatalf("got %d bytes, %v", len(sig), err)
		}
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(&priv.PublicKey, digest[:], r, s) {
			t.Fatal("converted signature does not verify")
		}
	}
	for _, bad := range [][]byte{nil, {0x30, 0x00}, []byte("not der"), append(mustDER(t, priv, digest[:]), 0)} {
		if _, err := FromDER(bad); err == nil {
			t.Errorf("%x: got no error", bad)
		}
	}
}

func mustDER(t *testing.T, priv *ecdsa.PrivateKey, digest []byte) []byte {
	der, err := ecdsa.SignASN1(rand.Reader, priv, digest)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestLocalKeyKept: the local key is made once and read back the same.
func TestLocalKeyKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "k.pem")
	a, err := LocalKey(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LocalKey(path)
	if err != nil {
		t.Fatal(err)
	}
	ida, _ := KeyID(a)
	idb, _ := KeyID(b)
	if ida != idb || ida == "" {
		t.Errorf("key ids: got %q and %q, want the same", ida, idb)
	}
}
