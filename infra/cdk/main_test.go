package main

import (
	"testing"
)

func TestEnv(t *testing.T) {
	tests := []struct {
		name, account, region string
		wantNil               bool
		wantAccount           string
		wantRegion            string
	}{
		{name: "agnostic", wantNil: true},
		{name: "both", account: "123456789012", region: "eu-west-1", wantAccount: "123456789012", wantRegion: "eu-west-1"},
		{name: "region only", region: "eu-west-1", wantRegion: "eu-west-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CDK_DEFAULT_ACCOUNT", tt.account)
			t.Setenv("CDK_DEFAULT_REGION", tt.region)
			e := env()
			if got := e == nil; got != tt.wantNil {
				t.Fatalf("got nil environment %v, want %v", got, tt.wantNil)
			}
			if e == nil {
				return
			}
			str := func(p *string) string {
				if p == nil {
					return ""
				}
				return *p
			}
			if got := str(e.Account); got != tt.wantAccount {
				t.Errorf("got account %q, want %q", got, tt.wantAccount)
			}
			if got := str(e.Region); got != tt.wantRegion {
				t.Errorf("got region %q, want %q", got, tt.wantRegion)
			}
		})
	}
}

func TestStackName(t *testing.T) {
	for _, tt := range []struct{ stage, given, want string }{
		{"", "", "Roster"}, {"staging", "", "Roster-staging"}, {"staging", "Mine", "Mine"},
	} {
		if got := stackName(tt.stage, tt.given); got != tt.want {
			t.Errorf("stackName(%q, %q): got %q, want %q", tt.stage, tt.given, got, tt.want)
		}
	}
}
