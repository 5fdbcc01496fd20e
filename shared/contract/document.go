package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"roster/shared/api"
	"roster/shared/domain"
)

// Path is where the document lives, from the repository's root.
const Path = "shared/contract/openapi.yaml"

const overview = `Roster manages who may do what in an account: an account's owner and
admins invite people by email with a role and permissions, manage the
members and read the history of every change.

**Sessions.** Signing in (or registering) sets the session cookie,
` + "`__Host-roster_session`" + ` (` + "`roster_session`" + ` on a local run over plain HTTP):
HttpOnly, Secure, SameSite=Lax, 30 days. Every operation that needs it says so.

**The Origin rule.** Every POST, PUT, PATCH and DELETE must carry the
site's own ` + "`Origin`" + ` header; any other, or none, is refused with 403
` + "`bad_origin`" + `. Browsers send it by themselves.

**Versions.** What can change concurrently carries a ` + "`version`" + `; an edit
sends the version it read, and a stale one is refused with 409
` + "`stale_version`" + ` and the current state in ` + "`error.current`" + `.

**Errors.** Every refusal is JSON ` + "`{\"error\": {\"code\", \"message\", \"field\"?}}`" + `:
clients branch on ` + "`code`" + ` (each status lists the codes it carries), people
read ` + "`message`" + `, and ` + "`field`" + ` names the input at fault. 429 answers carry
` + "`Retry-After`" + ` in seconds.

**Paging.** Lists answer ` + "`{items, next?}`" + `; pass ` + "`next`" + ` back as ` + "`cursor`" + ` for the
following page. There is no next page when ` + "`next`" + ` is absent.`

// tagDescriptions describes the groups of operations, in the reference's order.
var tagDescriptions = []struct{ Name, Description string }{
	{"Sign-in", "Registering, confirming the address, signing in and out, and resetting a forgotten password."},
	{"Profile", "The signed-in user's own login: name, password, second factor."},
	{"Accounts", "The accounts a user belongs to, creating and renaming one, and handing over ownership."},
	{"Members", "An account's members: listing and searching them, editing role and permissions, deactivating, removing and moving them to another account."},
	{"Invitations", "Inviting people by email, and what the invited person sees and accepts."},
	{"Projects", "An account's projects, their owners and their members."},
	{"History", "Every change to an account, who made it and when; as pages or as a file."},
	{"Service", "Health and the permission catalog."},
}

// errorStatuses are the refusals the error catalog's kinds answer, with the
// component name of each.
var errorStatuses = map[int]string{
	400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
	410: "Gone", 413: "ContentTooLarge", 422: "UnprocessableContent", 429: "TooManyRequests",
	500: "InternalServerError", 503: "ServiceUnavailable",
}

// alsoAnswered are the codes that one context answers with another status
// than their kind's (domain.Code.In).
var alsoAnswered = map[string][]int{
	domain.CodeInvalidCode.Name:   {http.StatusBadRequest},
	domain.CodeWrongPassword.Name: {http.StatusForbidden},
}

// Document builds the OpenAPI document from Operations, the types they
// name and the error catalog.
func Document() (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.1.0",
		Info: &openapi3.Info{
			Title:       "Roster API",
			Version:     "1.0.0",
			Description: overview,
			License:     &openapi3.License{Name: "Proprietary", Identifier: "LicenseRef-Proprietary"},
		},
		Servers: openapi3.Servers{{URL: "/", Description: "The site's own origin: CloudFront (locally the gateway) sends /api/* to the API."}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			SecuritySchemes: openapi3.SecuritySchemes{"session": {Value: &openapi3.SecurityScheme{
				Type: "apiKey", In: "cookie", Name: "__Host-roster_session",
				Description: "The session cookie that signing in sets (`roster_session` on a local run over plain HTTP).",
			}}},
			Parameters: openapi3.ParametersMap{
				"Origin": {Value: &openapi3.Parameter{Name: "Origin", In: "header", Required: true,
					Description: "The site's own origin, which browsers send; any other, or none, is refused with 403 `bad_origin`.",
					Schema:      openapi3.NewStringSchema().NewRef()}},
				"IdempotencyKey": {Value: &openapi3.Parameter{Name: "Idempotency-Key", In: "header",
					Description: "Any unique string (at most 100 characters): a retry with the same key and body within 24 hours answers the first result instead of acting again; with another body it is 422 `idempotency_mismatch`.",
					Schema:      openapi3.NewStringSchema().WithMaxLength(100).NewRef()}},
			},
			Headers: openapi3.Headers{
				"RetryAfter": {Value: &openapi3.Header{Parameter: openapi3.Parameter{Required: true,
					Description: "How many seconds to wait before trying again.",
					Schema:      openapi3.NewIntegerSchema().WithMin(0).NewRef()}}},
				"SetCookie": {Value: &openapi3.Header{Parameter: openapi3.Parameter{
					Description: "The session cookie, set or cleared.",
					Schema:      openapi3.NewStringSchema().NewRef()}}},
			},
			Responses: openapi3.ResponseBodies{},
		},
	}
	for _, t := range tagDescriptions {
		doc.Tags = append(doc.Tags, &openapi3.Tag{Name: t.Name, Description: t.Description})
	}
	sch := newSchemas(componentNames)
	addErrors(doc, sch)
	pathParams := map[string]bool{}
	for _, op := range Operations {
		method, path, _ := strings.Cut(op.Route, " ")
		o, err := operation(op, method, path, sch, pathParams)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op.Route, err)
		}
		item := doc.Paths.Value(path)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(path, item)
		}
		item.SetOperation(method, o)
	}
	for name := range pathParams {
		doc.Components.Parameters[name] = &openapi3.ParameterRef{Value: &openapi3.Parameter{
			Name: name, In: "path", Required: true, Description: pathParamDescriptions[name],
			Schema: openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(64).NewRef(),
		}}
	}
	doc.Components.Schemas = sch.components
	return doc, nil
}

