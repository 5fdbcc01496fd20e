package auth

import (
	"fmt"
	"strings"
	"testing"
)

func TestDummyHashMatchesDefaults(t *testing.T) {
	want := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", DefaultArgon2.MemoryKiB, DefaultArgon2.Time, DefaultArgon2.Threads)
	if !strings.HasPrefix(dummyHash, want) {
		t.Errorf("dummyHash: got %.40s..., want parameters %s (regenerate it with HashPassword)", dummyHash, want)
	}
	if ok, err := VerifyPassword("roster-dummy-password-for-timing", dummyHash); err != nil || !ok {
		t.Errorf("dummyHash does not verify: %v %v", ok, err)
	}
}
