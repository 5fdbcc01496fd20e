package projecthttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/members"
	"roster/shared/projects"
)

// env is an account with an owner, a project manager, a viewer, a member
// without project permissions and a deactivated member, and the handlers.
type env struct {
	*fixture.AccountEnv
	manager, viewer, plain, inactive fixture.Person
	h                                map[string]api.HandlerFunc
}

func newEnv(t *testing.T) *env {
	t.Helper()
	f := fixture.NewAccount(t)
	e := &env{AccountEnv: f}
	e.manager = f.Add(t, "Pat", "Manager", domain.RoleAdmin, "users.view", "projects.view", "projects.manage")
	e.viewer = f.Add(t, "Vic", "Viewer", domain.RoleMember, "projects.view")
	e.plain = f.Add(t, "Nia", "Plain", domain.RoleMember)
	e.inactive = f.Add(t, "Ike", "Inactive", domain.RoleMember, "projects.view")
	in := f.AddMember(t, f.Account, e.inactive.User, domain.RoleMember, domain.StatusDeactivated, "projects.view")
	e.inactive.Member = in
	svc := projects.NewService(f.Store)
	e.h = map[string]api.HandlerFunc{
		"projects-list": newList(f.Auth, svc), "projects-create": newCreate(f.Auth, svc), "project-get": newGet(f.Auth, svc),
		"project-update": newUpdate(f.Auth, svc), "project-delete": newDelete(f.Auth, svc), "project-members": newMembers(f.Auth, svc),
		"project-member-add": newAddMember(f.Auth, svc), "project-member-remove": newRemoveMember(f.Auth, svc),
		"member-projects": newMemberProjects(f.Auth, svc),
	}
	return e
}

// call runs a function's handler through api.Wrap on its sample event with
// the cookie, body, path parameters (name, value pairs after the account)
// and query string.
func (e *env) call(t *testing.T, fn, cookie string, body any, query map[string]string, params ...string) (int, string) {
	t.Helper()
	req := fixture.Request(t, fn+".json", body, cookie, append([]string{"accountId", e.Account.ID}, params...)...)
	if body == nil {
		req.Body = ""
	}
	req.QueryStringParameters = query
	return fixture.Wrapped(t, fn, e.h[fn], req)
}

func (e *env) create(t *testing.T, name, ownerID string) projects.View {
	t.Helper()
	status, body := e.call(t, "projects-create", e.manager.Cookie, map[string]string{"name": name, "ownerId": ownerID}, nil)
	if status != 201 {
		t.Fatalf("create %s: got %d %s", name, status, body)
	}
	var p projects.View
	decode(t, body, &p)
	return p
}

func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
}

// items counts the account's items: its partition, its history, and every
// project's partition named.
func (e *env) items(t *testing.T, projectIDs ...string) string {
	t.Helper()
	c := e.Counts(t)
	out := fmt.Sprintf("account %d history %d", c.Account, c.History)
	for _, id := range projectIDs {
		out += fmt.Sprintf(" project %d", e.Count(t, "PROJECT#"+id))
	}
	return out
}

func TestCreateAndRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := fixture.NewAccount(t) // another account's member
	e.create(t, "Engine", e.manager.User.ID)
	before := e.items(t)

	tests := []struct {
		name, cookie string
		body         any
		status       int
		code         string
	}{
		{"without projects.manage", e.viewer.Cookie, map[string]string{"name": "X", "ownerId": e.viewer.User.ID}, 403, "missing_permission"},
		{"without any project permission", e.plain.Cookie, map[string]string{"name": "X", "ownerId": e.plain.User.ID}, 403, "missing_permission"},
		{"deactivated actor", e.inactive.Cookie, map[string]string{"name": "X", "ownerId": e.viewer.User.ID}, 403, "member_deactivated"},
		{"empty name", e.manager.Cookie, map[string]string{"name": "  ", "ownerId": e.viewer.User.ID}, 400, "invalid_name"},
		{"long name", e.manager.Cookie, map[string]string{"name": strings.Repeat("n", 101), "ownerId": e.viewer.User.ID}, 400, "invalid_name"},
		{"control character", e.manager.Cookie, map[string]string{"name": "a\u0007b", "ownerId": e.viewer.User.ID}, 400, "invalid_name"},
		{"no owner", e.manager.Cookie, map[string]string{"name": "X"}, 400, "invalid_owner"},
		{"unknown owner", e.manager.Cookie, map[string]string{"name": "X", "ownerId": "nobody"}, 400, "invalid_owner"},
		{"deactivated owner", e.manager.Cookie, map[string]string{"name": "X", "ownerId": e.inactive.User.ID}, 400, "invalid_owner"},
		{"another account's member", e.manager.Cookie, map[string]string{"name": "X", "ownerId": other.Owner.User.ID}, 400, "invalid_owner"},
		{"malformed body", e.manager.Cookie, "{", 400, "invalid_json"},
		{"unknown field", e.manager.Cookie, map[string]string{"name": "X", "ownerId": e.viewer.User.ID, "owner": "x"}, 400, "unknown_field"},
		{"no session", "", map[string]string{"name": "X", "ownerId": e.viewer.User.ID}, 401, "unauthenticated"},
		{"a taken name, in another case", e.manager.Cookie, map[string]string{"name": "ENGINE", "ownerId": e.viewer.User.ID}, 409, "project_name_taken"},
	}
	for _, tt := range tests {
		status, body := e.call(t, "projects-create", tt.cookie, tt.body, nil)
		if got := fixture.CodeOf(body); status != tt.status || got != tt.code {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	if got := e.items(t); got != before {
		t.Errorf("refusals wrote: items %s, want %s", got, before)
	}

	p := e.create(t, " Analytical Engine ", e.viewer.User.ID)
	// A rename onto a taken name is refused; onto its own name in another case is not.
	if status, body := e.call(t, "project-update", e.manager.Cookie, map[string]any{"version": 1, "name": "engine"}, nil, "projectId", p.ID); status != 409 || fixture.CodeOf(body) != "project_name_taken" {
		t.Errorf("rename onto a taken name: got %d %s", status, body)
	}
	if status, body := e.call(t, "project-update", e.manager.Cookie, map[string]any{"version": 1, "name": "analytical engine"}, nil, "projectId", p.ID); status != 200 {
		t.Errorf("rename in another case: got %d %s", status, body)
	}
	if p.Name != "Analytical Engine" || p.OwnerID != e.viewer.User.ID || p.OwnerName != "Vic Viewer" || p.MemberCount != 1 {
		t.Errorf("created: got %+v", p)
	}
	if got := e.Membership(t, e.viewer.User.ID).ProjectCount; got != 1 {
		t.Errorf("owner's projectCount: got %d, want 1", got)
	}
	created := 0
	for _, ev := range e.Events(t) {
		if ev.Action == domain.ActionProjectCreated && ev.Target.ID == p.ID {
			created++
		}
	}
	if created != 1 {
		t.Errorf("project.created events of the project: got %d, want 1", created)
	}
}

func TestReadsNeedViewAndStayInTheAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.create(t, "Engine", e.manager.User.ID)
	other := fixture.NewAccount(t)
	tests := []struct {
		name, fn, cookie string
		params           []string
		status           int
		code             string
	}{
		{"list by a viewer", "projects-list", e.viewer.Cookie, nil, 200, ""},
		{"list without projects.view", "projects-list", e.plain.Cookie, nil, 403, "missing_permission"},
		{"get", "project-get", e.viewer.Cookie, []string{"projectId", p.ID}, 200, ""},
		{"get unknown", "project-get", e.viewer.Cookie, []string{"projectId", "nope"}, 404, "project_not_found"},
		{"get without projects.view", "project-get", e.plain.Cookie, []string{"projectId", p.ID}, 403, "missing_permission"},
		{"members", "project-members", e.viewer.Cookie, []string{"projectId", p.ID}, 200, ""},
		{"own projects without projects.view", "member-projects", e.plain.Cookie, []string{"userId", e.plain.User.ID}, 200, ""},
		{"another's projects without projects.view", "member-projects", e.plain.Cookie, []string{"userId", e.viewer.User.ID}, 403, "missing_permission"},
		{"projects of a non-member", "member-projects", e.viewer.Cookie, []string{"userId", other.Owner.User.ID}, 404, "member_not_found"},
	}
	for _, tt := range tests {
		status, body := e.call(t, tt.fn, tt.cookie, nil, nil, tt.params...)
		if got := fixture.CodeOf(body); status != tt.status || got != tt.code {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	// Another account's owner sees nothing of this account's projects: its
	// project id is unknown there, and this account is not theirs.
	req := fixture.Request(t, "project-get.json", nil, other.Owner.Cookie, "accountId", other.Account.ID, "projectId", p.ID)
	svc := projects.NewService(other.Store)
	if status, body := fixture.Wrapped(t, "project-get", newGet(other.Auth, svc), req); status != 404 || fixture.CodeOf(body) != "project_not_found" {
		t.Errorf("another account's project: got %d %s, want 404 project_not_found", status, body)
	}
	_, stranger := e.SignedUser(t, true) // a login of this table, no member of the account
	if status, body := e.call(t, "project-get", stranger, nil, nil, "projectId", p.ID); status != 404 || fixture.CodeOf(body) != "account_not_found" {
		t.Errorf("a stranger on this account: got %d %s, want 404 account_not_found", status, body)
	}
}

func TestListPagingAndSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 55 {
		e.create(t, fmt.Sprintf("Project %02d", i), e.manager.User.ID)
	}
	e.create(t, "Ångström lab", e.manager.User.ID)
	var seen []string
	cursor := ""
	for range 3 {
		q := map[string]string{}
		if cursor != "" {
			q["cursor"] = cursor
		}
		status, body := e.call(t, "projects-list", e.viewer.Cookie, nil, q)
		if status != 200 {
			t.Fatalf("list: got %d %s", status, body)
		}
		var page projects.Page
		decode(t, body, &page)
		for _, p := range page.Items {
			seen = append(seen, p.Name)
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	if len(seen) != 56 || seen[0] != "Ångström lab" || seen[1] != "Project 00" || seen[55] != "Project 54" {
		t.Errorf("pages: got %d names %q…", len(seen), seen[:3])
	}
	status, body := e.call(t, "projects-list", e.viewer.Cookie, nil, map[string]string{"q": "angs"})
	var found projects.Page
	decode(t, body, &found)
	if status != 200 || len(found.Items) != 1 || found.Items[0].Name != "Ångström lab" || found.Items[0].OwnerName != "Pat Manager" {
		t.Errorf("search: got %d %s", status, body)
	}
	// A cursor of another search is refused.
	status, body = e.call(t, "projects-list", e.viewer.Cookie, nil, map[string]string{"q": "angs"})
	_, body2 := e.call(t, "projects-list", e.viewer.Cookie, nil, nil)
	var first projects.Page
	decode(t, body2, &first)
	status, body = e.call(t, "projects-list", e.viewer.Cookie, nil, map[string]string{"q": "proj", "cursor": first.Next})
	if status != 400 || fixture.CodeOf(body) != "invalid_cursor" {
		t.Errorf("foreign cursor: got %d %s", status, body)
	}
}

func TestAssignments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.create(t, "Engine", e.manager.User.ID)
	add := func(cookie, userID string) (int, string) {
		return e.call(t, "project-member-add", cookie, nil, nil, "projectId", p.ID, "userId", userID)
	}
	remove := func(cookie, userID string) (int, string) {
		return e.call(t, "project-member-remove", cookie, nil, nil, "projectId", p.ID, "userId", userID)
	}
	before := e.items(t, p.ID)
	for _, tt := range []struct {
		name   string
		do     func() (int, string)
		status int
		code   string
	}{
		{"add without projects.manage", func() (int, string) { return add(e.viewer.Cookie, e.plain.User.ID) }, 403, "missing_permission"},
		{"add a deactivated member", func() (int, string) { return add(e.manager.Cookie, e.inactive.User.ID) }, 403, "member_not_active"},
		{"add a stranger", func() (int, string) { return add(e.manager.Cookie, "nobody") }, 404, "member_not_found"},
		{"add to an unknown project", func() (int, string) {
			return e.call(t, "project-member-add", e.manager.Cookie, nil, nil, "projectId", "nope", "userId", e.plain.User.ID)
		}, 404, "project_not_found"},
		{"remove the owner", func() (int, string) { return remove(e.manager.Cookie, e.manager.User.ID) }, 409, "project_owner"},
		{"remove without projects.manage", func() (int, string) { return remove(e.viewer.Cookie, e.manager.User.ID) }, 403, "missing_permission"},
	} {
		status, body := tt.do()
		if got := fixture.CodeOf(body); status != tt.status || got != tt.code {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	if got := e.items(t, p.ID); got != before {
		t.Errorf("refusals wrote: items %s, want %s", got, before)
	}

	for i := range 2 { // the second PUT is no change, and no error
		if status, body := add(e.manager.Cookie, e.plain.User.ID); status != 200 {
			t.Fatalf("add %d: got %d %s", i, status, body)
		}
	}
	if got := e.Membership(t, e.plain.User.ID).ProjectCount; got != 1 {
		t.Errorf("projectCount after adding twice: got %d, want 1", got)
	}
	status, body := e.call(t, "project-get", e.viewer.Cookie, nil, nil, "projectId", p.ID)
	var got projects.View
	decode(t, body, &got)
	if status != 200 || got.MemberCount != 2 {
		t.Errorf("project after adding: got %d %s", status, body)
	}
	_, body = e.call(t, "member-projects", e.plain.Cookie, nil, nil, "userId", e.plain.User.ID)
	var mine projects.AssignmentPage
	decode(t, body, &mine)
	if len(mine.Items) != 1 || mine.Items[0].ID != p.ID || mine.Items[0].Owner {
		t.Errorf("member's projects: got %s", body)
	}
	_, body = e.call(t, "member-projects", e.manager.Cookie, nil, nil, "userId", e.manager.User.ID)
	decode(t, body, &mine)
	if len(mine.Items) != 1 || !mine.Items[0].Owner {
		t.Errorf("owner's projects: got %s", body)
	}
	_, body = e.call(t, "project-members", e.viewer.Cookie, nil, nil, "projectId", p.ID)
	var members projects.MemberPage
	decode(t, body, &members)
	if len(members.Items) != 2 {
		t.Errorf("project members: got %s", body)
	}

	for i := range 2 { // removing again is no change, and no error
		if status, body := remove(e.manager.Cookie, e.plain.User.ID); status != 204 {
			t.Fatalf("remove %d: got %d %s", i, status, body)
		}
	}
	if got := e.Membership(t, e.plain.User.ID).ProjectCount; got != 0 {
		t.Errorf("projectCount after removing: got %d, want 0", got)
	}
	var actions []string
	for _, ev := range e.Events(t) {
		if strings.HasPrefix(ev.Action, "project.") {
			actions = append(actions, ev.Action)
		}
	}
	if want := "project.created project.member_added project.member_removed"; strings.Join(actions, " ") != want {
		t.Errorf("events: got %v, want %s", actions, want)
	}
}

func TestUpdateAndDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.create(t, "Engine", e.manager.User.ID)
	patch := func(body any) (int, string) {
		return e.call(t, "project-update", e.manager.Cookie, body, nil, "projectId", p.ID)
	}
	for _, tt := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"no version", map[string]any{"name": "X"}, 400, "missing_version"},
		{"stale version", map[string]any{"version": 7, "name": "X"}, 409, "stale_version"},
		{"empty name", map[string]any{"version": 1, "name": ""}, 400, "invalid_name"},
		{"deactivated owner", map[string]any{"version": 1, "ownerId": e.inactive.User.ID}, 400, "invalid_owner"},
	} {
		status, body := patch(tt.body)
		if got := fixture.CodeOf(body); status != tt.status || got != tt.code {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	status, body := patch(map[string]any{"version": 1, "name": "Difference Engine", "ownerId": e.viewer.User.ID})
	var got projects.View
	decode(t, body, &got)
	if status != 200 || got.Name != "Difference Engine" || got.OwnerID != e.viewer.User.ID || got.MemberCount != 2 || got.Version != 2 {
		t.Fatalf("rename and new owner: got %d %s", status, body)
	}
	if c := e.Membership(t, e.viewer.User.ID).ProjectCount; c != 1 {
		t.Errorf("new owner's projectCount: got %d, want 1", c)
	}

	// Concurrent renames from version 2: exactly one wins.
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = patch(map[string]any{"version": 2, "name": fmt.Sprintf("Engine %d", i)})
		}()
	}
	wg.Wait()
	wins := 0
	for _, c := range codes {
		switch c {
		case 200:
			wins++
		case 409:
		default:
			t.Errorf("concurrent rename: got %d", c)
		}
	}
	if wins != 1 {
		t.Errorf("concurrent renames: %d won, want 1 (%v)", wins, codes)
	}

	del := func(version string) (int, string) {
		return e.call(t, "project-delete", e.manager.Cookie, nil, map[string]string{"version": version}, "projectId", p.ID)
	}
	if status, body := del("2"); status != 409 || fixture.CodeOf(body) != "stale_version" {
		t.Errorf("stale delete: got %d %s", status, body)
	}
	if status, body := del("3"); status != 204 {
		t.Fatalf("delete: got %d %s", status, body)
	}
	for _, u := range []fixture.Person{e.manager, e.viewer} {
		if c := e.Membership(t, u.User.ID).ProjectCount; c != 0 {
			t.Errorf("%s's projectCount after delete: got %d, want 0", u.User.FirstName, c)
		}
	}
	if n := e.Count(t, "PROJECT#"+p.ID); n != 0 {
		t.Errorf("assignments left: %d", n)
	}
	evs := e.Events(t)
	last := evs[len(evs)-1]
	if last.Action != domain.ActionProjectDeleted || !strings.Contains(fmt.Sprint(last.Before), "Vic Viewer") {
		t.Errorf("delete event: got %+v", last)
	}
	if status, body := del("3"); status != 404 || fixture.CodeOf(body) != "project_not_found" {
		t.Errorf("delete again: got %d %s", status, body)
	}
}

func TestMemberWhoOwnsProjects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	owner := e.MustActor(t, e.Owner.Cookie)
	p1 := e.create(t, "Owned by Vic", e.viewer.User.ID)
	p2 := e.create(t, "Vic assigned", e.manager.User.ID)
	if status, body := e.call(t, "project-member-add", e.manager.Cookie, nil, nil, "projectId", p2.ID, "userId", e.viewer.User.ID); status != 200 {
		t.Fatalf("assign: %d %s", status, body)
	}
	project := func(id string) projects.View {
		t.Helper()
		_, body := e.call(t, "project-get", e.manager.Cookie, nil, nil, "projectId", id)
		var v projects.View
		decode(t, body, &v)
		return v
	}
	version := func(p fixture.Person) int64 { return e.Membership(t, p.User.ID).Version }
	before := e.items(t, p1.ID, p2.ID)

	_, err := e.Service.SetStatus(ctx, owner, e.Account.ID, e.viewer.User.ID, version(e.viewer), false, "")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "owns_projects" || !strings.Contains(fmt.Sprint(de.Current), p1.ID) {
		t.Fatalf("deactivate an owner of projects: got %v (%+v), want owns_projects naming %s", err, de, p1.ID)
	}
	for _, to := range []string{e.inactive.User.ID, e.viewer.User.ID, "nobody"} {
		_, err := e.Service.SetStatus(ctx, owner, e.Account.ID, e.viewer.User.ID, version(e.viewer), false, to)
		if !errors.As(err, &de) || de.Code != "invalid_owner" {
			t.Errorf("projectsTo %s: got %v, want invalid_owner", to, err)
		}
	}
	if got := e.items(t, p1.ID, p2.ID); got != before {
		t.Errorf("refusals wrote: items %s, want %s", got, before)
	}

	if _, err := e.Service.SetStatus(ctx, owner, e.Account.ID, e.viewer.User.ID, version(e.viewer), false, e.plain.User.ID); err != nil {
		t.Fatalf("deactivate with projectsTo: %v", err)
	}
	if got := project(p1.ID); got.OwnerID != e.plain.User.ID || got.MemberCount != 2 {
		t.Errorf("handed over project: got %+v, want owned by Nia with 2 members", got)
	}
	if got := e.Membership(t, e.plain.User.ID).ProjectCount; got != 1 {
		t.Errorf("new owner's projectCount: got %d, want 1", got)
	}

	// Removal ends every assignment; the removed member owns nothing now.
	if _, err := e.Service.SetStatus(ctx, owner, e.Account.ID, e.viewer.User.ID, version(e.viewer), true, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.Service.Remove(ctx, owner, e.Account.ID, e.viewer.User.ID, version(e.viewer), ""); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if a, b := project(p1.ID), project(p2.ID); a.MemberCount != 1 || b.MemberCount != 1 {
		t.Errorf("after removal: members %d and %d, want 1 and 1", a.MemberCount, b.MemberCount)
	}
	if n := e.CountGSI1(t, "ACCOUNT#"+e.Account.ID+"#MEMBER#"+e.viewer.User.ID+"#PROJECTS"); n != 0 {
		t.Errorf("assignments left: %d", n)
	}
	var actions []string
	for _, ev := range e.Events(t) {
		if strings.HasPrefix(ev.Action, "project.") {
			actions = append(actions, ev.Action)
		}
	}
	// Events of one transaction share their time: compare them as a set.
	slices.Sort(actions)
	want := "project.created project.created project.member_added project.member_added project.member_removed project.member_removed project.owner_changed"
	if strings.Join(actions, " ") != want {
		t.Errorf("events: got %v, want %s", actions, want)
	}

	// The manager owns p2: removing them needs projectsTo too.
	err = e.Service.Remove(ctx, owner, e.Account.ID, e.manager.User.ID, version(e.manager), "")
	if !errors.As(err, &de) || de.Code != "owns_projects" {
		t.Errorf("remove an owner of projects: got %v, want owns_projects", err)
	}
}

func TestTransfer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	dst := e.AccountOf(t, e.Owner.User, "Difference Engines") // Olive owns both accounts
	admin := e.Add(t, "Ada", "Admin", domain.RoleAdmin, "users.view", "users.manage", "projects.view")
	e.AddMember(t, dst, admin.User, domain.RoleAdmin, domain.StatusActive, "users.view", "users.manage")
	owner := e.MustActor(t, e.Owner.Cookie)
	ownerThere, _, err := e.Auth.Member(ctx, fixture.Bare("GET", e.Owner.Cookie, nil), dst.ID)
	if err != nil {
		t.Fatal(err)
	}
	adminThere, _, err := e.Auth.Member(ctx, fixture.Bare("GET", admin.Cookie, nil), dst.ID)
	if err != nil {
		t.Fatal(err)
	}
	p1 := e.create(t, "Moves with Vic", e.viewer.User.ID)
	p2 := e.create(t, "Vic leaves it", e.manager.User.ID)
	for _, a := range []struct{ p, u string }{{p1.ID, e.plain.User.ID}, {p2.ID, e.viewer.User.ID}} {
		if status, body := e.call(t, "project-member-add", e.manager.Cookie, nil, nil, "projectId", a.p, "userId", a.u); status != 200 {
			t.Fatalf("assign: %d %s", status, body)
		}
	}
	version := func(p fixture.Person) int64 { return e.Membership(t, p.User.ID).Version }
	in := func(v int64, to string, perms ...string) members.TransferInput {
		ps := fixture.Permissions(perms...)
		return members.TransferInput{Version: v, ToAccountID: to, Role: "member", Permissions: &ps}
	}
	items := func() string {
		a, h := e.Items(t, dst.ID)
		return e.items(t, p1.ID, p2.ID) + fmt.Sprintf(" dst %d %d", a, h)
	}
	before := items()
	for _, tt := range []struct {
		name       string
		actor, dst domain.Actor
		user       string
		in         members.TransferInput
		code       string
	}{
		{"same account", owner, owner, e.viewer.User.ID, in(version(e.viewer), e.Account.ID, "projects.view"), "same_account"},
		{"the owner", owner, ownerThere, e.Owner.User.ID, in(version(e.Owner), dst.ID, "projects.view"), "owner_protected"},
		{"stale version", owner, ownerThere, e.viewer.User.ID, in(9, dst.ID, "projects.view"), "stale_version"},
		{"no permissions", owner, ownerThere, e.viewer.User.ID, members.TransferInput{Version: version(e.viewer), ToAccountID: dst.ID, Role: "member"}, "missing_permissions"},
		{"beyond the actor's grants there", e.MustActor(t, admin.Cookie), adminThere, e.viewer.User.ID, in(version(e.viewer), dst.ID, "projects.view"), "grant_exceeds_actor"},
		{"an unknown member", owner, ownerThere, "nobody", in(1, dst.ID, "projects.view"), "member_not_found"},
	} {
		_, err := e.Service.Transfer(ctx, tt.actor, tt.dst, e.Account.ID, tt.user, tt.in)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != tt.code {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.code)
		}
	}
	if got := items(); got != before {
		t.Errorf("refusals wrote: items %s, want %s", got, before)
	}

	got, err := e.Service.Transfer(ctx, owner, ownerThere, e.Account.ID, e.viewer.User.ID, in(version(e.viewer), dst.ID, "projects.view"))
	if err != nil {
		t.Fatalf("transfer: %v", err)
	}
	if got.Status != domain.StatusActive || got.Role != domain.RoleMember || got.ProjectCount != 1 || got.Version != 1 {
		t.Errorf("new membership: got %+v", got)
	}
	if _, err := e.Store.GetMembership(ctx, e.Account.ID, e.viewer.User.ID); err == nil {
		t.Errorf("still a member of the source")
	}
	if _, err := e.Store.GetProject(ctx, e.Account.ID, p1.ID); err == nil {
		t.Errorf("the owned project is still in the source")
	}
	if moved, err := e.Store.GetProject(ctx, dst.ID, p1.ID); err != nil || moved.OwnerID != e.viewer.User.ID || moved.MemberCount != 1 {
		t.Errorf("moved project: got %+v, %v", moved, err)
	}
	if n := e.Membership(t, e.plain.User.ID).ProjectCount; n != 0 {
		t.Errorf("ended assignment: Nia's projectCount %d, want 0", n)
	}
	if left, _ := e.Store.GetProject(ctx, e.Account.ID, p2.ID); left.MemberCount != 1 {
		t.Errorf("left project: memberCount %d, want 1", left.MemberCount)
	}
	var out []string
	for _, ev := range e.Events(t) {
		if strings.HasPrefix(ev.Action, "member.transferred") {
			out = append(out, ev.Action+" "+fmt.Sprint(ev.After))
		}
	}
	if len(out) != 1 || !strings.Contains(out[0], "member.transferred_out") || !strings.Contains(out[0], "Nia Plain (Moves with Vic)") {
		t.Errorf("source history: got %v", out)
	}
	if _, h := e.Items(t, dst.ID); h != 2 { // account.created, member.transferred_in
		t.Errorf("destination history: %d events, want 2", h)
	}

	// Someone who is a member of the destination already.
	e.AddMember(t, dst, e.plain.User, domain.RoleMember, domain.StatusActive)
	_, err = e.Service.Transfer(ctx, owner, ownerThere, e.Account.ID, e.plain.User.ID, in(version(e.plain), dst.ID, "projects.view"))
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "already_member" {
		t.Errorf("already a member there: got %v", err)
	}
}

