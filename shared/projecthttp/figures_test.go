package projecthttp

import (
	"context"
	"fmt"
	"os"
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/members"
	"roster/shared/projects"
	"roster/shared/store"
	"roster/shared/telemetry"
)

// TestFigures prints the DynamoDB calls and capacity of the project
// requests on an account with 1,000 projects and a project with 10,000
// members, the transfer of a member owning 20 projects, and items read
// against items returned. It seeds for a minute or two, so it runs only with
// ROSTER_FIGURES=1:
//
//	ROSTER_FIGURES=1 go test -run TestFigures -v ./shared/projecthttp
func TestFigures(t *testing.T) {
	if os.Getenv("ROSTER_FIGURES") != "1" {
		t.Skip("set ROSTER_FIGURES=1 to take the figures")
	}
	f := fixture.NewAccount(t)
	ctx := t.Context()
	svc := projects.NewService(f.Store)
	owner := f.MustActor(t, f.Owner.Cookie)
	measure := func(name string, returned int, fn func(context.Context) int) {
		t.Helper()
		c, rec := telemetry.WithRecorder(ctx)
		n := fn(c)
		if returned < 0 {
			returned = n
		}
		s := rec.Summary()
		t.Logf("%-44s calls %2d  RCU %6.1f  WCU %6.1f  returned %5d  ops %v", name, s.Calls, s.RCU, s.WCU, returned, s.ByOp)
	}

	// 1,000 projects, created through the service.
	var first projects.View
	for i := range 1000 {
		p, err := svc.Create(ctx, owner, f.Account.ID, projects.Creation{Name: fmt.Sprintf("Project %04d", i), OwnerID: f.Owner.User.ID})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = p
		}
	}
	page := projects.Page{}
	measure("list, first page of 1,000 projects", -1, func(c context.Context) int {
		var err error
		if page, err = svc.List(c, owner, f.Account.ID, "", ""); err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	})
	measure("list, second page", -1, func(c context.Context) int {
		p2, err := svc.List(c, owner, f.Account.ID, "", page.Next)
		if err != nil {
			t.Fatal(err)
		}
		return len(p2.Items)
	})
	measure("search \"project 09\"", -1, func(c context.Context) int {
		p, err := svc.List(c, owner, f.Account.ID, "project 09", "")
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	})
	measure("the owner's projects (a page of 1,000)", -1, func(c context.Context) int {
		p, err := svc.MemberProjects(c, owner, f.Account.ID, f.Owner.User.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	})

	// A project with 10,000 members.
	var ms []domain.Membership
	var ids []string
	for i := range 10000 {
		id := store.NewID()
		ms = append(ms, domain.Membership{AccountID: f.Account.ID, UserID: id, Email: fmt.Sprintf("m%05d@example.com", i), FirstName: "Member", LastName: fmt.Sprintf("%05d", i),
			Role: domain.RoleMember, Status: domain.StatusActive})
		ids = append(ids, id)
	}
	if err := f.Store.SeedMembers(ctx, ms); err != nil {
		t.Fatal(err)
	}
	p, err := f.Store.GetProject(ctx, f.Account.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Store.SeedProjectMembers(ctx, p, ids); err != nil {
		t.Fatal(err)
	}
	measure("members of a 10,000-member project, page 1", -1, func(c context.Context) int {
		mp, err := svc.Members(c, owner, f.Account.ID, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		return len(mp.Items)
	})
	extra := f.Add(t, "Extra", "Member", domain.RoleMember)
	measure("add a member to it", 0, func(c context.Context) int {
		if _, err := svc.AddMember(c, owner, f.Account.ID, p.ID, extra.User.ID); err != nil {
			t.Fatal(err)
		}
		return 0
	})
	measure("remove that member", 0, func(c context.Context) int {
		if err := svc.RemoveMember(c, owner, f.Account.ID, p.ID, extra.User.ID); err != nil {
			t.Fatal(err)
		}
		return 0
	})

	// Transfer of a member who owns 20 projects.
	mover := f.Add(t, "Mover", "Owner", domain.RoleMember, "projects.view")
	for i := range 20 {
		if _, err := svc.Create(ctx, owner, f.Account.ID, projects.Creation{Name: fmt.Sprintf("Mover %02d", i), OwnerID: mover.User.ID}); err != nil {
			t.Fatal(err)
		}
	}
	dst := f.AccountOf(t, f.Owner.User, "Destination")
	ownerThere, _, err := f.Auth.Member(ctx, fixture.Bare("GET", f.Owner.Cookie, nil), dst.ID)
	if err != nil {
		t.Fatal(err)
	}
	ps := fixture.Permissions("projects.view")
	measure("transfer a member owning 20 projects", 0, func(c context.Context) int {
		if _, err := f.Service.Transfer(c, owner, ownerThere, f.Account.ID, mover.User.ID,
			members.TransferInput{Version: f.Membership(t, mover.User.ID).Version, ToAccountID: dst.ID, Role: "member", Permissions: &ps}); err != nil {
			t.Fatal(err)
		}
		return 0
	})
}
