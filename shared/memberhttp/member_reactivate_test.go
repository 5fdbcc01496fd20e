package memberhttp

import (
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
)

func TestReactivate(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	h := newSetStatus(f.Auth, f.Service, true)
	target := f.Add(t, "Re", "Activated", domain.RoleAdmin, "users.view", "billing.view")
	if _, err := f.Service.SetStatus(t.Context(), f.MustActor(t, f.Owner.Cookie), f.Account.ID, target.User.ID, 1, false, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Actor(target.Cookie); err == nil {
		t.Fatal("deactivated member still has access")
	}
	status, body := fixture.Wrapped(t, "member-reactivate", h, f.Event(t, "member-reactivate.json", f.Owner.Cookie, target.User.ID, nil))
	if status != 200 {
		t.Fatalf("reactivate: got %d %s", status, body)
	}
	a, err := f.Actor(target.Cookie)
	if err != nil || a.Role != domain.RoleAdmin || !a.Can("billing.view") {
		t.Errorf("reactivated: got %+v, %v; want an admin with billing.view again", a, err)
	}
	if n := f.MemberHistory(t, target.User.ID); n != 2 {
		t.Errorf("events: got %d, want 2", n)
	}
}