var pathParamDescriptions = map[string]string{
	"accountId": "The account's id.",
	"userId":    "The member's user id.",
	"projectId": "The project's id.",
	"id":        "The invitation's id.",
}

var pathParam = regexp.MustCompile(`\{([A-Za-z]+)\}`)

func operation(op Operation, method, path string, sch *schemas, pathParams map[string]bool) (*openapi3.Operation, error) {
	o := &openapi3.Operation{
		OperationID: op.ID, Summary: op.Summary, Description: op.Description, Tags: []string{op.Tag},
		Responses: openapi3.NewResponses(),
	}
	o.Responses.Delete("default")
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		pathParams[m[1]] = true
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/" + m[1]})
	}
	for _, q := range op.Query {
		s := &openapi3.Schema{Type: &openapi3.Types{q.Schema.Type}}
		for _, e := range q.Schema.Enum {
			s.Enum = append(s.Enum, e)
		}
		if q.Schema.Type == "integer" {
			s.Min, s.Max = &q.Schema.Min, &q.Schema.Max
		}
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{
			Name: q.Name, In: "query", Description: q.Description, Schema: s.NewRef(),
		}})
	}
	unsafe := method != http.MethodGet
	if unsafe {
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/Origin"})
	}
	if op.Idempotent {
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/IdempotencyKey"})
	}
	switch op.Access {
	case public:
		o.Security = &openapi3.SecurityRequirements{}
	case optionalSession:
		o.Security = &openapi3.SecurityRequirements{{}, {"session": {}}}
	default:
		o.Security = &openapi3.SecurityRequirements{{"session": {}}}
	}

	statuses := slices.Clone(op.Errors)
	statuses = append(statuses, http.StatusInternalServerError)
	if unsafe {
		statuses = append(statuses, http.StatusForbidden)
	}
	switch op.Access {
	case signedIn:
		statuses = append(statuses, http.StatusUnauthorized, http.StatusForbidden)
	case member:
		statuses = append(statuses, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound)
	}
	if len(op.Query) > 0 {
		statuses = append(statuses, http.StatusBadRequest)
	}
	if op.Body != nil {
		ref, err := sch.ref(op.Body, true)
		if err != nil {
			return nil, err
		}
		o.RequestBody = &openapi3.RequestBodyRef{Value: &openapi3.RequestBody{
			Required: !op.BodyOptional,
			Content:  openapi3.NewContentWithJSONSchemaRef(ref),
		}}
		statuses = append(statuses, http.StatusBadRequest, http.StatusRequestEntityTooLarge)
	}

	ok := &openapi3.Response{Description: new(http.StatusText(op.Status))}
	switch {
	case op.Answer != nil:
		ref, err := sch.ref(op.Answer, false)
		if err != nil {
			return nil, err
		}
		ok.Content = openapi3.NewContentWithJSONSchemaRef(ref)
	case len(op.Files) > 0:
		ok.Content = openapi3.Content{}
		for _, mt := range op.Files {
			ok.Content[mt] = openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())
		}
		ok.Headers = openapi3.Headers{"Content-Disposition": {Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Required: true, Description: "attachment, with the file's name.", Schema: openapi3.NewStringSchema().NewRef()}}}}
	}
	if op.SetsCookie {
		ok.Headers = openapi3.Headers{"Set-Cookie": {Ref: "#/components/headers/SetCookie"}}
	}
	o.Responses.Set(strconv.Itoa(op.Status), &openapi3.ResponseRef{Value: ok})
	for _, other := range op.Other {
		ref, err := sch.ref(other.Answer, false)
		if err != nil {
			return nil, err
		}
		o.Responses.Set(strconv.Itoa(other.Status), &openapi3.ResponseRef{Value: &openapi3.Response{
			Description: new(other.Description), Content: openapi3.NewContentWithJSONSchemaRef(ref)}})
	}
	if op.Cached {
		ok.Headers = openapi3.Headers{"ETag": {Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Required: true, Description: "The answer's version, for If-None-Match.", Schema: openapi3.NewStringSchema().NewRef()}}}}
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{
			Name: "If-None-Match", In: "header", Description: "The ETag of a copy the client holds: 304 when it is current.",
			Schema: openapi3.NewStringSchema().NewRef()}})
		o.Responses.Set("304", &openapi3.ResponseRef{Value: &openapi3.Response{Description: new("Not Modified: the client's copy is current.")}})
	}
	slices.Sort(statuses)
	for _, s := range slices.Compact(statuses) {
		name, found := errorStatuses[s]
		if !found {
			return nil, fmt.Errorf("status %d is no error status of the catalog", s)
		}
		o.Responses.Set(strconv.Itoa(s), &openapi3.ResponseRef{Ref: "#/components/responses/" + name})
	}
	return o, nil
}