// TestTransferAgainstEdit races a transfer with an edit of the same
// member version: exactly one wins.
func TestTransferAgainstEdit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	dst := e.AccountOf(t, e.Owner.User, "Elsewhere")
	owner := e.MustActor(t, e.Owner.Cookie)
	ownerThere, _, err := e.Auth.Member(ctx, fixture.Bare("GET", e.Owner.Cookie, nil), dst.ID)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		target := e.Add(t, "Race", "Target", domain.RoleMember, "projects.view")
		v := target.Member.Version
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			ps := fixture.Permissions("projects.view")
			_, errs[0] = e.Service.Transfer(ctx, owner, ownerThere, e.Account.ID, target.User.ID,
				members.TransferInput{Version: v, ToAccountID: dst.ID, Role: "member", Permissions: &ps})
		}()
		go func() {
			defer wg.Done()
			role := "admin"
			_, errs[1] = e.Service.Update(ctx, owner, e.Account.ID, target.User.ID, members.Edit{Version: v, Role: &role})
		}()
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Errorf("transfer %v, edit %v: want exactly one to win", errs[0], errs[1])
		}
	}
}

// TestTransferNameClash refuses a transfer that would bring a project into
// an account with one of the same name, writing nothing.
func TestTransferNameClash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	dst := e.AccountOf(t, e.Owner.User, "Elsewhere")
	ownerThere, _, err := e.Auth.Member(ctx, fixture.Bare("GET", e.Owner.Cookie, nil), dst.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.create(t, "Clash", e.viewer.User.ID)
	there := projects.NewService(e.Store)
	if _, err := there.Create(ctx, ownerThere, dst.ID, projects.Creation{Name: "clash", OwnerID: e.Owner.User.ID}); err != nil {
		t.Fatal(err)
	}
	before, _ := e.Items(t, dst.ID)
	ps := fixture.Permissions("projects.view")
	_, err = e.Service.Transfer(ctx, e.MustActor(t, e.Owner.Cookie), ownerThere, e.Account.ID, e.viewer.User.ID,
		members.TransferInput{Version: e.Membership(t, e.viewer.User.ID).Version, ToAccountID: dst.ID, Role: "member", Permissions: &ps})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "project_name_taken" {
		t.Fatalf("got %v, want project_name_taken", err)
	}
	if after, _ := e.Items(t, dst.ID); after != before {
		t.Errorf("destination items: %d, want %d", after, before)
	}
	if _, err := e.Store.GetMembership(ctx, e.Account.ID, e.viewer.User.ID); err != nil {
		t.Errorf("the member left the source: %v", err)
	}
}
