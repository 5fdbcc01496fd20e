package hostauth_test

import (
	"fmt"
	"net/http"

	"roster/shared/hostauth"
)

// A host product's billing service: every invoice request carries the
// member's Roster access token (Authorization: Bearer ...), obtained by the
// browser from POST /api/accounts/{accountId}/token, and needs
// billing.manage in the account of the path.
func ExampleVerifier_Require() {
	roster := hostauth.New(hostauth.Config{Issuer: "https://roster.example.com", Audience: "billing"})
	mux := http.NewServeMux()
	mux.Handle("POST /accounts/{account}/invoices/{id}/pay", roster.Require(
		func(r *http.Request) string { return r.PathValue("account") }, "billing.manage",
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			member, _ := hostauth.FromContext(r.Context())
			fmt.Fprintf(w, "invoice %s paid by %s\n", r.PathValue("id"), member.Email)
		})))
	_ = http.ListenAndServe // serve mux as usual
}
