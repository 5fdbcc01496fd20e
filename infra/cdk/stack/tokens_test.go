package stack

import (
	"reflect"
	"slices"
	"testing"
)

// TestSigningKeys: the access tokens are signed with an asymmetric KMS key
// that only the token function may sign with; the keys function may only
// read public keys; both are told every key, the signing one first; and
// CloudFront sends /.well-known/* to the API, cached as it says. Rotation
// lists the new key first and keeps the old one published.
func TestSigningKeys(t *testing.T) {
	for _, tt := range []struct {
		name string
		keys []string
	}{{"default", nil}, {"rotating", []string{"2", "1"}}} {
		t.Run(tt.name, func(t *testing.T) {
			s := defaultStack(t)
			want := []string{"TokenSigningKey1"}
			if tt.keys != nil {
				s = synth(t, Props{SigningKeys: tt.keys})
				want = []string{"TokenSigningKey2", "TokenSigningKey1"}
			}
			for _, id := range want {
				p := props(s.resources[id])
				if p["KeySpec"] != "ECC_NIST_P256" || p["KeyUsage"] != "SIGN_VERIFY" || p["PendingWindowInDays"] != float64(30) {
					t.Errorf("%s: got %s, want an ECC_NIST_P256 SIGN_VERIFY key", id, toJSON(p))
				}
			}
			arn := func(id string) any { return map[string]any{"Fn::GetAtt": []any{id, "Arn"}} }
			var all []any
			for _, id := range want {
				all = append(all, arn(id))
			}
			for fn, wantSign := range map[string]bool{"TokenIssueFunction": true, "TokenKeysFunction": false} {
				actions, res := roleActions(t, s, fn)
				if got := slices.Contains(actions, "kms:Sign"); got != wantSign {
					t.Errorf("%s may sign: got %v, want %v", fn, got, wantSign)
				}
				if wantSign && !reflect.DeepEqual(res["kms:Sign"], []any{arn(want[0])}) {
					t.Errorf("%s signs with %s, want only %s", fn, toJSON(res["kms:Sign"]), want[0])
				}
				if !sameSet(res["kms:GetPublicKey"], all) {
					t.Errorf("%s reads %s, want %s", fn, toJSON(res["kms:GetPublicKey"]), toJSON(all))
				}
				env := dig(props(s.resources[fn]), "Environment", "Variables")
				wantEnv := toJSON(map[string]any{"Fn::Join": []any{",", all}})
				if len(all) == 1 {
					wantEnv = toJSON(all[0])
				}
				if got := toJSON(dig(env, "TOKEN_KMS_KEYS")); got != wantEnv {
					t.Errorf("%s TOKEN_KMS_KEYS: got %s, want %s (the signing key first)", fn, got, wantEnv)
				}
			}
			for _, fn := range []string{"MemberGetFunction", "MailSenderFunction", "AuthLoginFunction"} {
				if actions, _ := roleActions(t, s, fn); slices.ContainsFunc(actions, func(a string) bool { return a[:4] == "kms:" }) {
					t.Errorf("%s may use KMS: %v", fn, actions)
				}
			}
			var wellKnown any
			for _, d := range s.ofType("AWS::CloudFront::Distribution") {
				for _, b := range dig(d, "Properties", "DistributionConfig", "CacheBehaviors").([]any) {
					if dig(b, "PathPattern") == "/.well-known/*" {
						wellKnown = b
					}
				}
			}
			if wellKnown == nil || dig(wellKnown, "CachePolicyId") == nil || !reflect.DeepEqual(dig(wellKnown, "AllowedMethods"), []any{"GET", "HEAD"}) {
				t.Errorf("/.well-known/* behaviour: got %s, want GET/HEAD to the API with the origin's caching", toJSON(wellKnown))
			}
		})
	}
}

// sameSet reports whether two lists hold the same elements, in any order.
func sameSet(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.ContainsFunc(b, func(y any) bool { return reflect.DeepEqual(x, y) }) {
			return false
		}
	}
	return true
}
