package auth

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"roster/shared/domain"
)

func TestPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	hash, err := HashPassword("correct horse battery staple", DefaultArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash: got %q, want argon2id with the default parameters", hash)
	}
	again, _ := HashPassword("correct horse battery staple", DefaultArgon2)
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery staplE", false},
		{"correct horse battery staple ", false},
		{"", false},
	}
	for _, tt := range tests {
		got, err := VerifyPassword(tt.password, hash)
		if err != nil || got != tt.want {
			t.Errorf("VerifyPassword(%q): got %v, %v, want %v", tt.password, got, err, tt.want)
		}
	}
	// Unicode is normalized (NFC) before hashing: é typed either way matches.
	h2, _ := HashPassword("caf\u00e9 au lait, s'il vous pla\u00eet", DefaultArgon2)
	if ok, _ := VerifyPassword("cafe\u0301 au lait, s'il vous pla\u00eet", h2); !ok {
		t.Error("NFD form of the password does not match its NFC hash")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AAAA$AAAA"} {
		if _, err := VerifyPassword("x", bad); err == nil {
			t.Errorf("VerifyPassword on %q: got no error, want one", bad)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		password, email string
		wantCode        string
	}{
		{"a long and unusual passphrase", "ada@example.com", ""},
		{"ünïcödé!", "", ""}, // 8 characters, more bytes
		{"1234567", "", "weak_password"},
		{strings.Repeat("x", MaxPasswordLength), "", ""},
		{strings.Repeat("x", MaxPasswordLength+1), "", "invalid_password"},
		{"password", "", "weak_password"},
		{"PassWord1", "", "weak_password"},
		{"qwertyuiop", "", "weak_password"},
		{"ada.lovelace", "ada.lovelace@example.com", "weak_password"},
		{"ADA.LOVELACE@example.com", "ada.lovelace@example.com", "weak_password"},
	}
	for _, tt := range tests {
		err := CheckPassword(tt.password, tt.email)
		got := ""
		if e := domain.AsError(err); e != nil {
			got = e.Code
			if e.Field != "password" {
				t.Errorf("CheckPassword(%q): field %q, want password", tt.password, e.Field)
			}
		}
		if got != tt.wantCode {
			t.Errorf("CheckPassword(%q): got %q, want %q", tt.password, got, tt.wantCode)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	token, hash := NewToken()
	if len(token) != 43 || hash != HashToken(token) || strings.Contains(hash, token) {
		t.Fatalf("NewToken: got %q %q", token, hash)
	}
	if other, _ := NewToken(); other == token {
		t.Fatal("two tokens are equal")
	}
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"fresh", token, true},
		{"empty", "", false},
		{"short", token[:42], false},
		{"long", token + "A", false},
		{"padded", token + "=", false},
		{"standard alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(token) + "+/", false},
		{"spaces", " " + token[1:], false},
	}
	for _, tt := range tests {
		got, err := ParseToken(tt.token)
		if (err == nil) != tt.ok || (tt.ok && got != hash) {
			t.Errorf("%s: got %q, %v, want ok=%v", tt.name, got, err, tt.ok)
		}
		if err != nil && domain.AsError(err).Code != "invalid_token" {
			t.Errorf("%s: got %v, want invalid_token", tt.name, err)
		}
	}
}

func TestTOTPAndRecoveryCodes(t *testing.T) {
	t.Parallel()
	secret, url, err := NewTOTP("ada@example.com")
	if err != nil || !strings.HasPrefix(url, "otpauth://totp/Roster:ada@example.com?") {
		t.Fatalf("NewTOTP: got %q, %v", url, err)
	}
	now := time.Now()
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"now", now, true},
		{"one step ago (clock skew)", now.Add(-30 * time.Second), true},
		{"two minutes ago", now.Add(-2 * time.Minute), false},
		{"two minutes ahead", now.Add(2 * time.Minute), false},
	}
	for _, tt := range tests {
		code, _ := totp.GenerateCode(secret, tt.at)
		if got := ValidTOTP(code, secret, now); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	code, _ := totp.GenerateCode(secret, now)
	if step, ok := MatchTOTP(code, secret, now); !ok || step != now.Unix()/30 {
		t.Errorf("MatchTOTP: got step %d %v, want %d", step, ok, now.Unix()/30)
	}
	if _, ok := MatchTOTP("12345", secret, now); ok {
		t.Error("MatchTOTP accepted 5 digits")
	}
	codes, hashes := NewRecoveryCodes(10)
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("got %d codes", len(codes))
	}
	for i, c := range codes {
		if !IsRecoveryCode(c) || MatchRecoveryCode(strings.ToUpper(strings.ReplaceAll(c, "-", " ")), hashes) != i {
			t.Errorf("code %q does not match its hash", c)
		}
	}
	if MatchRecoveryCode("123456", hashes) != -1 || IsRecoveryCode("123456") {
		t.Error("a TOTP code matched as a recovery code")
	}
}

// BenchmarkPassword measures one sign-in's password check with the default
// parameters; run with -cpu 1,2 for 256 MB and 1024 MB Lambda equivalents.
func BenchmarkPassword(b *testing.B) {
	hash, err := HashPassword("correct horse battery staple", DefaultArgon2)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("verify", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			if ok, _ := VerifyPassword("correct horse battery staple", hash); !ok {
				b.Fatal("no match")
			}
		}
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
	b.Run("burn", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			BurnPasswordCheck("an unknown user's guess")
		}
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
}

// cpuTime is the process's user and system CPU time so far: on a busy
// machine it shows the work of a hash better than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestLoginDelay(t *testing.T) {
	for _, tt := range []struct {
		fails int
		want  time.Duration
	}{
		{0, 0}, {1, 0}, {LoginFreeFailures - 1, 0},
		{LoginFreeFailures, 2 * time.Second}, {LoginFreeFailures + 1, 4 * time.Second}, {LoginFreeFailures + 2, 8 * time.Second},
		{LoginFreeFailures + 8, 512 * time.Second}, {LoginFreeFailures + 9, LoginMaxDelay}, {1000, LoginMaxDelay},
	} {
		if got := LoginDelay(tt.fails); got != tt.want {
			t.Errorf("LoginDelay(%d): got %v, want %v", tt.fails, got, tt.want)
		}
	}
}