// addErrors adds the error schemas and one response per error status, each
// listing the codes it carries, from the error catalog.
func addErrors(doc *openapi3.T, sch *schemas) {
	byStatus := map[int][]string{}
	var all []string
	add := func(code string, status int) {
		if !slices.Contains(byStatus[status], code) {
			byStatus[status] = append(byStatus[status], code)
		}
		if !slices.Contains(all, code) {
			all = append(all, code)
		}
	}
	for _, c := range domain.Codes() {
		add(c.Name, api.StatusOf(c.Kind))
		for _, s := range alsoAnswered[c.Name] {
			add(c.Name, s)
		}
	}
	for _, kind := range api.Kinds() {
		add(kind, api.StatusOf(kind))
	}
	sort.Strings(all)

	codeSchema := openapi3.NewStringSchema()
	codeSchema.Description = "What went wrong, for clients to branch on."
	for _, c := range all {
		codeSchema.Enum = append(codeSchema.Enum, c)
	}
	errSchema := openapi3.NewObjectSchema()
	errSchema.AdditionalProperties = openapi3.AdditionalProperties{Has: new(false)}
	errSchema.Required = []string{"code", "message"}
	errSchema.Properties = openapi3.Schemas{
		"code":    openapi3.NewSchemaRef("#/components/schemas/ErrorCode", nil),
		"message": {Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, Description: "What went wrong, in words for people."}},
		"field":   {Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, Description: "The input field at fault, if one is."}},
		"current": {Value: &openapi3.Schema{Description: "The current state, on 409 `stale_version`: what the edit would have overwritten."}},
	}
	sch.components["ErrorCode"] = codeSchema.NewRef()
	sch.components["Error"] = errSchema.NewRef()

	for status, name := range errorStatuses {
		codes := byStatus[status]
		sort.Strings(codes)
		narrowed := openapi3.NewStringSchema()
		for _, c := range codes {
			narrowed.Enum = append(narrowed.Enum, c)
		}
		inner := &openapi3.Schema{AllOf: openapi3.SchemaRefs{
			openapi3.NewSchemaRef("#/components/schemas/Error", nil),
			{Value: &openapi3.Schema{Properties: openapi3.Schemas{"code": narrowed.NewRef()}}},
		}}
		body := openapi3.NewObjectSchema()
		body.AdditionalProperties = openapi3.AdditionalProperties{Has: new(false)}
		body.Required = []string{"error"}
		body.Properties = openapi3.Schemas{"error": inner.NewRef()}
		resp := &openapi3.Response{
			Description: new(http.StatusText(status) + ": " + strings.Join(codes, ", ") + "."),
			Content:     openapi3.NewContentWithJSONSchema(body),
		}
		if status == http.StatusTooManyRequests {
			resp.Headers = openapi3.Headers{"Retry-After": {Ref: "#/components/headers/RetryAfter"}}
		}
		doc.Components.Responses[name] = &openapi3.ResponseRef{Value: resp}
	}
}

// YAML returns the document as the YAML committed at Path.
func YAML() ([]byte, error) {
	doc, err := Document()
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	// Through a yaml.Node, so that keys keep the order JSON gave them
	// (sorted), and long strings fold.
	var node yaml.Node
	if err := yaml.Unmarshal(raw, &node); err != nil {
		return nil, err
	}
	blockStyle(&node)
	var b bytes.Buffer
	b.WriteString("# Generated by 'make template' from shared/contract (operations.go), the\n# Go types it names and the error catalog. Do not edit.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// blockStyle drops the flow style of the JSON the node was read from.
func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}
