package domain

import "testing"

// FuzzNormalizeName: an accepted name passes CheckText, is trimmed NFC and
// normalizes to itself; nothing panics.
func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{"Ada", " Zoe\u0308 ", "\u202eevil", "a\u200bb", "王小明", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := NormalizeName(raw, "name", true)
		if err != nil {
			if AsError(err) == nil {
				t.Fatalf("a non-domain error: %v", err)
			}
			return
		}
		if err := CheckText(got, CodeInvalidName, "name"); err != nil {
			t.Fatalf("accepted %q as %q, which CheckText refuses: %v", raw, got, err)
		}
		if again, err := NormalizeName(got, "name", true); err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", raw, got, again, err)
		}
	})
}

// FuzzNormalizeEmail: an accepted address is lower-case, has an ASCII
// domain, passes CheckText and normalizes to itself; nothing panics.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"grace@example.com", "ANNA@BÜCHER.example", "\u202eevil@example.com", "a@b", "x@xn--bcher-kva.example", "\"q\"@example.com", "a@-.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := NormalizeEmail(raw)
		if err != nil {
			if e := AsError(err); e == nil || e.Code != "invalid_email" {
				t.Fatalf("refused with %v, want invalid_email", err)
			}
			return
		}
		if err := CheckText(got, CodeInvalidEmail, "email"); err != nil {
			t.Fatalf("accepted %q as %q, which CheckText refuses: %v", raw, got, err)
		}
		if again, err := NormalizeEmail(got); err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", raw, got, again, err)
		}
	})
}
